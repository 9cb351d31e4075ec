"""Reading scorecards: the worker's months with what would raise them, the console's months,
ranking (sorted, filtered by region and service) and a worker's trend."""
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, any_, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.core.errors import AppError
from anjia.core.types import like_pattern
from anjia.fieldwork.figures import LATE_MINUTES
from anjia.performance import errors, schemas, scoring
from anjia.performance.models import PerformanceMonth, Reward, RewardRule, Scorecard
from anjia.performance.scoring import Figures
from anjia.scheduling.models import Region
from anjia.workforce.service import worker as worker_account

POINTS = {"rating": Scorecard.rating_points, "punctuality": Scorecard.punctuality_points,
          "completion": Scorecard.completion_points, "acceptance": Scorecard.acceptance_points,
          "overruns": Scorecard.overrun_points, "complaints": Scorecard.complaint_points, "score": Scorecard.score}
MAX_TIPS = 3


def figures(c: Scorecard) -> Figures:
    return Figures(reviews=c.reviews, rating=c.rating, visits=c.visits, late=c.late, late_minutes=c.late_minutes,
                   taken=c.taken, completed=c.completed, offered=c.offered, accepted=c.accepted, overruns=c.overruns,
                   overrun_minutes=c.overrun_minutes, complaints=c.complaints)


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def factors(c: Scorecard) -> list[schemas.FactorOut]:
    f = figures(c)
    got = {"rating": c.rating_points, "punctuality": c.punctuality_points, "completion": c.completion_points,
           "acceptance": c.acceptance_points, "overruns": c.overrun_points, "complaints": c.complaint_points}
    # (rate, counted, misses, minutes)
    detail = {
        "rating": (float(c.rating) if c.rating is not None else None, c.reviews, 0, None),
        "punctuality": (_share(c.visits - c.late, c.visits), c.visits, c.late, c.late_minutes),
        "completion": (_share(c.completed, c.taken), c.taken, c.taken - c.completed, None),
        "acceptance": (_share(c.accepted, c.offered), c.offered, c.offered - c.accepted, None),
        "overruns": (_share(c.completed - c.overruns, c.completed), c.completed, c.overruns, c.overrun_minutes),
        "complaints": (None, c.complaints, c.complaints, None),
    }
    out = []
    for key in scoring.FACTORS:
        rate, counted, misses, minutes = detail[key]
        weight = scoring.WEIGHTS[key]
        out.append(schemas.FactorOut(key=key, weight=weight, points=float(got[key]),
                                     lost=float(Decimal(weight) - got[key]), gain=float(scoring.gain(f, key)),
                                     rate=rate, count=counted, misses=misses, minutes=minutes))
    return out


def tips(fs: list[schemas.FactorOut]) -> list[str]:
    """The factors that cost most, worst first (ties in the published order)."""
    return [f.key for f in sorted((f for f in fs if f.lost > 0), key=lambda f: -f.lost)][:MAX_TIPS]


def _rewards(rows: list[Reward]) -> list[schemas.RewardOut]:
    return [schemas.RewardOut(kind=r.kind, amount=r.amount, badge=r.badge or None, level_from=r.level_from,
                              level_to=r.level_to) for r in rows]


async def _ranks(session: AsyncSession, months: list[date]) -> dict[tuple[date, int], tuple[int, int]]:
    """(month, worker) -> (rank by score, scorecards in the month)."""
    rank = func.rank().over(partition_by=Scorecard.month, order_by=Scorecard.score.desc()).label("rank")
    total = func.count().over(partition_by=Scorecard.month).label("total")
    rows = await session.execute(select(Scorecard.month, Scorecard.worker_id, rank, total)
                                 .where(Scorecard.month.in_(months)))
    return {(m, w): (r, n) for m, w, r, n in rows}


