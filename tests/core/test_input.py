"""Input that cannot hurt: values the database or the code after it cannot take are a 422
problem at the edge (core/types.py), never a 500, and nothing is half-written."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from tests.conftest import auth, sms_login, staff_token
from tests.core.test_problems import is_problem

SH = ZoneInfo("Asia/Shanghai")
HUGE = 2**64 + 1


def soon(days: int = 3, hour: int = 10) -> str:
    d = datetime.now(SH).date() + timedelta(days=days)
    return datetime(d.year, d.month, d.day, hour, tzinfo=SH).isoformat()


@pytest.fixture
async def admin(client, session):
    return auth(await staff_token(client, session, "boss", ["admin"]))


async def test_nul_and_control_characters_in_text_are_a_422(client, world, admin):
    h = auth(world["token"])
    address = {"contact_name": "张\x00三", "contact_phone": "13800001000", "province": "上海市", "city": "上海市",
               "district": "徐汇区", "detail": "漕溪北路 88 号", "lat": 31.195, "lng": 121.438}
    is_problem(await client.post("/api/v1/addresses", json=address, headers=h), 422, "validation_error")
    is_problem(await client.post("/api/v1/addresses", json={**address, "contact_name": "张\x1b[31m"}, headers=h),
               422, "validation_error")
    is_problem(await client.patch("/api/v1/me", json={"nickname": "a\x00"}, headers=h), 422, "validation_error")
    order = {"service_id": world["services"]["厨房清洁"], "address_id": world["address_id"], "start": soon(),
             "items": [{"code": "kitchen", "quantity": 1}], "notes": "门铃\x00坏了"}
    is_problem(await client.post("/api/v1/orders", json=order, headers=h), 422, "validation_error")
    is_problem(await client.post("/api/v1/orders", json={**order, "notes": "", "options": {"x": "a\x00"}}, headers=h),
               422, "validation_error")
    for path in ("/api/v1/admin/users", "/api/v1/admin/workers", "/api/v1/admin/orders", "/api/v1/admin/staff"):
        is_problem(await client.get(path, params={"q": "a\x00b"}, headers=admin), 422, "validation_error")
    is_problem(await client.get("/api/v1/services", params={"q": "\x00"}), 422, "validation_error")
    is_problem(await client.post("/api/v1/auth/login/password", json={"account": "x\x00", "password": "p",
                                                                      "app": "admin"}), 422, "validation_error")
    # multi-line notes keep their line breaks
    r = await client.post("/api/v1/orders", json={**order, "notes": "第一行\n第二行\t好"}, headers=h)
    assert r.status_code == 201, r.text
    async with (await _engine()).connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM addresses"))).scalar() == 1  # only the world's


async def _engine():
    from anjia.core import db

    return db.engine()


async def test_ids_beyond_64_bits_are_a_4xx_in_paths_queries_and_bodies(client, world, admin):
    h = auth(world["token"])
    for path in (f"/api/v1/orders/{HUGE}", f"/api/v1/plans/{HUGE}", f"/api/v1/services/{HUGE}",
                 f"/api/v1/orders/{2**63}", "/api/v1/orders/0"):
        is_problem(await client.get(path, headers=h), 422, "validation_error")
    is_problem(await client.get(f"/api/v1/services/{world['services']['厨房清洁']}", params={"region_id": HUGE}),
               422, "validation_error")
    is_problem(await client.get("/api/v1/admin/orders", params={"service_id": HUGE}, headers=admin),
               422, "validation_error")
    is_problem(await client.post("/api/v1/quotes", json={"service_id": HUGE}), 422, "validation_error")
    is_problem(await client.post("/api/v1/quotes", json={"service_id": world["services"]["厨房清洁"],
                                                         "region_id": HUGE}), 422, "validation_error")
    is_problem(await client.post("/api/v1/orders", json={"service_id": HUGE, "address_id": world["address_id"],
                                                         "start": soon()}, headers=h), 422, "validation_error")
    is_problem(await client.post("/api/v1/admin/services/reorder", json={"ids": [HUGE]}, headers=admin),
               422, "validation_error")
    r = await client.get(f"/api/v1/orders/{2**63 - 1}", headers=h)
    is_problem(r, 404, "order_not_found")


async def test_dates_at_the_edges_of_the_calendar_are_a_422(client, world, admin):
    h = auth(world["token"])
    kitchen = world["services"]["厨房清洁"]
    for start in ("9999-12-31T10:00:00+08:00", "0001-01-01T10:00:00+08:00"):
        is_problem(await client.post("/api/v1/quotes", json={"service_id": kitchen, "start": start}),
                   422, "validation_error")
    nanny = world["services"].get("育儿嫂") or kitchen
    is_problem(await client.post("/api/v1/quotes", json={"service_id": nanny, "start_date": "9999-12-30",
                                                         "end_date": "9999-12-31"}), 422, "validation_error")
    for span in (("0001-01-01", "0001-01-07"), ("9999-12-25", "9999-12-31")):
        r = await client.get("/api/v1/availability", headers=h, params={
            "service_id": kitchen, "address_id": world["address_id"], "from": span[0], "to": span[1]})
        is_problem(r, 422, "validation_error")
    plan = {"service_id": kitchen, "address_id": world["address_id"], "items": [{"code": "kitchen", "quantity": 1}],
            "frequency": "weekly", "weekdays": ["TU"], "start_date": "9999-12-28", "time": "14:00"}
    is_problem(await client.post("/api/v1/plans", json=plan, headers=h), 422, "validation_error")
    is_problem(await client.post("/api/v1/plans", json={**plan, "start_date": soon()[:10], "end_date": "9999-12-31"},
                                 headers=h), 422, "validation_error")
    worker = await sms_login(client, "13900001999", "worker")
    leave = {"start": "0001-01-01T00:00:00+00:00", "end": "9999-12-31T23:59:59+00:00"}
    is_problem(await client.post("/api/v1/worker/leaves", json=leave, headers=auth(worker["access_token"])),
               422, "validation_error")
    leave = {"start": soon(5).replace("+08:00", "+16:26"), "end": soon(6)}  # PostgreSQL takes ±15:59 at most
    is_problem(await client.post("/api/v1/worker/leaves", json=leave, headers=auth(worker["access_token"])),
               422, "validation_error")
    for params in ({"from": "0001-01-01"}, {"to": "9999-12-31"}):
        is_problem(await client.get("/api/v1/admin/orders", params=params, headers=admin), 422, "validation_error")
    is_problem(await client.delete("/api/v1/admin/holidays/9999-12-31", headers=admin), 422, "validation_error")
    is_problem(await client.post("/api/v1/orders", json={"service_id": kitchen, "address_id": world["address_id"],
                                                         "start": "2026-12-10T10:00:00"}, headers=h),
               422, "validation_error")  # no offset


@pytest.mark.parametrize("phone", ["1380000١٠٠٠", "13800001０００", "13８00001000"])
async def test_non_ascii_digits_are_not_phone_numbers(client, phone):
    is_problem(await client.post("/api/v1/auth/sms-codes", json={"phone": phone}), 422, "validation_error")


async def test_search_wildcards_are_literal(client, session, admin):
    from anjia.accounts.models import User

    session.add_all([User(kind="customer", phone="13800002001", nickname="王五", roles=[]),
                     User(kind="customer", phone="13800002002", nickname="100%满意", roles=[]),
                     User(kind="customer", phone="13800002003", nickname="a_b", roles=[])])
    await session.commit()
    names = lambda r: sorted(u["nickname"] for u in r.json()["items"])  # noqa: E731
    assert names(await client.get("/api/v1/admin/users", params={"q": "%"}, headers=admin)) == ["100%满意"]
    assert names(await client.get("/api/v1/admin/users", params={"q": "_"}, headers=admin)) == ["a_b"]
    assert names(await client.get("/api/v1/admin/users", params={"q": "王"}, headers=admin)) == ["王五"]


async def test_explicit_null_for_a_field_that_cannot_be_empty_is_a_422(client, world, admin):
    worker = await sms_login(client, "13900001998", "worker")
    wh = auth(worker["access_token"])
    assert (await client.patch("/api/v1/worker/availability", json={"radius_km": 5}, headers=wh)).status_code == 200
    is_problem(await client.patch("/api/v1/worker/availability", json={"radius_km": None}, headers=wh),
               422, "validation_error")
    # a column that may be emptied still takes null
    r = await client.patch("/api/v1/worker/availability", json={"home_lat": None, "home_lng": None}, headers=wh)
    assert r.status_code == 200, r.text
    wid = world["workers"][0]
    for field in ("skills", "radius_km", "level"):
        is_problem(await client.patch(f"/api/v1/admin/workers/{wid}", json={field: None}, headers=admin),
                   422, "validation_error")
    is_problem(await client.patch("/api/v1/me", json={"nickname": None}, headers=auth(world["token"])),
               422, "validation_error")
    is_problem(await client.patch(f"/api/v1/addresses/{world['address_id']}", json={"city": None},
                                  headers=auth(world["token"])), 422, "validation_error")


async def test_plan_patch_takes_a_partial_update(client, world):
    h = auth(world["token"])
    start = datetime.now(SH).date() + timedelta(days=2)
    plan = {"service_id": world["services"]["厨房清洁"], "address_id": world["address_id"],
            "items": [{"code": "kitchen", "quantity": 1}], "frequency": "weekly",
            "weekdays": ["MO"], "start_date": start.isoformat(), "time": "14:00"}
    r = await client.post("/api/v1/plans", json=plan, headers=h)
    assert r.status_code == 201, r.text
    r = await client.patch(f"/api/v1/plans/{r.json()['id']}", json={"time": "15:00"}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["time"] == "15:00" and r.json()["start_date"] == start.isoformat()


async def test_deeply_nested_json_is_refused_before_parsing(client, world):
    for depth in (33, 100_000):
        body = b'{"service_id": ' + b"[" * depth + b"]" * depth + b"}"
        is_problem(await client.post("/api/v1/quotes", content=body, headers={"content-type": "application/json"}),
                   422, "json_too_deep")
    ok = b'{"service_id": ' + str(world["services"]["厨房清洁"]).encode() + b', "items": [{"code": "kitchen"}]}'
    r = await client.post("/api/v1/quotes", content=ok, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    r = await client.get("/api/v1/availability", headers=auth(world["token"]), params={
        "service_id": world["services"]["厨房清洁"], "address_id": world["address_id"],
        "from": soon()[:10], "to": soon()[:10], "options": "[" * 1000})
    is_problem(r, 422, "validation_error")
