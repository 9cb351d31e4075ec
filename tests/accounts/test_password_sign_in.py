"""Password sign-in resists guessing: per-account and per-IP failure limits enforced in the
database, the same answer and time whether or not the account exists, sign-up that does not
reveal accounts, a password change that ends the other sign-ins, and client IPs taken from
proxy headers only from trusted proxies."""
import asyncio
import statistics
import time

import httpx
import pytest

from anjia.config import get_settings
from tests.conftest import auth, last_mail, make_staff, sms_login

LOGIN = "/api/v1/auth/login/password"


async def _customer_with_password(client, phone="13712345678", password="rightpass1") -> dict:
    t = await sms_login(client, phone)
    r = await client.post("/api/v1/me/password", json={"new_password": password}, headers=auth(t["access_token"]))
    assert r.status_code == 204
    return t


def _login(account: str, password: str, app: str = "customer") -> dict:
    return {"account": account, "password": password, "app": app}


@pytest.mark.parametrize("which, exists", [("customer", True), ("customer", False), ("worker", False),
                                         ("admin", True), ("admin", False)])
async def test_five_failures_lock_the_account_name_whether_or_not_it_exists(client, session, which, exists):
    app = which
    account = {"admin": "boss", "customer": "13712345678", "worker": "13912345678"}[app]
    if exists and app == "admin":
        await make_staff(session, "boss", ["admin"], password="rightpass1")
    elif exists:
        await _customer_with_password(client)
    answers = [await client.post(LOGIN, json=_login(account, f"wrong{i}", app)) for i in range(5)]
    assert [r.json()["code"] for r in answers] == ["invalid_credentials"] * 5
    r = await client.post(LOGIN, json=_login(account, "rightpass1", app))  # even the right password now
    assert r.status_code == 429 and r.json()["code"] == "login_locked"
    assert 0 < int(r.headers["Retry-After"]) <= 15 * 60
    # another account from the same IP is not locked
    r = await client.post(LOGIN, json=_login("someone-else", "x", app))
    assert r.json()["code"] == "invalid_credentials"


async def test_lockout_ends_when_the_failures_leave_the_window(client, engine):
    from sqlalchemy import text

    await _customer_with_password(client)
    for i in range(5):
        await client.post(LOGIN, json=_login("13712345678", f"wrong{i}"))
    assert (await client.post(LOGIN, json=_login("13712345678", "rightpass1"))).status_code == 429
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE login_attempts SET created_at = created_at - interval '16 minutes'"))
    assert (await client.post(LOGIN, json=_login("13712345678", "rightpass1"))).status_code == 200


async def test_a_success_clears_the_account_count(client):
    await _customer_with_password(client)
    for i in range(4):
        await client.post(LOGIN, json=_login("13712345678", f"wrong{i}"))
    assert (await client.post(LOGIN, json=_login("13712345678", "rightpass1"))).status_code == 200
    for i in range(4):
        assert (await client.post(LOGIN, json=_login("13712345678", f"again{i}"))).status_code == 400
    assert (await client.post(LOGIN, json=_login("13712345678", "rightpass1"))).status_code == 200


async def test_case_variants_count_as_one_account_name(client, session):
    await make_staff(session, "boss", ["admin"], password="rightpass1")
    for name in ("boss", "BOSS", "Boss", "bOss", "boSS"):
        await client.post(LOGIN, json=_login(name, "wrong", "admin"))
    assert (await client.post(LOGIN, json=_login("boss", "rightpass1", "admin"))).status_code == 429


async def test_concurrent_guesses_cannot_pass_the_account_limit(client):
    await _customer_with_password(client)
    answers = await asyncio.gather(*[client.post(LOGIN, json=_login("13712345678", f"wrong{i}"))
                                     for i in range(12)])
    codes = sorted(r.json()["code"] for r in answers)
    assert codes == ["invalid_credentials"] * 5 + ["login_locked"] * 7


async def test_per_ip_limit_across_accounts(client, app, monkeypatch):
    monkeypatch.setattr(get_settings(), "login_ip_max_failures", 8)
    for i in range(8):
        r = await client.post(LOGIN, json=_login(f"1371234{i:04d}", "wrong"))
        assert r.json()["code"] == "invalid_credentials"
    r = await client.post(LOGIN, json=_login("13799999999", "wrong"))
    assert r.status_code == 429 and r.json()["code"] == "login_rate_limited"
    # another client address is not affected
    other = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("10.0.0.2", 1)), base_url="http://test")
    async with other:
        assert (await other.post(LOGIN, json=_login("13799999999", "wrong"))).json()["code"] == "invalid_credentials"


