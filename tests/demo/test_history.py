"""The demo city's three months (anjia.demo.history): loaded once over the base demo seeds, it keeps
the live rules — quote() prices, no overlapping bookings, state-table moves, money and ledger that
add up, reviews only of completed visits — is reproducible, loads once, and builds the statistics."""
import time
from collections import Counter

from sqlalchemy import func, select, text

from anjia.accounts import seed as accounts_seed
from anjia.catalog import seed as catalog_seed
from anjia.catalog import service as catalog
from anjia.catalog.models import Service
from anjia.commission import seed as commission_seed
from anjia.demo import history
from anjia.orders import state
from anjia.orders.models import Order
from anjia.scheduling import seed as scheduling_seed
from anjia.stats import tasks as stats


async def _base(session) -> None:
    """What the history stands on: staff, catalogue, region and rules, commission rules."""
    for step in (accounts_seed.seed, catalog_seed.seed, scheduling_seed.seed, commission_seed.seed):
        await step(session)
    await session.commit()


async def _rows(session, sql: str, **params) -> list:
    return (await session.execute(text(sql), params)).all()


async def test_the_demo_city_keeps_the_live_rules_and_loads_once(session):
    await _base(session)
    t = time.perf_counter()
    loaded = await history.load(session)
    await session.commit()
    seconds = time.perf_counter() - t
    assert seconds < 600, seconds  # a budget, not a benchmark: `anjia seed demo` is timed in the README

    assert loaded["customers"] == history.CUSTOMERS and loaded["workers"] == history.WORKERS
    assert loaded["orders"] > 2500
    statuses = Counter(dict((await session.execute(select(Order.status, func.count()).group_by(Order.status))).all()))
    assert sum(statuses.values()) == loaded["orders"]
    # every state that does not depend on the hour of the day (in service / on the way need a working hour)
    for s in ("pending_payment", "paid", "accepted", "completed", "cancelled") if statuses["pending_payment"] else \
            ("paid", "accepted", "completed", "cancelled"):
        assert statuses[s] > 0, (s, statuses)
    assert statuses["completed"] > loaded["orders"] * 0.7

    # prices: what quote() says for the stored request and start (every 25th order)
    services = {s.id: s for s in await session.scalars(select(Service))}
    orders = list(await session.scalars(select(Order).order_by(Order.id)))
    for o in orders[::25]:
        q = await catalog.price(session, services[o.service_id], o.request, start=o.scheduled_start,
                                region_id=o.region_id, timezone=o.timezone)
        assert (q.total, q.duration_minutes) == (o.total, o.quote["duration_minutes"]), o.number
        assert (o.scheduled_end - o.scheduled_start).total_seconds() == q.duration_minutes * 60

    # no worker booked twice at once (the exclusion constraint's rule, checked from outside)
    assert not await _rows(session, """
        SELECT a.id FROM worker_bookings a JOIN worker_bookings b
          ON a.worker_id = b.worker_id AND a.id < b.id AND a.active AND b.active AND a.period && b.period""")
    # every order holds a booking of its worker; active exactly while the order is not cancelled
    assert not await _rows(session, """
        SELECT o.id FROM orders o LEFT JOIN worker_bookings b ON b.order_id = o.id
        WHERE b.id IS NULL OR b.worker_id <> o.held_worker_id OR b.active <> (o.status <> 'cancelled')
           OR (o.worker_id IS NOT NULL AND o.worker_id <> o.held_worker_id)""")

    # the timeline is a walk through the state table ending in the order's status
    moves = {(a.value, b.value) for (a, _), b in state.TRANSITIONS.items()}
    events = await _rows(session, """SELECT order_id, from_status, to_status, created_at FROM order_events
                                     WHERE to_status IS NOT NULL ORDER BY order_id, created_at, id""")
    current = {o_id: s for o_id, s in (await session.execute(select(Order.id, Order.status))).all()}
    walked: dict[int, str] = {}
    for order_id, frm, to, _ in events:
        if frm is None:
            assert to == "pending_payment" and order_id not in walked
        else:
            assert walked[order_id] == frm and (frm, to) in moves, (order_id, frm, to)
        walked[order_id] = to
    assert walked == current

    # money: a paid order has one succeeded payment of its quoted total; refunds never pass it
    assert not await _rows(session, """
        SELECT o.id FROM orders o LEFT JOIN payments p ON p.order_id = o.id AND p.status = 'succeeded'
        WHERE (o.paid_amount > 0) <> (p.id IS NOT NULL) OR (p.id IS NOT NULL AND (p.amount <> o.total
              OR p.amount <> o.paid_amount OR p.refunded_amount <> o.refunded_amount))""")
    assert not await _rows(session, """
        SELECT p.id FROM payments p LEFT JOIN refunds r ON r.payment_id = p.id
        GROUP BY p.id HAVING coalesce(sum(r.amount), 0) <> p.refunded_amount OR p.refunded_amount > p.amount""")
    assert not await _rows(session, """
        SELECT id FROM orders WHERE refunded_amount + cancel_fee > paid_amount
           OR (status = 'cancelled' AND paid_amount > 0 AND refunded_amount + cancel_fee <> paid_amount)""")
    # ledger: every entry balanced; clearing = paid in − refunded; nothing left unearned of a finished order
    assert not await _rows(session, "SELECT entry_id FROM postings GROUP BY entry_id HAVING sum(amount) <> 0")
    clearing, = (await session.execute(text("""
        SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN ledger_accounts a ON a.id = p.account_id
        WHERE a.code = 'clearing:sandbox'"""))).one()
    paid_in, refunded = (await session.execute(text(
        "SELECT sum(amount), sum(refunded_amount) FROM payments WHERE provider = 'sandbox'"))).one()
    assert clearing == paid_in - refunded
    assert not await _rows(session, """
        SELECT o.id FROM orders o JOIN journal_entries e ON e.order_id = o.id JOIN postings p ON p.entry_id = e.id
        JOIN ledger_accounts a ON a.id = p.account_id AND a.code = 'unearned'
        WHERE o.status IN ('completed', 'cancelled') GROUP BY o.id HAVING sum(p.amount) <> 0""")
    # an earning for every completed order, and the worker's share in the ledger
    assert not await _rows(session, """
        SELECT o.id FROM orders o LEFT JOIN earnings e ON e.order_id = o.id
        WHERE (o.status = 'completed') <> (e.id IS NOT NULL) OR e.gross <> o.final_total + o.discount
           OR (e.id IS NOT NULL AND e.entry_id IS NULL)""")

    # reviews only of completed orders, after the visit; ratings recomputed from them
    assert loaded["reviews"] > 0
    assert not await _rows(session, """
        SELECT r.id FROM reviews r JOIN orders o ON o.id = r.order_id
        WHERE o.status <> 'completed' OR r.created_at < o.checked_out_at OR r.worker_id <> o.worker_id""")
    assert await session.scalar(text("SELECT count(*) FROM worker_profiles WHERE rating < 5")) > 0
    assert loaded["complaints"] > 0

    # reproducible and loaded once: a second run finds the city and writes nothing
    orders_before = await session.scalar(select(func.count()).select_from(Order))
    assert await history.load(session) == {}
    assert await session.scalar(select(func.count()).select_from(Order)) == orders_before

    # the dashboard's rollups over the history agree with the orders
    await stats.refresh()
    rolled = await session.scalar(text("SELECT sum(orders) FROM stats_daily"))
    assert rolled == orders_before


def test_the_plan_is_the_same_every_time():
    import random
    from datetime import UTC, datetime

    start = datetime(2026, 9, 1, tzinfo=UTC)
    one, two = (history.plan_people(random.Random(history.SEED), start) for _ in range(2))
    assert one.customers == two.customers and one.workers == two.workers
