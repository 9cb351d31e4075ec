"""The demo seed: tags and notes on the demo customers, their segments, one campaign with coupons
issued to its treated members; runs twice without adding anything."""
from sqlalchemy import text

from anjia.accounts import seed as accounts
from anjia.customers import seed as customers
from tests.settlement.test_seed import _seed as settled


async def test_demo_customers(session, engine):
    await settled(session)
    await accounts.seed(session)
    assert await customers.seed(session) > 10
    await session.commit()
    async with engine.connect() as conn:
        tags = await conn.scalar(text("SELECT count(*) FROM customer_tags"))
        open_rows = await conn.scalar(text("SELECT count(*) FROM customer_segments WHERE until IS NULL"))
        customers_n = await conn.scalar(text("SELECT count(*) FROM users WHERE kind = 'customer'"))
        campaign = (await conn.execute(text(
            "SELECT c.id, count(m.*) AS members, count(m.coupon_id) AS treated FROM campaigns c "
            "JOIN campaign_members m ON m.campaign_id = c.id GROUP BY c.id"))).all()
        coupons = await conn.scalar(text("SELECT count(*) FROM coupons WHERE source = 'campaign' "
                                         "AND source_ref LIKE 'campaign:%'"))
    assert tags == 8 and open_rows == customers_n
    assert len(campaign) == 1 and campaign[0].members >= 1 and coupons == campaign[0].treated
    assert await customers.seed(session) == 0
