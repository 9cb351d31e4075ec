"""Eligibility follows the file: a worker counts as available, and is offered an order, only when
approved, active and holding a valid (approved, unexpired) certificate of every kind the service
needs — one rule (`worker_certified_until`) read by availability and dispatch alike. The daily job
reminds 30 days ahead once and suspends the skill on the day (under a moved clock)."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from anjia.workforce import certificates, tasks
from anjia.workforce import seed as workforce_seed
from tests.conftest import auth, staff_token
from tests.dispatch.helpers import paid_order, worker_auth
from tests.support import next_weekday


async def _free(client, world, worker_id, start, service="厨房深度清洁") -> bool:
    day = start.date().isoformat()
    r = await client.get("/api/v1/availability", headers=auth(world["token"]), params={
        "service_id": world["services"][service], "address_id": world["address_id"], "from": day, "to": day,
        "worker_id": worker_id})
    assert r.status_code == 200, r.text
    return any(s["available"] and s["start"] == start.isoformat() for s in r.json()["days"][0]["slots"])


async def _expire(engine, worker_id, kind, on):
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE worker_certificates SET expires_on = :d, issued_on = :d - 1000 "
                                "WHERE worker_id = :w AND kind = :k"), {"d": on, "w": worker_id, "k": kind})


async def test_an_expired_certificate_removes_the_worker_from_availability_and_dispatch(client, session, world, engine):
    a, b = world["workers"]
    start = next_weekday(2, 10)
    assert await _free(client, world, a, start) and await _free(client, world, b, start)

    await _expire(engine, b, "health", start.date())  # b's health certificate runs out on the day of the visit
    assert await _free(client, world, a, start)
    assert not await _free(client, world, b, start)
    # the day before, b still counts (valid until the day it expires)
    earlier = start - timedelta(days=1)
    assert await _free(client, world, b, earlier)

    order, staff = await paid_order(client, session, world, start=start)
    assert [o["order_id"] for o in (await client.get("/api/v1/worker/offers", headers=worker_auth(a))).json()] \
        == [order["id"]]
    assert (await client.get("/api/v1/worker/offers", headers=worker_auth(b))).json() == []
    why = (await client.get(f"/api/v1/admin/orders/{order['id']}/dispatch", headers=staff)).json()
    assert [c["worker_id"] for c in why["rounds"][0]["candidates"]] == [a]
    # nor can an operator assign b by hand
    r = await client.post(f"/api/v1/admin/orders/{order['id']}/assign", headers=staff, json={"worker_id": b})
    assert r.status_code == 422 and r.json()["code"] == "worker_not_eligible"

    await _expire(engine, a, "health", start.date() - timedelta(days=1))
    r = await client.get("/api/v1/availability", headers=auth(world["token"]), params={
        "service_id": world["services"]["厨房深度清洁"], "address_id": world["address_id"],
        "from": start.date().isoformat(), "to": start.date().isoformat()})
    assert not any(s["available"] for s in r.json()["days"][0]["slots"])  # nobody certified that day


async def test_a_skill_needs_its_own_certificate_kind(client, session, world, engine):
    a, _ = world["workers"]
    await session.execute(text("UPDATE worker_profiles SET declared_skills = '{cleaning,elderly_care}', "
                               "skills = '{cleaning,elderly_care}' WHERE user_id = :w"), {"w": a})
    await session.commit()
    start = next_weekday(2, 10)
    assert not await _free(client, world, a, start, "居家老人陪护")  # health certificate only: no 养老护理员证
    await workforce_seed.certify(session, a, ["elderly_care"], status="pending")
    await session.commit()
    assert not await _free(client, world, a, start, "居家老人陪护")  # pending does not count
    await session.execute(text("UPDATE worker_certificates SET status = 'approved' WHERE worker_id = :w"), {"w": a})
    await session.commit()
    assert await _free(client, world, a, start, "居家老人陪护")


async def test_the_daily_job_reminds_once_and_suspends_the_skill_on_the_day(client, session, world, engine,
                                                                            monkeypatch):
    a, b = world["workers"]
    staff = auth(await staff_token(client, session, "ops", ["admin"]))
    start = next_weekday(2, 10)
    expires = start.date() + timedelta(days=40)
    await _expire(engine, b, "health", expires)

    def at(day, hour=0, minute=10):  # 00:10 Beijing: when the job runs
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)

    async def run(day):
        monkeypatch.setattr(certificates, "now", lambda: at(day))
        return await tasks.sweep_certificates()

    async def titles(worker_id):
        async with engine.connect() as conn:
            return [t for (t,) in await conn.execute(text(
                "SELECT title FROM notifications WHERE user_id = :w ORDER BY id"), {"w": worker_id})]

    assert (await run(expires - timedelta(days=31)))["reminded"] == 0
    assert (await run(expires - timedelta(days=30)))["reminded"] == 1
    assert (await run(expires - timedelta(days=29)))["reminded"] == 0  # once
    assert await titles(b) == ["证书即将到期"] and await titles(a) == []

    assert (await run(expires - timedelta(days=1)))["lapsed"] == 0
    out = await run(expires)
    assert out["lapsed"] == 1 and out["skills_suspended"] == 2  # cleaning and appliance: both need the health certificate
    assert (await run(expires))["lapsed"] == 0  # a rerun acts on nothing twice
    assert await titles(b) == ["证书即将到期", "证书已过期，相关服务已暂停接单"]
    f = (await client.get(f"/api/v1/admin/workers/{b}/file", headers=staff)).json()
    assert f["skills"] == [] and f["declared_skills"] == ["cleaning", "appliance"]
    suspended = [h for h in f["history"] if h["kind"] == "skill"]
    assert {(h["from_status"], h["to_status"]) for h in suspended} == {("cleaning", "suspended"),
                                                                       ("appliance", "suspended")}
    assert suspended[0]["reasons"][0]["code"] == "certificate_expired"
    assert f["certificates"][0]["expires_on"] == expires.isoformat()
    assert any(c["action"] == "worker.skills.suspend" for c in f["changes"])

    # a renewal approved by an operator restores the skills (history says so)
    monkeypatch.setattr(certificates, "now", lambda: at(expires, 9))
    await workforce_seed.certify(session, b, ["cleaning"], status="pending")
    await session.commit()
    cert = await session.scalar(text("SELECT max(id) FROM worker_certificates WHERE worker_id = :w"), {"w": b})
    r = await client.post(f"/api/v1/admin/workers/{b}/certificates/{cert}/decision", headers=staff,
                          json={"action": "approve"})
    assert r.status_code == 200 and r.json()["standing"] == "valid"
    f = (await client.get(f"/api/v1/admin/workers/{b}/file", headers=staff)).json()
    assert f["skills"] == ["cleaning", "appliance"]
    assert {(h["from_status"], h["to_status"]) for h in f["history"] if h["kind"] == "skill"} >= {
        ("cleaning", "restored"), ("appliance", "restored")}
    r = await client.post(f"/api/v1/admin/workers/{b}/certificates/{cert}/decision", headers=staff,
                          json={"action": "approve"})
    assert r.status_code == 409 and r.json()["code"] == "certificate_transition"


async def _accepted_by(client, session, world, worker, start):
    order, staff = await paid_order(client, session, world, start=start)
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=worker_auth(worker))
    assert r.status_code == 200, r.text
    return order, staff


async def _order_row(engine, order_id):
    async with engine.connect() as conn:
        return (await conn.execute(text("SELECT status, worker_id, held_worker_id FROM orders WHERE id = :o"),
                                   {"o": order_id})).one()


async def test_suspension_sends_accepted_orders_back_to_dispatch(client, session, world, engine):
    a, b = world["workers"]
    order, staff = await _accepted_by(client, session, world, a, next_weekday(2, 10))
    r = await client.post(f"/api/v1/admin/workers/{a}/employment", headers=staff,
                          json={"action": "suspend", "reasons": ["investigation"]})
    assert r.status_code == 200, r.text
    row = await _order_row(engine, order["id"])
    assert row.status == "paid" and row.worker_id is None
    offers = (await client.get("/api/v1/worker/offers", headers=worker_auth(b))).json()
    assert [o["order_id"] for o in offers] == [order["id"]]  # offered anew, to someone who can serve it
    async with engine.connect() as conn:
        events = [e for (e,) in await conn.execute(text(
            "SELECT type FROM order_events WHERE order_id = :o ORDER BY id"), {"o": order["id"]})]
        bookings = await conn.scalar(text("SELECT count(*) FROM worker_bookings WHERE order_id = :o AND active "
                                          "AND worker_id = :w"), {"o": order["id"], "w": a})
    assert "worker_withdrawn" in events and bookings == 0


async def test_a_lapsed_certificate_sends_back_only_the_orders_it_no_longer_allows(client, session, world, engine,
                                                                                 monkeypatch):
    a, b = world["workers"]
    near, far = next_weekday(2, 10), next_weekday(2, 10) + timedelta(days=14)
    first, _ = await _accepted_by(client, session, world, a, near)
    second, _ = await _accepted_by(client, session, world, a, far)
    expires = far.date() - timedelta(days=3)  # lapses between the two visits
    await _expire(engine, a, "health", expires)
    monkeypatch.setattr(certificates, "now", lambda: datetime.combine(expires, datetime.min.time(), UTC))
    out = await tasks.sweep_certificates()
    assert out["skills_suspended"] == 2
    assert tuple(await _order_row(engine, first["id"]))[:2] == ("accepted", a)  # before the expiry: still a's
    later = await _order_row(engine, second["id"])
    assert later.worker_id is None and later.status == "paid"  # after it: back to dispatch, offered anew
    offers = (await client.get("/api/v1/worker/offers", headers=worker_auth(b))).json()
    assert [o["order_id"] for o in offers] == [second["id"]]
