"""Every staff write leaves an audit row saying what changed: a table over every mutating
/api/v1/admin route, found from the app itself. A route missing from the table fails the test,
so a new admin write cannot ship unaudited."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from anjia.catalog.models import Category
from anjia.catalog.schemas import ServiceFields
from anjia.catalog.seed import CATALOG
from tests.accounts.test_admin_rbac import admin_routes
from tests.conftest import auth, make_staff, staff_token
from tests.dispatch.helpers import paid_order, worker_auth
from tests.settlement.helpers import statement_with_order, today
from tests.support import KITCHEN, next_weekday

YESTERDAY = (datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=1)).isoformat()
WEEKLY = {"weekly": [{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(7)]}  # as seeded
REGION = {"name": "杭州", "city": "杭州市", "center_lat": 30.27, "center_lng": 120.15, "radius_km": 40, "opens": "08:00",
          "closes": "20:00"}


async def _order(client, world, start):
    r = await client.post("/api/v1/orders", headers=auth(world["token"]), json={
        "service_id": world["services"]["厨房深度清洁"], "address_id": world["address_id"], "start": start.isoformat(),
        **KITCHEN})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _change(client, session, world):
    """A worker's schedule change waiting for an operator."""
    order, _ = await paid_order(client, session, world, start=next_weekday(4, 10))
    wh = worker_auth(world["workers"][0])
    if (await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=wh)).status_code != 200:
        wh = worker_auth(world["workers"][1])
        assert (await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=wh)).status_code == 200
    r = await client.post("/api/v1/worker/schedule-changes", headers=wh, json={
        "order_id": order["id"], "new_start": (next_weekday(4, 10) + timedelta(days=1)).isoformat(), "reason": "车坏了"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _category(session):
    return await session.scalar(select(Category.id).order_by(Category.id))


def _service_body(category_id):
    spec = dict(CATALOG[0][3][1], name="审计测试服务")
    return ServiceFields.model_validate({"category_id": category_id, **spec}).model_dump(mode="json")


# (method, path) -> async (client, session, world) -> (path parameters, body)
def _fixed(params=None, body=None):
    async def make(client, session, world):
        return params or {}, body
    return make


def _with(make_params, body=None):
    async def make(client, session, world):
        return await make_params(client, session, world), body
    return make


async def _staff(client, session, world):
    other = await make_staff(session, "audited", ["support"])
    return {"staff_id": other.id}


async def _service(client, session, world):
    return {"service_id": world["services"]["空调清洗"]}


async def _rules_body(client, session, world):
    h = auth(await staff_token(client, session, "rules-reader", ["admin"]))
    return {}, dict((await client.get("/api/v1/admin/booking-rules", headers=h)).json(), min_lead_minutes=90)


async def _holiday(client, session, world):
    h = auth(await staff_token(client, session, "holiday-setter", ["admin"]))
    await client.post("/api/v1/admin/holidays", headers=h, json={"day": "2030-01-02", "name": "测试"})
    return {"day": "2030-01-02"}, None


async def _new_category(client, session, world):
    return {}, {"name": "审计分类"}


async def _new_service(client, session, world):
    return {}, _service_body(await _category(session))


async def _category_id(client, session, world):
    return {"category_id": await _category(session)}, {"name": "新名字"}


async def _reorder(client, session, world):
    return {}, {"ids": [world["services"]["厨房清洁"], world["services"]["全屋清洁"]]}


async def _region_prices(client, session, world):
    return {"service_id": world["services"]["厨房深度清洁"]}, {"prices": [
        {"region_id": world["region_id"], "item_code": "kitchen_deep", "unit_price": 29800}]}


async def _worker(client, session, world):
    return {"worker_id": world["workers"][0]}


async def _new_worker(client, session, world, review_status="submitted"):
    from anjia.accounts.models import User
    from anjia.workforce import service as workforce

    n = await session.scalar(text("SELECT count(*) FROM users"))
    w = User(kind="worker", phone=f"1371000{n:04d}", nickname=f"新师傅{n}", roles=[])
    session.add(w)
    await session.flush()
    await workforce.add_profile(session, w.id, region_id=world["region_id"], review_status=review_status)
    await session.commit()
    return {"worker_id": w.id}


async def _pending_certificate(client, session, world):
    from sqlalchemy import text as sql

    from anjia.workforce import seed as workforce_seed

    w = world["workers"][0]
    await workforce_seed.certify(session, w, ["nanny"], status="pending")
    await session.commit()
    cert = await session.scalar(sql("SELECT max(id) FROM worker_certificates WHERE worker_id = :w"), {"w": w})
    return {"worker_id": w, "cert_id": cert}


async def _leave(client, session, world):
    start = next_weekday(5, 9) + timedelta(days=21)  # clear of the orders below
    return {"worker_id": world["workers"][0]}, {"start": start.isoformat(), "end": (start + timedelta(hours=4)).isoformat(),
                                                "reason": "体检"}


async def _unpaid(client, session, world):
    return {"order_id": await _order(client, world, next_weekday(3, 9))}


async def _paid(client, session, world):
    order, _ = await paid_order(client, session, world, start=next_weekday(6, 10))
    return {"order_id": order["id"]}


async def _assign(client, session, world):
    order, _ = await paid_order(client, session, world, start=next_weekday(2, 15))
    return {"order_id": order["id"]}, {"worker_id": world["workers"][1]}


async def _refund(client, session, world, amount, start):
    """A refund asked for by another operator on a paid order (id)."""
    order, staff = await paid_order(client, session, world, start=start)
    r = await client.post(f"/api/v1/admin/orders/{order['id']}/refunds", headers=staff,
                          json={"amount": amount, "reason": "服务补偿"})
    assert r.status_code == 201, r.text
    return r.json()[0]["id"]


async def _awaiting(client, session, world):
    return {"refund_id": await _refund(client, session, world, 20_100, next_weekday(1, 9) + timedelta(days=7))}


async def _awaiting2(client, session, world):
    return {"refund_id": await _refund(client, session, world, 20_100, next_weekday(1, 12) + timedelta(days=7))}


async def _failed(client, session, world):
    refund_id = await _refund(client, session, world, 100, next_weekday(1, 15) + timedelta(days=7))
    await session.execute(text("UPDATE refunds SET status = 'failed' WHERE id = :id"), {"id": refund_id})
    await session.commit()
    return {"refund_id": refund_id}


async def _offline_refund(client, session, world):
    return {"refund_id": await _refund(client, session, world, 100, next_weekday(3, 15) + timedelta(days=7))}


async def _difference(client, session, world):
    """A trade in the sandbox's bill for yesterday that we never heard of."""
    from anjia.finance import service as finance
    from anjia.payments.models import SandboxTrade

    paid_at = datetime.combine(finance.yesterday(), time(12), finance.SH)
    session.add(SandboxTrade(out_trade_no="PAUDIT0001", amount=1_000, status="succeeded", paid_at=paid_at))
    await session.commit()
    run = await finance.reconcile(session, "sandbox", finance.yesterday())
    await session.commit()
    return {"difference_id": await session.scalar(text("SELECT id FROM reconciliation_differences WHERE run_id = :r"),
                                                  {"r": run.id})}


async def _decision(client, session, world):
    return {"change_id": await _change(client, session, world), "decision": "approve"}, None


async def _rule(client, session, world):
    from anjia.commission.models import CommissionRule
    from anjia.core.security import now

    rule = CommissionRule(name="审计规则", kind="percent", value=2000, valid_from=now())
    session.add(rule)
    await session.commit()
    return {"rule_id": rule.id}


async def _statement(client, session, world, n, approved=False):
    """A statement of one newly completed order (the n-th of this test), optionally approved."""
    sid, worker = await statement_with_order(client, session, world, week=n // 2, hour=9 if n % 2 else 14, weekday=0,
                                             start=today() - timedelta(days=40 + n))
    if approved:
        await session.execute(text("UPDATE statements SET status = 'approved' WHERE id = :s"), {"s": sid})
        await session.commit()
    return sid, worker


async def _draft(client, session, world):
    return {"statement_id": (await _statement(client, session, world, 0))[0]}


async def _approved(client, session, world):
    return {"statement_id": (await _statement(client, session, world, 1, approved=True))[0]}, {
        "bank_reference": "BOC0001"}


async def _dispute(client, session, world, n):
    sid, worker = await _statement(client, session, world, n)
    wh = worker_auth(worker)
    line = (await client.get(f"/api/v1/worker/statements/{sid}", headers=wh)).json()["lines"][0]
    r = await client.post(f"/api/v1/worker/statements/{sid}/lines/{line['id']}/dispute", headers=wh,
                          json={"reason": "少算了"})
    assert r.status_code == 201, r.text
    return {"dispute_id": r.json()["id"]}


async def _withdrawal(client, session, world, n):
    sid, worker = await _statement(client, session, world, n, approved=True)
    r = await client.post("/api/v1/worker/withdrawals", headers=worker_auth(worker), json={"amount": 100})
    assert r.status_code == 201, r.text
    return {"withdrawal_id": r.json()["id"]}


async def _coupon(client, session, world):
    from tests.coupons.helpers import give

    return {"coupon_id": (await give(session, world["customer_id"])).id}


async def _ticket(client, session, world, n, steps=()):
    """A general complaint of the world's customer, moved through `steps` by a support member."""
    from tests.tickets.helpers import complain, support_staff

    t = await complain(client, world, None, content=f"审计测试工单{n}")
    if steps:
        staff, staff_id = await support_staff(client, session, f"kefu-audit{n}")
        if "assign" in steps:
            await client.post(f"/api/v1/admin/support/tickets/{t['id']}/assign", headers=staff,
                              json={"assignee_id": staff_id})
        if "start" in steps:
            await client.post(f"/api/v1/admin/support/tickets/{t['id']}/start", headers=staff)
    return {"ticket_id": t["id"]}


async def _assign_ticket(client, session, world):
    from tests.tickets.helpers import support_staff

    _, staff_id = await support_staff(client, session, "kefu-assignee")
    return await _ticket(client, session, world, 1), {"assignee_id": staff_id}


async def _review(client, session, world, n, hidden=False):
    """A review of a newly completed order (the n-th of this test), optionally hidden already."""
    from tests.settlement.helpers import completed_order

    order, _ = await completed_order(client, session, world, week=n, hour=11, weekday=4)
    r = await client.post(f"/api/v1/orders/{order['id']}/review", headers=auth(world["token"]),
                          json={"quality": 5, "attitude": 5, "skill": 4, "text": "很好"})
    assert r.status_code == 201, r.text
    if hidden:
        await session.execute(text("UPDATE reviews SET hidden_at = now(), hidden_reason = '广告' WHERE id = :r"),
                              {"r": r.json()["id"]})
        await session.commit()
    return {"review_id": r.json()["id"]}


async def _customer(client, session, world):
    return {"customer_id": world["customer_id"]}


async def _tagged(client, session, world):
    from anjia.customers.models import CustomerTag

    session.add(CustomerTag(customer_id=world["customer_id"], tag="老客户"))
    await session.commit()
    return {"customer_id": world["customer_id"], "tag": "老客户"}


async def _campaign(client, session, world):
    from anjia.customers import segments
    from anjia.customers.models import SegmentMembership

    await segments.recompute(session)
    await session.commit()
    segment = await session.scalar(select(SegmentMembership.segment).where(
        SegmentMembership.customer_id == world["customer_id"], SegmentMembership.until.is_(None)))
    return {}, {"name": "回访礼", "segment": segment, "kind": "amount", "value": 1000, "coupon_title": "立减10元"}


async def _perf_rule(client, session, world):
    from anjia.performance.models import RewardRule

    rule = RewardRule(name="审计奖金", kind="bonus", min_score=90, amount=10_000)
    session.add(rule)
    await session.commit()
    return {"rule_id": rule.id}


async def _perf_draft(client, session, world):
    from datetime import date

    from anjia.performance import service as performance

    await performance.evaluate(session, date(2026, 9, 1))
    await session.commit()
    return {"month": "2026-09"}


ROUTES = {
    ("POST", "/api/v1/admin/staff"): (_fixed(body={"username": "newbie", "password": "newbie123", "roles": []}),
                                      "staff.create"),
    ("PATCH", "/api/v1/admin/staff/{staff_id}"): (_with(_staff, {"nickname": "改名"}), "staff.update"),
    ("PATCH", "/api/v1/admin/services/{service_id}"): (_with(_service, {"published": False}), "catalog.service.update"),
    ("POST", "/api/v1/admin/categories"): (_new_category, "catalog.category.create"),
    ("PATCH", "/api/v1/admin/categories/{category_id}"): (_category_id, "catalog.category.update"),
    ("POST", "/api/v1/admin/services"): (_new_service, "catalog.service.create"),
    ("POST", "/api/v1/admin/services/reorder"): (_reorder, "catalog.service.reorder"),
    ("PUT", "/api/v1/admin/services/{service_id}/region-prices"): (_region_prices, "catalog.service.region_prices"),
    ("POST", "/api/v1/admin/regions"): (_fixed(body=REGION), "region.create"),
    ("PATCH", "/api/v1/admin/regions/{region_id}"): (_fixed({"region_id": None}, {"radius_km": 55, "opens": "08:00", "closes": "20:00"}),
                                                      "region.update"),
    ("PUT", "/api/v1/admin/booking-rules"): (_rules_body, "booking_rules.update"),
    ("POST", "/api/v1/admin/holidays"): (_fixed(body={"day": "2030-01-01", "name": "测试节"}), "holiday.set"),
    ("DELETE", "/api/v1/admin/holidays/{day}"): (_holiday, "holiday.delete"),
    ("PATCH", "/api/v1/admin/workers/{worker_id}"): (_with(_worker, {"radius_km": 12}), "worker.update"),
    ("PUT", "/api/v1/admin/workers/{worker_id}/weekly"): (_with(_worker, WEEKLY), "worker.weekly"),
    ("POST", "/api/v1/admin/workers/{worker_id}/leaves"): (_leave, "worker.leave"),
    ("POST", "/api/v1/admin/workers/{worker_id}/review"): (
        _with(_new_worker, {"action": "ask", "reasons": ["selfie_unclear"], "note": "请重拍"}), "worker.review.ask"),
    ("POST", "/api/v1/admin/workers/{worker_id}/employment"): (
        _with(_new_worker, {"action": "suspend", "reasons": ["investigation"]}), "worker.employment.suspend"),
    ("POST", "/api/v1/admin/workers/{worker_id}/certificates/{cert_id}/decision"): (
        _with(_pending_certificate, {"action": "approve"}), "worker.certificate.approve"),
    ("POST", "/api/v1/admin/workers/{worker_id}/trainings"): (
        _with(_worker, {"course": "保洁规范", "taken_on": "2026-11-01", "hours": 8, "result": "passed"}),
        "worker.training.add"),
    ("POST", "/api/v1/admin/workers/{worker_id}/notes"): (_with(_worker, {"text": "守时"}), "worker.note.add"),
    ("POST", "/api/v1/admin/orders/{order_id}/cancel"): (_with(_unpaid, {"reason_code": "other", "reason": "客户来电"}),
                                                         "order.cancel"),
    ("POST", "/api/v1/admin/orders/{order_id}/payments/offline"): (_with(_unpaid, {"method": "cash"}), "payment.offline"),
    ("POST", "/api/v1/admin/orders/{order_id}/payments/qr"): (_with(_unpaid), "payment.qr"),
    ("POST", "/api/v1/admin/orders/{order_id}/refunds"): (_with(_paid, {"amount": 100, "reason": "服务补偿"}),
                                                          "refund.request"),
    ("POST", "/api/v1/admin/refunds/{refund_id}/approve"): (_with(_awaiting), "refund.approve"),
    ("POST", "/api/v1/admin/refunds/{refund_id}/reject"): (_with(_awaiting2), "refund.reject"),
    ("POST", "/api/v1/admin/refunds/{refund_id}/retry"): (_with(_failed), "refund.retry"),
    ("POST", "/api/v1/admin/refunds/{refund_id}/confirm-offline"): (_with(_offline_refund), "refund.offline"),
    ("POST", "/api/v1/admin/orders/{order_id}/assign"): (_assign, "order.assign"),
    ("POST", "/api/v1/admin/orders/{order_id}/redispatch"): (_with(_paid), "order.redispatch"),
    ("POST", "/api/v1/admin/schedule-changes/{change_id}/{decision}"): (_decision, "schedule_change.approve"),
    ("POST", "/api/v1/admin/settlement/rules"): (_fixed(body={"name": "默认", "kind": "percent", "value": 1800}),
                                                 "commission_rule.create"),
    ("PATCH", "/api/v1/admin/settlement/rules/{rule_id}"): (_with(_rule, {"value": 1500}), "commission_rule.update"),
    ("DELETE", "/api/v1/admin/settlement/rules/{rule_id}"): (_with(_rule), "commission_rule.archive"),
    ("POST", "/api/v1/admin/settlement/runs"): (_fixed(body={"start": "2026-01-05", "end": "2026-01-11"}),
                                                "settlement.run"),
    ("POST", "/api/v1/admin/settlement/statements/{statement_id}/approve"): (_with(_draft), "statement.approve"),
    ("POST", "/api/v1/admin/settlement/statements/{statement_id}/pay"): (_approved, "statement.pay"),
    ("POST", "/api/v1/admin/settlement/disputes/{dispute_id}/accept"): (
        _with(lambda c, s, w: _dispute(c, s, w, 2), {"amount": 300, "note": "补差"}), "dispute.accept"),
    ("POST", "/api/v1/admin/settlement/disputes/{dispute_id}/reject"): (
        _with(lambda c, s, w: _dispute(c, s, w, 3), {"reason": "无误"}), "dispute.reject"),
    ("POST", "/api/v1/admin/settlement/withdrawals/{withdrawal_id}/approve"): (
        _with(lambda c, s, w: _withdrawal(c, s, w, 4)), "withdrawal.approve"),
    ("POST", "/api/v1/admin/settlement/withdrawals/{withdrawal_id}/reject"): (
        _with(lambda c, s, w: _withdrawal(c, s, w, 5), {"reason": "信息有误"}), "withdrawal.reject"),
    ("POST", "/api/v1/admin/finance/reconciliation/runs"): (_fixed(body={"provider": "sandbox", "day": YESTERDAY}),
                                                            "reconciliation.run"),
    ("POST", "/api/v1/admin/finance/reconciliation/differences/{difference_id}/resolve"): (
        _with(_difference, {"resolution": "provider_error", "note": "渠道账单重复"}), "reconciliation.resolve"),
    ("POST", "/api/v1/admin/coupons"): (_fixed(body={"customer_id": None, "kind": "amount", "value": 1000,
                                                     "title": "补偿券"}), "coupon.issue"),
    ("POST", "/api/v1/admin/coupons/{coupon_id}/revoke"): (_with(_coupon, {"reason": "发错了"}), "coupon.revoke"),
    ("POST", "/api/v1/admin/support/tickets/{ticket_id}/assign"): (_assign_ticket, "ticket.assign"),
    ("POST", "/api/v1/admin/support/tickets/{ticket_id}/start"): (
        _with(lambda c, s, w: _ticket(c, s, w, 2, ["assign"])), "ticket.start"),
    ("POST", "/api/v1/admin/support/tickets/{ticket_id}/notes"): (
        _with(lambda c, s, w: _ticket(c, s, w, 3, ["assign"]), {"note": "已联系师傅"}), "ticket.note"),
    ("POST", "/api/v1/admin/support/tickets/{ticket_id}/resolve"): (
        _with(lambda c, s, w: _ticket(c, s, w, 4, ["assign", "start"]),
              {"result": "已致歉", "root_cause": "platform", "upheld": True}), "ticket.resolve"),
    ("POST", "/api/v1/admin/reviews/{review_id}/hide"): (
        _with(lambda c, s, w: _review(c, s, w, 0), {"reason": "含辱骂内容"}), "review.hide"),
    ("POST", "/api/v1/admin/reviews/{review_id}/unhide"): (
        _with(lambda c, s, w: _review(c, s, w, 1, hidden=True), {"reason": "复核后恢复"}), "review.unhide"),
    ("POST", "/api/v1/admin/performance/months/{month}/evaluate"): (_fixed({"month": "2026-10"}),
                                                                    "performance.evaluate"),
    ("POST", "/api/v1/admin/performance/months/{month}/publish"): (_with(_perf_draft), "performance.publish"),
    ("POST", "/api/v1/admin/performance/rules"): (
        _fixed(body={"name": "优秀奖金", "kind": "bonus", "min_score": 90, "amount": 20000}), "performance_rule.create"),
    ("PATCH", "/api/v1/admin/performance/rules/{rule_id}"): (_with(_perf_rule, {"amount": 15000}),
                                                             "performance_rule.update"),
    ("DELETE", "/api/v1/admin/performance/rules/{rule_id}"): (_with(_perf_rule), "performance_rule.archive"),
    ("POST", "/api/v1/admin/customers/segments/recompute"): (_fixed(), "customers.segments.recompute"),
    ("POST", "/api/v1/admin/customers/{customer_id}/tags"): (_with(_customer, {"tag": "VIP"}), "customer.tag.add"),
    ("DELETE", "/api/v1/admin/customers/{customer_id}/tags/{tag}"): (_with(_tagged), "customer.tag.remove"),
    ("POST", "/api/v1/admin/customers/{customer_id}/notes"): (_with(_customer, {"body": "常点厨房清洁"}),
                                                            "customer.note.add"),
    ("POST", "/api/v1/admin/campaigns"): (_campaign, "campaign.create"),
}


def test_the_table_covers_every_mutating_admin_route(app):
    mutating = {(m, p) for m, p, _ in admin_routes(app) if m in ("POST", "PUT", "PATCH", "DELETE")}
    assert mutating == set(ROUTES)


async def test_every_staff_write_leaves_an_audit_row_with_before_and_after(app, client, session, world, engine):
    admin = auth(await staff_token(client, session, "auditor", ["admin"]))
    problems = []
    for (method, path), (make, action) in ROUTES.items():
        params, body = await make(client, session, world)
        if "region_id" in params and params["region_id"] is None:
            params["region_id"] = world["region_id"]
        if body and "customer_id" in body and body["customer_id"] is None:
            body = {**body, "customer_id": world["customer_id"]}
        async with engine.connect() as conn:
            last = await conn.scalar(text("SELECT coalesce(max(id), 0) FROM audit_logs"))
        r = await client.request(method, path.format(**params), headers=admin,
                                 **({"json": body} if body is not None else {}))
        assert r.status_code < 300, (method, path, r.status_code, r.text)
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT action, actor_name, before, after FROM audit_logs WHERE id > :l"),
                                       {"l": last})).all()
        row = next((x for x in rows if x.action == action and x.actor_name == "auditor"), None)
        creates = r.status_code == 201 and method == "POST"
        if row is None:
            problems.append((method, path, "no audit row", [x.action for x in rows]))
        elif row.after is None and method != "DELETE":
            problems.append((method, path, "no after"))
        elif row.before is None and not creates:
            problems.append((method, path, "no before"))
    assert problems == []
