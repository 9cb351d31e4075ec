"""`anjia demo live` on a small demo city, fast: customers book and pay through the real services,
dispatch offers, workers accept, report their way to the address, check in and check out."""
from sqlalchemy import func, select, text

from anjia.demo import live
from anjia.dispatch.models import Offer
from anjia.orders.models import Order, OrderEvent
from tests.demo.helpers import small_city

FAST = live.Pace(tick_seconds=0, new_order_chance=1.0, accept_chance=1.0, travel_ticks=3, service_ticks=2)


async def test_a_live_day_books_orders_and_takes_them_through_the_visit(session):
    city = await small_city(session)
    day = await live.run(FAST, ticks=10, seed=7)
    assert day.counts["orders"] >= 3 and day.counts["paid"] >= 1, day.counts
    assert day.counts["checked_out"] >= 1, day.counts

    # made by the day, through dispatch (offers), and walked accept → depart → check-in → check-out
    made = list(await session.scalars(select(Order).where(Order.customer_id.in_(city["customers"]))))
    assert len(made) == day.counts["orders"]
    assert await session.scalar(select(func.count()).select_from(Offer).where(
        Offer.order_id.in_([o.id for o in made]))) >= day.counts["accepted"]
    done = [o for o in made if o.status == "completed"]
    assert done and all(o.worker_id in city["workers"] for o in done)
    for o in done:
        steps = [t for (t,) in (await session.execute(select(OrderEvent.type).where(OrderEvent.order_id == o.id)
                                                      .order_by(OrderEvent.id))).all()]
        moves = [t for t in steps if t in ("created", "paid", "accepted", "departed", "checked_in", "checked_out")]
        assert moves == ["created", "paid", "accepted", "departed", "checked_in", "checked_out"], steps
        assert o.check_in_distance_m == 0 and o.checked_out_at >= o.checked_in_at

    # the workers' positions went out as the worker app's reports do (the live map's events)
    positions = await session.scalar(text("SELECT count(*) FROM events WHERE type = 'worker.location' "
                                          "AND topic = 'role:dispatcher'"))
    assert positions == day.counts["locations"] + day.counts["checked_in"] >= FAST.travel_ticks - 1


async def test_the_live_day_leaves_other_people_alone(session, world):
    await small_city(session)
    await live.run(FAST, ticks=4, seed=3)
    assert await session.scalar(select(func.count()).select_from(Order).where(
        Order.customer_id == world["customer_id"])) == 0
    assert await session.scalar(select(func.count()).select_from(Order).where(
        Order.worker_id.in_(world["workers"]))) == 0
