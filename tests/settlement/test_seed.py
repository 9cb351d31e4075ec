"""The demo seed shows completed orders with earnings, a paid and a draft statement, and runs twice."""
from sqlalchemy import text

from anjia.accounts import seed as accounts
from anjia.addresses import seed as addresses
from anjia.catalog import seed as catalog
from anjia.commission import seed as commission
from anjia.payments import seed as payments
from anjia.scheduling import seed as scheduling
from anjia.settlement import seed as settlement
from anjia.workforce import seed as workforce


async def _seed(session) -> int:
    n = 0
    for step in (accounts.seed, catalog.seed, scheduling.seed, workforce.seed, addresses.seed, payments.seed,
                 commission.seed, settlement.seed):
        n += await step(session)
    await session.commit()
    return n


async def test_demo_seed_completes_orders_and_settles_one_statement(session, engine):
    await _seed(session)
    async with engine.connect() as conn:
        earnings = (await conn.execute(text("SELECT gross, commission, net, rule_id FROM earnings"))).all()
        statuses = sorted((await conn.execute(text("SELECT status FROM statements"))).scalars().all())
        orders = (await conn.execute(text("SELECT status, count(*) FROM orders GROUP BY 1"))).all()
        rules = await conn.scalar(text("SELECT count(*) FROM commission_rules"))
        payables = (await conn.execute(text(
            "SELECT s.status, s.total, coalesce(sum(p.amount), 0) FROM statements s "
            "JOIN ledger_accounts a ON a.code = 'worker_payable:' || s.worker_id "
            "LEFT JOIN postings p ON p.account_id = a.id GROUP BY s.id"))).all()
    assert len(earnings) == 3 and all(e.rule_id and e.commission == e.gross // 5 for e in earnings)
    assert dict(orders)["completed"] == 3 and rules == 4
    assert statuses[-1] == "paid" and "draft" in statuses
    assert all((balance == 0) if status == "paid" else (-balance == total) for status, total, balance in payables)
    assert await _seed(session) == 0  # idempotent
