import asyncio

from sqlalchemy import text

from tests.conftest import auth, staff_token

BODY = {"username": "xiaoli", "password": "lipass123", "roles": ["finance"]}


async def test_replay_returns_the_first_response(client, session, engine):
    admin = await staff_token(client, session, "boss", ["admin"])
    h = {**auth(admin), "Idempotency-Key": "create-xiaoli-1"}
    first = await client.post("/api/v1/admin/staff", json=BODY, headers=h)
    second = await client.post("/api/v1/admin/staff", json=BODY, headers=h)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers.get("idempotent-replayed") == "true"
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM users WHERE username='xiaoli'"))).scalar() == 1


async def test_same_key_different_body(client, session):
    admin = await staff_token(client, session, "boss", ["admin"])
    h = {**auth(admin), "Idempotency-Key": "k2"}
    await client.post("/api/v1/admin/staff", json=BODY, headers=h)
    r = await client.post("/api/v1/admin/staff", json={**BODY, "username": "other"}, headers=h)
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"


async def test_concurrent_same_key_creates_once(client, session, engine):
    admin = await staff_token(client, session, "boss", ["admin"])
    h = {**auth(admin), "Idempotency-Key": "k3"}
    results = await asyncio.gather(*[client.post("/api/v1/admin/staff", json=BODY, headers=h) for _ in range(6)])
    assert {r.status_code for r in results} <= {201, 409}
    assert any(r.status_code == 201 for r in results)
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM users WHERE username='xiaoli'"))).scalar() == 1


async def test_keys_are_per_caller(client, session):
    a = await staff_token(client, session, "boss", ["admin"])
    b = await staff_token(client, session, "boss2", ["admin"])
    r1 = await client.post("/api/v1/admin/staff", json=BODY, headers={**auth(a), "Idempotency-Key": "same"})
    r2 = await client.post("/api/v1/admin/staff", json=BODY, headers={**auth(b), "Idempotency-Key": "same"})
    assert r1.status_code == 201 and r2.status_code == 409 and r2.json()["code"] == "username_taken"
