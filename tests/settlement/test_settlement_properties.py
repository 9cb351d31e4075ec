"""Property test: random sequences of completing orders, building statements (the job and finance's
runs), approving (twice too), paying, disputes accepted or rejected and withdrawal requests keep
every settlement invariant:

- every entry balances; each completed order's `unearned` nets to zero;
- per worker: worker_payable = net earned + adjustments − statements paid; nothing is in two
  statements; each statement's total is the sum of its lines (and its earnings' net plus adjustments);
- revenue = commission − adjustments; cash out = what paid statements total;
- at most one open withdrawal per worker, never above what approved statements owed when asked;
  paid withdrawals were settled by a paid statement of theirs."""
import itertools
from datetime import timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from anjia.core import db
from anjia.settlement import service
from tests.conftest import auth, staff_token
from tests.dispatch.helpers import worker_auth
from tests.settlement.helpers import today
from tests.support import KITCHEN, next_weekday

RUNS = itertools.count()
TABLES = ("withdrawals, statement_disputes, statement_lines, statements, settlement_adjustments, earnings, "
          "postings, journal_entries, ledger_accounts, refunds, payments, offers, dispatch_rounds, worker_bookings, "
          "notifications, events, order_events, orders, audit_logs")
ADMIN = "/api/v1/admin/settlement"

Op = st.one_of(
    st.tuples(st.just("complete"), st.integers(0, 3)),
    st.tuples(st.just("build"),),
    st.tuples(st.just("approve"), st.integers(0, 5)),
    st.tuples(st.just("pay"), st.integers(0, 5)),
    st.tuples(st.just("dispute"), st.integers(0, 5), st.integers(1, 20_000), st.booleans()),
    st.tuples(st.just("withdraw"), st.integers(0, 1), st.integers(1, 40_000)),
    st.tuples(st.just("decide_withdrawal"), st.integers(0, 5), st.booleans()),
)


async def _sql(sql: str, **params):
    async with db.engine().begin() as conn:
        result = await conn.execute(text(sql), params)
        return result.all() if result.returns_rows else []