async def test_unknown_and_known_accounts_take_the_same_time(client, monkeypatch):
    """Before: an unknown account answered ~25x faster (no argon2 at all)."""
    monkeypatch.setattr(get_settings(), "login_account_max_failures", 1000)
    monkeypatch.setattr(get_settings(), "login_ip_max_failures", 1000)
    await _customer_with_password(client)

    async def timed(account: str) -> float:
        start = time.perf_counter()
        r = await client.post(LOGIN, json=_login(account, "wrongpass1"))
        elapsed = time.perf_counter() - start
        assert r.status_code == 400 and r.json()["code"] == "invalid_credentials"
        return elapsed

    known, unknown = [], []
    for i in range(10):  # interleaved, so load on the machine hits both alike
        known.append(await timed("13712345678"))
        unknown.append(await timed(f"1370000{i:04d}"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2, (ratio, known, unknown)


async def test_password_change_ends_the_other_sign_ins(client):
    await _customer_with_password(client, password="firstpass1")
    a = (await client.post(LOGIN, json=_login("13712345678", "firstpass1"))).json()
    b = (await client.post(LOGIN, json=_login("13712345678", "firstpass1"))).json()
    r = await client.post("/api/v1/me/password", json={"old_password": "firstpass1", "new_password": "secondpass2"},
                          headers=auth(a["access_token"]))
    assert r.status_code == 204
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": b["refresh_token"]})
    assert r.status_code == 401 and r.json()["code"] == "refresh_token_invalid"
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": a["refresh_token"]})
    assert r.status_code == 200  # the sign-in that changed the password stays


async def test_sign_up_does_not_reveal_registered_addresses(client):
    body = {"email": "mei@example.com", "password": "secret123", "app": "customer", "consent_version": "2026-11"}
    first = await client.post("/api/v1/auth/register/email", json=body)
    verification = last_mail("mei@example.com")
    assert "token=" in verification["body"]
    again = await client.post("/api/v1/auth/register/email", json={**body, "password": "other1234"})
    assert (first.status_code, first.json()) == (again.status_code, again.json()) == \
        (202, {"email": "mei@example.com", "expires_in": 86400})
    notice = last_mail("mei@example.com")
    assert "已注册" in notice["subject"] and "token=" not in notice["body"]
    # the second sign-up changed nothing: the first registration's password holds
    token = verification["body"].split("token=")[1].split()[0]
    assert (await client.post("/api/v1/auth/email/verify", json={"token": token})).status_code == 200
    assert (await client.post(LOGIN, json=_login("mei@example.com", "other1234"))).status_code == 400
    assert (await client.post(LOGIN, json=_login("mei@example.com", "secret123"))).status_code == 200


async def test_email_change_does_not_reveal_other_accounts(client):
    body = {"email": "mei@example.com", "password": "secret123", "app": "customer", "consent_version": "2026-11"}
    await client.post("/api/v1/auth/register/email", json=body)
    t = await sms_login(client, "13712345678")
    h = auth(t["access_token"])
    taken = await client.patch("/api/v1/me", json={"email": "mei@example.com"}, headers=h)
    free = await client.patch("/api/v1/me", json={"email": "free@example.com"}, headers=h)
    assert taken.status_code == free.status_code == 200
    # only the mailbox's owner, following the link, learns that the address is in use
    token = last_mail("mei@example.com")["body"].split("token=")[1].split()[0]
    r = await client.post("/api/v1/auth/email/verify", json={"token": token})
    assert r.status_code == 409 and r.json()["code"] == "email_taken"


async def test_spoofed_forwarded_for_does_not_reset_the_sms_ip_limit(tmp_path):
    """Through `anjia serve` (uvicorn used to believe X-Forwarded-For from any loopback client)."""
    import os

    from tests.support import CliServer

    server = CliServer(tmp_path, {**os.environ, "SMS_IP_HOURLY_LIMIT": "3"})
    try:
        codes = []
        for i in range(6):
            r = httpx.post(server.url + "/api/v1/auth/sms-codes", json={"phone": f"1371234{i:04d}"},
                           headers={"X-Forwarded-For": f"203.0.113.{i}", "X-Real-IP": f"198.51.100.{i}"})
            codes.append(r.status_code)
        assert codes == [202, 202, 202, 429, 429, 429]
    finally:
        server.stop()


async def test_forwarded_for_is_believed_from_trusted_proxies_only(app, monkeypatch):
    """TRUSTED_PROXIES=127.0.0.1 (nginx on the same host): its X-Forwarded-For names the client;
    the same header from anyone else is ignored."""
    from anjia.core.middleware import ClientIP

    seen = []

    async def echo(scope, receive, send):
        seen.append(scope["client"][0])

    monkeypatch.setattr(get_settings(), "trusted_proxies", "127.0.0.1, 10.1.0.0/16")
    mw = ClientIP(echo)

    async def call(peer: str, headers: dict[str, str]) -> str:
        scope = {"type": "http", "client": (peer, 1), "headers": [(k.lower().encode(), v.encode())
                                                                 for k, v in headers.items()]}
        await mw(scope, None, None)
        return seen[-1]

    assert await call("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}) == "203.0.113.9"
    # a client's own forged entry sits left of what our proxies appended: the right-most untrusted wins
    assert await call("127.0.0.1", {"X-Forwarded-For": "1.2.3.4, 203.0.113.9, 10.1.2.3"}) == "203.0.113.9"
    assert await call("127.0.0.1", {"X-Real-IP": "198.51.100.7"}) == "198.51.100.7"
    assert await call("127.0.0.1", {"X-Forwarded-For": "not-an-ip"}) == "127.0.0.1"
    assert await call("192.0.2.1", {"X-Forwarded-For": "203.0.113.9"}) == "192.0.2.1"  # not a proxy of ours
    monkeypatch.setattr(get_settings(), "trusted_proxies", "")
    mw = ClientIP(echo)  # read once when the app is built
    assert await call("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}) == "127.0.0.1"  # default: none trusted
