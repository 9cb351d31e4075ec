"""While the database cannot be reached the API answers 503 problem+json with Retry-After (not 500),
and answers normally again once it can, without a restart."""
from anjia.core import db
from tests.support import free_port


async def test_unreachable_database_is_503_then_recovers(client, database_url):
    saved = db._engine, db._sessionmaker
    db.configure(f"postgresql://postgres@127.0.0.1:{free_port()}/anjia")  # nothing listens there
    try:
        login = {"account": "13800000001", "password": "demo1234", "app": "customer"}
        for headers in ({}, {"Idempotency-Key": "down-1"}):  # the idempotency middleware reaches it first
            r = await client.post("/api/v1/auth/login/password", json=login, headers=headers)
            assert r.status_code == 503, r.text
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["code"] == "database_unavailable" and r.headers["retry-after"] == "3"
    finally:
        await db.dispose()
        db._engine, db._sessionmaker = saved
    r = await client.post("/api/v1/auth/login/password", json=login, headers={"Idempotency-Key": "down-1"})
    assert r.status_code in (400, 401, 403, 422), r.text  # no such account: an answer, not a 503
