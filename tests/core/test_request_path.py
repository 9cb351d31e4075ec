"""The request path of issue 15: a GET reads in autocommit (no BEGIN/COMMIT around its statements),
one that writes after all commits its write (or rolls it back with an error), the readers' pool
replaces connections the server closed without a round trip of its own, and a verified access
token is kept per process but still refused once expired or once its key is retired."""
import time
from datetime import timedelta

import jwt
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import text
from starlette.requests import HTTPConnection

from anjia.config import get_settings
from anjia.core import db, security
from anjia.core.errors import AppError
from anjia.core.models import AuditLog
from tests.conftest import auth


def _request(method: str) -> HTTPConnection:
    return HTTPConnection({"type": "http", "method": method, "path": "/", "headers": []})


async def _status(session) -> TransactionStatus:
    conn = await session.connection()
    return (await conn.get_raw_connection()).driver_connection.info.transaction_status


async def _audit_rows(action: str) -> int:
    async with db.sessionmaker()() as s:
        return await s.scalar(text("SELECT count(*) FROM audit_logs WHERE action = :a"), {"a": action})


async def test_a_get_reads_outside_a_transaction_and_commits_what_it_writes(engine):
    gen = db.get_session(_request("GET"))
    session = await anext(gen)
    assert (await session.execute(text("SELECT 1"))).scalar() == 1
    assert await _status(session) == TransactionStatus.IDLE  # autocommit: no BEGIN was sent
    session.add(AuditLog(actor_name="system", action="test.get_write", target_type="test"))
    await session.flush()
    assert await _status(session) == TransactionStatus.INTRANS  # the first flush opened one
    assert await _audit_rows("test.get_write") == 0  # not visible before the endpoint returns
    with pytest.raises(StopAsyncIteration):
        await anext(gen)  # the endpoint returned
    assert await _audit_rows("test.get_write") == 1


async def test_a_get_that_fails_after_writing_leaves_nothing(engine):
    gen = db.get_session(_request("GET"))
    session = await anext(gen)
    session.add(AuditLog(actor_name="system", action="test.get_fail", target_type="test"))
    await session.flush()
    with pytest.raises(AppError):
        await gen.athrow(AppError("not_found"))
    assert await _audit_rows("test.get_fail") == 0


async def test_a_post_session_is_one_transaction(engine):
    gen = db.get_session(_request("POST"))
    session = await anext(gen)
    await session.execute(text("SELECT 1"))
    assert await _status(session) == TransactionStatus.INTRANS
    await gen.aclose()


async def test_readers_replace_connections_the_server_closed(client, engine, world):
    h = auth(world["token"])
    for _ in range(3):
        assert (await client.get("/api/v1/me", headers=h)).status_code == 200
    async with engine.connect() as conn:
        killed = (await conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = 'anjia-read'"))).scalar()
        await conn.commit()
    assert killed >= 1
    time.sleep(0.2)  # the terminations arrive
    assert [(await client.get("/api/v1/me", headers=h)).status_code for _ in range(4)] == [200] * 4


def test_a_cached_token_is_refused_once_expired(monkeypatch):
    minutes = get_settings().access_token_minutes
    issued = security.now() - timedelta(minutes=minutes) + timedelta(seconds=1)
    monkeypatch.setattr(security, "now", lambda: issued)
    token = security.create_access_token(1, "customer", [])  # one second of life left
    monkeypatch.undo()
    assert security.decode_access_token(token)["sub"] == "1"  # verified and kept
    assert token in security._verified
    time.sleep(1.2)
    with pytest.raises(AppError) as e:
        security.decode_access_token(token)
    assert e.value.code == "token_expired"


def test_a_cached_token_is_refused_once_its_key_is_retired(monkeypatch):
    old = get_settings().secret_key
    token = security.create_access_token(1, "customer", [])
    assert security.decode_access_token(token)["sub"] == "1"
    monkeypatch.setenv("SECRET_KEY", "n" * 40)
    monkeypatch.setenv("SECRET_KEYS_PREVIOUS", old)
    get_settings.cache_clear()
    try:
        assert security.decode_access_token(token)["sub"] == "1"  # still accepted: a previous key
        monkeypatch.setenv("SECRET_KEYS_PREVIOUS", "")
        get_settings.cache_clear()
        with pytest.raises(AppError) as e:
            security.decode_access_token(token)
        assert e.value.code == "token_invalid"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_a_forged_token_is_never_served_from_the_cache():
    token = security.create_access_token(1, "customer", [])
    security.decode_access_token(token)
    forged = jwt.encode({**jwt.decode(token, options={"verify_signature": False}), "sub": "2"}, "guess",
                        algorithm="HS256", headers={"kid": security.signing_key()[0]})
    with pytest.raises(AppError) as e:
        security.decode_access_token(forged)
    assert e.value.code == "token_invalid"
