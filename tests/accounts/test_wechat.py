import pytest

from anjia.config import get_settings
from tests.conftest import last_sms_code
from tests.fakes.wechat import FakeWechat


@pytest.fixture
def wechat(monkeypatch):
    fake = FakeWechat()
    settings = get_settings()
    monkeypatch.setattr(settings, "wechat_appid", fake.appid)
    monkeypatch.setattr(settings, "wechat_secret", fake.secret)
    monkeypatch.setattr(settings, "wechat_api_base", fake.url)
    yield fake
    fake.close()


async def test_first_wechat_login_binds_a_phone_then_signs_in_directly(client, wechat, engine):
    r = await client.post("/api/v1/auth/login/wechat", json={"code": "ok-mei-1", "app": "customer"})
    assert r.status_code == 200 and r.json()["needs_phone"] is True
    binding = r.json()["binding_token"]
    assert wechat.requests[0]["appid"] == "wx-test-appid" and wechat.requests[0]["js_code"] == "ok-mei-1"

    await client.post("/api/v1/auth/sms-codes", json={"phone": "13712345678"})
    r = await client.post("/api/v1/auth/wechat/bind-phone", json={
        "binding_token": binding, "phone": "13712345678", "code": last_sms_code("13712345678"),
        "consent_version": "2026-11"})
    assert r.status_code == 200, r.text
    user_id = r.json()["user"]["id"]
    # binding tokens are single use
    r2 = await client.post("/api/v1/auth/wechat/bind-phone", json={
        "binding_token": binding, "phone": "13712345678", "code": "000000"})
    assert r2.json()["code"] == "wechat_binding_invalid"

    r = await client.post("/api/v1/auth/login/wechat", json={"code": "ok-mei-2", "app": "customer"})
    assert r.status_code == 200 and r.json()["user"]["id"] == user_id and r.json()["access_token"]


async def test_invalid_or_reused_code(client, wechat):
    r = await client.post("/api/v1/auth/login/wechat", json={"code": "bad", "app": "customer"})
    assert r.status_code == 400 and r.json()["code"] == "wechat_code_invalid"
    await client.post("/api/v1/auth/login/wechat", json={"code": "ok-a-1", "app": "customer"})
    r = await client.post("/api/v1/auth/login/wechat", json={"code": "ok-a-1", "app": "customer"})
    assert r.json()["code"] == "wechat_code_invalid"


async def test_wechat_unconfigured(client):
    r = await client.post("/api/v1/auth/login/wechat", json={"code": "ok-a-1", "app": "customer"})
    assert r.status_code == 400 and r.json()["code"] == "wechat_not_configured"


async def test_wechat_failing_is_a_clear_problem(client, wechat, monkeypatch):
    """Wrong keys (WeChat's 40125) and an unreachable WeChat are problems for the person signing in,
    never a 500; nobody is signed in or created."""
    monkeypatch.setattr(get_settings(), "wechat_secret", "not-the-secret")
    r = await client.post("/api/v1/auth/login/wechat", json={"code": "ok-b-1", "app": "customer"})
    assert r.status_code == 400 and r.json()["code"] == "wechat_code_invalid"
    assert r.headers["content-type"].startswith("application/problem+json")
    monkeypatch.setattr(get_settings(), "wechat_api_base", "http://127.0.0.1:9")
    r = await client.post("/api/v1/auth/login/wechat", json={"code": "ok-b-2", "app": "customer"})
    assert r.status_code == 502 and r.json()["code"] == "wechat_code_invalid"
    assert wechat.used_codes == set()
