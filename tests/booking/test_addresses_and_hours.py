from datetime import datetime, timedelta, timezone

from tests.conftest import auth, sms_login

HOME = {"contact_name": "张女士", "contact_phone": "13800001000", "province": "上海市", "city": "上海市",
        "district": "徐汇区", "detail": "漕溪北路 88 号", "lat": 31.195, "lng": 121.438}


async def test_address_book(client, world):
    h = auth(world["token"])
    r = await client.post("/api/v1/addresses", json={**HOME, "detail": "新地址 1 号", "is_default": True}, headers=h)
    assert r.status_code == 201 and r.json()["region_id"] == world["region_id"] and r.json()["is_default"]
    new_id = r.json()["id"]
    listed = (await client.get("/api/v1/addresses", headers=h)).json()
    assert [a["is_default"] for a in listed] == [True, False] and listed[0]["id"] == new_id
    r = await client.post("/api/v1/addresses", json={**HOME, "city": "北京市", "lat": 39.9, "lng": 116.4}, headers=h)
    assert r.status_code == 201 and r.json()["region_id"] is None
    assert (await client.post("/api/v1/addresses", json={**HOME, "contact_phone": "123"}, headers=h)).status_code == 422
    assert (await client.post(f"/api/v1/addresses/{world['address_id']}/default", headers=h)).json()["is_default"]
    assert (await client.delete(f"/api/v1/addresses/{new_id}", headers=h)).status_code == 204
    assert new_id not in [a["id"] for a in (await client.get("/api/v1/addresses", headers=h)).json()]
    worker = await sms_login(client, "13912345678", "worker")
    assert (await client.get("/api/v1/addresses", headers=auth(worker["access_token"]))).status_code == 403


async def test_worker_sets_hours_and_leave_and_availability_follows(client, world, session):
    from anjia.core.security import create_access_token

    wid = world["workers"][0]
    h = auth(create_access_token(wid, "worker", []))
    mine = (await client.get("/api/v1/worker/availability", headers=h)).json()
    assert len(mine["weekly"]) == 7 and mine["skills"] == ["cleaning", "appliance"]
    weekly = [{"weekday": d, "start": "09:00", "end": "12:00"} for d in range(5)] + \
             [{"weekday": 0, "start": "13:00", "end": "18:00"}]
    r = await client.put("/api/v1/worker/availability/weekly", json={"weekly": weekly}, headers=h)
    assert r.status_code == 200 and len(r.json()["weekly"]) == 6
    overlap = weekly + [{"weekday": 0, "start": "11:00", "end": "14:00"}]
    assert (await client.put("/api/v1/worker/availability/weekly", json={"weekly": overlap}, headers=h)).status_code == 422
    bad = [{"weekday": 0, "start": "18:00", "end": "09:00"}]
    assert (await client.put("/api/v1/worker/availability/weekly", json={"weekly": bad}, headers=h)).status_code == 422
    start = datetime.now(timezone.utc) + timedelta(days=1)
    r = await client.post("/api/v1/worker/leaves", json={"start": start.isoformat(),
                                                         "end": (start + timedelta(days=2)).isoformat(),
                                                         "reason": "回老家"}, headers=h)
    assert r.status_code == 201 and r.json()["leaves"][0]["reason"] == "回老家"
    leave_id = r.json()["leaves"][0]["id"]
    r = await client.post("/api/v1/worker/leaves", json={"start": start.isoformat(), "end": start.isoformat()}, headers=h)
    assert r.status_code == 422
    assert (await client.delete(f"/api/v1/worker/leaves/{leave_id}", headers=h)).status_code == 204
    assert (await client.delete(f"/api/v1/worker/leaves/{leave_id}", headers=h)).status_code == 404
    r = await client.patch("/api/v1/worker/availability", json={"radius_km": 8}, headers=h)
    assert r.json()["radius_km"] == 8
    # customers cannot use worker endpoints
    assert (await client.get("/api/v1/worker/availability", headers=auth(world["token"]))).status_code == 403


async def test_only_eligible_workers_count(client, world, session):
    """Slots need a worker with the skill, verified and active, within radius, working then."""
    from sqlalchemy import update

    from anjia.workforce.models import WorkerProfile
    from tests.booking.helpers import next_weekday

    h = auth(world["token"])
    day = next_weekday(2, 10).date().isoformat()
    params = {"service_id": world["services"]["居家老人陪护"], "address_id": world["address_id"],
              "from": day, "to": day, "hours": 4}
    slots = (await client.get("/api/v1/availability", params=params, headers=h)).json()["days"][0]["slots"]
    assert slots and not any(s["available"] for s in slots)  # nobody has elderly_care
    await session.execute(update(WorkerProfile).values(skills=["elderly_care"], verified=False))
    await session.commit()
    slots = (await client.get("/api/v1/availability", params=params, headers=h)).json()["days"][0]["slots"]
    assert not any(s["available"] for s in slots)  # not verified
    await session.execute(update(WorkerProfile).values(verified=True, radius_km=0.5))
    await session.commit()
    slots = (await client.get("/api/v1/availability", params=params, headers=h)).json()["days"][0]["slots"]
    assert not any(s["available"] for s in slots)  # too far
    await session.execute(update(WorkerProfile).values(radius_km=20))
    await session.commit()
    slots = (await client.get("/api/v1/availability", params=params, headers=h)).json()["days"][0]["slots"]
    assert all(s["available"] for s in slots)
