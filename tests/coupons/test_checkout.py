"""Coupons at checkout: the booking page's quote shows the applied coupon and the others, the
order uses the chosen one (by default the best) in its own transaction, cancelling gives it back,
bad choices are refused with nothing stored, and the money follows the discounted price."""
from datetime import timedelta

from sqlalchemy import text

from anjia.core.security import now
from tests.conftest import auth
from tests.coupons.helpers import give
from tests.support import KITCHEN, next_weekday

# 厨房深度清洁 with KITCHEN: ¥428.40 before any coupon


def body(world, start=None, **extra):
    return {"service_id": world["services"]["厨房深度清洁"], "address_id": world["address_id"],
            "start": (start or next_weekday(1, 14)).isoformat(), **KITCHEN, **extra}


async def wallet(session, world):
    """Four coupons: the 10 % (at most ¥30) one is the best for ¥428.40."""
    c = world["customer_id"]
    flat = await give(session, c, value=2000, title="立减20元")
    pct = await give(session, c, kind="percent", value=1000, cap=3000, title="9折券")
    high = await give(session, c, value=8000, min_spend=50000, title="满500减80")
    other = await give(session, c, value=5000, service_id=world["services"]["空调清洗"], title="空调专享")
    return flat, pct, high, other


async def count(engine, sql):
    async with engine.connect() as conn:
        return (await conn.execute(text(sql))).scalar()


