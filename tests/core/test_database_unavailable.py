"""While the database cannot be reached the API answers 503 problem+json with Retry-After (not 500),
and answers normally again once it can, without a restart."""
from anjia.core import db
from anjia.core.security import create_access_token
from tests.support import free_port


async def test_unreachable_database_is_503_then_recovers(client, database_url):
    saved = db._engine, db._sessionmaker, db._reader, db._readers  # the writers' and the GETs' engines
    db.configure(f"postgresql://postgres@127.0.0.1:{free_port()}/anjia")  # nothing listens there
    try:
        login = {"account": "13800000001", "password": "demo1234", "app": "customer"}
        for headers in ({}, {"Idempotency-Key": "down-1"}):  # the idempotency middleware reaches it first
            r = await client.post("/api/v1/auth/login/password", json=login, headers=headers)
            assert r.status_code == 503, r.text
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["code"] == "database_unavailable" and r.headers["retry-after"] == "3"
        token = create_access_token(1, "customer", [])  # a GET reads on its own engine (core.db.readers)
        r = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 503 and r.json()["code"] == "database_unavailable", r.text
    finally:
        await db.dispose()
        db._engine, db._sessionmaker, db._reader, db._readers = saved
    r = await client.post("/api/v1/auth/login/password", json=login, headers={"Idempotency-Key": "down-1"})
    assert r.status_code in (400, 401, 403, 422), r.text  # no such account: an answer, not a 503
