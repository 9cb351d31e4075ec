"""The demo a newcomer sees after `make run` has money in it, made by the real services."""
from sqlalchemy import text

from anjia.accounts import seed as accounts
from anjia.addresses import seed as addresses
from anjia.catalog import seed as catalog
from anjia.ledger import service as ledger
from anjia.payments import seed as payments
from anjia.scheduling import seed as scheduling
from anjia.workforce import seed as workforce


async def test_demo_money_is_seeded_once(session):
    for step in (accounts.seed, catalog.seed, scheduling.seed, workforce.seed, addresses.seed):
        await step(session)
    assert await payments.seed(session) == 5
    await session.commit()
    rows = (await session.execute(text("SELECT provider, purpose, status FROM payments ORDER BY id"))).all()
    assert {(r.provider, r.purpose) for r in rows} == {("sandbox", "topup"), ("balance", "order"),
                                                       ("sandbox", "order"), ("offline", "order")}
    assert {r.status for r in rows} == {"succeeded"}
    assert await session.scalar(text("SELECT status FROM refunds")) == "succeeded"
    statuses = {r[0] for r in (await session.execute(text("SELECT status FROM orders"))).all()}
    assert "pending_payment" in statuses and "cancelled" in statuses and statuses & {"paid", "accepted"}
    balances = await ledger.balances(session)
    assert balances["clearing:sandbox"] > 0 and balances["cash"] > 0 and balances["unearned"] > 0
    assert await payments.seed(session) == 0
