"""The demo seed: reward rules, three published months with a spread of scores and rewards given
through the real services, and last month as a draft; runs twice."""
from sqlalchemy import text

from anjia.performance import seed as performance
from anjia.performance import service
from anjia.reviews import seed as reviews
from tests.settlement.test_seed import _seed as settled


async def test_demo_performance(session, engine):
    await settled(session)
    await reviews.seed(session)
    assert await performance.seed(session) > 15
    await session.commit()
    async with engine.connect() as conn:
        months = dict((await conn.execute(text("SELECT to_char(month, 'YYYY-MM'), status FROM performance_months")))
                      .all())
        scores = (await conn.execute(text(
            "SELECT s.score, s.grade FROM performance_scorecards s JOIN performance_months m USING (month) "
            "WHERE m.status = 'published'"))).all()
        rewards = dict((await conn.execute(text("SELECT kind, count(*) FROM performance_rewards GROUP BY kind"))).all())
        bonus = await conn.scalar(text("SELECT coalesce(sum(amount), 0) FROM settlement_adjustments "
                                       "WHERE source LIKE 'performance:%'"))
        draft = await conn.scalar(text("SELECT workers FROM performance_months WHERE status = 'draft'"))
    last = service.previous_month().strftime("%Y-%m")
    assert months[last] == "draft" and draft == 5
    assert sorted(months.values()) == ["draft", "published", "published", "published"]
    assert len(scores) == 15 and len({g for _, g in scores}) >= 3  # a spread of grades
    assert min(s for s, _ in scores) < 60 < 90 < max(s for s, _ in scores)
    assert rewards.get("bonus", 0) >= 3 and rewards.get("level", 0) >= 2 and rewards.get("badge", 0) >= 1
    assert bonus > 0
    assert await performance.seed(session) == 0
