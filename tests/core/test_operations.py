"""Operations: /metrics is not public, security headers and a CSP on every answer, 405 with Allow."""
import httpx
import pytest

from anjia.config import get_settings
from anjia.core.middleware import inline_script_hashes


def _client(app, ip: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(ip, 1234)), base_url="http://test")


async def test_metrics_only_from_loopback_without_a_token(app):
    """Before: 200 for anyone."""
    async with _client(app, "10.0.0.1") as remote, _client(app, "127.0.0.1") as local:
        r = await remote.get("/metrics")
        assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
        assert "anjia_http_requests_total" not in r.text
        r = await local.get("/metrics")
        assert r.status_code == 200 and "anjia_http_requests_total" in r.text


async def test_metrics_with_a_token_from_anywhere(app, monkeypatch):
    monkeypatch.setattr(get_settings(), "metrics_token", "m" * 40)
    async with _client(app, "10.0.0.1") as remote, _client(app, "127.0.0.1") as local:
        for c in (remote, local):
            r = await c.get("/metrics")
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
            assert (await c.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
            r = await c.get("/metrics", headers={"Authorization": "Bearer " + "m" * 40})
            assert r.status_code == 200 and "anjia_http_requests_total" in r.text


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/me", "/api/v1/nowhere", "/metrics"])
async def test_api_answers_carry_security_headers(client, path):
    r = await client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


async def test_front_end_pages_get_a_csp_with_their_inline_script_hashes(monkeypatch):
    """The three built apps (uni-app H5 has an inline viewport script; Element Plus inline styles)."""
    from anjia.app import create_app
    from tests.support import ROOT

    monkeypatch.setattr(get_settings(), "web_dir", ROOT / "web")
    app = create_app(run_jobs=False, serve_frontends=True)
    async with _client(app, "10.0.0.1") as c:
        for prefix, index in (("/", "web/customer/dist/build/h5/index.html"),
                              ("/worker/", "web/worker/dist/build/h5/index.html"),
                              ("/admin/", "web/admin/dist/index.html")):
            r = await c.get(prefix)
            assert r.status_code == 200, prefix
            csp = r.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "'unsafe-eval'" not in csp and "frame-ancestors 'none'" in csp
            assert "style-src 'self' 'unsafe-inline'" in csp
            for h in inline_script_hashes((ROOT / index).read_text("utf-8")):
                assert h in csp, (prefix, h)
            assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"


def test_inline_script_hashes():
    html = '<script>alert(1)</script><script type="module" src="/a.js"></script><SCRIPT>x</SCRIPT>'
    assert inline_script_hashes(html) == ["'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='",
                                          "'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE='"]


@pytest.mark.parametrize("method, path, allow", [
    ("PUT", "/api/v1/me", "DELETE, GET, HEAD, PATCH"),
    ("DELETE", "/api/v1/health", "GET, HEAD"),
    ("GET", "/api/v1/auth/login/password", "POST"),
])
async def test_405_names_the_allowed_methods(client, method, path, allow):
    """Before: a 405 problem without Allow."""
    r = await client.request(method, path)
    assert r.status_code == 405 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "method_not_allowed"
    assert r.headers["allow"] == allow


async def test_customer_pages_may_post_the_unionpay_form_to_its_gateway_only_when_offered(monkeypatch):
    """The cashier builds UnionPay's auto-posting form: form-action must name the gateway, and only it."""
    from anjia.app import create_app
    from tests.support import ROOT

    monkeypatch.setattr(get_settings(), "web_dir", ROOT / "web")
    monkeypatch.setattr(get_settings(), "payment_providers", "sandbox")
    async with _client(create_app(run_jobs=False, serve_frontends=True), "10.0.0.1") as c:
        assert "form-action 'self';" in (await c.get("/")).headers["content-security-policy"]
    monkeypatch.setattr(get_settings(), "payment_providers", "sandbox, unionpay")
    monkeypatch.setattr(get_settings(), "unionpay_front_url", "https://gateway.test.95516.com:8443/gateway/api/front.do")
    async with _client(create_app(run_jobs=False, serve_frontends=True), "10.0.0.1") as c:
        csp = (await c.get("/")).headers["content-security-policy"]
        assert "form-action 'self' https://gateway.test.95516.com:8443;" in csp
        assert (await c.get("/api/v1/health")).headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


async def test_a_write_is_committed_before_its_answer_is_sent(app, world):
    """Before: the request's session committed after the response went out (FastAPI ends request-scoped
    dependencies after sending), so a browser sent on to the sandbox cashier by a 201 could ask for a
    payment not yet committed (404), and a failed commit still answered 201."""
    from sqlalchemy import text

    from anjia.core import db
    from tests.conftest import auth
    from tests.support import next_weekday

    seen: list[int] = []

    async def probe(scope, receive, send):
        async def watched(message):
            if message["type"] == "http.response.start" and scope["path"].endswith("/payments"):
                async with db.sessionmaker()() as s:  # another connection: sees committed rows only
                    seen.append(await s.scalar(text("SELECT count(*) FROM payments")))
            await send(message)
        await app(scope, receive, watched)

    h = auth(world["token"])
    async with _client(probe, "10.0.0.1") as c:
        order = (await c.post("/api/v1/orders", headers=h, json={
            "service_id": world["services"]["全屋清洁"], "address_id": world["address_id"],
            "start": next_weekday(2, 10).isoformat(), "hours": 3, "options": {}})).json()
        r = await c.post(f"/api/v1/orders/{order['id']}/payments", headers=h, json={"method": "sandbox"})
    assert r.status_code == 201, r.text
    assert seen == [1]
