from sqlalchemy import text

from tests.conftest import auth
from tests.payments.helpers import pay_sandbox
from tests.support import KITCHEN, local, next_weekday


def order_body(world, start, **extra):
    return {"service_id": world["services"]["厨房深度清洁"], "address_id": world["address_id"],
            "start": start.isoformat(), **KITCHEN, **extra}


async def test_quote_for_kitchen_deep_clean(client, world):
    r = await client.post("/api/v1/quotes", json={"service_id": world["services"]["厨房深度清洁"], **KITCHEN,
                                                  "start": next_weekday(1, 14).isoformat()})
    assert r.status_code == 200, r.text
    q = r.json()
    # 268.00 + hood 80.00 + deep 30 % of 268.00 = 80.40
    assert [(l["code"], l["amount"]) for l in q["lines"]] == [
        ("kitchen_deep", 26800), ("focus_areas.hood", 8000), ("depth.deep", 8040)]
    assert q["total"] == 42840 == sum(l["amount"] for l in q["lines"])
    assert q["duration_minutes"] == 180 + 60 + 60


async def test_book_list_modify_cancel(client, world, engine):
    h = auth(world["token"])
    start = next_weekday(1, 14)
    r = await client.post("/api/v1/orders", json=order_body(world, start), headers={**h, "Idempotency-Key": "o1"})
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["status"] == "pending_payment" and order["status_label"] == "待支付"
    assert order["total"] == 42840 and order["can_modify"] and order["can_cancel"]
    assert [e["type"] for e in order["timeline"]] == ["created"]

    listed = (await client.get("/api/v1/orders?tab=unpaid", headers=h)).json()
    assert [o["id"] for o in listed["items"]] == [order["id"]]
    assert (await client.get("/api/v1/orders?tab=cancelled", headers=h)).json()["total"] == 0

    later = start.replace(hour=15)  # a 5-hour job: 16:00 would end after closing (20:00)
    r = await client.patch(f"/api/v1/orders/{order['id']}", json={"start": start.replace(hour=16).isoformat()},
                           headers=h)
    assert r.status_code == 422 and r.json()["code"] == "outside_opening_hours"
    r = await client.patch(f"/api/v1/orders/{order['id']}", json={"start": later.isoformat()}, headers=h)
    assert r.status_code == 200, r.text
    from datetime import datetime
    assert datetime.fromisoformat(r.json()["start"]) == later
    assert [e["type"] for e in r.json()["timeline"]] == ["created", "modified"]

    r = await client.post(f"/api/v1/orders/{order['id']}/cancel", json={"reason_code": "change_of_plans"}, headers=h)
    assert r.status_code == 200 and r.json()["status"] == "cancelled" and r.json()["cancel_fee"] == 0
    async with engine.connect() as conn:
        active = (await conn.execute(text("SELECT count(*) FROM worker_bookings WHERE active"))).scalar()
    assert active == 0


async def test_replay_with_idempotency_key_creates_one_order(client, world, engine):
    h = {**auth(world["token"]), "Idempotency-Key": "same-order"}
    body = order_body(world, next_weekday(2, 10))
    a = await client.post("/api/v1/orders", json=body, headers=h)
    b = await client.post("/api/v1/orders", json=body, headers=h)
    assert a.status_code == b.status_code == 201 and a.json()["id"] == b.json()["id"]
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM orders"))).scalar() == 1


async def test_slot_taken_gives_409_with_alternatives(client, world, engine):
    h = auth(world["token"])
    start = next_weekday(3, 10)
    for _ in range(2):  # two workers: two bookings fit
        assert (await client.post("/api/v1/orders", json=order_body(world, start), headers=h)).status_code == 201
    r = await client.post("/api/v1/orders", json=order_body(world, start), headers=h)
    assert r.status_code == 409 and r.json()["code"] == "slot_unavailable"
    alts = r.json()["alternatives"]
    assert alts and all(a["start"] != start.isoformat() for a in alts)
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM orders"))).scalar() == 2  # nothing half-written


async def test_bad_booking_input(client, world, session):
    h = auth(world["token"])
    cases = [
        (order_body(world, local(-1, 10)), 422, "start_in_past"),
        (order_body(world, local(0, 0) .replace(hour=23)), 422, None),
        (order_body(world, local(40, 10)), 422, "start_beyond_horizon"),
        (order_body(world, local(3, 7)), 422, "outside_opening_hours"),
        ({**order_body(world, local(3, 10)), "options": {"depth": "extreme"}}, 422, "invalid_requirements"),
        ({**order_body(world, local(3, 10)), "options": {"colour": "red"}}, 422, "invalid_requirements"),
        ({**order_body(world, local(3, 10)), "items": [{"code": "kitchen_deep", "quantity": 99}]}, 422, None),
        ({**order_body(world, local(3, 10)), "service_id": 999999}, 404, "service_not_found"),
        ({**order_body(world, local(3, 10)), "start": "2026-12-01T10:00:00"}, 422, None),
    ]
    for body, status, code in cases:
        r = await client.post("/api/v1/orders", json=body, headers=h)
        assert r.status_code == status, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        if code:
            assert r.json()["code"] == code, r.text


