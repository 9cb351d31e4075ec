"""The demo seed holds a realistic spread of reviews, favourites and preferences, and runs twice."""
from sqlalchemy import text

from anjia.reviews import seed as reviews
from tests.settlement.test_seed import _seed as settled


async def test_demo_reviews_favourites_and_preferences(session, engine):
    await settled(session)
    assert await reviews.seed(session) > 10
    await session.commit()
    async with engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT (quality + attitude + skill) / 3.0 AS score, anonymous, low, reply IS NOT NULL AS replied, "
            "hidden_at IS NOT NULL AS hidden FROM reviews"))).all()
        unreviewed = await conn.scalar(text(
            "SELECT count(*) FROM orders o WHERE status = 'completed' AND NOT EXISTS "
            "(SELECT 1 FROM reviews r WHERE r.order_id = o.id)"))
        ratings = (await conn.execute(text("SELECT rating FROM worker_profiles p WHERE EXISTS "
                                           "(SELECT 1 FROM reviews r WHERE r.worker_id = p.user_id)"))).scalars().all()
        favourites = await conn.scalar(text("SELECT count(*) FROM favourite_workers"))
        prefs = await conn.scalar(text("SELECT count(*) FROM customer_preferences"))
    assert len(rows) >= 10 and unreviewed >= 1
    assert sum(r.score >= 4 for r in rows) > len(rows) / 2  # mostly 4-5
    assert any(r.low for r in rows) and any(r.anonymous for r in rows) and any(r.replied for r in rows)
    assert sum(r.hidden for r in rows) == 1
    assert ratings and all(3 < r < 5 for r in ratings) and favourites >= 3 and prefs == 3
    assert await reviews.seed(session) == 0  # idempotent
