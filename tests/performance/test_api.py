"""The API: the worker's published scorecards, the console's months, ranking, trend, export,
publishing and rules; bad input answers problem+json 4xx."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from anjia.performance import service
from tests.conftest import auth, staff_token
from tests.dispatch.helpers import worker_auth
from tests.performance.helpers import known_month

BASE = "/api/v1/admin/performance"


async def _ops(client, session, name="ops"):
    return auth(await staff_token(client, session, name, ["dispatcher"]))


async def test_operators_evaluate_rank_export_and_publish_and_the_worker_then_sees_it(client, session, world):
    a, b, c = await known_month(session, world)
    ops = await _ops(client, session)
    r = await client.post(f"{BASE}/months/2026-10/evaluate", headers=ops)
    assert r.status_code == 200 and r.json()["status"] == "draft" and r.json()["workers"] == 3, r.text
    assert r.json()["average"] == 71.5  # (90.6 + 48.9 + 75.0) / 3

    r = await client.get(f"{BASE}/months/2026-10", headers=ops)
    rows = r.json()["items"]
    assert [(x["worker_id"], x["rank"], x["score"], x["grade"]) for x in rows] == \
        [(a, 1, 90.6, "S"), (c, 2, 75.0, "B"), (b, 3, 48.9, "C")]
    r = await client.get(f"{BASE}/months/2026-10", headers=ops, params={"sort": "-punctuality"})
    assert [x["worker_id"] for x in r.json()["items"]] == [a, c, b]
    r = await client.get(f"{BASE}/months/2026-10", headers=ops, params={"sort": "overruns"})
    assert [(x["worker_id"], x["overruns"]) for x in r.json()["items"]] == [(c, 0.0), (a, 7.5), (b, 10.0)]
    r = await client.get(f"{BASE}/months/2026-10", headers=ops, params={"service_id": world["services"]["空调清洗"]})
    assert r.json()["items"] == [] and r.json()["total"] == 0
    r = await client.get(f"{BASE}/months/2026-10", headers=ops, params={"region_id": world["region_id"], "q": "阿姨"})
    assert r.json()["total"] == 2

    r = await client.get(f"{BASE}/months/2026-10/ranking.xlsx", headers=ops)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(r.content)).active
    assert [ws.cell(row=4 + i, column=5).value for i in range(3)] == [90.6, 75.0, 48.9]

    # not published yet: the worker sees nothing of it
    me = (await client.get("/api/v1/worker/performance", headers=worker_auth(b))).json()
    assert me["months"] == [] and me["weights"]["rating"] == 30 and me["late_minutes"] == 10

    r = await client.post(f"{BASE}/rules", headers=ops, json={"name": "良好奖金", "kind": "bonus", "min_score": 70,
                                                               "amount": 5000, "min_completed": 1})
    assert r.status_code == 201, r.text
    r = await client.post(f"{BASE}/months/2026-10/publish", headers=ops)
    assert r.status_code == 200 and r.json()["status"] == "published" and r.json()["bonuses"] == 10_000, r.text
    r = await client.post(f"{BASE}/months/2026-10/publish", headers=ops)
    assert r.status_code == 409 and r.json()["code"] == "performance_month_published"
    assert r.headers["content-type"] == "application/problem+json"
    r = await client.post(f"{BASE}/months/2026-10/evaluate", headers=ops)
    assert r.status_code == 409 and r.json()["code"] == "performance_month_published"

    me = (await client.get("/api/v1/worker/performance", headers=worker_auth(b))).json()
    card = me["months"][0]
    assert (card["month"], card["score"], card["grade"], card["rank"], card["workers"]) == ("2026-10", 48.9, "C", 3, 3)
    assert card["tips"] == ["rating", "punctuality", "completion"]
    punctuality = next(f for f in card["factors"] if f["key"] == "punctuality")
    assert punctuality == {"key": "punctuality", "weight": 20, "points": 6.7, "lost": 13.3, "gain": 6.6,
                           "rate": 0.3333, "count": 3, "misses": 2, "minutes": 36}
    assert me["rules"][0]["amount"] == 5000
    mine_a = (await client.get("/api/v1/worker/performance", headers=worker_auth(a))).json()["months"][0]
    assert mine_a["rewards"] == [{"kind": "bonus", "amount": 5000, "badge": None, "level_from": None,
                                  "level_to": None}]

    r = await client.get(f"{BASE}/workers/{a}/trend", headers=ops)
    assert r.json()["categories"] == ["2026-10"] and r.json()["series"]["score"] == [90.6]
    assert r.json()["series"]["acceptance"] == [8.0]
    months = (await client.get(f"{BASE}/months", headers=ops)).json()
    assert months[0]["month"] == service.previous_month().strftime("%Y-%m") and len(months) == 12
    assert next(m for m in months if m["month"] == "2026-10")["status"] == "published"


@pytest.mark.parametrize("month,status,code", [
    ("2026-13", 422, "validation_error"), ("202610", 422, "validation_error"), ("2026-1", 422, "validation_error"),
    ("1999-12", 422, "validation_error"), ("2099-01", 422, "performance_month_open"),
    ("2026-09", 404, "performance_month_not_evaluated")])
async def test_bad_months_are_problems(client, session, month, status, code):
    ops = await _ops(client, session)
    for method, path in [("GET", f"{BASE}/months/{month}"), ("POST", f"{BASE}/months/{month}/publish")]:
        r = await client.request(method, path, headers=ops)
        assert (r.status_code, r.json()["code"]) == (status, code), (method, path, r.text)
        assert r.headers["content-type"] == "application/problem+json"


async def test_the_current_month_cannot_be_evaluated(client, session):
    ops = await _ops(client, session)
    r = await client.post(f"{BASE}/months/{service.current_month().strftime('%Y-%m')}/evaluate", headers=ops)
    assert r.status_code == 422 and r.json()["code"] == "performance_month_open"


@pytest.mark.parametrize("body", [
    {"name": "无金额", "kind": "bonus", "min_score": 90},
    {"name": "无范围", "kind": "level_up"},
    {"name": "反了", "kind": "level_down", "min_score": 80, "below_score": 60},
    {"name": "多余金额", "kind": "badge", "min_score": 90, "badge": "星", "amount": 100},
    {"name": "超分", "kind": "level_up", "min_score": 101},
    {"name": "小数金额", "kind": "bonus", "min_score": 90, "amount": 12.5}])
async def test_bad_rules_are_refused(client, session, body):
    r = await client.post(f"{BASE}/rules", headers=await _ops(client, session), json=body)
    assert r.status_code == 422 and r.json()["code"] == "validation_error", r.text


async def test_rules_are_edited_and_archived(client, session):
    ops = await _ops(client, session)
    rule = (await client.post(f"{BASE}/rules", headers=ops, json={"name": "晋级", "kind": "level_up",
                                                                  "min_score": 90})).json()
    r = await client.patch(f"{BASE}/rules/{rule['id']}", headers=ops, json={"min_score": 95, "below_score": 90})
    assert r.status_code == 422 and r.json()["code"] == "performance_rule_invalid"
    r = await client.patch(f"{BASE}/rules/{rule['id']}", headers=ops, json={"min_score": 92})
    assert r.status_code == 200 and r.json()["min_score"] == 92
    assert (await client.delete(f"{BASE}/rules/{rule['id']}", headers=ops)).status_code == 204
    assert (await client.get(f"{BASE}/rules", headers=ops)).json()[0]["active"] is False
    assert (await client.patch(f"{BASE}/rules/999999", headers=ops, json={"name": "x"})).status_code == 404


async def test_support_reads_but_cannot_publish(client, session):
    support = auth(await staff_token(client, session, "kefu", ["support"]))
    assert (await client.get(f"{BASE}/months", headers=support)).status_code == 200
    r = await client.post(f"{BASE}/months/2026-10/evaluate", headers=support)
    assert r.status_code == 403
