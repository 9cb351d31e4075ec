"""After `make run` the console has a month of complaints and suggestions in every state, some
overdue and some compensated, all made by the real services."""
from datetime import timedelta

from sqlalchemy import text

from anjia.accounts import seed as accounts
from anjia.addresses import seed as addresses
from anjia.catalog import seed as catalog
from anjia.payments import seed as payments
from anjia.scheduling import seed as scheduling
from anjia.settlement import seed as settlement
from anjia.support import analysis, service
from anjia.support import seed as support
from anjia.workforce import seed as workforce


async def test_demo_tickets_cover_every_state_once(session):
    for step in (accounts.seed, catalog.seed, scheduling.seed, workforce.seed, addresses.seed, payments.seed,
                 settlement.seed):
        await step(session)
    made = await support.seed(session)
    await session.commit()
    assert made == len(support.TICKETS) + 1  # and the auto-closed one counted again
    rows = (await session.execute(text("SELECT status, count(*) FROM tickets GROUP BY status"))).all()
    assert {s for s, _ in rows} == {"new", "assigned", "in_progress", "resolved", "closed"}
    kinds = set(await session.scalars(text("SELECT DISTINCT kind FROM tickets")))
    assert kinds == {"complaint", "suggestion"}
    comp = set(await session.scalars(text(
        "SELECT DISTINCT e->>'kind' FROM tickets, jsonb_array_elements(compensation) e")))
    assert comp == {"coupon", "refund"}
    assert await session.scalar(text("SELECT count(*) FROM tickets WHERE close_reason = 'auto'")) == 1
    assert await session.scalar(text("SELECT count(*) FROM tickets WHERE reopen_count = 1")) == 1
    overdue = (await service.admin_list(session, status=None, kind=None, category=None, overdue=True, assignee_id=None,
                                        worker_id=None, q=None, page=1, size=50)).items
    assert len(overdue) >= 2
    # the timeline reads in order, and the ticket opened 25 days ago is in the last 30 days' analysis
    assert await session.scalar(text(
        "SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE e.at < t.created_at")) == 0
    today = service.now().astimezone(analysis.SH).date()
    a = await analysis.analyse(session, today - timedelta(days=29), today)
    assert a.total == len(support.TICKETS) and a.overdue >= 3 and a.compensation_refunds > 0
    assert a.compensation_coupons == 5_000 and len([p for p in a.trend if p.opened]) >= 6
    assert await support.seed(session) == 0


async def test_follow_ups_of_the_demo_reviews_do_not_stop_the_demo_tickets(session):
    """`make run` seeds reviews first: their low ones open follow-ups, which support's seed then works."""
    from anjia.commission import seed as commission
    from anjia.reviews import seed as reviews

    for step in (accounts.seed, catalog.seed, scheduling.seed, workforce.seed, addresses.seed, payments.seed,
                 commission.seed, settlement.seed, reviews.seed):
        await step(session)
    follow_ups = await session.scalar(text("SELECT count(*) FROM tickets WHERE kind = 'follow_up'"))
    assert follow_ups >= 3
    made = await support.seed(session)
    await session.commit()
    assert made == len(support.TICKETS) + 1 + len(support.FOLLOW_UPS)
    rows = dict((await session.execute(text(
        "SELECT status, count(*) FROM tickets WHERE kind = 'follow_up' GROUP BY status"))).all())
    assert rows.get("resolved") == 1 and rows.get("in_progress") == 1 and rows.get("assigned") == 1
    kinds = set(await session.scalars(text("SELECT DISTINCT kind FROM tickets")))
    assert kinds == {"complaint", "suggestion", "follow_up"}
    coupon = await session.scalar(text(
        "SELECT (compensation->0->>'amount')::int FROM tickets WHERE kind = 'follow_up' AND status = 'resolved'"))
    assert coupon == 2_000
    assert await support.seed(session) == 0
