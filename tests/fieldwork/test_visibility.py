"""What each party sees of a customer's address: every worker, customer and staff view of an
order, asked by each kind of caller, checked for the street, house number, coordinates, phone and
navigation links (table-driven). Before: an offered or withdrawn worker got the exact street and
coordinates inside the navigation links of the order detail."""
import json

import pytest
from sqlalchemy import text

from anjia.accounts.models import User
from anjia.core.security import create_access_token
from anjia.workforce import seed as workforce_seed
from tests.conftest import auth, staff_token
from tests.dispatch.helpers import paid_order, worker_auth
from tests.support import next_weekday

# the world fixture's address: 上海市徐汇区漕溪北路 88 号, (31.195, 121.438), 13800001000
SECRETS = {"street": "漕溪北路", "house number": "88 号", "lat": "31.195", "lng": "121.438",
           "phone": "13800001000", "nav links": "uri.amap.com"}
OPEN = object()  # the full address
AREA = object()  # district only: none of SECRETS
GONE = object()  # 404


def leaks(body) -> set[str]:
    dumped = json.dumps(body, ensure_ascii=False)
    return {name for name, marker in SECRETS.items() if marker in dumped}


@pytest.fixture
async def scene(client, session, world, engine):
    """Order A: offered to both workers, accepted by worker 0 (worker 1's offer withdrawn).
    Order B: offered to both, still open; worker 1's offer expired. A third worker was never offered."""
    w3 = User(kind="worker", phone="13900009999", nickname="局外人", roles=[])
    session.add(w3)
    await session.flush()
    await workforce_seed.seed_worker(session, w3.id, world["region_id"], ["appliance"], 31.30, 121.50)
    await session.commit()
    w0, w1 = world["workers"]
    order_b, _ = await paid_order(client, session, world)
    order_a, _ = await paid_order(client, session, world, start=next_weekday(3, 10))
    views = {}
    # before acceptance, as offered workers
    views["offer list (offered)"] = (await client.get("/api/v1/worker/offers", headers=worker_auth(w1))).json()
    views["detail (offered)"] = (await client.get(f"/api/v1/worker/orders/{order_a['id']}",
                                                  headers=worker_auth(w1))).json()
    b_offered_before = views["offer list (offered)"]
    assert {o["order_id"] for o in b_offered_before} >= {order_a["id"]}
    r = await client.post(f"/api/v1/worker/orders/{order_a['id']}/accept", headers=worker_auth(w0))
    assert r.status_code == 200, r.text
    views["accept answer (assigned)"] = r.json()
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE offers SET status = 'expired' WHERE order_id = :o AND worker_id = :w"),
                           {"o": order_b["id"], "w": w1})
    return {"a": order_a["id"], "b": order_b["id"], "w0": w0, "w1": w1, "w3": w3.id, "views": views}


async def _get(client, url, headers):
    r = await client.get(url, headers=headers)
    return GONE if r.status_code == 404 else (r.status_code, r.json())


def _check(name, got, expected) -> str | None:
    """None when the view shows what it should, else what went wrong."""
    if expected is GONE:
        return None if got is GONE else f"{name}: visible, expected 404"
    if got is GONE:
        return f"{name}: 404"
    status, body = got
    if status != 200:
        return f"{name}: {status}"
    found = leaks(body)
    if expected is AREA:
        if found:
            return f"{name}: shows {sorted(found)}"
        if "徐汇区" not in json.dumps(body, ensure_ascii=False):  # the district is always given
            return f"{name}: no district"
    elif not {"street", "house number"} <= found:
        return f"{name}: the full address is missing"
    return None


