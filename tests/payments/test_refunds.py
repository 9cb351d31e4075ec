"""Refunds: cancellation (fee kept), a cheaper service after a change, operators' refunds with a
finance approval above the threshold, never more than was paid — also under concurrency."""
import asyncio

from anjia.payments import tasks
from tests.conftest import auth, staff_token
from tests.payments.helpers import balances, count, new_order, pay_sandbox
from tests.support import next_weekday


async def test_cancelling_a_paid_order_refunds_it_through_the_sandbox(client, world, session):
    order = await new_order(client, world)
    await pay_sandbox(client, world, order["id"])
    h = auth(world["token"])
    r = await client.post(f"/api/v1/orders/{order['id']}/cancel", headers=h, json={"reason_code": "change_of_plans"})
    assert r.status_code == 200 and r.json()["refunded_amount"] == order["total"]
    assert await tasks.submit_refunds() == 1
    money = (await client.get(f"/api/v1/orders/{order['id']}/payments", headers=h)).json()
    assert [x["status"] for x in money["refunds"]] == ["succeeded"]
    timeline = [e["type"] for e in (await client.get(f"/api/v1/orders/{order['id']}", headers=h)).json()["timeline"]]
    assert timeline[-3:] == ["cancelled", "refund_requested", "refunded"]
    assert await balances(session) == {}  # in and out again: every account back to zero
    assert await tasks.submit_refunds() == 0  # nothing sent twice


async def test_a_cheaper_change_of_a_paid_order_refunds_the_difference(client, world, session):
    order = await new_order(client, world)
    await pay_sandbox(client, world, order["id"])
    h = auth(world["token"])
    r = await client.patch(f"/api/v1/orders/{order['id']}", headers=h, json={"options": {"focus_areas": ["stove"], "depth": "normal"}})
    assert r.status_code == 200, r.text
    cheaper = r.json()
    assert cheaper["total"] < order["total"] and cheaper["refunded_amount"] == order["total"] - cheaper["total"]
    assert cheaper["price_difference"] == 0
    await tasks.submit_refunds()
    assert await balances(session) == {"clearing:sandbox": cheaper["total"], "unearned": cheaper["total"]}


async def test_operator_refunds_need_finance_approval_above_the_threshold(client, world, session):
    order = await new_order(client, world)
    await pay_sandbox(client, world, order["id"])
    support = auth(await staff_token(client, session, "disp-r", ["dispatcher"]))
    finance = auth(await staff_token(client, session, "fin-r", ["finance"]))
    r = await client.post(f"/api/v1/admin/orders/{order['id']}/refunds", headers=support,
                          json={"amount": 30_000, "reason": "服务不满意，部分退款"})
    assert r.status_code == 201 and r.json()[0]["status"] == "awaiting_approval"
    refund_id = r.json()[0]["id"]
    assert await balances(session) == {"clearing:sandbox": order["total"], "unearned": order["total"]}  # not yet
    # above what is left to refund while the first waits: refused
    r = await client.post(f"/api/v1/admin/orders/{order['id']}/refunds", headers=support,
                          json={"amount": order["total"] - 29_999, "reason": "再退一次"})
    assert r.status_code == 422 and r.json()["code"] == "refund_exceeds_paid"
    assert (await client.post(f"/api/v1/admin/refunds/{refund_id}/approve", headers=support)).status_code == 403
    results = await asyncio.gather(*[client.post(f"/api/v1/admin/refunds/{refund_id}/approve", headers=finance)
                                     for _ in range(5)])
    assert sorted(r.status_code for r in results) == [200, 409, 409, 409, 409]  # approved once
    await tasks.submit_refunds()
    assert await balances(session) == {"clearing:sandbox": order["total"] - 30_000, "unearned": order["total"] - 30_000}
    assert await count(session, "SELECT count(*) FROM audit_logs WHERE action = 'refund.approve'") == 1
    assert await count(session, "SELECT count(*) FROM audit_logs WHERE action = 'refund.approve_refused'") == 4
    assert await count(session, "SELECT count(*) FROM audit_logs WHERE action = 'refund.request_refused' "
                                "AND after->>'refused' = 'refund_exceeds_paid'") == 1


async def test_a_rejected_refund_frees_the_amount_and_small_ones_go_at_once(client, world, session):
    order = await new_order(client, world)
    await pay_sandbox(client, world, order["id"])
    support = auth(await staff_token(client, session, "disp-s", ["dispatcher"]))
    finance = auth(await staff_token(client, session, "fin-s", ["finance"]))
    big = (await client.post(f"/api/v1/admin/orders/{order['id']}/refunds", headers=support,
                             json={"amount": order["total"], "reason": "全额退款"})).json()[0]
    assert (await client.post(f"/api/v1/admin/refunds/{big['id']}/reject", headers=finance)).json()["status"] == \
        "rejected"
    small = await client.post(f"/api/v1/admin/orders/{order['id']}/refunds", headers=support,
                              json={"amount": 1_000, "reason": "迟到补偿"})
    assert small.status_code == 201 and small.json()[0]["status"] == "pending"
    listed = (await client.get("/api/v1/admin/refunds", headers=finance, params={"status": "pending"})).json()
    assert listed["total"] == 1


async def test_concurrent_refunds_never_exceed_what_was_paid(client, world, session):
    order = await new_order(client, world, start=next_weekday(3, 10))
    await pay_sandbox(client, world, order["id"])
    support = auth(await staff_token(client, session, "disp-c", ["dispatcher"]))
    each = order["total"] // 3 + 1  # two fit, a third would pass the total
    results = await asyncio.gather(*[client.post(f"/api/v1/admin/orders/{order['id']}/refunds", headers=support,
                                                 json={"amount": each, "reason": "并发退款"}) for _ in range(6)])
    ok = [r for r in results if r.status_code == 201]
    assert len(ok) == 2 and all(r.json()["code"] == "refund_exceeds_paid" for r in results if r.status_code != 201)
    assert await count(session, "SELECT coalesce(sum(amount), 0) FROM refunds") <= order["total"]


async def test_refund_amounts_must_be_whole_positive_fen(client, world, session):
    support = auth(await staff_token(client, session, "disp-v", ["dispatcher"]))
    order = await new_order(client, world)
    for amount in (-1, 0, 1.5, "100"):
        r = await client.post(f"/api/v1/admin/orders/{order['id']}/refunds", headers=support,
                              json={"amount": amount, "reason": "测试"})
        assert r.status_code == 422, amount
    r = await client.post(f"/api/v1/admin/orders/{order['id']}/refunds", headers=support,
                          json={"amount": 100, "reason": "未付款"})
    assert r.status_code == 422 and r.json()["code"] == "refund_exceeds_paid"
