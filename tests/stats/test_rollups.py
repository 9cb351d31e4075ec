"""Rollups equal a direct aggregate of the orders: random orders placed through the API from several
customers, channels and services, spread over earlier days (backdated), paid, completed, reviewed and
cancelled; then late refunds and cancellations of orders placed days earlier, which must move those
earlier days. The direct aggregate is computed here in Python from the ORM rows, not by the rollup SQL."""
import random
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from anjia.accounts.models import User
from anjia.addresses.models import Address
from anjia.core.jobs import in_transaction
from anjia.core.security import create_access_token, now
from anjia.customers import segments
from anjia.customers.models import SegmentMembership
from anjia.orders.models import Order
from anjia.reviews.models import Review
from anjia.stats import rollup, tasks
from tests.conftest import auth
from tests.dispatch.helpers import worker_auth
from tests.payments.helpers import notify, settle
from tests.support import KITCHEN, local

SOURCES = ["mp", "h5", "app", "admin", None]
REASONS = ["change_of_plans", "booked_by_mistake", "price", "worker_issue", "other"]
FIGURES = ("orders", "paid_orders", "gmv", "paid_amount", "refunded_amount", "completed", "cancelled", "reviewed",
           "customers", "new_customers")


async def customers(session, world, n: int) -> list[dict]:
    """`n` more customers with an address in the world's region (like the world's own)."""
    out = [{"id": world["customer_id"], "address_id": world["address_id"], "token": world["token"]}]
    for i in range(n):
        u = User(kind="customer", phone=f"1380000{2100 + i}", nickname=f"顾客{i}", roles=[])
        session.add(u)
        await session.flush()
        a = Address(user_id=u.id, contact_name="李先生", contact_phone=u.phone, province="上海市", city="上海市",
                    district="徐汇区", detail=f"漕溪北路 {100 + i} 号", lat=31.195, lng=121.438,
                    region_id=world["region_id"], is_default=True)
        session.add(a)
        await session.flush()
        out.append({"id": u.id, "address_id": a.id, "token": create_access_token(u.id, "customer", [])})
    await session.commit()
    return out


async def place(client, world, rng: random.Random, people: list[dict], n: int) -> list[dict]:
    """Up to `n` orders at random free slots; a taken slot (409) is simply skipped."""
    placed = []
    for _ in range(n * 3):
        if len(placed) == n:
            break
        who = rng.choice(people)
        kitchen = rng.random() < 0.5
        body = {"service_id": world["services"]["厨房深度清洁" if kitchen else "厨房清洁"],
                "address_id": who["address_id"], "start": local(rng.randint(2, 12), rng.choice([8, 10, 13, 15])).isoformat(),
                **(KITCHEN if kitchen else {"items": [{"code": "kitchen", "quantity": 1}], "options": {}})}
        source = rng.choice(SOURCES)
        headers = {**auth(who["token"]), **({"X-Client": source} if source else {})}
        r = await client.post("/api/v1/orders", json=body, headers=headers)
        if r.status_code == 409:
            continue
        assert r.status_code == 201, r.text
        placed.append({**r.json(), "who": who})
    return placed


async def pay(client, order: dict) -> None:
    r = await client.post(f"/api/v1/orders/{order['id']}/payments", headers=auth(order["who"]["token"]),
                          json={"method": "sandbox", "channel": "h5"})
    assert r.status_code == 201, r.text
    assert (await notify(client, *(await settle(r.json()["number"])))).status_code == 200


async def complete(client, world, order: dict) -> bool:
    for w in world["workers"]:
        if (await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=worker_auth(w))).status_code == 200:
            break
    else:
        return False
    wh = worker_auth(w)
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/depart", headers=wh)).status_code == 200
    at = {"lat": order["address"]["lat"] + 0.0001, "lng": order["address"]["lng"] + 0.0001}  # at the door
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/check-in", json=at, headers=wh)).status_code == 200
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/check-out", headers=wh)).status_code == 200
    return True


async def cancel(client, order: dict, rng: random.Random) -> None:
    r = await client.post(f"/api/v1/orders/{order['id']}/cancel", headers=auth(order["who"]["token"]),
                          json={"reason_code": rng.choice(REASONS)})
    assert r.status_code == 200, r.text


