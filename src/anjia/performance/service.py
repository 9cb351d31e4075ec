"""Monthly performance: a month's scorecards counted from data (reviews, complaints, dispatch
offers, visits), published by operators, and the rewards the published scores earn.

A month is evaluated once it has ended (the monthly job does the previous month; operators may
re-evaluate a draft, which replaces its scorecards). Publishing makes it final — the month's row is
locked, a second publish is 409 and a trigger refuses any later edit of its scorecards — and grants
the rewards of the active rules: a bonus through settlement (an adjustment paid with the next
statement; UNIQUE per worker and month there and here, so reruns and concurrent runs post it once),
a level step through workforce, badges."""
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.config import get_settings
from anjia.core import audit
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.dispatch import service as dispatch
from anjia.fieldwork import figures as fieldwork
from anjia.notifications.service import notify
from anjia.performance import errors, schemas, scoring
from anjia.performance.models import PerformanceMonth, Reward, RewardRule, Scorecard
from anjia.performance.scoring import Figures
from anjia.reviews import service as reviews
from anjia.settlement import service as settlement
from anjia.support import service as support
from anjia.workforce import service as workforce
from anjia.workforce.models import WorkerProfile


def tz() -> ZoneInfo:
    return ZoneInfo(get_settings().region_timezone)


# ---------------------------------------------------------------- months
def bounds(month: date) -> tuple[datetime, datetime]:
    """The local month as instants [start, end)."""
    nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return datetime.combine(month, time(), tzinfo=tz()), datetime.combine(nxt, time(), tzinfo=tz())


def current_month(at: datetime | None = None) -> date:
    return (at or now()).astimezone(tz()).date().replace(day=1)


def previous_month(at: datetime | None = None) -> date:
    m = current_month(at)
    return date(m.year - 1, 12, 1) if m.month == 1 else date(m.year, m.month - 1, 1)


def parse_month(value: str) -> date:
    """YYYY-MM (validated by the schema) of a month that has ended, else 422."""
    year, month = map(int, value.split("-"))
    d = date(year, month, 1)
    if d >= current_month():
        raise AppError(errors.MONTH_OPEN)
    return d


def _label(month: date) -> str:
    return f"{month.year}年{month.month}月"


# ---------------------------------------------------------------- counting
async def count(session: AsyncSession, month: date) -> tuple[dict[int, Figures], dict[int, list[int]]]:
    """worker id -> the month's figures, for every worker with something to count; and the services
    each completed."""
    start, end = bounds(month)
    ratings = await reviews.ratings_by_worker(session, start, end)
    complaints = await support.upheld_complaints_by_worker(session, start, end)
    offers = await dispatch.offer_answers_by_worker(session, start, end)
    visits = await fieldwork.visits_by_worker(session, start, end)
    out = {}
    for w in set(ratings) | set(complaints) | set(offers) | set(visits):
        v = visits.get(w, fieldwork.Visits())
        avg, n = ratings.get(w, (None, 0))
        offered, accepted = offers.get(w, (0, 0))
        out[w] = Figures(reviews=n, rating=Decimal(str(avg)) if avg is not None else None, visits=v.visits,
                         late=v.late, late_minutes=v.late_minutes, taken=v.taken, completed=v.completed,
                         offered=offered, accepted=accepted, overruns=v.overruns, overrun_minutes=v.overrun_minutes,
                         complaints=complaints.get(w, 0))
    return out, {w: v.service_ids for w, v in visits.items()}


async def _month(session: AsyncSession, month: date, *, lock: bool = False) -> PerformanceMonth | None:
    q = select(PerformanceMonth).where(PerformanceMonth.month == month)
    return await session.scalar(q.with_for_update() if lock else q)


