from sqlalchemy import text

from tests.conftest import auth, last_sms_code, sms_login

CODES = "/api/v1/auth/sms-codes"
LOGIN = "/api/v1/auth/login/sms"


async def test_first_sms_login_creates_account_with_consent(client):
    tokens = await sms_login(client, "13712345678")
    assert tokens["user"]["kind"] == "customer"
    assert tokens["user"]["phone"] == "13712345678"
    assert tokens["user"]["consent_version"] == "2026-11"
    me = await client.get("/api/v1/me", headers=auth(tokens["access_token"]))
    assert me.status_code == 200 and me.json()["id"] == tokens["user"]["id"]


async def test_same_phone_can_be_customer_and_worker(client, engine):
    c = await sms_login(client, "13712345678", "customer")
    # a minute must pass between two codes to one phone: move the first one back
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE sms_codes SET created_at = created_at - interval '2 minutes'"))
    w = await sms_login(client, "13712345678", "worker")
    assert (c["user"]["kind"], w["user"]["kind"]) == ("customer", "worker")
    assert c["user"]["id"] != w["user"]["id"]


async def test_new_account_needs_consent(client):
    await client.post(CODES, json={"phone": "13712345678"})
    r = await client.post(LOGIN, json={"phone": "13712345678", "code": last_sms_code("13712345678"),
                                       "app": "customer"})
    assert r.status_code == 400 and r.json()["code"] == "consent_required"
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_code_is_single_use(client):
    await sms_login(client, "13712345678")
    r = await client.post(LOGIN, json={"phone": "13712345678", "code": last_sms_code("13712345678"),
                                       "app": "customer"})
    assert r.status_code == 400 and r.json()["code"] == "sms_code_invalid"


async def test_expired_code_is_refused(client, engine):
    await client.post(CODES, json={"phone": "13712345678"})
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE sms_codes SET expires_at = now() - interval '1 second'"))
    r = await client.post(LOGIN, json={"phone": "13712345678", "code": last_sms_code("13712345678"),
                                       "app": "customer", "consent_version": "2026-11"})
    assert r.status_code == 400 and r.json()["code"] == "sms_code_expired"


async def test_five_wrong_tries_lock_the_code(client, engine):
    await client.post(CODES, json={"phone": "13712345678"})
    right = last_sms_code("13712345678")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    codes = []
    for _ in range(5):
        r = await client.post(LOGIN, json={"phone": "13712345678", "code": wrong, "app": "customer",
                                           "consent_version": "2026-11"})
        codes.append(r.json()["code"])
    assert codes == ["sms_code_invalid"] * 4 + ["sms_code_locked"]
    r = await client.post(LOGIN, json={"phone": "13712345678", "code": right, "app": "customer",
                                       "consent_version": "2026-11"})
    assert r.status_code == 400 and r.json()["code"] == "sms_code_locked"
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM users"))).scalar() == 0


async def test_resend_limit_one_per_minute(client):
    assert (await client.post(CODES, json={"phone": "13712345678"})).status_code == 202
    r = await client.post(CODES, json={"phone": "13712345678"})
    assert r.status_code == 429 and r.json()["code"] == "sms_rate_limited"
    assert r.headers["retry-after"] == "60"


async def test_daily_limit_ten_per_phone(client, engine):
    for i in range(10):
        assert (await client.post(CODES, json={"phone": "13712345678"})).status_code == 202, i
        async with engine.begin() as conn:  # pretend the last code was sent two minutes ago
            await conn.execute(text("UPDATE sms_codes SET created_at = created_at - interval '2 minutes'"))
    r = await client.post(CODES, json={"phone": "13712345678"})
    assert r.status_code == 429
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM sms_codes"))).scalar() == 10


async def test_ip_limit(client, engine):
    async with engine.begin() as conn:
        await conn.execute(text(
            "INSERT INTO sms_codes (phone_hash, purpose, code_hash, ip, expires_at, created_at) "
            "SELECT 'h' || g, 'login', 'x', '10.0.0.1', now(), now() - interval '5 minutes' "
            "FROM generate_series(1, 30) g"))
    r = await client.post(CODES, json={"phone": "13712345678"})
    assert r.status_code == 429 and r.json()["code"] == "sms_rate_limited"


async def test_concurrent_sends_cannot_pass_the_minute_limit(client, engine):
    import asyncio

    results = await asyncio.gather(*[client.post(CODES, json={"phone": "13712345678"}) for _ in range(8)])
    assert sorted(r.status_code for r in results) == [202] + [429] * 7


async def test_no_account_oracle_on_send(client):
    await sms_login(client, "13712345678")
    known = await client.post(CODES, json={"phone": "13800000009"})
    unknown = await client.post(CODES, json={"phone": "13800000008"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()


async def test_malformed_phone_is_422_problem(client, engine):
    for phone in ["12345", "23800000000", "1380000000a", ""]:
        r = await client.post(CODES, json={"phone": phone})
        assert r.status_code == 422, phone
        body = r.json()
        assert body["code"] == "validation_error" and body["errors"][0]["field"] == "phone"
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM sms_codes"))).scalar() == 0


async def test_expired_codes_are_purged_by_the_job(client, engine):
    from anjia.accounts.tasks import purge_expired_secrets

    await client.post(CODES, json={"phone": "13712345678"})
    await client.post(CODES, json={"phone": "13712345679"})
    from anjia.core.security import lookup_hash

    async with engine.begin() as conn:
        await conn.execute(text("UPDATE sms_codes SET created_at = now() - interval '2 days' WHERE phone_hash = :h"),
                           {"h": lookup_hash("13712345678", "phone")})
    counts = await purge_expired_secrets()
    assert counts["sms_codes"] == 1
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT phone_hash FROM sms_codes"))).scalars().all() == [
            lookup_hash("13712345679", "phone")]  # the phone's keyed hash only


def test_purge_is_a_registered_periodic_job():
    from anjia.jobs import job_app

    app = job_app()
    assert "accounts:accounts.purge_expired_secrets" in app.tasks
    assert any(p.cron == "*/10 * * * *" for p in app.periodic_registry.periodic_tasks.values())