async def direct(session) -> tuple[dict, dict]:
    """The figures per (day, region, service, source, segment) and the cancellations per reason,
    aggregated here from the orders and reviews themselves."""
    session.expire_all()
    orders = list(await session.scalars(select(Order).order_by(Order.id)))
    reviewed = set(await session.scalars(select(Review.order_id)))
    memberships = list(await session.scalars(select(SegmentMembership).order_by(SegmentMembership.since)))
    first: dict[int, int] = {}
    for o in orders:
        first.setdefault(o.customer_id, o.id)

    def segment_of(o: Order) -> str:  # the customer's RFM segment when the order was placed
        held = [m.segment for m in memberships if m.customer_id == o.customer_id and m.since <= o.created_at
                and (m.until is None or m.until > o.created_at)]
        return held[-1] if held else "new" if first[o.customer_id] == o.id else "unclassified"

    cells: dict[tuple, dict] = defaultdict(lambda: {k: 0 for k in FIGURES} | {"who": set()})
    reasons: dict[tuple, int] = defaultdict(int)
    for o in orders:
        day = o.created_at.astimezone(ZoneInfo(o.timezone)).date()
        segment = segment_of(o)
        key = (day, o.region_id, o.service_id, o.source, segment)
        c = cells[key]
        paid = o.paid_amount > 0 or o.status not in ("pending_payment", "cancelled")
        c["orders"] += 1
        c["paid_orders"] += paid
        c["gmv"] += (o.final_total if o.final_total is not None else o.total) if paid else 0
        c["paid_amount"] += o.paid_amount
        c["refunded_amount"] += o.refunded_amount
        c["completed"] += o.status == "completed"
        c["cancelled"] += o.status == "cancelled"
        c["reviewed"] += o.id in reviewed
        c["who"].add(o.customer_id)
        c["new_customers"] += first[o.customer_id] == o.id
        if o.status == "cancelled":
            reasons[(*key, o.cancel_reason_code or "other")] += 1
    for c in cells.values():
        c["customers"] = len(c.pop("who"))
    return dict(cells), dict(reasons)


async def direct_hours(session) -> dict:
    """Completed visits and their exact time on site per (day of check-out, region, worker), from the
    orders themselves."""
    session.expire_all()
    cells: dict[tuple, list] = defaultdict(lambda: [0, 0])
    for o in await session.scalars(select(Order).where(Order.status == "completed")):
        key = (o.checked_out_at.astimezone(ZoneInfo(o.timezone)).date(), o.region_id, o.worker_id)
        cells[key][0] += 1
        cells[key][1] += (o.checked_out_at - o.checked_in_at) // timedelta(microseconds=1)
    return {k: (n, Decimal(us) / 1_000_000) for k, (n, us) in cells.items()}


async def rolled_hours(engine) -> dict:
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT day, region_id, worker_id, visits, service_seconds "
                                        "FROM stats_daily_worker_hours"))).all()
    return {tuple(r[:3]): (r[3], r[4]) for r in rows}


async def rolled(engine) -> tuple[dict, dict]:
    async with engine.connect() as conn:
        rows = (await conn.execute(text(f"SELECT day, region_id, service_id, source, segment, {', '.join(FIGURES)} "
                                        "FROM stats_daily"))).all()
        cancels = (await conn.execute(text("SELECT day, region_id, service_id, source, segment, reason, orders "
                                           "FROM stats_daily_cancellations"))).all()
    return ({tuple(r[:5]): dict(zip(FIGURES, r[5:], strict=True)) for r in rows},
            {tuple(r[:6]): r[6] for r in cancels})


async def dirty_days(engine) -> set:
    async with engine.connect() as conn:
        return set((await conn.execute(text("SELECT DISTINCT day FROM stats_dirty_days"))).scalars())


