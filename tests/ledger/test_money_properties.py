"""Property test: random sequences of paying, the providers' notifications (duplicated, reordered,
lost), the active query, refunds, cancellations, expiries, serving (check-out by the real time on
site) and settling (statements built, approved, paid) keep every money invariant:

- every entry balances (the database checks) and provider clearing equals what the provider
  holds for us: succeeded payments minus succeeded refunds;
- refunds_payable is exactly the refunds owed and not yet back;
- per order: unearned = paid − refunded − the fee kept (0 once cancelled or completed), paid_amount
  = the sum of its succeeded (not late) payments; late payments are refunded in full; a customer's
  receivable = what their completed orders still ask for;
- revenue = the commissions earned; a worker's payable = earnings − statements paid out;
- no payment is refunded beyond its amount, no notification is applied twice."""
import itertools
import random
from datetime import date, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from anjia.core import db
from anjia.payments import service, tasks
from anjia.payments.sandbox import Sandbox
from tests.conftest import auth, staff_token
from tests.dispatch.helpers import worker_auth
from tests.payments.helpers import new_order, notify
from tests.support import next_weekday

RUNS = itertools.count()
MONEY_TABLES = ("withdrawals, statement_disputes, statement_lines, statements, settlement_adjustments, earnings, "
                "postings, journal_entries, ledger_accounts, provider_notifications, refunds, payments, sandbox_trades, "
                "offers, dispatch_rounds, worker_bookings, notifications, events, order_events, orders, audit_logs")

Op = st.one_of(
    st.tuples(st.just("pay"), st.integers(0, 1)),
    st.tuples(st.just("decide"), st.integers(0, 5), st.booleans()),
    st.tuples(st.just("deliver"), st.integers(0, 9)),
    st.tuples(st.just("query"),),
    st.tuples(st.just("expire"), st.integers(0, 5)),
    st.tuples(st.just("cancel"), st.integers(0, 1)),
    st.tuples(st.just("refund"), st.integers(0, 1), st.integers(1, 60_000)),
    st.tuples(st.just("send_refunds"),),
    st.tuples(st.just("serve"), st.integers(0, 1), st.integers(30, 300)),
    st.tuples(st.just("settle"),),
)


async def _reset():
    async with db.engine().begin() as conn:
        await conn.execute(text(f"TRUNCATE {MONEY_TABLES} RESTART IDENTITY CASCADE"))


async def _one(sql: str, **params):
    async with db.engine().begin() as conn:
        return (await conn.execute(text(sql), params)).all()


# money arriving after its payment was replaced (late: refunded in full), a lost notification found
# by the query then delivered, a partial refund then a cancellation, both refunds sent
@example(ops=[("pay", 0), ("expire", 0), ("pay", 0), ("decide", 0, True), ("decide", 1, True), ("deliver", 1),
              ("deliver", 0), ("deliver", 1), ("send_refunds",)], seed=1)
@example(ops=[("pay", 1), ("decide", 0, True), ("query",), ("deliver", 0), ("cancel", 1), ("send_refunds",)], seed=2)
@example(ops=[("pay", 0), ("decide", 0, True), ("deliver", 0), ("refund", 0, 5_000), ("cancel", 0),
              ("send_refunds",), ("deliver", 0)], seed=3)
# an hourly visit shorter, then one longer than paid for; the difference paid; statements settled
@example(ops=[("pay", 1), ("decide", 0, True), ("deliver", 0), ("serve", 1, 100), ("send_refunds",), ("settle",)],
         seed=4)
@example(ops=[("pay", 1), ("decide", 0, True), ("deliver", 0), ("serve", 1, 250), ("pay", 1), ("decide", 1, True),
              ("deliver", 1), ("refund", 1, 3_000), ("settle",), ("send_refunds",), ("settle",)], seed=5)
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=st.lists(Op, min_size=4, max_size=18), seed=st.integers(0, 1000))
async def test_money_invariants_hold_under_any_sequence(client, world, session, ops, seed):
    await _reset()
    random.seed(seed)
    h = auth(world["token"])
    staff = auth(await staff_token(client, session, f"prop{next(RUNS)}", ["dispatcher"]))
    finance = auth(await staff_token(client, session, f"propf{next(RUNS)}", ["finance"]))
    orders = [await new_order(client, world, start=next_weekday(2, 10)),
              (await client.post("/api/v1/orders", headers=h, json={  # hourly: check-out prices the real time
                  "service_id": world["services"]["全屋清洁"], "address_id": world["address_id"], "hours": 3,
                  "start": next_weekday(4, 14).isoformat()})).json()]
    settles = 0
    payments: list[str] = []
    outbox: list[tuple[bytes, dict]] = []  # notifications the sandbox sent, delivered in any order, any number of times
    for op in ops:
        kind = op[0]
        if kind == "pay":
            r = await client.post(f"/api/v1/orders/{orders[op[1]]['id']}/payments", headers=h,
                                  json={"method": "sandbox"})
            if r.status_code == 201:
                payments.append(r.json()["number"])
        elif kind == "decide" and payments:
            settled = await Sandbox().settle(payments[op[1] % len(payments)], op[2])
            if settled:
                outbox.append(settled[:2])
        elif kind == "deliver" and outbox:
            body, headers = outbox[op[1] % len(outbox)]
            assert (await notify(client, body, headers)).status_code == 200
        elif kind == "query":
            await _one("UPDATE payments SET created_at = created_at - interval '2 minutes' RETURNING id")
            await tasks.query_pending()
        elif kind == "expire" and payments:
            await _one("UPDATE payments SET expires_at = now() - interval '1 second' WHERE number = :n RETURNING id",
                       n=payments[op[1] % len(payments)])
        elif kind == "cancel":
            await client.post(f"/api/v1/orders/{orders[op[1]]['id']}/cancel", headers=h,
                              json={"reason_code": "change_of_plans"})
        elif kind == "refund":
            r = await client.post(f"/api/v1/admin/orders/{orders[op[1]]['id']}/refunds", headers=staff,
                                  json={"amount": op[2], "reason": "属性测试"})
            assert r.status_code in (201, 422), r.text
        elif kind == "send_refunds":
            await tasks.submit_refunds()
        elif kind == "serve":
            await _serve(client, world, orders[op[1]]["id"], op[2])
        elif kind == "settle":
            settles += 1
            today = date.today()
            r = await client.post("/api/v1/admin/settlement/runs", headers=finance, json={
                "start": (today - timedelta(days=40 - settles)).isoformat(), "end": today.isoformat()})
            assert r.status_code == 201, r.text
            drafts = (await client.get("/api/v1/admin/settlement/statements", headers=finance,
                                       params={"status": "draft"})).json()["items"]
            for statement in drafts:
                assert (await client.post(f"/api/v1/admin/settlement/statements/{statement['id']}/approve",
                                          headers=finance)).status_code == 200
                assert (await client.post(f"/api/v1/admin/settlement/statements/{statement['id']}/pay",
                                          headers=finance, json={"bank_reference": "PROP-0001"})).status_code == 200
    await _check()


