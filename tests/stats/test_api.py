"""The statistics endpoints: figures from the rollups by period and dimension (checked against the
orders), funnel, cancellation reasons, live tiles, utilisation, the audited export, roles and bad input."""
import io
import random
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import text

from anjia.core.security import now
from anjia.stats import tasks
from tests.conftest import auth, staff_token
from tests.stats.test_rollups import FIGURES, cancel, complete, customers, direct, pay, place
from tests.support import SH


async def _world_with_history(client, session, world, engine):
    rng = random.Random(7)
    people = await customers(session, world, 3)
    orders = await place(client, world, rng, people, 12)
    async with engine.begin() as conn:
        for i, o in enumerate(orders):
            o["back"] = [0, 1, 3, 9][i % 4]
            await conn.execute(text("UPDATE orders SET created_at = created_at - make_interval(days => :d) WHERE id = :i"),
                               {"d": o["back"], "i": o["id"]})
    for o in orders[:8]:
        await pay(client, o)
    assert await complete(client, world, orders[0])
    await cancel(client, orders[1], rng)
    await cancel(client, orders[10], rng)
    await tasks.refresh()
    return orders


async def test_figures_by_period_and_dimension_match_the_orders(client, session, world, engine):
    orders = await _world_with_history(client, session, world, engine)
    h = auth(await staff_token(client, session, "boss", ["finance"]))
    today = now().astimezone(SH).date()
    start = today - timedelta(days=30)
    want, _ = await direct(session)

    r = await client.get("/api/v1/admin/stats/orders", params={"from": start.isoformat(), "to": today.isoformat()}, headers=h)
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["totals"]["orders"] == len(orders) == sum(row["orders"] for row in rep["rows"])
    by_day: dict = {}
    for (day, *_), c in want.items():
        by_day[day.isoformat()] = by_day.get(day.isoformat(), 0) + c["gmv"]
    assert {row["bucket"]: row["gmv"] for row in rep["rows"]} == by_day
    t = rep["totals"]
    assert t["gmv"] == sum(c["gmv"] for c in want.values()) > 0
    assert t["avg_price"] == t["gmv"] // t["paid_orders"]
    assert t["net_amount"] == t["paid_amount"] - t["refunded_amount"]

    for by, index in (("source", 3), ("segment", 4), ("service", 2)):
        r = await client.get("/api/v1/admin/stats/orders", headers=h, params={
            "from": start.isoformat(), "to": today.isoformat(), "period": "all", "by": by})
        assert r.status_code == 200, r.text
        expected: dict = {}
        for key, c in want.items():
            k = str(key[index])
            expected[k] = [a + c[f] for a, f in zip(expected.get(k, [0] * len(FIGURES)), FIGURES, strict=True)]
        assert {row["key"]: [row[f] for f in FIGURES] for row in r.json()["rows"]} == expected
        assert all(row["label"] for row in r.json()["rows"])
    labels = {row["key"]: row["label"] for row in r.json()["rows"]}
    assert set(labels.values()) <= {"厨房深度清洁", "厨房清洁"}

    # filters: one source only, by week and by month
    src = orders[0]["source"]
    r = await client.get("/api/v1/admin/stats/orders", headers=h, params={
        "from": start.isoformat(), "to": today.isoformat(), "period": "week", "source": src,
        "region_id": world["region_id"]})
    assert r.json()["totals"]["orders"] == sum(c["orders"] for k, c in want.items() if k[3] == src)
    assert all(row["bucket"] <= today.isoformat() for row in r.json()["rows"])
    r = await client.get("/api/v1/admin/stats/orders", headers=h, params={
        "from": start.isoformat(), "to": today.isoformat(), "period": "month", "segment": "new"})
    assert r.json()["totals"]["orders"] == r.json()["totals"]["new_customers"] == 4

    fun = (await client.get("/api/v1/admin/stats/funnel", headers=h,
                            params={"from": start.isoformat(), "to": today.isoformat()})).json()
    assert [(s["step"], s["orders"]) for s in fun["steps"]] == [
        ("created", len(orders)), ("paid", 8), ("completed", 1), ("reviewed", 0)]
    assert fun["steps"][1]["rate"] == round(8 / len(orders), 4)

    can = (await client.get("/api/v1/admin/stats/cancellations", headers=h,
                            params={"from": start.isoformat(), "to": today.isoformat()})).json()
    assert can["cancelled"] == 2 and sum(r["orders"] for r in can["reasons"]) == 2 and can["reasons"][0]["label"]

    # the export: the same figures, audited
    r = await client.get("/api/v1/admin/stats/orders.xlsx", headers=h,
                         params={"from": start.isoformat(), "to": today.isoformat()})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxml")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["概览", "趋势", "按区域", "按服务", "按渠道", "按客群", "转化漏斗", "取消原因"]
    assert wb["概览"]["B2"].value == len(orders)
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM audit_logs WHERE action = 'stats.export'")) == 1


