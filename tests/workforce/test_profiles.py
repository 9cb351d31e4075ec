from sqlalchemy import text

from tests.conftest import auth, staff_token


async def test_reading_a_non_worker_is_not_found_and_creates_no_profile(client, session, world, engine):
    """Staff worker endpoints name workers: a customer's id (or an unknown one) is 404, and a read
    never writes a profile."""
    staff = auth(await staff_token(client, session, "ops", ["admin"]))
    customer = world["customer_id"]
    for path in (f"/api/v1/admin/workers/{customer}/availability", "/api/v1/admin/workers/999999/availability"):
        r = await client.get(path, headers=staff)
        assert r.status_code == 404 and r.json()["code"] == "not_found", r.text
    r = await client.put(f"/api/v1/admin/workers/{customer}/weekly", headers=staff, json={"weekly": []})
    assert r.status_code == 404
    r = await client.patch(f"/api/v1/admin/workers/{customer}", headers=staff, json={"radius_km": 5})
    assert r.status_code == 404
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM worker_profiles WHERE user_id = :u"), {"u": customer}) == 0


async def test_a_worker_without_a_profile_reads_the_defaults_and_gets_one_on_the_first_write(client, session, world,
                                                                                              engine):
    from anjia.accounts.models import User

    w = User(kind="worker", phone="13900002000", nickname="新师傅", roles=[])
    session.add(w)
    await session.commit()
    staff = auth(await staff_token(client, session, "ops", ["admin"]))
    r = await client.get(f"/api/v1/admin/workers/{w.id}/availability", headers=staff)
    assert r.status_code == 200 and r.json() == {"region_id": None, "skills": [], "home_lat": None, "home_lng": None,
                                                 "radius_km": 10, "weekly": [], "leaves": []}
    count = text("SELECT count(*) FROM worker_profiles WHERE user_id = :u")
    async with engine.connect() as conn:
        assert await conn.scalar(count, {"u": w.id}) == 0
    weekly = {"weekly": [{"weekday": 0, "start": "09:00", "end": "12:00"}]}
    r = await client.put(f"/api/v1/admin/workers/{w.id}/weekly", headers=staff, json=weekly)
    assert r.status_code == 200 and r.json()["weekly"] == weekly["weekly"]
    async with engine.connect() as conn:
        assert await conn.scalar(count, {"u": w.id}) == 1
