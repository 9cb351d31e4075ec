from datetime import datetime

from sqlalchemy import text

from anjia.dispatch.scoring import Candidate, rank
from tests.conftest import auth, sms_login, staff_token
from tests.dispatch.helpers import paid_order, worker_auth
from tests.orders.test_orders import order_body
from tests.support import next_weekday

PREFS = {"worker_gender": "female", "dialect": "上海话", "pets": True, "eco_products": True, "quiet_service": False,
         "note": "家里有老人午睡，12:00-13:30 请轻声"}


async def test_preferences_are_kept_and_shown_to_the_worker_on_the_order(client, session, world):
    h = auth(world["token"])
    empty = (await client.get("/api/v1/me/preferences", headers=h)).json()
    assert empty["worker_gender"] == "any" and empty["updated_at"] is None
    assert (await client.put("/api/v1/me/preferences", headers=h, json={**PREFS, "worker_gender": "x"})).status_code == 422
    r = await client.put("/api/v1/me/preferences", headers=h, json=PREFS)
    assert r.status_code == 200 and r.json()["dialect"] == "上海话" and r.json()["updated_at"]
    assert (await client.put("/api/v1/me/preferences", headers=h, json={**PREFS, "quiet_service": True})).json()[
        "quiet_service"] is True
    order, _ = await paid_order(client, session, world)
    offered = None
    for w in world["workers"]:
        offers = (await client.get("/api/v1/worker/offers", headers=worker_auth(w))).json()
        if offers:
            offered = w
            labels = {p["label"]: p["value"] for p in offers[0]["preferences"]}
            assert labels["师傅性别"] == "女师傅" and labels["方言"] == "上海话" and "家有宠物" in labels
    assert offered
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=worker_auth(offered))).status_code == 200
    view = (await client.get(f"/api/v1/worker/orders/{order['id']}", headers=worker_auth(offered))).json()
    labels = [p["label"] for p in view["preferences"]]
    assert labels == ["师傅性别", "方言", "家有宠物", "环保用品", "安静服务", "其他偏好"]
    # another customer's orders carry their own (none)
    other = (await sms_login(client, "13800009999"))["access_token"]
    assert (await client.get("/api/v1/me/preferences", headers=auth(other))).json()["dialect"] == ""


async def test_favourite_services_and_workers(client, session, world, engine):
    h = auth(world["token"])
    sid, w = world["services"]["厨房深度清洁"], world["workers"][1]
    for _ in range(2):  # idempotent
        assert (await client.put(f"/api/v1/me/favourites/services/{sid}", headers=h)).status_code == 204
        assert (await client.put(f"/api/v1/me/favourites/workers/{w}", headers=h)).status_code == 204
    assert (await client.put("/api/v1/me/favourites/services/999999", headers=h)).status_code == 404
    customer_id = world["customer_id"]
    assert (await client.put(f"/api/v1/me/favourites/workers/{customer_id}", headers=h)).status_code == 404
    fav = (await client.get("/api/v1/me/favourites", headers=h)).json()
    assert [s["id"] for s in fav["services"]] == [sid] and fav["services"][0]["from_price"] > 0
    assert [x["id"] for x in fav["workers"]] == [w] and fav["workers"][0]["rating"] == 4.9
    card = (await client.get(f"/api/v1/workers/{w}/card", headers=h)).json()
    assert card["favourite"] is True and card["review_count"] == 0 and card["averages"] is None
    assert (await client.delete(f"/api/v1/me/favourites/workers/{w}", headers=h)).status_code == 204
    assert (await client.delete(f"/api/v1/me/favourites/services/{sid}", headers=h)).status_code == 204
    fav = (await client.get("/api/v1/me/favourites", headers=h)).json()
    assert fav == {"services": [], "workers": []}
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM favourite_workers")) == 0


def test_a_favourite_outranks_an_equal_worker():
    base = dict(distance_km=3, radius_km=10, rating=4.8, acceptance_rate=0.9, load_today=1, previous=False)
    ranked = rank([Candidate(worker_id=1, **base), Candidate(worker_id=2, favourite=True, **base)])
    assert [c.worker_id for c, _, _ in ranked] == [2, 1]
    assert ranked[0][2]["favourite"] == 0.1 and ranked[1][2]["favourite"] == 0


async def test_dispatch_scores_the_favourite_and_explains_it(client, session, world):
    h = auth(world["token"])
    far = world["workers"][1]  # the nearer one is held at booking
    await client.put(f"/api/v1/me/favourites/workers/{far}", headers=h)
    order, staff = await paid_order(client, session, world)
    why = (await client.get(f"/api/v1/admin/orders/{order['id']}/dispatch", headers=staff)).json()
    by_worker = {c["worker_id"]: c["breakdown"] for c in why["rounds"][0]["candidates"]}
    assert by_worker[far]["favourite"] == 0.1 and by_worker[world["workers"][0]]["favourite"] == 0


async def test_booking_with_a_favourite_when_they_are_free(client, session, world):
    h = auth(world["token"])
    fav = world["workers"][1]
    day = next_weekday(1, 14)
    params = {"service_id": world["services"]["厨房深度清洁"], "address_id": world["address_id"],
              "from": day.date().isoformat(), "to": day.date().isoformat(), "items": "kitchen_deep:1",
              "options": '{"focus_areas": ["stove", "hood"], "depth": "deep"}'}
    r = await client.post("/api/v1/orders", json={**order_body(world, day), "worker_id": fav}, headers=h)
    assert r.status_code == 201, r.text
    first = r.json()
    # the favourite is now busy at 14:00; the other worker is not
    r = await client.post("/api/v1/orders", json={**order_body(world, day), "worker_id": fav}, headers=h)
    assert r.status_code == 409 and r.json()["code"] == "slot_unavailable"

    def free(slots):
        return {datetime.fromisoformat(s["start"]).astimezone(day.tzinfo).strftime("%H:%M") for s in slots
                if s["available"]}
    theirs = (await client.get("/api/v1/availability", params={**params, "worker_id": fav}, headers=h)).json()
    anyone = (await client.get("/api/v1/availability", params=params, headers=h)).json()
    assert "14:00" not in free(theirs["days"][0]["slots"]) and "14:00" in free(anyone["days"][0]["slots"])
    staff = auth(await staff_token(client, session, "disp", ["dispatcher"]))
    r = await client.post(f"/api/v1/admin/orders/{first['id']}/payments/offline", headers=staff, json={"method": "cash"})
    assert r.status_code == 201, r.text
    why = (await client.get(f"/api/v1/admin/orders/{first['id']}/dispatch", headers=staff)).json()
    top = why["rounds"][0]["candidates"][0]
    assert top["worker_id"] == fav and top["breakdown"]["previous"] == 0.1  # the held worker is offered first