async def cards_out(session: AsyncSession, cards: list[Scorecard]) -> list[schemas.ScorecardOut]:
    if not cards:
        return []
    months = sorted({c.month for c in cards})
    statuses = dict((await session.execute(select(PerformanceMonth.month, PerformanceMonth.status)
                                           .where(PerformanceMonth.month.in_(months)))).all())
    ranks = await _ranks(session, months)
    workers = {c.worker_id for c in cards}
    names = dict((await session.execute(select(User.id, User.nickname).where(User.id.in_(workers)))).all())
    regions = dict((await session.execute(select(Region.id, Region.name))).all())
    rewards: dict[tuple[date, int], list[Reward]] = {}
    for r in await session.scalars(select(Reward).where(Reward.worker_id.in_(workers), Reward.month.in_(months))
                                   .order_by(Reward.id)):
        rewards.setdefault((r.month, r.worker_id), []).append(r)
    out = []
    for c in cards:
        fs = factors(c)
        rank, total = ranks[(c.month, c.worker_id)]
        out.append(schemas.ScorecardOut(
            month=schemas.month_str(c.month), status=statuses[c.month], worker_id=c.worker_id,
            worker_name=names.get(c.worker_id, ""), region=regions.get(c.region_id), level=c.level,
            score=float(c.score), grade=c.grade, rank=rank, workers=total, factors=fs, tips=tips(fs),
            rewards=_rewards(rewards.get((c.month, c.worker_id), []))))
    return out


def rule_brief(r: RewardRule) -> schemas.RewardRuleBrief:
    return schemas.RewardRuleBrief(name=r.name, kind=r.kind, min_score=None if r.min_score is None else float(r.min_score),
                             below_score=None if r.below_score is None else float(r.below_score),
                             min_completed=r.min_completed, amount=r.amount, badge=r.badge)


async def for_worker(session: AsyncSession, worker_id: int, months: int = 6) -> schemas.WorkerPerformanceOut:
    """The worker's published months, newest first: drafts are the operators' until published."""
    cards = list(await session.scalars(
        select(Scorecard).join(PerformanceMonth, PerformanceMonth.month == Scorecard.month)
        .where(Scorecard.worker_id == worker_id, PerformanceMonth.status == "published")
        .order_by(Scorecard.month.desc()).limit(months)))
    rules = await session.scalars(select(RewardRule).where(RewardRule.active.is_(True))
                                  .order_by(RewardRule.min_score.desc().nulls_last(), RewardRule.id))
    return schemas.WorkerPerformanceOut(months=await cards_out(session, cards), weights=scoring.WEIGHTS,
                                        late_minutes=LATE_MINUTES, rules=[rule_brief(r) for r in rules])


# ---------------------------------------------------------------- the console
async def month_out(session: AsyncSession, month: date) -> schemas.MonthOut:
    m = await session.get(PerformanceMonth, month)
    if m is None:
        return schemas.MonthOut(month=schemas.month_str(month), status="none", workers=0, average=None, bonuses=0,
                                computed_at=None, published_at=None, published_by=None)
    average = await session.scalar(select(func.avg(Scorecard.score)).where(Scorecard.month == month))
    bonuses = await session.scalar(select(func.coalesce(func.sum(Reward.amount), 0))
                                   .where(Reward.month == month, Reward.kind == "bonus"))
    by = await session.get(User, m.published_by) if m.published_by else None
    return schemas.MonthOut(month=schemas.month_str(month), status=m.status, workers=m.workers,
                            average=round(float(average), 1) if average is not None else None, bonuses=int(bonuses),
                            computed_at=m.computed_at, published_at=m.published_at,
                            published_by=(by.username or by.nickname) if by else None)


async def months(session: AsyncSession, last: date, count: int = 12) -> list[schemas.MonthOut]:
    """The `count` months up to `last` (newest first), evaluated or not."""
    out, m = [], last
    for _ in range(count):
        out.append(await month_out(session, m))
        m = date(m.year - 1, 12, 1) if m.month == 1 else date(m.year, m.month - 1, 1)
    return out


