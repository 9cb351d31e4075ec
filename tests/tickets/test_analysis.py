"""The console's analysis on a known set of tickets, and its xlsx export."""
from collections import Counter
from io import BytesIO

from openpyxl import load_workbook

from anjia.support import service
from anjia.support.analysis import SH
from tests.tickets.helpers import complain, finished, resolve, support_staff, work


async def _known_set(client, session, world, staff, staff_id):
    """3 complaints (2 resolved: one upheld with a ¥10 refund), a suggestion and a follow-up."""
    o1, w1 = await finished(client, session, world, week=0)
    o2, w2 = await finished(client, session, world, week=1)
    o3, w3 = await finished(client, session, world, week=2)
    t1 = await complain(client, world, o1["id"], category="quality", content="厨房没擦干净")
    await work(client, staff, staff_id, t1["id"])
    await resolve(client, staff, t1["id"], compensation={"kind": "refund", "amount": 1_000}, root_cause="worker_skill")
    t2 = await complain(client, world, o2["id"], category="attitude", content="师傅说话不耐烦")
    await work(client, staff, staff_id, t2["id"])
    await resolve(client, staff, t2["id"], upheld=False, root_cause="customer", result="沟通误会，已解释")
    await complain(client, world, None, category="pricing", content="价格比别家贵")
    await complain(client, world, None, kind="suggestion", category="other", content="希望增加晚间时段")
    await service.open_follow_up(session, order_id=o3["id"], review_id=1, reason="评分 2 星")
    await session.commit()
    return w1, w2, w3


async def test_figures_by_every_dimension_on_a_known_set(client, session, world):
    staff, staff_id = await support_staff(client, session)
    w1, w2, w3 = await _known_set(client, session, world, staff, staff_id)
    today = service.now().astimezone(SH).date()
    r = await client.get(f"/api/v1/admin/support/analysis?from={today}&to={today}", headers=staff)
    a = r.json()
    assert r.status_code == 200, a
    assert (a["total"], a["complaints"], a["suggestions"], a["follow_ups"]) == (5, 3, 1, 1)
    assert (a["resolved"], a["upheld"], a["upheld_rate"]) == (2, 1, 0.5)
    assert (a["compensation_refunds"], a["compensation_coupons"], a["overdue"]) == (1_000, 0, 0)
    assert {b["label"]: b["total"] for b in a["by_category"]} == {"服务质量": 2, "服务态度": 1, "收费问题": 1, "其他": 1}
    assert {b["label"]: b["total"] for b in a["by_status"]} == {"待受理": 3, "已处理": 2}
    assert {b["key"]: (b["total"], b["upheld"], b["compensation"]) for b in a["by_root_cause"]} == {
        "worker_skill": (1, 1, 1_000), "customer": (1, 0, 0), "": (3, 0, 0)}
    expected = Counter([w1, w2, w3])
    assert {int(b["key"]): b["total"] for b in a["by_worker"]} == dict(expected)
    assert a["by_worker"][0]["complaints"] >= a["by_worker"][-1]["complaints"]
    assert [(b["label"], b["total"]) for b in a["by_service"]] == [("厨房深度清洁", 3)]
    assert [b["total"] for b in a["by_region"]] == [3]
    assert [(p["day"], p["opened"], p["complaints"], p["resolved"]) for p in a["trend"]] == [(str(today), 5, 3, 2)]
    only = (await client.get(f"/api/v1/admin/support/analysis?from={today}&to={today}&kind=suggestion",
                              headers=staff)).json()
    assert only["total"] == 1 and only["by_category"][0]["label"] == "其他"
    r = await client.get(f"/api/v1/admin/support/analysis?from={today}&to=2000-01-01", headers=staff)
    assert r.status_code == 422 and r.json()["code"] == "ticket_analysis_range"


async def test_the_xlsx_holds_the_same_figures_and_the_tickets(client, session, world):
    staff, staff_id = await support_staff(client, session)
    await _known_set(client, session, world, staff, staff_id)
    today = service.now().astimezone(SH).date()
    r = await client.get(f"/api/v1/admin/support/analysis.xlsx?from={today}&to={today}", headers=staff)
    assert r.status_code == 200 and "support-analysis.xlsx" in r.headers["content-disposition"]
    wb = load_workbook(BytesIO(r.content))
    assert wb.sheetnames == ["概览", "按状态", "按分类", "按根因", "按服务人员", "按服务", "按区域", "趋势", "工单明细"]
    overview = {row[0]: row[1] for row in wb["概览"].iter_rows(min_row=2, values_only=True)}
    assert (overview["工单总数"], overview["投诉"], overview["成立投诉"], overview["补偿：退款（元）"]) == (5, 3, 1, 10)
    cats = {row[0]: row[1] for row in wb["按分类"].iter_rows(min_row=2, values_only=True)}
    assert cats == {"服务质量": 2, "服务态度": 1, "收费问题": 1, "其他": 1}
    tickets = list(wb["工单明细"].iter_rows(min_row=2, values_only=True))
    assert len(tickets) == 5 and sorted(t[1] for t in tickets) == sorted(["建议", "投诉", "投诉", "投诉", "低分回访"])
    assert [t[11] for t in tickets if t[9] == "技能不足"] == [10]
    # a support member without the right cannot read it
    from tests.conftest import auth, staff_token

    h = auth(await staff_token(client, session, "disp-x", ["dispatcher"]))
    assert (await client.get("/api/v1/admin/support/analysis.xlsx", headers=h)).status_code == 403
