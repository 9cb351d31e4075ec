"""Publishing: the month becomes final and the reward rules give each bonus (through settlement),
level step (through workforce) and badge exactly once — rerun, published twice, or granted by two
transactions at once."""
import asyncio
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from anjia.core import db
from anjia.core.errors import AppError
from anjia.performance import service
from anjia.performance.models import PerformanceMonth, Reward, RewardRule
from anjia.settlement.models import Adjustment
from anjia.workforce import service as workforce
from tests.conftest import make_staff
from tests.performance.helpers import MONTH, known_month
from tests.settlement.helpers import account

RULES = [  # A scores 90.6 with 4 completed, B 48.9 with 3, C 75.0 with 1
    dict(name="金牌奖金", kind="bonus", min_score=90, min_completed=3, amount=20_000),
    dict(name="良好奖金", kind="bonus", min_score=70, min_completed=1, amount=5_000),
    dict(name="晋级", kind="level_up", min_score=90, min_completed=3),
    dict(name="降级", kind="level_down", below_score=60),
    dict(name="金牌阿姨", kind="badge", min_score=90, badge="金牌阿姨"),
    dict(name="闲置奖金", kind="bonus", min_score=0, min_completed=50, amount=99_999),  # nobody has 50 orders
]


async def _setup(session, world):
    a, b, c = await known_month(session, world)
    session.add_all([RewardRule(**r) for r in RULES])
    await workforce.set_level(session, None, b, 3, "测试")
    await service.evaluate(session, MONTH)
    await session.commit()
    ops = await make_staff(session, "ops", ["dispatcher"])
    return a, b, c, SimpleNamespace(id=ops.id, username="ops", nickname="ops", kind="staff")  # outlives commits


async def _adjustments(session) -> dict[int, int]:
    await session.rollback()
    return dict((await session.execute(select(Adjustment.worker_id, Adjustment.amount))).all())


async def test_publishing_grants_each_reward_once(session, world):
    a, b, c, ops = await _setup(session, world)
    await service.publish(session, ops, MONTH, None)
    await session.commit()
    assert await _adjustments(session) == {a: 20_000, c: 5_000}  # the largest matching bonus, once
    assert await account(session, "rewards_expense") == 25_000
    assert await account(session, f"worker_payable:{a}") == -20_000
    assert (await workforce.level(session, a), await workforce.level(session, b), await workforce.level(session, c)) \
        == (2, 2, 1)
    rewards = {(r.worker_id, r.kind, r.badge) for r in await session.scalars(select(Reward))}
    assert rewards == {(a, "bonus", ""), (a, "level", ""), (a, "badge", "金牌阿姨"), (b, "level", ""), (c, "bonus", "")}
    # the job or an operator runs the grant again: nothing more
    assert await service.grant(session, MONTH, ops) == 0
    await session.commit()
    assert await _adjustments(session) == {a: 20_000, c: 5_000}
    assert await workforce.level(session, a) == 2
    # publishing again is refused
    with pytest.raises(AppError) as e:
        await service.publish(session, ops, MONTH, None)
    assert e.value.code == "performance_month_published"


async def _in_own_session(work):
    async with db.sessionmaker()() as s:
        try:
            result = await work(s)
            await s.commit()
            return result
        except AppError as e:
            await s.rollback()
            return e.code


async def test_concurrent_publishes_one_wins_and_rewards_are_given_once(session, world):
    a, _, c, ops = await _setup(session, world)
    results = await asyncio.gather(*[_in_own_session(lambda s: service.publish(s, ops, MONTH, None))
                                     for _ in range(3)])
    assert sorted(r if isinstance(r, str) else "ok" for r in results) == ["ok"] + ["performance_month_published"] * 2
    assert await _adjustments(session) == {a: 20_000, c: 5_000}


async def test_concurrent_grants_without_the_month_lock_still_post_once(session, world):
    """The keys, not the month's lock, keep it once: grants racing on a published month."""
    a, _, c, _ = await _setup(session, world)
    await session.execute(text("UPDATE performance_months SET status = 'published' WHERE month = :m"), {"m": MONTH})
    await session.commit()
    given = await asyncio.gather(*[_in_own_session(lambda s: service.grant(s, MONTH)) for _ in range(4)])
    assert sum(given) == 5  # 2 bonuses, 2 level steps, 1 badge, whoever gave them
    assert await _adjustments(session) == {a: 20_000, c: 5_000}
    assert await account(session, "rewards_expense") == 25_000
    assert await session.scalar(select(func.count()).select_from(Reward)) == 5


async def test_a_published_month_is_immutable(session, world):
    a, _, _, ops = await _setup(session, world)
    await service.publish(session, ops, MONTH, None)
    await session.commit()
    with pytest.raises(AppError) as e:
        await service.evaluate(session, MONTH, ops)
    assert e.value.code == "performance_month_published"
    await session.rollback()
    for sql in ("UPDATE performance_scorecards SET score = 100 WHERE worker_id = :w",
                "DELETE FROM performance_scorecards WHERE worker_id = :w",
                "UPDATE performance_months SET status = 'draft'",
                "DELETE FROM performance_rewards WHERE worker_id = :w"):
        with pytest.raises(DBAPIError, match="published|append-only"):
            await session.execute(text(sql), {"w": a})
        await session.rollback()
    assert (await session.get(PerformanceMonth, MONTH)).status == "published"
