"""The demo shows coupons in every state: welcome coupons used by the demo orders (paid and
completed), others still to use, some expired; a second run issues nothing more; the
money of the orders that used one follows the discounted price."""
from sqlalchemy import text

from anjia.accounts import seed as accounts
from anjia.addresses import seed as addresses
from anjia.catalog import seed as catalog
from anjia.commission import seed as commission
from anjia.coupons import seed as coupons
from anjia.payments import seed as payments
from anjia.scheduling import seed as scheduling
from anjia.settlement import seed as settlement
from anjia.workforce import seed as workforce

STEPS = (accounts.seed, catalog.seed, scheduling.seed, workforce.seed, addresses.seed, coupons.seed_welcome,
         payments.seed, commission.seed, settlement.seed, coupons.seed)


async def test_demo_coupons_in_every_state(session, engine):
    for step in STEPS:
        await step(session)
    await session.commit()
    async with engine.connect() as conn:
        by_status = dict((await conn.execute(text("SELECT status, count(*) FROM coupons GROUP BY status"))).all())
        used = (await conn.execute(text(
            "SELECT o.status, o.discount, o.total, o.quote->>'discount_total' AS line FROM coupons c "
            "JOIN orders o ON o.id = c.order_id"))).all()
        expense = (await conn.execute(text(
            "SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN ledger_accounts a ON a.id = p.account_id "
            "WHERE a.code = 'coupon_expense'"))).scalar()
    assert by_status["used"] >= 3 and by_status["available"] >= 6 and by_status["expired"] == 3
    assert all(d > 0 and int(line) == d for _, d, _, line in used)
    assert {s for s, *_ in used} >= {"completed", "paid"}
    assert expense == sum(d for s, d, *_ in used if s == "completed") > 0
    for step in STEPS:
        await step(session)
    await session.commit()
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM coupons"))).scalar() == sum(by_status.values())
