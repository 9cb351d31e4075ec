"""Compensation reuses the money domains: a refund of the ticket's order through payments
(finance approves it above the threshold; more than was paid is refused and nothing is stored)."""
from sqlalchemy import text

from tests.conftest import auth
from tests.tickets.helpers import complain, finished, resolve, support_staff, work


async def _in_progress(client, session, world, staff, staff_id):
    order, _ = await finished(client, session, world)
    t = await complain(client, world, order["id"], category="damage", content="打碎了一个花瓶")
    await work(client, staff, staff_id, t["id"])
    return order, t


async def test_a_refund_goes_through_payments_and_the_customer_sees_it(client, session, world):
    staff, staff_id = await support_staff(client, session)
    order, t = await _in_progress(client, session, world, staff, staff_id)
    done = await resolve(client, staff, t["id"], compensation={"kind": "refund", "amount": 5_000},
                         root_cause="worker_conduct", result="核实属实，赔偿 50 元")
    comp = done["compensation"]
    assert [(c["kind"], c["amount"], c["status"]) for c in comp] == [("refund", 5_000, "pending")]
    refund = (await session.execute(text("SELECT number, kind, amount, reason, status FROM refunds"))).one()
    assert (refund.kind, refund.amount, refund.status) == ("operator", 5_000, "pending")
    assert t["number"] in refund.reason and comp[0]["refunds"] == [refund.number]
    mine = (await client.get(f"/api/v1/support/tickets/{t['id']}", headers=auth(world["token"]))).json()
    assert mine["compensation"][0]["amount"] == 5_000 and mine["result"] == "核实属实，赔偿 50 元"
    assert mine["can_confirm"] and mine["can_reopen"]


async def test_a_large_refund_waits_for_finance(client, session, world):
    staff, staff_id = await support_staff(client, session)
    order, t = await _in_progress(client, session, world, staff, staff_id)
    done = await resolve(client, staff, t["id"], compensation={"kind": "refund", "amount": 20_100})
    assert done["compensation"][0]["status"] == "awaiting_approval"


async def test_more_than_paid_or_a_compensation_that_does_not_fit_stores_nothing(client, session, world, engine):
    staff, staff_id = await support_staff(client, session)
    order, t = await _in_progress(client, session, world, staff, staff_id)
    body = await resolve(client, staff, t["id"], compensation={"kind": "refund", "amount": 10_000_000}, expect=422)
    assert body["code"] == "refund_exceeds_paid"
    body = await resolve(client, staff, t["id"], upheld=False, compensation={"kind": "refund", "amount": 100},
                         expect=422)
    assert body["code"] == "ticket_compensation"
    general = await complain(client, world, None, content="客服回复太慢")
    await work(client, staff, staff_id, general["id"])
    body = await resolve(client, staff, general["id"], compensation={"kind": "refund", "amount": 100}, expect=422)
    assert body["code"] == "ticket_compensation"
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM refunds")) == 0
        assert set(await conn.scalars(text("SELECT status FROM tickets"))) == {"in_progress"}
        assert await conn.scalar(text("SELECT count(*) FROM ticket_events WHERE type = 'resolved'")) == 0
        # the refused refund is audited like any other refused staff money action
        assert await conn.scalar(text("SELECT count(*) FROM audit_logs WHERE action = 'refund.request_refused'")) == 1


async def test_a_coupon_is_issued_to_the_customer_once_per_resolution(client, session, world):
    staff, staff_id = await support_staff(client, session)
    order, t = await _in_progress(client, session, world, staff, staff_id)
    done = await resolve(client, staff, t["id"], compensation={"kind": "coupon", "amount": 2_000, "valid_days": 15})
    comp = done["compensation"][0]
    assert (comp["kind"], comp["amount"], comp["status"], comp["title"]) == ("coupon", 2_000, "issued", "投诉补偿券")
    mine = (await client.get("/api/v1/me/coupons", headers=auth(world["token"]))).json()
    coupons = [c for c in mine["items"] if c["source"] == "compensation"]
    assert [(c["id"], c["value"], c["source_ref"]) for c in coupons] == [(comp["coupon_id"], 2_000, f"{t['number']}-1")]
    # reopened and resolved again with another coupon: a second one, not the first again
    r = await client.post(f"/api/v1/support/tickets/{t['id']}/reopen", headers=auth(world["token"]),
                          json={"reason": "花瓶很贵"})
    assert r.status_code == 200
    done = await resolve(client, staff, t["id"], compensation={"kind": "coupon", "amount": 3_000})
    assert [c["amount"] for c in done["compensation"]] == [2_000, 3_000]
    assert await session.scalar(text("SELECT count(*) FROM coupons WHERE source = 'compensation'")) == 2
    body = await resolve(client, staff, t["id"], compensation={"kind": "coupon", "amount": 100}, expect=409)
    assert body["code"] == "ticket_transition"
