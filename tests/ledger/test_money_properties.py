"""Property test: random sequences of paying, the providers' notifications (duplicated, reordered,
lost), the active query, refunds, cancellations and expiries keep every money invariant:

- every entry balances (the database checks) and provider clearing equals what the provider
  holds for us: succeeded payments minus succeeded refunds;
- refunds_payable is exactly the refunds owed and not yet back;
- per order: unearned = paid − refunded − the fee kept (0 once cancelled), paid_amount = the sum
  of its succeeded (not late) payments; late payments are refunded in full;
- no payment is refunded beyond its amount, no notification is applied twice."""
import itertools
import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from anjia.core import db
from anjia.payments import service, tasks
from anjia.payments.sandbox import Sandbox
from tests.conftest import auth, staff_token
from tests.payments.helpers import new_order, notify
from tests.support import next_weekday

RUNS = itertools.count()
MONEY_TABLES = ("postings, journal_entries, ledger_accounts, provider_notifications, refunds, payments, sandbox_trades, "
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
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=st.lists(Op, min_size=4, max_size=18), seed=st.integers(0, 1000))
async def test_money_invariants_hold_under_any_sequence(client, world, session, ops, seed):
    await _reset()
    random.seed(seed)
    h = auth(world["token"])
    staff = auth(await staff_token(client, session, f"prop{next(RUNS)}", ["dispatcher"]))
    orders = [await new_order(client, world, start=next_weekday(2, 10)),
              await new_order(client, world, start=next_weekday(4, 14))]
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
    await _check()


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
        assert unearned == paid - refunded - kept, (order_id, status, paid, refunded, fee, unearned)
        if status == "cancelled":
            assert unearned == 0
        mine = (await _one("SELECT coalesce(sum(amount), 0) FROM payments WHERE order_id = :o AND status = "
                           "'succeeded' AND NOT late", o=order_id))[0][0]
        assert paid == mine
    assert not await _one("SELECT id FROM payments WHERE late AND refunded_amount <> amount")
    assert not await _one("SELECT p.id FROM payments p JOIN refunds r ON r.payment_id = p.id "
                          "WHERE r.status NOT IN ('rejected') GROUP BY p.id, p.amount HAVING sum(r.amount) > p.amount")
    assert not await _one("SELECT payment_id FROM journal_entries WHERE kind = 'payment' GROUP BY payment_id "
                          "HAVING count(*) > 1")