async def evaluate(session: AsyncSession, month: date, actor: User | None = None, ip: str | None = None
                   ) -> PerformanceMonth:
    """The month's scorecards, counted now (a draft's are replaced). Under the month row's lock:
    two evaluations, or an evaluation and a publish, run one after the other."""
    if month >= current_month():
        raise AppError(errors.MONTH_OPEN)
    await session.execute(pg_insert(PerformanceMonth).values(month=month, status="draft", weights=scoring.WEIGHTS)
                          .on_conflict_do_nothing(index_elements=["month"]))
    m = await _month(session, month, lock=True)
    if m.status == "published":
        raise AppError(errors.MONTH_PUBLISHED)
    before = {"workers": m.workers, "computed_at": m.computed_at.isoformat() if m.computed_at else None}
    await session.execute(delete(Scorecard).where(Scorecard.month == month))
    figures, services = await count(session, month)
    profiles = {p.user_id: p for p in await session.scalars(
        select(WorkerProfile).where(WorkerProfile.user_id.in_(list(figures))))} if figures else {}
    for w, f in sorted(figures.items()):
        p = scoring.points(f)
        total = scoring.score(p)
        profile = profiles.get(w)
        session.add(Scorecard(
            month=month, worker_id=w, region_id=profile.region_id if profile else None,
            service_ids=services.get(w, []), level=profile.level if profile else 1, **f.__dict__,
            rating_points=p["rating"], punctuality_points=p["punctuality"], completion_points=p["completion"],
            acceptance_points=p["acceptance"], overrun_points=p["overruns"], complaint_points=p["complaints"],
            score=total, grade=scoring.grade(total)))
    m.weights, m.workers, m.computed_at, m.computed_by = scoring.WEIGHTS, len(figures), now(), actor.id if actor else None
    await session.flush()
    if actor is not None:
        await audit.record(session, actor, "performance.evaluate", "performance_month", schemas.month_str(month),
                           before, {"workers": m.workers, "status": m.status}, ip=ip)
    return m


async def evaluate_due(session: AsyncSession) -> date | None:
    """Job: the previous month, the first time the job runs after it ended (a rerun, or a server
    that was down on the 1st, finds it done or does it then)."""
    month = previous_month()
    if await _month(session, month) is not None:
        return None
    await evaluate(session, month)
    return month


# ---------------------------------------------------------------- publishing and rewards
async def active_rules(session: AsyncSession) -> list[RewardRule]:
    return list(await session.scalars(select(RewardRule).where(RewardRule.active.is_(True)).order_by(RewardRule.id)))


def _rule(r: RewardRule) -> scoring.Rule:
    return scoring.Rule(id=r.id, kind=r.kind, min_score=r.min_score, below_score=r.below_score,
                        min_completed=r.min_completed, amount=r.amount, badge=r.badge)


async def _reward(session: AsyncSession, **values) -> bool:
    """A reward row unless this worker already has it for the month (the UNIQUE key): True when new."""
    return await session.scalar(pg_insert(Reward).values(**values).on_conflict_do_nothing(
        constraint="uq_performance_rewards_once").returning(Reward.id)) is not None


async def grant(session: AsyncSession, month: date, actor: User | None = None) -> int:
    """The rewards the active rules give the month's scores, each once however often this runs
    (the keys of `performance_rewards` and settlement's adjustment source). Returns rewards given now."""
    rules = [_rule(r) for r in await active_rules(session)]
    given = 0
    for card in await session.scalars(select(Scorecard).where(Scorecard.month == month).order_by(Scorecard.id)):
        got = scoring.rewards(rules, card.score, card.completed)
        base = {"month": month, "worker_id": card.worker_id}
        if got.bonus is not None:
            adjustment = await settlement.post_bonus(
                session, card.worker_id, got.bonus.amount, f"绩效奖励 {_label(month)}（{card.score} 分）",
                f"performance:{schemas.month_str(month)}:{card.worker_id}", actor)
            given += await _reward(session, **base, kind="bonus", rule_id=got.bonus.id, amount=got.bonus.amount,
                                   adjustment_id=adjustment.id if adjustment else None)
        if got.level is not None:
            current = await workforce.level(session, card.worker_id)
            target = max(workforce.MIN_LEVEL, min(workforce.MAX_LEVEL,
                                                  current + (1 if got.level.kind == "level_up" else -1)))
            if target != current and await _reward(session, **base, kind="level", rule_id=got.level.id,
                                                   level_from=current, level_to=target):
                await workforce.set_level(session, actor, card.worker_id, target, f"{_label(month)}绩效 {card.score} 分")
                given += 1
        for b in got.badges:
            given += await _reward(session, **base, kind="badge", rule_id=b.id, badge=b.badge)
    await session.flush()
    return given