async def test_rollups_equal_a_direct_aggregate_after_late_refunds_and_cancellations(client, session, world, engine):
    rng = random.Random(20261202)
    people = await customers(session, world, 4)
    orders = await place(client, world, rng, people, 22)
    assert len(orders) >= 15
    # spread them over the last three weeks (as if placed then): created_at moved back, the rest as placed
    async with engine.begin() as conn:
        for o in orders:
            back = rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 20])
            o["back"] = back
            await conn.execute(text("UPDATE orders SET created_at = created_at - make_interval(days => :d) WHERE id = :i"),
                               {"d": back, "i": o["id"]})
    paid = [o for o in orders if rng.random() < 0.75]
    for o in paid:
        await pay(client, o)
    done = [o for o in paid if rng.random() < 0.5 and await complete(client, world, o)]
    # the visits happened when booked (the flow above checked in and out within seconds, today): a day or
    # two after the order was placed, for a random time on site, so they end on several days
    async with engine.begin() as conn:
        for o in done:
            await conn.execute(text(
                "UPDATE orders SET checked_in_at = created_at + make_interval(hours => :h), checked_out_at = created_at "
                "+ make_interval(hours => :h, secs => :s) WHERE id = :i"),
                {"h": rng.choice([20, 30, 44]), "s": rng.randint(3600, 4 * 3600) + rng.random(), "i": o["id"]})
    for o in done[: len(done) // 2 + 1]:
        r = await client.post(f"/api/v1/orders/{o['id']}/review", headers=auth(o["who"]["token"]),
                              json={"quality": rng.randint(1, 5), "attitude": 5, "skill": 4, "text": ""})
        assert r.status_code == 201, r.text
    unpaid = [o for o in orders if o not in paid]
    for o in unpaid[: len(unpaid) // 2 + 1]:
        await cancel(client, o, rng)
    # the customers signed up weeks ago and were classified (RFM) twice since, as of then: orders placed
    # before, between and after the runs fall in different segments
    async with engine.begin() as conn:
        for who in people:
            await conn.execute(text("UPDATE users SET created_at = now() - make_interval(days => :d) WHERE id = :i"),
                               {"d": rng.choice([25, 40, 90]), "i": who["id"]})
    await in_transaction(segments.recompute, now() - timedelta(days=10))
    await in_transaction(segments.recompute, now() - timedelta(days=3))

    assert await tasks.refresh() > 0
    assert await dirty_days(engine) == set()
    want, want_reasons = await direct(session)
    got, got_reasons = await rolled(engine)
    assert got == want
    assert got_reasons == want_reasons
    assert sum(c["orders"] for c in got.values()) == len(orders)
    assert len({k[0] for k in got}) >= 4 and len({k[4] for k in got}) >= 3, {k[4] for k in got}
    hours = await direct_hours(session)
    assert await rolled_hours(engine) == hours and len({k[0] for k in hours}) >= 2

    # late events: orders placed days ago are cancelled now (the paid ones refunded), one more review
    open_paid = [o for o in paid if o not in done and o["back"] >= 2]
    assert open_paid, "the random data should hold a paid, open order placed two or more days ago"
    late = open_paid[:3]
    for o in late:
        await cancel(client, o, rng)
    if len(done) > len(done) // 2 + 1:
        o = done[-1]
        assert (await client.post(f"/api/v1/orders/{o['id']}/review", headers=auth(o["who"]["token"]),
                                  json={"quality": 2, "attitude": 2, "skill": 2, "text": "迟到"})).status_code == 201
        late.append(o)
    async with engine.connect() as conn:
        marked = {r[0] for r in (await conn.execute(text(
            "SELECT (created_at AT TIME ZONE timezone)::date FROM orders WHERE id = ANY(:ids)"),
            {"ids": [o["id"] for o in late]})).all()}
    assert await dirty_days(engine) == marked  # exactly the days the late events touched
    stale, _ = await rolled(engine)
    assert stale == got  # not yet recomputed: the rollups still say what they said

    assert await tasks.refresh() == len(marked)
    want, want_reasons = await direct(session)
    got, got_reasons = await rolled(engine)
    assert got == want and got_reasons == want_reasons
    refunded = sum(c["refunded_amount"] for c in got.values())
    assert refunded > 0 and refunded == sum(c["refunded_amount"] for c in want.values())
    assert await rolled_hours(engine) == await direct_hours(session)

    # a visit's times corrected late (checked out a week later than recorded): both days of check-out
    # are marked — the one it leaves and the one it lands on — and the served hours follow
    o = done[0]
    async with engine.begin() as conn:
        before = (await conn.execute(text("SELECT (checked_out_at AT TIME ZONE timezone)::date FROM orders "
                                          "WHERE id = :i"), {"i": o["id"]})).scalar_one()
        await conn.execute(text("UPDATE orders SET checked_out_at = checked_out_at + interval '7 days' "
                                "WHERE id = :i"), {"i": o["id"]})
    assert {before, before + timedelta(days=7)} <= await dirty_days(engine)
    await tasks.refresh()
    hours = await direct_hours(session)
    assert await rolled_hours(engine) == hours and any(k[0] == before + timedelta(days=7) for k in hours)

    # tonight's classification: whoever moved is in a new segment from now on — the days it touches are
    # marked and recomputed, and the orders placed before keep the segment they were placed in
    moved = await in_transaction(segments.recompute)
    assert (rollup.local_today() in await dirty_days(engine)) == bool(moved)
    await tasks.refresh()
    assert (await rolled(engine))[0] == (await direct(session))[0]
    # a membership backfilled weeks back (a correction), then its start moved: every day since is marked
    # each time, and the orders placed in it follow
    async with engine.begin() as conn:
        backfilled = (await conn.execute(text(
            "INSERT INTO customer_segments (customer_id, segment, since, until, frequency, monetary) VALUES "
            "(:c, 'high_value', now() - interval '25 days', now() - interval '11 days', 0, 0) RETURNING id"),
            {"c": people[1]["id"]})).scalar_one()
    assert len(await dirty_days(engine)) >= 25
    await tasks.refresh()
    assert (await rolled(engine))[0] == (await direct(session))[0]
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE customer_segments SET since = now() - interval '16 days' WHERE id = :i"),
                           {"i": backfilled})
    assert len(await dirty_days(engine)) >= 16
    await tasks.refresh()
    want, _ = await direct(session)
    assert (await rolled(engine))[0] == want

    # recomputing from scratch changes nothing (the nightly job)
    for day in sorted({k[0] for k in got}):
        await in_transaction(rollup.recompute_day, day)
    for day in sorted({k[0] for k in hours}):
        await in_transaction(rollup.recompute_day, day)
    assert (await rolled(engine))[0] == want and await rolled_hours(engine) == hours
    print(f"orders {len(orders)}, paid {len(paid)}, completed {len(done)}, days {len({k[0] for k in got})}, "
          f"cells {len(got)}, late {len(late)} on {len(marked)} days, refunded {refunded}")


async def test_a_change_committed_during_a_run_is_kept_for_the_next(client, session, world, engine):
    """The job forgets only the marks it read: a change committed after it read them stays marked."""
    r = await client.post("/api/v1/orders", headers={**auth(world["token"]), "X-Client": "mp"}, json={
        "service_id": world["services"]["厨房清洁"], "address_id": world["address_id"],
        "start": local(3, 10).isoformat(), "items": [{"code": "kitchen", "quantity": 1}], "options": {}})
    assert r.status_code == 201
    seen = await in_transaction(rollup.waiting)
    assert len(seen) == 1
    # meanwhile the customer cancels (its mark is committed after the job read the marks)
    assert (await client.post(f"/api/v1/orders/{r.json()['id']}/cancel", headers=auth(world["token"]),
                              json={"reason_code": "price"})).status_code == 200
    for day, ids in seen.items():
        await in_transaction(rollup.recompute_marked, day, ids)
    assert len(await dirty_days(engine)) == 1  # the cancellation's mark survived
    assert await tasks.refresh() == 1
    got, reasons = await rolled(engine)
    assert [v["cancelled"] for v in got.values()] == [1]
    assert list(reasons.values()) == [1] and list(reasons)[0][5] == "price"


async def test_unchanged_updates_mark_nothing(client, world, engine):
    r = await client.post("/api/v1/orders", headers=auth(world["token"]), json={
        "service_id": world["services"]["厨房清洁"], "address_id": world["address_id"],
        "start": local(3, 10).isoformat(), "items": [{"code": "kitchen", "quantity": 1}], "options": {}})
    assert r.status_code == 201
    await tasks.refresh()
    async with engine.begin() as conn:  # a change no figure depends on (a note)
        await conn.execute(text("UPDATE orders SET notes = 'x', updated_at = now() + interval '1 second'"))
    assert await dirty_days(engine) == set()