async def test_unpublished_service_and_outside_address(client, world, session):
    from anjia.addresses.models import Address
    from anjia.catalog.models import Service

    h = auth(world["token"])
    svc = await session.get(Service, world["services"]["厨房深度清洁"])
    svc.published = False
    far = Address(user_id=world["customer_id"], contact_name="x", contact_phone="13800001000", province="北京市",
                  city="北京市", district="朝阳区", detail="x", lat=39.9, lng=116.4, region_id=None)
    session.add(far)
    await session.commit()
    r = await client.post("/api/v1/orders", json=order_body(world, local(3, 10)), headers=h)
    assert r.status_code == 404 and r.json()["code"] == "service_not_found"
    svc.published = True
    await session.commit()
    r = await client.post("/api/v1/orders", json={**order_body(world, local(3, 10)), "address_id": far.id}, headers=h)
    assert r.status_code == 422 and r.json()["code"] == "address_outside_service_area"


async def test_others_orders_are_invisible(client, world, session):
    from anjia.accounts.models import User
    from anjia.core.security import create_access_token

    h = auth(world["token"])
    order = (await client.post("/api/v1/orders", json=order_body(world, local(3, 10)), headers=h)).json()
    other = User(kind="customer", phone="13800002000", nickname="别人", roles=[])
    session.add(other)
    await session.commit()
    oh = auth(create_access_token(other.id, "customer", []))
    assert (await client.get(f"/api/v1/orders/{order['id']}", headers=oh)).status_code == 404
    r = await client.post(f"/api/v1/orders/{order['id']}/cancel", json={"reason_code": "other"}, headers=oh)
    assert r.status_code == 404 and r.json()["code"] == "order_not_found"
    r = await client.patch(f"/api/v1/orders/{order['id']}", json={"notes": "x"}, headers=oh)
    assert r.status_code == 404


async def test_no_edit_after_acceptance_and_late_cancel_fee(client, world, session, engine):
    h = auth(world["token"])
    body = order_body(world, local(1, 10))
    order = (await client.post("/api/v1/orders", json=body, headers=h)).json()
    await pay_sandbox(client, world, order["id"])
    async with engine.begin() as conn:  # accepted, starting in 3 hours
        await conn.execute(text("UPDATE orders SET status='accepted', worker_id=held_worker_id, "
                                "scheduled_start = now() + interval '3 hours' WHERE id=:i"), {"i": order["id"]})
    r = await client.patch(f"/api/v1/orders/{order['id']}", json={"notes": "x"}, headers=h)
    assert r.status_code == 409 and r.json()["code"] == "order_not_modifiable"
    detail = (await client.get(f"/api/v1/orders/{order['id']}", headers=h)).json()
    assert detail["cancel_fee_now"] == order["total"] * 2000 // 10000  # inside 24 h: 20 %
    r = await client.post(f"/api/v1/orders/{order['id']}/cancel", json={"reason_code": "other"}, headers=h)
    assert r.json()["cancel_fee"] == detail["cancel_fee_now"]
    assert r.json()["refunded_amount"] == order["total"] - detail["cancel_fee_now"]  # the rest goes back
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE orders SET status='in_service' WHERE id=:i"), {"i": order["id"]})
    r = await client.post(f"/api/v1/orders/{order['id']}/cancel", json={"reason_code": "other"}, headers=h)
    assert r.status_code == 409 and r.json()["code"] == "order_not_cancellable"


async def test_unpaid_orders_expire_and_free_the_slot(client, world, engine):
    from anjia.orders.tasks import expire_unpaid_orders

    h = auth(world["token"])
    order = (await client.post("/api/v1/orders", json=order_body(world, local(3, 10)), headers=h)).json()
    assert await expire_unpaid_orders() == 0
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE orders SET payment_due_at = now() - interval '1 minute'"))
    assert await expire_unpaid_orders() == 1
    detail = (await client.get(f"/api/v1/orders/{order['id']}", headers=h)).json()
    assert detail["status"] == "cancelled" and detail["timeline"][-1]["type"] == "expired"
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM worker_bookings WHERE active"))).scalar() == 0


async def test_rebook_returns_a_prefilled_request(client, world):
    h = auth(world["token"])
    order = (await client.post("/api/v1/orders", json=order_body(world, local(3, 10)), headers=h)).json()
    r = (await client.get(f"/api/v1/orders/{order['id']}/rebook", headers=h)).json()
    assert r["service_id"] == world["services"]["厨房深度清洁"] and r["options"]["depth"] == "deep"