@example(ops=[("complete", 0), ("complete", 1), ("build",), ("approve", 0), ("approve", 0), ("withdraw", 0, 1),
              ("withdraw", 1, 1), ("dispute", 0, 500, True), ("pay", 0), ("pay", 1), ("build",), ("approve", 2),
              ("pay", 2)])
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=st.lists(Op, min_size=3, max_size=14))
async def test_settlement_invariants_hold_under_any_sequence(client, world, session, ops):
    await _sql(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    finance = auth(await staff_token(client, session, f"fin{next(RUNS)}", ["finance"]))
    h = auth(world["token"])
    done: set[int] = set()
    runs = 0
    for op in ops:
        kind = op[0]
        statements = [r[0] for r in await _sql("SELECT id FROM statements ORDER BY id")]
        pick = (lambda i: statements[i % len(statements)]) if statements else None
        if kind == "complete" and op[1] not in done:
            done.add(op[1])
            start = next_weekday(2, 9) + timedelta(days=op[1])  # a day each: both workers stay free
            r = await client.post("/api/v1/orders", headers=h, json={
                "service_id": world["services"]["厨房深度清洁"], "address_id": world["address_id"],
                "start": start.isoformat(), **KITCHEN})
            assert r.status_code == 201, r.text
            order = r.json()["id"]
            r = await client.post(f"/api/v1/admin/orders/{order}/payments/offline", headers=finance,
                                  json={"method": "transfer", "reference": f"T{order}"})
            assert r.status_code == 201, r.text
            for w in world["workers"]:
                if (await client.post(f"/api/v1/worker/orders/{order}/accept", headers=worker_auth(w))).status_code == 200:
                    break
            wh = worker_auth(w)
            await client.post(f"/api/v1/worker/orders/{order}/depart", headers=wh)
            await client.post(f"/api/v1/worker/orders/{order}/check-in", json={"lat": 31.1951, "lng": 121.4381},
                              headers=wh)
            assert (await client.post(f"/api/v1/worker/orders/{order}/check-out", headers=wh)).status_code == 200
        elif kind == "build":
            runs += 1  # each run a period of its own, as successive weeks would be
            day = (today() - timedelta(days=100 - runs)).isoformat()
            r = await client.post(f"{ADMIN}/runs", headers=finance, json={"start": day, "end": today().isoformat()})
            assert r.status_code == 201, r.text
        elif kind == "approve" and pick:
            r = await client.post(f"{ADMIN}/statements/{pick(op[1])}/approve", headers=finance)
            assert r.status_code in (200, 409), r.text
        elif kind == "pay" and pick:
            r = await client.post(f"{ADMIN}/statements/{pick(op[1])}/pay", headers=finance,
                                  json={"bank_reference": f"BANK{op[1]:04d}"})
            assert r.status_code in (200, 409), r.text
        elif kind == "dispute" and pick:
            sid = pick(op[1])
            detail = (await client.get(f"{ADMIN}/statements/{sid}", headers=finance)).json()
            wh = worker_auth(detail["worker_id"])
            r = await client.post(f"/api/v1/worker/statements/{sid}/lines/{detail['lines'][0]['id']}/dispute",
                                  headers=wh, json={"reason": "核对"})
            if r.status_code == 201:
                if op[3]:
                    r = await client.post(f"{ADMIN}/disputes/{r.json()['id']}/accept", headers=finance,
                                          json={"amount": op[2], "note": "更正"})
                else:
                    r = await client.post(f"{ADMIN}/disputes/{r.json()['id']}/reject", headers=finance,
                                          json={"reason": "无误"})
                assert r.status_code == 200, r.text
            else:
                assert r.status_code == 409, r.text
        elif kind == "withdraw":
            w = world["workers"][op[1]]
            owed = await service.withdrawable(session, w)
            await session.rollback()
            r = await client.post("/api/v1/worker/withdrawals", headers=worker_auth(w), json={"amount": op[2]})
            assert r.status_code in (201, 409, 422), r.text
            if r.status_code == 201:
                assert op[2] <= owed
            elif r.status_code == 422:
                assert op[2] > owed
        elif kind == "decide_withdrawal":
            ids = [r[0] for r in await _sql("SELECT id FROM withdrawals ORDER BY id")]
            if ids:
                wid = ids[op[1] % len(ids)]
                path = "approve" if op[2] else "reject"
                r = await client.post(f"{ADMIN}/withdrawals/{wid}/{path}", headers=finance,
                                      **({} if op[2] else {"json": {"reason": "信息有误"}}))
                assert r.status_code in (200, 409), r.text
    await _check(world["workers"])


async def _balance(code: str) -> int:
    return (await _sql("SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN ledger_accounts a "
                       "ON a.id = p.account_id WHERE a.code = :c", c=code))[0][0]


async def _check(workers: list[int]) -> None:
    assert (await _sql("SELECT coalesce(sum(amount), 0) FROM postings"))[0][0] == 0
    for (order_id,) in await _sql("SELECT id FROM orders WHERE status = 'completed'"):
        left = (await _sql("SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN journal_entries e ON e.id = "
                           "p.entry_id JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = 'unearned' "
                           "AND e.order_id = :o", o=order_id))[0][0]
        assert left == 0, order_id
    assert (await _sql("SELECT count(*) FROM orders WHERE status = 'completed'"))[0][0] == \
        (await _sql("SELECT count(*) FROM earnings"))[0][0]
    for w in workers:
        net = (await _sql("SELECT coalesce(sum(net), 0) FROM earnings WHERE worker_id = :w", w=w))[0][0]
        extra = (await _sql("SELECT coalesce(sum(amount), 0) FROM settlement_adjustments WHERE worker_id = :w", w=w))[0][0]
        paid = (await _sql("SELECT coalesce(sum(total), 0) FROM statements WHERE worker_id = :w AND status = 'paid'",
                           w=w))[0][0]
        assert -await _balance(f"worker_payable:{w}") == net + extra - paid
        assert (await _sql("SELECT count(*) FROM withdrawals WHERE worker_id = :w AND status IN "
                           "('requested', 'approved')", w=w))[0][0] <= 1
    assert not await _sql("SELECT s.id FROM statements s JOIN statement_lines l ON l.statement_id = s.id "
                          "GROUP BY s.id, s.total HAVING sum(l.amount) <> s.total")
    assert not await _sql("SELECT s.id FROM statements s WHERE s.total <> s.net + s.adjustments")
    assert not await _sql("SELECT w.id FROM withdrawals w LEFT JOIN statements s ON s.id = w.statement_id "
                          "WHERE w.status = 'paid' AND (s.status IS DISTINCT FROM 'paid' OR s.worker_id <> w.worker_id)")
    commission = (await _sql("SELECT coalesce(sum(commission), 0) FROM earnings"))[0][0]
    adjusted = (await _sql("SELECT coalesce(sum(amount), 0) FROM settlement_adjustments"))[0][0]
    assert -await _balance("revenue") == commission - adjusted
    paid_in = (await _sql("SELECT coalesce(sum(amount), 0) FROM payments WHERE status = 'succeeded'"))[0][0]
    paid_out = (await _sql("SELECT coalesce(sum(total), 0) FROM statements WHERE status = 'paid'"))[0][0]
    assert await _balance("cash") == paid_in - paid_out
    assert (await _sql("SELECT count(*) FROM journal_entries WHERE kind = 'payout'"))[0][0] == \
        (await _sql("SELECT count(*) FROM statements WHERE status = 'paid' AND total > 0"))[0][0]
