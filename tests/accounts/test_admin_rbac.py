"""Every admin route checks its permission: a table over all of them, found from the app itself."""
import re

import pytest
from fastapi.routing import APIRoute

from anjia.core import rbac
from anjia.core.auth import RequirePermission
from tests.conftest import auth, sms_login, staff_token

SAMPLE_BODIES = {("POST", "/api/v1/admin/staff"): {"username": "newbie", "password": "newbie123", "roles": []},
                 ("PATCH", "/api/v1/admin/staff/{staff_id}"): {"nickname": "x"}}


def _walk(routes, prefix=""):
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:
            ctx = getattr(route, "include_context", None)
            yield from _walk(original.routes, prefix + (getattr(ctx, "prefix", "") or ""))
        elif isinstance(route, APIRoute):
            yield prefix, route


def _permission(route: APIRoute) -> str | None:
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, RequirePermission):
            return dep.call.permission.code
        stack.extend(dep.dependencies)
    return None


def admin_routes(app):
    found = []
    paths = app.openapi()["paths"]
    for path, ops in paths.items():
        if not path.startswith("/api/v1/admin"):
            continue
        for method in ops:
            found.append((method.upper(), path))
    perms = {}
    for _prefix, route in _walk(app.router.routes):
        for method in route.methods:
            perms[(method, route.path)] = _permission(route)
    table = []
    for method, path in found:
        match = sorted(((len(rp), p) for (m, rp), p in perms.items() if m == method and path.endswith(rp)),
                       key=lambda x: x[0])
        table.append((method, path, match[-1][1] if match else None))  # the longest route path is this one
    return table


def test_every_admin_route_declares_a_permission(app):
    table = admin_routes(app)
    assert len(table) >= 6
    missing = [(m, p) for m, p, perm in table if perm is None]
    assert missing == []
    assert {perm for *_, perm in table} <= set(rbac.PERMISSIONS)


async def test_role_checks_on_every_admin_route(app, client, session):
    customer = (await sms_login(client, "13712345678", "customer"))["access_token"]
    from sqlalchemy import text

    from anjia.core import db
    async with db.engine().begin() as conn:
        await conn.execute(text("UPDATE sms_codes SET created_at = created_at - interval '2 minutes'"))
    worker = (await sms_login(client, "13712345678", "worker"))["access_token"]
    tokens = {"none": None, "customer": customer, "worker": worker}
    for role in [*rbac.ROLES, "no-role"]:
        tokens[role] = await staff_token(client, session, f"t_{role.replace('-', '_')}",
                                         [role] if role in rbac.ROLES else [])
    target = await staff_token(client, session, "target", [])
    from anjia.core.security import decode_access_token
    target_id = decode_access_token(target)["sub"]

    checked = 0
    for method, path, perm in admin_routes(app):
        url = re.sub(r"\{[^}]+\}", target_id, path)
        body = SAMPLE_BODIES.get((method, path))
        for who, token in tokens.items():
            r = await client.request(method, url, json=body, headers=auth(token) if token else {})
            allowed = who in rbac.ROLES and rbac.has_permission([who], perm)
            if who == "none":
                assert r.status_code == 401, (method, path, who, r.text)
            elif not allowed:
                assert r.status_code == 403, (method, path, who, r.text)
                assert r.json()["code"] == "forbidden"
            else:  # authorised: whatever the answer, it is not an auth refusal (sample bodies may not fit)
                assert r.status_code not in (401, 403) and r.status_code < 500, (method, path, who, r.text)
            checked += 1
    assert checked >= 6 * 8


