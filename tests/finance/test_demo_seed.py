"""After `make run` the finance console has a reconciliation run with differences to resolve and
non-empty reports, all made by the real services."""
from anjia.accounts import seed as accounts
from anjia.addresses import seed as addresses
from anjia.catalog import seed as catalog
from anjia.finance import reports, service
from anjia.finance import seed as finance
from anjia.payments import seed as payments
from anjia.scheduling import seed as scheduling
from anjia.settlement import seed as settlement
from anjia.workforce import seed as workforce


async def test_demo_reconciliation_is_seeded_once(session):
    for step in (accounts.seed, catalog.seed, scheduling.seed, workforce.seed, addresses.seed, payments.seed,
                 settlement.seed):
        await step(session)
    assert await finance.seed(session) == 3
    await session.commit()
    runs = await service.runs(session, provider=None, status=None, page=1, size=20)
    run = runs.items[0]
    assert runs.total == 1 and run.day == service.yesterday() and run.status == "differences"
    assert (run.matched, run.missing_here, run.missing_there, run.amount_differs, run.open_differences) == (1, 1, 1, 0, 2)
    today = service.today()
    rep = await reports.report(session, "day", today, today, "provider")
    assert rep.totals.collected > 0 and rep.totals.refunds > 0
    # the completed demo orders: commission booked, the workers' share accrued, one statement paid
    assert rep.totals.revenue > 0 and rep.totals.payables_accrued > 0 and rep.totals.payables_paid > 0
    assert rep.totals.payables_paid <= rep.totals.payables_accrued
    assert await finance.seed(session) == 0
