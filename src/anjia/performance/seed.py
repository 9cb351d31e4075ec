"""Demo performance: the reward rules, three published months for the demo workers with a
realistic spread — each worker has a steady character (a star, reliable, average, often late, a
newcomer finding their feet) with month-to-month noise, scored by the same function as the job and
published through the service (bonuses posted, levels moved, badges given) — and last month the same
way but left a draft for operators to publish. (The demo's own orders are all from today, so counting
last month from data would find nothing: 重新统计 on the draft shows exactly that.) Once: nothing when a
month exists."""
import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phones_in
from anjia.catalog.models import Service
from anjia.performance import scoring, service
from anjia.performance.models import PerformanceMonth, RewardRule, Scorecard
from anjia.performance.scoring import Figures
from anjia.workforce import service as workforce
from anjia.workforce.models import WorkerProfile

RULES = [
    dict(name="金牌奖金", kind="bonus", min_score=90, min_completed=5, amount=20_000),
    dict(name="优秀奖金", kind="bonus", min_score=80, below_score=90, min_completed=5, amount=8_000),
    dict(name="连续优秀晋级", kind="level_up", min_score=90, min_completed=8),
    dict(name="待改进降级", kind="level_down", below_score=55),
    dict(name="金牌阿姨", kind="badge", min_score=95, min_completed=8, badge="金牌阿姨"),
    dict(name="零投诉之星", kind="badge", min_score=85, min_completed=10, badge="零投诉之星"),
]

# phone -> (orders a month, mean review, share late, share lost, share of offers refused, share over time,
#           complaints a month on average)
CHARACTERS = {
    "13900000001": (22, 4.85, 0.03, 0.00, 0.10, 0.05, 0.0),  # the star
    "13900000002": (18, 4.60, 0.08, 0.04, 0.20, 0.08, 0.2),  # reliable
    "13900000003": (14, 4.30, 0.15, 0.06, 0.30, 0.15, 0.4),  # average
    "13900000004": (16, 4.10, 0.30, 0.10, 0.25, 0.20, 0.8),  # often late
    "13900000005": (8, 3.90, 0.20, 0.12, 0.45, 0.25, 0.6),  # a newcomer
}


def _before(m: date, n: int) -> date:
    for _ in range(n):
        m = date(m.year - 1, 12, 1) if m.month == 1 else date(m.year, m.month - 1, 1)
    return m


def figures(character: tuple, rng: random.Random, month_index: int) -> Figures:
    """A month of a character: a little better each month (index 0 = oldest, 3 = last month), with noise."""
    orders, mean, late, lost, refused, over, complaints = character
    better = 1 - 0.12 * month_index
    taken = max(3, orders + rng.randint(-3, 3))
    failed = min(taken - 1, round(taken * lost * better + rng.random() * 0.6))
    completed = taken - failed
    offered = taken + round(taken * refused * better / max(0.01, 1 - refused)) + rng.randint(0, 2)
    late_n = min(completed, round(completed * late * better + rng.random() * 0.8))
    over_n = min(completed, round(completed * over * better + rng.random() * 0.6))
    reviews = max(1, round(completed * rng.uniform(0.5, 0.8)))
    rating = Decimal(str(round(min(5.0, max(3.0, mean + rng.uniform(-0.2, 0.15) + 0.05 * month_index)), 2)))
    upheld = sum(rng.random() < complaints * better / 2 for _ in range(2))
    return Figures(reviews=reviews, rating=rating, visits=completed, late=late_n,
                   late_minutes=sum(rng.randint(12, 40) for _ in range(late_n)), taken=taken, completed=completed,
                   offered=offered, accepted=taken, overruns=over_n,
                   overrun_minutes=sum(rng.randint(5, 45) for _ in range(over_n)), complaints=upheld)


async def seed(session: AsyncSession) -> int:
    if await session.scalar(select(PerformanceMonth.month).limit(1)):
        return 0
    admin = await session.scalar(select(User).where(User.kind == "staff", User.username == "admin"))
    workers = (await session.execute(
        select(User, WorkerProfile).join(WorkerProfile, WorkerProfile.user_id == User.id)
        .where(phones_in(list(CHARACTERS)), User.kind == "worker", WorkerProfile.review_status == "approved")
        )).all()
    workers.sort(key=lambda row: row[0].phone)  # sealed: ordered here
    if admin is None or not workers:
        return 0
    session.add_all([RewardRule(**r) for r in RULES])
    await session.flush()
    rng = random.Random(11)
    last = service.previous_month()
    by_skill: dict[str, list[int]] = {}
    for sid, skill in (await session.execute(select(Service.id, Service.skill).order_by(Service.id))).all():
        by_skill.setdefault(skill, []).append(sid)
    n = len(RULES)
    for index, month in enumerate(_before(last, k) for k in (3, 2, 1, 0)):
        session.add(PerformanceMonth(month=month, status="draft", weights=scoring.WEIGHTS, workers=len(workers)))
        await session.flush()
        for user, profile in workers:
            f = figures(CHARACTERS[user.phone], rng, index)
            if user.phone == "13900000005" and index == 0:
                f = replace(f, complaints=2)  # a bad first month: below 55, the level goes down
            p = scoring.points(f)
            total = scoring.score(p)
            session.add(Scorecard(
                month=month, worker_id=user.id, region_id=profile.region_id, service_ids=sorted(sid for skill in profile.skills for sid in by_skill.get(skill, [])),
                level=await workforce.level(session, user.id), **f.__dict__, rating_points=p["rating"],
                punctuality_points=p["punctuality"], completion_points=p["completion"],
                acceptance_points=p["acceptance"], overrun_points=p["overruns"], complaint_points=p["complaints"],
                score=total, grade=scoring.grade(total)))
            n += 1
        await session.flush()
        if month != last:
            await service.publish(session, admin, month, None)
    return n

