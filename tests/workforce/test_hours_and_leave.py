from datetime import datetime, timedelta, timezone

from tests.conftest import auth


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
