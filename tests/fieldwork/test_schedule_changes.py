from datetime import datetime, timedelta

from sqlalchemy import text

from tests.conftest import auth
from tests.dispatch.helpers import paid_order, worker_auth
from tests.support import next_weekday


async def accepted(client, session, world, start=None):
    order, staff = await paid_order(client, session, world, start=start)
    wh = worker_auth(world["workers"][0])
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=wh)).status_code == 200
    return order, wh, staff


async def test_worker_asks_operator_approves_customer_consents(client, session, world, engine):
    order, wh, staff = await accepted(client, session, world, next_weekday(2, 10))
    new = datetime.fromisoformat(order["start"]) + timedelta(days=1)
    r = await client.post("/api/v1/worker/schedule-changes", headers=wh,
                          json={"order_id": order["id"], "new_start": new.isoformat(), "reason": "家里有事"})
    assert r.status_code == 201 and r.json()["status"] == "pending_operator"
    change = r.json()["id"]
    again = await client.post("/api/v1/worker/schedule-changes", headers=wh,
                              json={"order_id": order["id"], "new_start": new.isoformat(), "reason": "再来"})
    assert again.status_code == 409
    h = auth(world["token"])
    # the customer cannot consent before the operator approved
    assert (await client.post(f"/api/v1/schedule-changes/{change}/consent", headers=h)).status_code == 409
    assert [c["id"] for c in (await client.get("/api/v1/admin/schedule-changes", headers=staff)).json()] == [change]
    r = await client.post(f"/api/v1/admin/schedule-changes/{change}/approve", headers=staff)
    assert r.json()["status"] == "pending_customer"
    r = await client.post(f"/api/v1/schedule-changes/{change}/consent", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "applied"
    mine = (await client.get(f"/api/v1/orders/{order['id']}", headers=h)).json()
    assert datetime.fromisoformat(mine["start"]) == new
    types = [e["type"] for e in mine["timeline"]]
    assert types[-3:] == ["schedule_change_requested", "schedule_change_approved", "rescheduled"]
    async with engine.connect() as conn:
        lower = (await conn.execute(text("SELECT lower(period) FROM worker_bookings WHERE active AND order_id=:o"),
                                    {"o": order["id"]})).scalar()
    assert lower == new


async def test_declines_and_cutoff(client, session, world):
    order, wh, staff = await accepted(client, session, world, next_weekday(3, 10))
    new = datetime.fromisoformat(order["start"]) + timedelta(hours=2)
    c = (await client.post("/api/v1/worker/schedule-changes", headers=wh,
                           json={"order_id": order["id"], "new_start": new.isoformat(), "reason": "堵车"})).json()
    assert (await client.post(f"/api/v1/admin/schedule-changes/{c['id']}/approve", headers=staff)).status_code == 200
    r = await client.post(f"/api/v1/schedule-changes/{c['id']}/decline", headers=auth(world["token"]))
    assert r.json()["status"] == "declined_by_customer"
    mine = (await client.get(f"/api/v1/orders/{order['id']}", headers=auth(world["token"]))).json()
    assert datetime.fromisoformat(mine["start"]) == datetime.fromisoformat(order["start"])
    too_far = datetime.fromisoformat(order["start"]) + timedelta(days=30)
    r = await client.post("/api/v1/worker/schedule-changes", headers=wh,
                          json={"order_id": order["id"], "new_start": too_far.isoformat(), "reason": "x"})
    assert r.status_code == 422
    other = worker_auth(world["workers"][1])
    r = await client.post("/api/v1/worker/schedule-changes", headers=other,
                          json={"order_id": order["id"], "new_start": new.isoformat(), "reason": "x"})
    assert r.status_code == 404
