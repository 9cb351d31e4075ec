"""Finance reports equal hand-computed sums for a small day: two orders paid through the
sandbox, one of them cancelled late (20 % fee kept, the rest refunded); the xlsx export opens
with openpyxl and its totals match; the overview shows the day and the balances."""
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from anjia.finance import service as finance
from tests.finance.helpers import cancel, fee_on_cancel, finance_staff, paid

REPORTS = "/api/v1/admin/finance/reports"


async def _day(client, session, world) -> dict:
    await fee_on_cancel(session)
    kept, _ = await paid(client, world, 1, 9)
    gone, _ = await paid(client, world, 1, 14)
    await cancel(client, session, world, gone["id"])
    fee = gone["total"] * 2000 // 10_000
    return {"revenue": 0, "cancel_fees": fee, "collected": kept["total"] + gone["total"],
            "refunds": gone["total"] - fee, "coupon_expense": 0, "payables_accrued": 0, "payables_paid": 0}


async def test_report_figures_are_the_hand_computed_sums(client, session, world):
    want = await _day(client, session, world)
    h = await finance_staff(client, session)
    today = finance.today().isoformat()
    r = await client.get(REPORTS, headers=h, params={"from": today, "to": today})
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["totals"] == want
    assert [row["bucket"] for row in rep["rows"]] == [today] and rep["rows"][0]["group"] is None
    assert rep["chart"]["buckets"] == [today]
    assert {s["metric"]: s["data"] for s in rep["chart"]["series"]} == {k: [v] for k, v in want.items()}
    assert [m["key"] for m in rep["metrics"]] == list(want)

    by = {}
    for group_by in ("provider", "region", "service"):
        rep = (await client.get(REPORTS, headers=h, params={"from": today, "to": today, "group_by": group_by})).json()
        assert rep["totals"] == want
        by[group_by] = {(row["group_label"], row["collected"], row["refunds"], row["cancel_fees"]) for row in rep["rows"]}
    assert by["provider"] == {("模拟支付（开发）", want["collected"], want["refunds"], 0),
                              ("无支付渠道", 0, 0, want["cancel_fees"])}  # the fee entry names the order only
    assert by["region"] == {("上海", want["collected"], want["refunds"], want["cancel_fees"])}
    assert by["service"] == {("厨房深度清洁", want["collected"], want["refunds"], want["cancel_fees"])}

    month = (await client.get(REPORTS, headers=h, params={"period": "month", "from": today, "to": today})).json()
    assert month["totals"] == want and month["rows"][0]["bucket"] == today[:8] + "01"

    overview = (await client.get("/api/v1/admin/finance/overview", headers=h)).json()
    assert overview["today"]["totals"] == want and overview["month"]["totals"] == want
    balances = {b["code"]: b for b in overview["balances"]}
    assert balances["clearing:sandbox"]["balance"] == want["collected"] - want["refunds"]
    assert balances["clearing:sandbox"]["label"] == "支付渠道待清算·模拟支付（开发）"
    assert balances["cancel_fees"]["balance"] == want["cancel_fees"]


async def test_the_xlsx_export_opens_and_its_totals_match(client, session, world):
    want = await _day(client, session, world)
    h = await finance_staff(client, session)
    today = finance.today().isoformat()
    r = await client.get(f"{REPORTS}.xlsx", headers=h, params={"from": today, "to": today, "group_by": "provider"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    ws = load_workbook(BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:4] == ("日期", "支付渠道", "平台收入（佣金）", "取消费收入")
    body, totals = rows[2:-1], rows[-1]
    assert totals[0] == "合计" and len(body) == 2
    for i, key in enumerate(want, start=2):
        assert Decimal(str(totals[i])) == Decimal(want[key]) / 100, key
        assert sum(Decimal(str(row[i])) for row in body) == Decimal(str(totals[i]))
    assert ws.cell(row=3, column=3).number_format == "#,##0.00"
    assert isinstance(ws.cell(row=ws.max_row, column=5).value, (int, float))


async def test_bad_report_input_is_a_clear_problem(client, session, world):
    h = await finance_staff(client, session)
    for params in ({"from": "2026-03-02", "to": "2026-03-01"}, {"from": "2024-01-01", "to": "2026-01-01"},
                   {"period": "month", "from": "2020-01-01", "to": "2026-01-01"}):
        r = await client.get(REPORTS, headers=h, params=params)
        assert r.status_code == 422 and r.json()["code"] == "report_range", r.text
    r = await client.get(REPORTS, headers=h, params={"period": "week"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(REPORTS, headers=h, params={"from": "1999-01-01"})).status_code == 422