async def publish(session: AsyncSession, actor: User, month: date, ip: str | None) -> PerformanceMonth:
    """Make the month final, grant its rewards and tell each worker. A second publish (or one that
    waited on this one's lock) is 409."""
    m = await _month(session, month, lock=True)
    if m is None:
        raise AppError(errors.MONTH_NOT_EVALUATED)
    if m.status == "published":
        raise AppError(errors.MONTH_PUBLISHED)
    m.status, m.published_at, m.published_by = "published", now(), actor.id
    await session.flush()
    given = await grant(session, month, actor)
    for card in await session.scalars(select(Scorecard).where(Scorecard.month == month)):
        await notify(session, card.worker_id, "performance.published", f"{_label(month)}绩效已出",
                     f"您{_label(month)}的绩效得分 {card.score} 分（{scoring.GRADE_LABELS[card.grade][0]}），"
                     "点击查看详情和提升建议。", {"month": schemas.month_str(month)})
    await audit.record(session, actor, "performance.publish", "performance_month", schemas.month_str(month),
                       {"status": "draft"}, {"status": "published", "workers": m.workers, "rewards": given}, ip=ip)
    return m


# ---------------------------------------------------------------- reward rules (operators)
def rule_out(r: RewardRule) -> schemas.RewardRuleOut:
    return schemas.RewardRuleOut(id=r.id, name=r.name, kind=r.kind, min_score=_f(r.min_score), below_score=_f(r.below_score),
                           min_completed=r.min_completed, amount=r.amount, badge=r.badge, active=r.active,
                           updated_at=r.updated_at)


def _f(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


async def rules(session: AsyncSession) -> list[schemas.RewardRuleOut]:
    """Active rules first, then archived; by score within each."""
    rows = await session.scalars(select(RewardRule).order_by(RewardRule.active.desc(), RewardRule.kind,
                                                             RewardRule.min_score.desc().nulls_last(), RewardRule.id))
    return [rule_out(r) for r in rows]


async def _rule_row(session: AsyncSession, rule_id: int) -> RewardRule:
    r = await session.scalar(select(RewardRule).where(RewardRule.id == rule_id).with_for_update())
    if r is None:
        raise AppError(errors.RULE_NOT_FOUND)
    return r


def _columns(data: schemas.RewardRuleIn) -> dict:
    return data.model_dump()


async def create_rule(session: AsyncSession, actor: User, data: schemas.RewardRuleIn, ip: str | None) -> schemas.RewardRuleOut:
    r = RewardRule(**_columns(data))
    session.add(r)
    await session.flush()
    await session.refresh(r)
    out = rule_out(r)
    await audit.record(session, actor, "performance_rule.create", "performance_rule", r.id, None,
                       out.model_dump(mode="json"), ip=ip)
    return out


async def update_rule(session: AsyncSession, actor: User, rule_id: int, data: schemas.RewardRulePatch, ip: str | None
                      ) -> schemas.RewardRuleOut:
    """Rules apply to months published from now on; what published months gave stays."""
    r = await _rule_row(session, rule_id)
    before = rule_out(r)
    merged = {**before.model_dump(include=set(schemas.RewardRuleIn.model_fields)), **data.sent()}
    try:
        checked = schemas.RewardRuleIn.model_validate(merged)
    except ValidationError as e:
        raise AppError(errors.RULE_INVALID, errors=[{"field": ".".join(map(str, x["loc"])) or "body",
                                                     "message": x["msg"]} for x in e.errors()]) from None
    for k, v in _columns(checked).items():
        setattr(r, k, v)
    await session.flush()
    await session.refresh(r)
    out = rule_out(r)
    await audit.record(session, actor, "performance_rule.update", "performance_rule", r.id,
                       before.model_dump(mode="json"), out.model_dump(mode="json"), ip=ip)
    return out


async def archive_rule(session: AsyncSession, actor: User, rule_id: int, ip: str | None) -> None:
    """Rewards name their rule, so rules are archived (inactive), never deleted."""
    r = await _rule_row(session, rule_id)
    before = rule_out(r).model_dump(mode="json")
    r.active = False
    await session.flush()
    await audit.record(session, actor, "performance_rule.archive", "performance_rule", r.id, before,
                       {**before, "active": False}, ip=ip)
