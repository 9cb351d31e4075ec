"""Bad input gets a clear problem+json 4xx and writes nothing."""
import pytest
from sqlalchemy import text

from tests.conftest import auth, sms_login


def is_problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == code and body["status"] == status and body["title"] and body["detail"]
    assert "Traceback" not in r.text
    return body


async def test_malformed_json(client):
    r = await client.post("/api/v1/auth/sms-codes", content=b'{"phone": ', headers={"content-type": "application/json"})
    is_problem(r, 400, "malformed_json")


async def test_oversized_body_with_and_without_length(client, engine):
    big = b'{"phone": "' + b"1" * 2_000_000 + b'"}'
    is_problem(await client.post("/api/v1/auth/sms-codes", content=big,
                                 headers={"content-type": "application/json"}), 413, "body_too_large")

    async def chunks():
        for _ in range(40):
            yield b"x" * 50_000

    is_problem(await client.post("/api/v1/auth/sms-codes", content=chunks(),
                                 headers={"content-type": "application/json"}), 413, "body_too_large")
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM sms_codes"))).scalar() == 0


async def test_validation_messages_follow_language(client):
    zh = is_problem(await client.post("/api/v1/auth/login/sms", json={"phone": "138"}), 422, "validation_error")
    en = is_problem(await client.post("/api/v1/auth/login/sms", json={"phone": "138"},
                                      headers={"Accept-Language": "en-US"}), 422, "validation_error")
    assert zh["title"] == "请求参数有误" and en["title"] == "The request has invalid fields"
    fields = {e["field"] for e in en["errors"]}
    assert {"phone", "code", "app"} <= fields


async def test_unknown_route_and_method(client):
    is_problem(await client.get("/api/v1/nope"), 404, "not_found")
    is_problem(await client.delete("/api/v1/health"), 405, "method_not_allowed")


@pytest.mark.parametrize("path", ["/api/v1/admin/users", "/api/v1/admin/staff", "/api/v1/admin/audit-logs"])
async def test_worker_token_on_admin_endpoint(client, path):
    worker = await sms_login(client, "13912345678", "worker")
    is_problem(await client.get(path, headers=auth(worker["access_token"])), 403, "forbidden")


async def test_huge_path_id_is_a_4xx(client, session):
    from tests.conftest import staff_token

    token = await staff_token(client, session, "boss", ["admin"])
    r = await client.patch("/api/v1/admin/staff/99999999999999999999999", json={}, headers=auth(token))
    assert r.status_code == 422
    r = await client.patch("/api/v1/admin/staff/424242", json={}, headers=auth(token))
    is_problem(r, 404, "not_found")


async def test_wrong_types_and_extra_large_strings(client):
    is_problem(await client.post("/api/v1/auth/login/password", json={"account": "a" * 300, "password": "x", "app": "admin"}),
               422, "validation_error")
    is_problem(await client.post("/api/v1/auth/login/password", json=["not", "an", "object"]), 422, "validation_error")
    is_problem(await client.post("/api/v1/auth/login/password", json={"account": "a", "password": "x", "app": "root"}),
               422, "validation_error")


async def test_health(client):
    r = await client.get("/api/v1/health")
    assert r.json() == {"status": "ok", "database": "ok"}


async def test_metrics_exposed_to_loopback(app):
    import httpx

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 1234))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as local:
        await local.get("/api/v1/health")
        r = await local.get("/metrics")
    assert r.status_code == 200 and "anjia_http_requests_total" in r.text
