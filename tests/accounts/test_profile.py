from sqlalchemy import text

from tests.conftest import auth, last_mail, sms_login


async def test_password_login_and_change(client, session):
    t = await sms_login(client, "13712345678")
    h = auth(t["access_token"])
    r = await client.post("/api/v1/me/password", json={"new_password": "short"}, headers=h)
    assert r.status_code == 422
    assert (await client.post("/api/v1/me/password", json={"new_password": "newpass123"}, headers=h)).status_code == 204
    r = await client.post("/api/v1/auth/login/password",
                          json={"account": "13712345678", "password": "newpass123", "app": "customer"})
    assert r.status_code == 200
    r = await client.post("/api/v1/me/password", json={"old_password": "wrong", "new_password": "other1234"},
                          headers=h)
    assert r.status_code == 400 and r.json()["code"] == "wrong_password"
    r = await client.post("/api/v1/auth/login/password",
                          json={"account": "13712345678", "password": "nope", "app": "customer"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_credentials"
    # the worker app does not accept a customer's credentials
    r = await client.post("/api/v1/auth/login/password",
                          json={"account": "13712345678", "password": "newpass123", "app": "worker"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_credentials"


async def test_email_registration_needs_verification(client):
    body = {"email": "Mei@Example.com", "password": "secret123", "app": "customer", "consent_version": "2026-11"}
    r = await client.post("/api/v1/auth/register/email", json=body)
    assert r.status_code == 202 and r.json() == {"email": "mei@example.com", "expires_in": 86400}
    mail = last_mail("mei@example.com")
    login = {"account": "mei@example.com", "password": "secret123", "app": "customer"}
    assert (await client.post("/api/v1/auth/login/password", json=login)).json()["code"] == "email_not_verified"
    token = mail["body"].split("token=")[1].split()[0]
    r = await client.post("/api/v1/auth/email/verify", json={"token": token})
    assert r.status_code == 200 and r.json()["email_verified"] is True
    assert (await client.post("/api/v1/auth/email/verify", json={"token": token})).json()["code"] == "email_token_invalid"
    assert (await client.post("/api/v1/auth/login/password", json=login)).status_code == 200


async def test_profile_edit_and_consent(client):
    t = await sms_login(client, "13712345678")
    h = auth(t["access_token"])
    r = await client.patch("/api/v1/me", json={"nickname": "小美"}, headers=h)
    assert r.status_code == 200 and r.json()["nickname"] == "小美"
    assert (await client.patch("/api/v1/me", json={"nickname": ""}, headers=h)).status_code == 422
    assert (await client.patch("/api/v1/me", json={"avatar_url": "javascript:alert(1)"}, headers=h)).status_code == 422
    r = await client.post("/api/v1/me/consent", json={"version": "2027-01"}, headers=h)
    assert r.json()["consent_version"] == "2027-01"


async def test_delete_account_anonymises_and_revokes(client, engine):
    t = await sms_login(client, "13712345678")
    h = auth(t["access_token"])
    await client.patch("/api/v1/me", json={"nickname": "小美"}, headers=h)
    assert (await client.delete("/api/v1/me", headers=h)).status_code == 204
    assert (await client.get("/api/v1/me", headers=h)).status_code == 401
    assert (await client.post("/api/v1/auth/refresh", json={"refresh_token": t["refresh_token"]})).status_code == 401
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT phone_sealed, phone_hash, phone_last4, nickname, password_hash, "
                                       "deleted_at FROM users"))).one()
    assert row.phone_sealed is None and row.phone_hash is None and row.phone_last4 is None and row.nickname == "已注销用户" and row.password_hash is None and row.deleted_at
    # the phone can start afresh
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE sms_codes SET created_at = created_at - interval '2 minutes'"))
    again = await sms_login(client, "13712345678")
    assert again["user"]["id"] != t["user"]["id"]


async def test_masked_phone_for_staff_views(client, session):
    from tests.conftest import staff_token

    await sms_login(client, "13712345678")
    token = await staff_token(client, session, "ops1", ["support"])
    r = await client.get("/api/v1/admin/users", headers=auth(token))
    assert r.json()["items"][0]["phone"] == "137****5678"