def _ranking_query(month: date, region_id: int | None, service_id: int | None, q: str | None) -> Select:
    where = [Scorecard.month == month]
    if region_id is not None:
        where.append(Scorecard.region_id == region_id)
    if service_id is not None:
        where.append(literal(service_id) == any_(Scorecard.service_ids))
    stmt = select(Scorecard, User.nickname).join(User, User.id == Scorecard.worker_id).where(*where)
    if q:
        stmt = stmt.where(User.nickname.ilike(like_pattern(q)))
    return stmt


async def ranking_rows(session: AsyncSession, month: date, *, sort: str = "-score", region_id: int | None = None,
                       service_id: int | None = None, q: str | None = None, page: int = 1, size: int = 20
                       ) -> tuple[list[schemas.RankingRow], int]:
    """The month's scorecards (rank = place by score among those shown), sorted by the score or a
    factor's points; `page` 0 means all (the export)."""
    stmt = _ranking_query(month, region_id, service_id, q)
    total = await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rank = func.rank().over(order_by=Scorecard.score.desc()).label("rank")
    ranked = stmt.add_columns(rank).subquery()
    column = ranked.c[POINTS[sort.lstrip("-")].key]
    q2 = select(ranked).order_by(column.desc() if sort.startswith("-") else column.asc(), ranked.c.rank,
                                 ranked.c.worker_id)
    if page:
        q2 = q2.offset((page - 1) * size).limit(size)
    rows = (await session.execute(q2)).mappings().all()
    regions = dict((await session.execute(select(Region.id, Region.name))).all())
    bonuses = dict((await session.execute(select(Reward.worker_id, Reward.amount).where(
        Reward.month == month, Reward.kind == "bonus"))).all())
    items = [schemas.RankingRow(
        rank=r["rank"], worker_id=r["worker_id"], worker_name=r["nickname"], region=regions.get(r["region_id"]),
        level=r["level"], score=float(r["score"]), grade=r["grade"],
        rating=float(r["rating"]) if r["rating"] is not None else None, reviews=r["reviews"],
        rating_points=float(r["rating_points"]), punctuality=float(r["punctuality_points"]),
        completion=float(r["completion_points"]), acceptance=float(r["acceptance_points"]),
        overruns=float(r["overrun_points"]), complaints=float(r["complaint_points"]), late=r["late"],
        taken=r["taken"], completed=r["completed"], offered=r["offered"], accepted=r["accepted"],
        overrun_count=r["overruns"], complaint_count=r["complaints"], bonus=bonuses.get(r["worker_id"]))
        for r in rows]
    return items, total


async def ranking(session: AsyncSession, month: date, *, sort: str, region_id: int | None, service_id: int | None,
                  q: str | None, page: int, size: int) -> schemas.RankingPage:
    head = await month_out(session, month)
    if head.status == "none":
        raise AppError(errors.MONTH_NOT_EVALUATED)
    items, total = await ranking_rows(session, month, sort=sort, region_id=region_id, service_id=service_id, q=q,
                                      page=page, size=size)
    return schemas.RankingPage(month=head, items=items, total=total, page=page, page_size=size)


async def trend(session: AsyncSession, worker_id: int, months: int = 12) -> schemas.TrendOut:
    """The worker's last `months` evaluated months (drafts too), oldest first."""
    u = await worker_account(session, worker_id)
    cards = list(await session.scalars(select(Scorecard).where(Scorecard.worker_id == worker_id)
                                       .order_by(Scorecard.month.desc()).limit(months)))
    out = list(reversed(await cards_out(session, cards)))
    series = {"score": [c.score for c in out]}
    for key in scoring.FACTORS:
        series[key] = [next(f.points for f in c.factors if f.key == key) for c in out]
    return schemas.TrendOut(worker_id=worker_id, worker_name=u.nickname, months=out,
                            categories=[c.month for c in out], series=series)