async def test_the_quote_applies_the_best_coupon_and_lists_the_others(client, world, session):
    flat, pct, high, other = await wallet(session, world)
    h = auth(world["token"])
    r = await client.post("/api/v1/orders/quote", json=body(world), headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["coupon"]["id"] == pct.id
    assert (out["quote"]["subtotal"], out["quote"]["discount_total"], out["quote"]["total"]) == (42840, 3000, 39840)
    assert out["quote"]["lines"][-1]["label"] == "9折券"
    assert [(o["coupon"]["id"], o["discount"], o["reason"]) for o in out["options"]] == [
        (pct.id, 3000, "ok"), (flat.id, 2000, "ok"), (high.id, 0, "min_spend"), (other.id, 0, "other_service")]

    chosen = (await client.post("/api/v1/orders/quote", json=body(world, coupon_id=flat.id), headers=h)).json()
    assert chosen["coupon"]["id"] == flat.id and chosen["quote"]["total"] == 40840
    plain = (await client.post("/api/v1/orders/quote", json=body(world, no_coupon=True), headers=h)).json()
    assert plain["coupon"] is None and plain["quote"]["total"] == 42840 and len(plain["options"]) == 4


async def test_an_order_uses_its_coupon_and_cancelling_gives_it_back(client, world, session, engine):
    _, pct, *_ = await wallet(session, world)
    h = auth(world["token"])
    r = await client.post("/api/v1/orders", json=body(world), headers=h)
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["total"] == 39840 and order["quote"]["discount_total"] == 3000
    used = (await client.get("/api/v1/me/coupons?status=used", headers=h)).json()
    assert [(c["id"], c["order_id"]) for c in used["items"]] == [(pct.id, order["id"])]
    assert used["counts"] == {"available": 3, "used": 1, "expired": 0}

    # the next order takes the next best; a change keeps the coupon
    second = (await client.post("/api/v1/orders", json=body(world, next_weekday(2, 9)), headers=h)).json()
    assert second["quote"]["discount_total"] == 2000
    r = await client.patch(f"/api/v1/orders/{order['id']}", json={"start": next_weekday(1, 9).isoformat()}, headers=h)
    assert r.status_code == 200 and r.json()["total"] == 39840

    r = await client.post(f"/api/v1/orders/{order['id']}/cancel", json={"reason_code": "change_of_plans"}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["timeline"][-1]["data"]["coupon_returned"] == pct.id
    mine = (await client.get("/api/v1/me/coupons", headers=h)).json()
    assert pct.id in [c["id"] for c in mine["items"]] and mine["counts"]["used"] == 1

    # a coupon that ran out while it was on an order comes back expired
    await session.execute(text("UPDATE coupons SET valid_until = now() - interval '1 hour', "
                               "valid_from = now() - interval '2 days' WHERE order_id = :o"), {"o": second["id"]})
    await session.commit()
    await client.post(f"/api/v1/orders/{second['id']}/cancel", json={"reason_code": "change_of_plans"}, headers=h)
    assert await count(engine, "SELECT status FROM coupons WHERE title = '立减20元'") == "expired"


async def test_a_change_below_the_minimum_spend_gives_the_coupon_back(client, world, session, engine):
    c = await give(session, world["customer_id"], value=5000, min_spend=40000, title="满400减50")
    h = auth(world["token"])
    order = (await client.post("/api/v1/orders", json=body(world), headers=h)).json()
    assert order["total"] == 42840 - 5000
    r = await client.patch(f"/api/v1/orders/{order['id']}", json={"options": {"focus_areas": ["stove"]}}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["quote"]["discount_total"] == 0 and r.json()["total"] == r.json()["quote"]["subtotal"]
    assert await count(engine, f"SELECT status FROM coupons WHERE id = {c.id}") == "available"


async def test_expiring_unpaid_orders_give_their_coupons_back(client, world, session, engine):
    from anjia.orders import service as orders

    c = await give(session, world["customer_id"], value=1000)
    order = (await client.post("/api/v1/orders", json=body(world), headers=auth(world["token"]))).json()
    await session.execute(text("UPDATE orders SET payment_due_at = now() - interval '1 minute' WHERE id = :o"),
                          {"o": order["id"]})
    await session.commit()
    assert await orders.expire_unpaid(session) == 1
    await session.commit()
    assert await count(engine, f"SELECT status FROM coupons WHERE id = {c.id}") == "available"


async def test_bad_coupon_choices_are_refused_and_nothing_is_stored(client, world, session, engine):
    from anjia.accounts.models import User

    stranger = User(kind="customer", phone="13800009999", nickname="别人", roles=[])
    session.add(stranger)
    await session.commit()
    theirs = await give(session, stranger.id, value=1000)
    old = await give(session, world["customer_id"], value=1000, title="过期券")
    await session.execute(text("UPDATE coupons SET valid_from = now() - interval '40 days', "
                               "valid_until = now() - interval '1 day' WHERE id = :i"), {"i": old.id})
    high = await give(session, world["customer_id"], value=1000, min_spend=100_000, title="满1000减10")
    aircon = await give(session, world["customer_id"], value=1000, service_id=world["services"]["空调清洗"])
    await session.commit()
    h = auth(world["token"])
    cases = [({"coupon_id": theirs.id}, 404, "coupon_not_found"), ({"coupon_id": 987654}, 404, "coupon_not_found"),
             ({"coupon_id": old.id}, 409, "coupon_unavailable"), ({"coupon_id": high.id}, 422, "coupon_min_spend"),
             ({"coupon_id": aircon.id}, 422, "coupon_not_applicable"),
             ({"coupon_id": high.id, "no_coupon": True}, 422, "validation_error")]
    for extra, status, code in cases:
        for path in ("/api/v1/orders/quote", "/api/v1/orders"):
            r = await client.post(path, json=body(world, **extra), headers=h)
            assert (r.status_code, r.json()["code"]) == (status, code), (path, extra, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
    assert await count(engine, "SELECT count(*) FROM orders") == 0
    assert await count(engine, "SELECT count(*) FROM worker_bookings") == 0
    assert await count(engine, "SELECT count(*) FROM coupons WHERE status = 'used'") == 0


async def test_paid_with_a_coupon_the_money_follows_the_discounted_price(client, world, session, engine):
    from tests.settlement.helpers import account, completed_order

    await give(session, world["customer_id"], value=5000, title="立减50元")
    order, worker = await completed_order(client, session, world)
    assert order["total"] == 42840 - 5000 and order["paid_amount"] == 37840 and order["final_total"] == 37840
    async with engine.connect() as conn:
        earning = (await conn.execute(text("SELECT gross, discount FROM earnings"))).one()
        paid = (await conn.execute(text("SELECT amount FROM payments WHERE status = 'succeeded'"))).scalar()
    assert (earning.gross, earning.discount, paid) == (42840, 5000, 37840)
    assert await account(session, "coupon_expense") == 5000
    assert await account(session, "unearned") == 0


async def test_hourly_check_out_takes_the_booked_coupon_off_the_final_price(client, world, session, engine):
    from tests.settlement.helpers import completed_order

    await give(session, world["customer_id"], kind="percent", value=2000, title="8折券")
    async with engine.connect() as conn:
        svc = (await conn.execute(text("SELECT items, min_hours FROM services WHERE name = '全屋清洁'"))).one()
    order, _ = await completed_order(client, session, world, service_name="全屋清洁", hours=4)
    hour = svc.items[0]["unit_price"]
    assert order["quote"]["discount_total"] == 4 * hour // 5
    # checked out at once: billed the minimum hours, the booked discount (fen) off that price
    billed = max(svc.min_hours or 1, 1) * hour
    assert order["final_total"] == billed - min(4 * hour // 5, billed)
    async with engine.connect() as conn:
        e = (await conn.execute(text("SELECT gross, discount FROM earnings"))).one()
    assert e.gross == billed and e.discount == min(4 * hour // 5, billed)


async def test_a_coupon_past_its_validity_is_not_chosen(client, world, session):
    c = await give(session, world["customer_id"], value=1000)
    await session.execute(text("UPDATE coupons SET valid_from = :f, valid_until = :u WHERE id = :i"),
                          {"f": now() - timedelta(days=10), "u": now() - timedelta(seconds=1), "i": c.id})
    await session.commit()
    out = (await client.post("/api/v1/orders/quote", json=body(world), headers=auth(world["token"]))).json()
    assert out["coupon"] is None and out["options"] == []