async def test_every_view_of_an_order_by_every_caller(client, session, world, scene, engine):
    a, b, w0, w1, w3 = scene["a"], scene["b"], scene["w0"], scene["w1"], scene["w3"]
    wrong = [_check(name, (200, body), OPEN if "assigned" in name else AREA) for name, body in scene["views"].items()]

    other_customer = User(kind="customer", phone="13800002000", nickname="别人", roles=[])
    session.add(other_customer)
    await session.commit()
    owner = auth(world["token"])
    stranger = auth(create_access_token(other_customer.id, "customer", []))
    staff = {role: auth(await staff_token(client, session, f"v-{role}", [role]))
             for role in ("admin", "dispatcher", "support", "finance", "auditor")}

    table = [
        # worker views
        ("worker offer list, offered worker (order B)", "/api/v1/worker/offers", worker_auth(w0), AREA),
        ("worker detail, withdrawn offer", f"/api/v1/worker/orders/{a}", worker_auth(w1), AREA),
        ("worker detail, expired offer", f"/api/v1/worker/orders/{b}", worker_auth(w1), AREA),
        ("worker detail, still offered", f"/api/v1/worker/orders/{b}", worker_auth(w0), AREA),
        ("worker detail, assigned in the window", f"/api/v1/worker/orders/{a}", worker_auth(w0), OPEN),
        ("worker order list, assigned", "/api/v1/worker/orders", worker_auth(w0), OPEN),
        ("worker detail, never offered", f"/api/v1/worker/orders/{a}", worker_auth(w3), GONE),
        # customer views
        ("customer detail, owner", f"/api/v1/orders/{a}", owner, OPEN),
        ("customer list, owner", "/api/v1/orders", owner, OPEN),
        ("customer detail, other customer", f"/api/v1/orders/{a}", stranger, GONE),
        # staff views
        *[(f"admin detail, {role}", f"/api/v1/admin/orders/{a}", h,
           OPEN if role in ("admin", "dispatcher", "support") else AREA) for role, h in staff.items()],
        *[(f"admin list, {role}", "/api/v1/admin/orders", h, AREA) for role, h in staff.items()],
    ]
    for name, url, headers, expected in table:
        wrong.append(_check(name, await _get(client, url, headers), expected))

    # phone and navigation: the assigned worker only, and only during the service window
    detail = (await client.get(f"/api/v1/worker/orders/{a}", headers=worker_auth(w0))).json()
    assert {"phone", "nav links", "lat", "lng"} <= leaks(detail)
    async with engine.begin() as conn:  # the visit was two days ago
        await conn.execute(text("UPDATE orders SET scheduled_start = now() - interval '50 hours', "
                                "scheduled_end = now() - interval '48 hours' WHERE id = :o"), {"o": a})
    wrong.append(_check("worker detail, assigned after the window",
                        await _get(client, f"/api/v1/worker/orders/{a}", worker_auth(w0)), AREA))
    bad = [w for w in wrong if w]
    assert not bad, "\n".join(bad)
    # offered workers see district and distance instead
    offered = (await client.get(f"/api/v1/worker/orders/{b}", headers=worker_auth(w0))).json()
    assert offered["distance_km"] is not None and offered["navigation"] == {} and offered["customer"]["phone"] is None

    # realtime: nothing a worker's socket received carries the address
    async with engine.connect() as conn:
        payloads = (await conn.execute(text("SELECT payload::text FROM events WHERE topic = ANY(:t)"),
                                       {"t": [f"user:{w}" for w in (w0, w1, w3)]})).scalars().all()
    assert payloads and not leaks(payloads)


async def test_staff_reads_of_personal_data_are_audited(client, session, world, scene, engine):
    a = scene["a"]
    for role in ("admin", "dispatcher", "support", "finance", "auditor"):
        h = auth(await staff_token(client, session, f"a-{role}", [role]))
        assert (await client.get(f"/api/v1/admin/orders/{a}", headers=h)).status_code == 200
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT actor_name, target_type, target_id FROM audit_logs "
                                        "WHERE action = 'personal_data.read' ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [(f"a-{role}", "order", str(a)) for role in ("admin", "dispatcher", "support")]
