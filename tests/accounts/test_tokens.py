import asyncio
from datetime import UTC, datetime, timedelta

import jwt

from anjia.config import get_settings
from anjia.core.security import key_id
from tests.conftest import auth, sms_login

REFRESH = "/api/v1/auth/refresh"


async def test_refresh_rotates(client):
    t0 = await sms_login(client, "13712345678")
    r = await client.post(REFRESH, json={"refresh_token": t0["refresh_token"]})
    assert r.status_code == 200
    t1 = r.json()
    assert t1["refresh_token"] != t0["refresh_token"]
    assert (await client.get("/api/v1/me", headers=auth(t1["access_token"]))).status_code == 200


async def test_reused_refresh_token_revokes_the_family(client):
    t0 = await sms_login(client, "13712345678")
    t1 = (await client.post(REFRESH, json={"refresh_token": t0["refresh_token"]})).json()
    # the stolen old token comes back
    r = await client.post(REFRESH, json={"refresh_token": t0["refresh_token"]})
    assert r.status_code == 401 and r.json()["code"] == "refresh_token_reused"
    # ... and the legitimate newest token no longer works either
    r = await client.post(REFRESH, json={"refresh_token": t1["refresh_token"]})
    assert r.status_code == 401


async def test_reuse_does_not_touch_other_sign_ins(client, engine):
    from sqlalchemy import text

    a = await sms_login(client, "13712345678")
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE sms_codes SET created_at = created_at - interval '2 minutes'"))
    b = await sms_login(client, "13712345678")
    await client.post(REFRESH, json={"refresh_token": a["refresh_token"]})
    await client.post(REFRESH, json={"refresh_token": a["refresh_token"]})  # reuse on device A
    assert (await client.post(REFRESH, json={"refresh_token": b["refresh_token"]})).status_code == 200


async def test_concurrent_refresh_of_one_token_yields_one_winner(client):
    t0 = await sms_login(client, "13712345678")
    results = await asyncio.gather(*[client.post(REFRESH, json={"refresh_token": t0["refresh_token"]})
                                     for _ in range(5)])
    assert sorted(r.status_code for r in results) == [200, 401, 401, 401, 401]


async def test_logout_revokes_refresh_token(client):
    t0 = await sms_login(client, "13712345678")
    assert (await client.post("/api/v1/auth/logout", json={"refresh_token": t0["refresh_token"]})).status_code == 204
    r = await client.post(REFRESH, json={"refresh_token": t0["refresh_token"]})
    assert r.status_code == 401


async def test_unknown_refresh_token(client):
    r = await client.post(REFRESH, json={"refresh_token": "x" * 43})
    assert r.status_code == 401 and r.json()["code"] == "refresh_token_invalid"


async def test_expired_and_forged_access_tokens(client):
    t0 = await sms_login(client, "13712345678")
    key = get_settings().secret_key
    past = datetime.now(UTC) - timedelta(minutes=16)
    expired = jwt.encode({"sub": str(t0["user"]["id"]), "kind": "customer", "roles": [], "iat": past,
                          "exp": past + timedelta(minutes=15), "typ": "access"}, key, algorithm="HS256",
                         headers={"kid": key_id(key)})
    r = await client.get("/api/v1/me", headers=auth(expired))
    assert r.status_code == 401 and r.json()["code"] == "token_expired"

    forged = jwt.encode({"sub": str(t0["user"]["id"]), "kind": "staff", "roles": ["admin"],
                         "exp": datetime.now(UTC) + timedelta(minutes=5), "typ": "access"}, "not-our-key" * 4,
                        algorithm="HS256")
    r = await client.get("/api/v1/me", headers=auth(forged))
    assert r.status_code == 401 and r.json()["code"] == "token_invalid"

    none_alg = jwt.encode({"sub": "1", "exp": datetime.now(UTC) + timedelta(minutes=5), "typ": "access"}, None,
                          algorithm="none")
    assert (await client.get("/api/v1/me", headers=auth(none_alg))).status_code == 401
    assert (await client.get("/api/v1/me", headers=auth("garbage"))).json()["code"] == "token_invalid"
    assert (await client.get("/api/v1/me")).json()["code"] == "not_authenticated"


async def test_access_token_lifetime_is_15_minutes(client):
    t0 = await sms_login(client, "13712345678")
    claims = jwt.decode(t0["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 15 * 60 and t0["expires_in"] == 900