async def test_live_tiles_and_utilisation(client, session, world, engine):
    orders = await _world_with_history(client, session, world, engine)
    h = auth(await staff_token(client, session, "ops", ["dispatcher"]))
    live = (await client.get("/api/v1/admin/stats/live", headers=h)).json()
    today_orders = [o for o in orders if o["back"] == 0]
    assert live["orders_today"] == len(today_orders)
    async with engine.connect() as conn:
        gmv = await conn.scalar(text(
            "SELECT coalesce(sum(coalesce(final_total, total)), 0) FROM orders WHERE id = ANY(:ids) "
            "AND (paid_amount > 0 OR status NOT IN ('pending_payment', 'cancelled'))"),
            {"ids": [o["id"] for o in today_orders]})
    assert live["gmv_today"] == gmv
    assert live["active_workers"] == 0 and live["open_complaints"] == 0

    day = now().astimezone(SH).date()
    u = (await client.get("/api/v1/admin/stats/utilisation", headers=h,
                          params={"from": (day - timedelta(days=6)).isoformat(), "to": day.isoformat()})).json()
    assert len(u["days"]) == 7
    assert all(d["workers"] == 2 and d["capacity_hours"] == 24.0 for d in u["days"])  # two workers 08-20 daily
    assert u["days"][-1]["busy_workers"] == 1  # the order checked out today
    assert 0 <= u["utilisation"] <= 1


async def test_roles_and_bad_input(client, session, world):
    day = now().astimezone(SH).date().isoformat()
    ok = {"from": day, "to": day}
    support = auth(await staff_token(client, session, "kefu", ["support"]))
    for path in ("orders", "funnel", "cancellations", "live", "utilisation", "orders.xlsx"):
        r = await client.get(f"/api/v1/admin/stats/{path}", headers=support, params=ok)
        assert r.status_code == 403, (path, r.text)
    assert (await client.get("/api/v1/admin/stats/live", headers=auth(world["token"]))).status_code == 403
    for role in ("admin", "dispatcher", "finance", "auditor"):
        h = auth(await staff_token(client, session, f"s-{role}", [role]))
        assert (await client.get("/api/v1/admin/stats/orders", headers=h, params=ok)).status_code == 200

    h = auth(await staff_token(client, session, "boss", ["admin"]))
    for params, code in [({"from": day, "to": "2020-01-01"}, "stats_range"),
                         ({"from": "2020-01-01", "to": day}, "stats_range"),
                         ({**ok, "by": "colour"}, "validation_error"), ({**ok, "period": "hour"}, "validation_error"),
                         ({**ok, "source": "pc"}, "validation_error"), ({**ok, "segment": "returning"}, "validation_error"),
                         ({"from": day}, "validation_error")]:
        r = await client.get("/api/v1/admin/stats/orders", headers=h, params=params)
        assert r.status_code == 422 and r.json()["code"] == code, (params, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    # a month by month two years long is fine; by day it is not
    r = await client.get("/api/v1/admin/stats/orders", headers=h, params={"from": "2025-01-01", "to": "2026-10-31",
                                                                           "period": "month"})
    assert r.status_code == 200 and r.json()["totals"]["orders"] == 0 and r.json()["rows"] == []