async def _serve(client, world, order_id: int, minutes: int) -> None:
    """Whoever was offered the (paid) order takes it, goes, checks in and, `minutes` later, out."""
    for worker in world["workers"]:
        wh = worker_auth(worker)
        if (await client.post(f"/api/v1/worker/orders/{order_id}/accept", headers=wh)).status_code == 200:
            break
    else:
        return  # not paid, or already taken / over
    await client.post(f"/api/v1/worker/orders/{order_id}/depart", headers=wh)
    await client.post(f"/api/v1/worker/orders/{order_id}/check-in", json={"lat": 31.1951, "lng": 121.4381}, headers=wh)
    await _one("UPDATE orders SET checked_in_at = now() - make_interval(mins => :m) WHERE id = :o RETURNING id",
               m=minutes, o=order_id)
    assert (await client.post(f"/api/v1/worker/orders/{order_id}/check-out", headers=wh)).status_code == 200


async def _check():
    async with db.sessionmaker()() as s:
        balances = await service.ledger.balances(s)
    total = (await _one("SELECT coalesce(sum(amount), 0) FROM postings"))[0][0]
    assert total == 0
    paid_in = (await _one("SELECT coalesce(sum(amount), 0) FROM payments WHERE status = 'succeeded'"))[0][0]
    paid_out = (await _one("SELECT coalesce(sum(amount), 0) FROM refunds WHERE status = 'succeeded'"))[0][0]
    assert balances.get("clearing:sandbox", 0) == paid_in - paid_out
    owed = (await _one("SELECT coalesce(sum(amount), 0) FROM refunds WHERE status IN ('pending', 'processing', "
                       "'failed')"))[0][0]
    assert balances.get("refunds_payable", 0) == owed
    for order_id, status, paid, refunded, fee in await _one(
            "SELECT id, status, paid_amount, refunded_amount, cancel_fee FROM orders"):
        unearned = -(await _one("SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN journal_entries e "
                                "ON e.id = p.entry_id JOIN ledger_accounts a ON a.id = p.account_id "
                                "WHERE a.code = 'unearned' AND e.order_id = :o", o=order_id))[0][0]
        kept = min(fee, paid) if status == "cancelled" else 0
        if status in ("cancelled", "completed"):
            assert unearned == 0, (order_id, status, paid, refunded, fee, unearned)
        else:
            assert unearned == paid - refunded - kept, (order_id, status, paid, refunded, fee, unearned)
        mine = (await _one("SELECT coalesce(sum(amount), 0) FROM payments WHERE order_id = :o AND status = "
                           "'succeeded' AND NOT late", o=order_id))[0][0]
        assert paid == mine
    for (customer_id, owed) in await _one("SELECT customer_id, sum(price_difference) FROM orders "
                                          "WHERE status = 'completed' AND price_difference > 0 GROUP BY customer_id"):
        assert balances.get(f"receivable:{customer_id}", 0) == owed
    commissions = (await _one("SELECT coalesce(sum(commission), 0) FROM earnings"))[0][0]
    assert balances.get("revenue", 0) == commissions
    for worker_id, earned, paid_out in await _one(
            "SELECT e.worker_id, sum(e.net), coalesce((SELECT sum(total) FROM statements s WHERE s.worker_id = "
            "e.worker_id AND s.status = 'paid'), 0) FROM earnings e GROUP BY e.worker_id"):
        assert balances.get(f"worker_payable:{worker_id}", 0) == earned - paid_out
    assert not await _one("SELECT id FROM payments WHERE late AND refunded_amount <> amount")
    assert not await _one("SELECT p.id FROM payments p JOIN refunds r ON r.payment_id = p.id "
                          "WHERE r.status NOT IN ('rejected') GROUP BY p.id, p.amount HAVING sum(r.amount) > p.amount")
    assert not await _one("SELECT payment_id FROM journal_entries WHERE kind = 'payment' GROUP BY payment_id "
                          "HAVING count(*) > 1")