async def test_admin_changes_a_staff_role_and_it_is_audited(client, session):
    admin = await staff_token(client, session, "boss", ["admin"])
    r = await client.post("/api/v1/admin/staff", headers=auth(admin),
                          json={"username": "xiaowang", "password": "wangpass1", "nickname": "小王", "roles": ["support"]})
    assert r.status_code == 201
    staff_id = r.json()["id"]
    r = await client.patch(f"/api/v1/admin/staff/{staff_id}", headers=auth(admin), json={"roles": ["dispatcher", "support"]})
    assert r.status_code == 200 and r.json()["roles"] == ["dispatcher", "support"]
    logs = (await client.get("/api/v1/admin/audit-logs", headers=auth(admin))).json()["items"]
    assert [entry["action"] for entry in logs] == ["staff.update", "staff.create"]
    assert logs[0]["before"]["roles"] == ["support"] and logs[0]["after"]["roles"] == ["dispatcher", "support"]
    assert logs[0]["actor_name"] == "boss"
    # the new role takes effect on the next sign-in
    r = await client.post("/api/v1/auth/login/password", json={"account": "xiaowang", "password": "wangpass1", "app": "admin"})
    assert r.json()["user"]["roles"] == ["dispatcher", "support"]


@pytest.mark.parametrize("body,code", [({"roles": ["emperor"]}, "invalid_role"), ({"roles": "admin"}, "validation_error")])
async def test_bad_role_updates(client, session, body, code):
    admin = await staff_token(client, session, "boss", ["admin"])
    other = await staff_token(client, session, "other", ["support"])
    from anjia.core.security import decode_access_token
    r = await client.patch(f"/api/v1/admin/staff/{decode_access_token(other)['sub']}", headers=auth(admin), json=body)
    assert r.status_code == 422 and r.json()["code"] == code


async def test_admin_cannot_remove_own_admin_role(client, session):
    admin = await staff_token(client, session, "boss", ["admin"])
    from anjia.core.security import decode_access_token
    me = decode_access_token(admin)["sub"]
    r = await client.patch(f"/api/v1/admin/staff/{me}", headers=auth(admin), json={"roles": ["support"]})
    assert r.status_code == 400 and r.json()["code"] == "cannot_demote_self"


async def test_disabled_staff_is_locked_out(client, session):
    admin = await staff_token(client, session, "boss", ["admin"])
    other = await staff_token(client, session, "other", ["support"])
    from anjia.core.security import decode_access_token
    oid = decode_access_token(other)["sub"]
    assert (await client.patch(f"/api/v1/admin/staff/{oid}", headers=auth(admin), json={"is_active": False})).status_code == 200
    r = await client.get("/api/v1/admin/users", headers=auth(other))
    assert r.status_code == 403 and r.json()["code"] == "account_disabled"


async def test_user_search_and_paging(client, session):
    for i in range(3):
        from anjia.accounts.models import User
        session.add(User(kind="customer", phone=f"1370000000{i}", nickname=f"客户{i}", roles=[]))
    session.add(User(kind="worker", phone="13900000000", nickname="刘阿姨", roles=[]))
    await session.commit()
    admin = await staff_token(client, session, "boss", ["admin"])
    r = (await client.get("/api/v1/admin/users?page_size=2", headers=auth(admin))).json()
    assert r["total"] == 4 and len(r["items"]) == 2
    r = (await client.get("/api/v1/admin/users?kind=worker", headers=auth(admin))).json()
    assert [u["nickname"] for u in r["items"]] == ["刘阿姨"]
    r = (await client.get("/api/v1/admin/users?q=客户1", headers=auth(admin))).json()
    assert r["total"] == 1
    assert (await client.get("/api/v1/admin/users?page=0", headers=auth(admin))).status_code == 422
    assert (await client.get("/api/v1/admin/users?page_size=1000", headers=auth(admin))).status_code == 422


async def test_me_tells_staff_what_their_roles_grant(client, session, world):
    """Roles without staff.read cannot read the role table: the console learns their permissions from /me."""
    me = (await client.get("/api/v1/me", headers=auth(await staff_token(client, session, "fin_me", ["finance"])))).json()
    assert me["permissions"] == rbac.permissions_of(["finance"])
    assert {"finance.read", "finance.write", "finance.approve", "payments.write"} <= set(me["permissions"])
    assert "staff.read" not in me["permissions"]
    both = (await client.get("/api/v1/me", headers=auth(await staff_token(client, session, "sup_aud",
                                                                          ["support", "auditor"])))).json()
    assert set(both["permissions"]) == set(rbac.permissions_of(["support"])) | set(rbac.permissions_of(["auditor"]))
    assert (await client.get("/api/v1/me", headers=auth(world["token"]))).json()["permissions"] == []
