"""Statements: built by the job once per earning, approved once, paid through the ledger;
disputes corrected by new adjustments; withdrawals within what approved statements owe."""
import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from anjia.core.jobs import in_transaction
from anjia.core.security import now
from anjia.settlement import service
from anjia.settlement.tasks import build_statements_job
from tests.conftest import auth, staff_token
from tests.dispatch.helpers import worker_auth
from tests.settlement.helpers import account, build, completed_order, finance, statement_with_order, today

ADMIN = "/api/v1/admin/settlement"


async def test_the_job_builds_each_closed_period_once(client, session, world, engine):
    first, w1 = await completed_order(client, session, world)
    second, _ = await completed_order(client, session, world, week=1)
    async with engine.begin() as conn:  # both completed in the week before last Monday
        await conn.execute(text("UPDATE earnings SET computed_at = :t"), {"t": now() - timedelta(days=8)})
    start, end = service.due_period(now())
    assert end - start == timedelta(days=6) and start.weekday() == 0 and end < today()
    await build_statements_job(timestamp=0)
    await build_statements_job(timestamp=0)  # twice: nothing is built twice
    assert await in_transaction(service.build_due) == 0
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT worker_id, period_start, period_end, orders, total, status "
                                        "FROM statements ORDER BY worker_id"))).all()
        lines = await conn.scalar(text("SELECT count(*) FROM statement_lines"))
    assert sum(r.orders for r in rows) == 2 == lines and {(r.period_start, r.period_end) for r in rows} == {(start, end)}
    assert all(r.status == "draft" for r in rows)
    # the database itself refuses a second line for an earning, and any edit of a line or an amount
    async with engine.connect() as conn:
        with pytest.raises(IntegrityError):
            await conn.execute(text("INSERT INTO statement_lines (statement_id, earning_id, description, gross, "
                                    "commission, amount) SELECT statement_id, earning_id, 'x', 0, 0, 0 "
                                    "FROM statement_lines LIMIT 1"))
        await conn.rollback()
        with pytest.raises(DBAPIError, match="immutable"):
            await conn.execute(text("UPDATE statement_lines SET amount = amount + 1"))
        await conn.rollback()
        with pytest.raises(DBAPIError, match="immutable"):
            await conn.execute(text("UPDATE statements SET total = total + 1"))
    mine = (await client.get("/api/v1/worker/statements", headers=worker_auth(w1))).json()
    assert mine["total"] == 1
    detail = (await client.get(f"/api/v1/worker/statements/{mine['items'][0]['id']}", headers=worker_auth(w1))).json()
    assert [line["kind"] for line in detail["lines"]] == ["earning"] * detail["orders"]
    assert sum(line["amount"] for line in detail["lines"]) == detail["total"]
    others = [w for w in world["workers"] if w != w1]
    r = await client.get(f"/api/v1/worker/statements/{detail['id']}", headers=worker_auth(others[0]))
    assert r.status_code == 404 and r.json()["code"] == "statement_not_found"


async def test_due_period_by_week_and_month(monkeypatch):
    from datetime import datetime

    from anjia.config import get_settings
    from tests.support import SH
    monday_2am = datetime(2026, 11, 30, 2, tzinfo=SH)
    assert service.due_period(monday_2am) == (monday_2am.date() - timedelta(days=14), monday_2am.date() - timedelta(days=8))
    assert service.due_period(monday_2am + timedelta(hours=1)) == (monday_2am.date() - timedelta(days=7),
                                                                   monday_2am.date() - timedelta(days=1))
    monkeypatch.setattr(get_settings(), "settlement_period", "month")
    assert service.due_period(datetime(2026, 12, 1, 3, tzinfo=SH)) == (datetime(2026, 11, 1).date(),
                                                                        datetime(2026, 11, 30).date())
    assert service.due_period(datetime(2026, 12, 1, 2, 59, tzinfo=SH)) == (datetime(2026, 10, 1).date(),
                                                                           datetime(2026, 10, 31).date())


async def test_a_statement_is_approved_once_even_concurrently(client, session, world):
    h = await finance(client, session)
    s1, _ = await statement_with_order(client, session, world, week=0, start=today() - timedelta(days=30))
    s2, _ = await statement_with_order(client, session, world, week=1, start=today() - timedelta(days=29))
    assert (await client.post(f"{ADMIN}/statements/{s1}/approve", headers=h)).json()["status"] == "approved"
    again = await client.post(f"{ADMIN}/statements/{s1}/approve", headers=h)
    assert again.status_code == 409 and again.json()["code"] == "statement_already_approved"
    both = await asyncio.gather(*[client.post(f"{ADMIN}/statements/{s2}/approve", headers=h) for _ in range(2)])
    assert sorted(r.status_code for r in both) == [200, 409]
    dispatcher = auth(await staff_token(client, session, "disp-x", ["dispatcher"]))
    assert (await client.post(f"{ADMIN}/statements/{s2}/approve", headers=dispatcher)).status_code == 403
    async with session.bind.connect() as conn:
        actions = dict((await conn.execute(text("SELECT action, count(*) FROM audit_logs GROUP BY 1"))).all())
        posted = await conn.scalar(text("SELECT count(*) FROM journal_entries WHERE kind = 'payout'"))
    # the refused approvals are on record too, though their requests rolled back; nothing was posted
    assert actions["statement.approve"] == 2 and actions["statement.approve_refused"] == 2 and posted == 0


async def test_payout_posts_and_zeroes_the_payable_and_settles_the_withdrawal(client, session, world):
    h = await finance(client, session)
    sid, w = await statement_with_order(client, session, world, week=0, start=today() - timedelta(days=6))
    wh = worker_auth(w)
    total = (await client.get(f"{ADMIN}/statements/{sid}", headers=h)).json()["total"]
    r = await client.post(f"{ADMIN}/statements/{sid}/pay", headers=h, json={"bank_reference": "BOC20261202001"})
    assert r.status_code == 409 and r.json()["code"] == "statement_not_approved"
    r = await client.post("/api/v1/worker/withdrawals", headers=wh, json={"amount": 100})
    assert r.status_code == 422 and r.json()["code"] == "withdrawal_exceeds_balance"  # nothing approved yet
    await client.post(f"{ADMIN}/statements/{sid}/approve", headers=h)
    for bad in (-100, 0, 12.5, "100", total + 1):
        r = await client.post("/api/v1/worker/withdrawals", headers=wh, json={"amount": bad})
        assert r.status_code == 422, (bad, r.text)
    r = await client.post("/api/v1/worker/withdrawals", headers=wh, json={"amount": total})
    assert r.status_code == 201 and r.json()["status"] == "requested"
    again = await client.post("/api/v1/worker/withdrawals", headers=wh, json={"amount": 1})
    assert again.status_code == 409 and again.json()["code"] == "withdrawal_open"
    summary = (await client.get("/api/v1/worker/earnings/summary", headers=wh)).json()
    assert summary["withdrawable"] == total and summary["open_withdrawal"]["amount"] == total
    assert await account(session, f"worker_payable:{w}") == -total
    cash = await account(session, "cash")
    for bad in ({}, {"bank_reference": ""}, {"bank_reference": "x" * 65}):
        assert (await client.post(f"{ADMIN}/statements/{sid}/pay", headers=h, json=bad)).status_code == 422
    r = await client.post(f"{ADMIN}/statements/{sid}/pay", headers=h, json={"bank_reference": "BOC20261202001"})
    assert r.status_code == 200 and r.json()["status"] == "paid" and r.json()["bank_reference"] == "BOC20261202001"
    assert await account(session, f"worker_payable:{w}") == 0
    assert await account(session, "cash") == cash - total
    again = await client.post(f"{ADMIN}/statements/{sid}/pay", headers=h, json={"bank_reference": "BOC20261202002"})
    assert again.status_code == 409 and again.json()["code"] == "statement_already_paid"
    again = await client.post(f"{ADMIN}/statements/{sid}/approve", headers=h)
    assert again.status_code == 409 and again.json()["code"] == "statement_already_approved"
    assert await account(session, "cash") == cash - total  # one payout
    mine = (await client.get("/api/v1/worker/withdrawals", headers=wh)).json()["items"]
    assert [(x["status"], x["statement_id"]) for x in mine] == [("paid", sid)]
    async with session.bind.connect() as conn:
        refused = await conn.scalar(text("SELECT count(*) FROM audit_logs WHERE action = 'statement.pay_refused'"))
        told = (await conn.execute(text("SELECT kind, body FROM notifications WHERE user_id = :w ORDER BY id"),
                                   {"w": w})).all()
    assert refused == 2  # before approval, and again after the payout
    assert [k for k, _ in told][-3:] == ["statement.created", "statement.approved", "statement.paid"]
    assert "BOC20261202001" in told[-1].body and f"¥{total // 100}.{total % 100:02d}" in told[-1].body
    summary = (await client.get("/api/v1/worker/earnings/summary", headers=wh)).json()
    assert (summary["pending"], summary["settled"], summary["withdrawable"], summary["open_withdrawal"]) == (
        0, total, 0, None)
    lines = (await client.get("/api/v1/worker/earnings", headers=wh)).json()["items"]
    assert lines[0]["settled"] and lines[0]["statement_status"] == "paid"


async def test_finance_decides_withdrawals(client, session, world):
    h = await finance(client, session)
    sid, w = await statement_with_order(client, session, world, week=0, start=today() - timedelta(days=6))
    wh = worker_auth(w)
    await client.post(f"{ADMIN}/statements/{sid}/approve", headers=h)
    first = (await client.post("/api/v1/worker/withdrawals", headers=wh, json={"amount": 500})).json()
    r = await client.post(f"{ADMIN}/withdrawals/{first['id']}/reject", headers=h, json={"reason": "银行卡信息有误"})
    assert r.status_code == 200 and r.json()["status"] == "rejected" and r.json()["note"] == "银行卡信息有误"
    r = await client.post(f"{ADMIN}/withdrawals/{first['id']}/approve", headers=h)
    assert r.status_code == 409 and r.json()["code"] == "withdrawal_state"
    second = (await client.post("/api/v1/worker/withdrawals", headers=wh, json={"amount": 500})).json()
    assert second["status"] == "requested"  # the rejected one is no longer open
    assert (await client.post(f"{ADMIN}/withdrawals/{second['id']}/approve", headers=h)).json()["status"] == "approved"
    listed = (await client.get(f"{ADMIN}/withdrawals?status=approved", headers=h)).json()
    assert [x["id"] for x in listed["items"]] == [second["id"]] and listed["items"][0]["worker_name"]


async def test_concurrent_withdrawal_requests_open_one(client, session, world):
    h = await finance(client, session)
    sid, w = await statement_with_order(client, session, world, week=0, start=today() - timedelta(days=6))
    await client.post(f"{ADMIN}/statements/{sid}/approve", headers=h)
    results = await asyncio.gather(*[client.post("/api/v1/worker/withdrawals", headers=worker_auth(w),
                                                 json={"amount": 100}) for _ in range(4)])
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409]


async def test_an_accepted_dispute_is_a_new_adjustment_in_the_next_statement(client, session, world):
    h = await finance(client, session)
    sid, w = await statement_with_order(client, session, world, week=0, start=today() - timedelta(days=6))
    wh = worker_auth(w)
    before = (await client.get(f"/api/v1/worker/statements/{sid}", headers=wh)).json()
    line = before["lines"][0]
    r = await client.post(f"/api/v1/worker/statements/{sid}/lines/{line['id']}/dispute", headers=wh,
                          json={"reason": "实际多做了一小时"})
    assert r.status_code == 201 and r.json()["status"] == "open"
    dispute = r.json()["id"]
    again = await client.post(f"/api/v1/worker/statements/{sid}/lines/{line['id']}/dispute", headers=wh,
                              json={"reason": "再问一次"})
    assert again.status_code == 409 and again.json()["code"] == "statement_line_disputed"
    missing = await client.post(f"/api/v1/worker/statements/{sid}/lines/{line['id'] + 99}/dispute", headers=wh,
                                json={"reason": "不存在"})
    assert missing.status_code == 404 and missing.json()["code"] == "statement_line_not_found"
    open_ = (await client.get(f"{ADMIN}/disputes?status=open", headers=h)).json()
    assert [d["id"] for d in open_["items"]] == [dispute] and open_["items"][0]["line_amount"] == line["amount"]
    for bad in (-500, 0, 12.5, "500"):
        r = await client.post(f"{ADMIN}/disputes/{dispute}/accept", headers=h, json={"amount": bad, "note": "补一小时"})
        assert r.status_code == 422, bad
    payable = await account(session, f"worker_payable:{w}")
    r = await client.post(f"{ADMIN}/disputes/{dispute}/accept", headers=h, json={"amount": 4000, "note": "补一小时"})
    assert r.status_code == 200 and r.json()["status"] == "accepted" and r.json()["adjustment_amount"] == 4000
    r = await client.post(f"{ADMIN}/disputes/{dispute}/reject", headers=h, json={"reason": "改主意"})
    assert r.status_code == 409 and r.json()["code"] == "dispute_decided"
    assert await account(session, f"worker_payable:{w}") == payable - 4000  # owed at once, as its own entry
    after = (await client.get(f"/api/v1/worker/statements/{sid}", headers=wh)).json()
    assert after["total"] == before["total"] and len(after["lines"]) == 1  # the statement is never edited
    assert after["lines"][0]["dispute"]["status"] == "accepted"
    r = await client.post(f"{ADMIN}/runs", headers=h, json={"start": today().isoformat(), "end": today().isoformat()})
    assert r.status_code == 201 and len(r.json()["statements"]) == 1
    nxt = r.json()["statements"][0]
    assert (nxt["worker_id"], nxt["orders"], nxt["adjustments"], nxt["total"]) == (w, 0, 4000, 4000)
    lines = (await client.get(f"{ADMIN}/statements/{nxt['id']}", headers=h)).json()["lines"]
    assert [(x["kind"], x["amount"], x["order_id"]) for x in lines] == [("adjustment", 4000, line["order_id"])]
    r = await client.post(f"{ADMIN}/runs", headers=h, json={"start": today().isoformat(), "end": today().isoformat()})
    assert r.json()["statements"] == []  # nothing left to build
    # a rejected dispute moves nothing
    r = await client.post(f"/api/v1/worker/statements/{nxt['id']}/lines/{lines[0]['id']}/dispute", headers=wh,
                          json={"reason": "金额不对"})
    r = await client.post(f"{ADMIN}/disputes/{r.json()['id']}/reject", headers=h, json={"reason": "已按规则补发"})
    assert r.status_code == 200 and r.json()["decision_note"] == "已按规则补发"
    assert await account(session, f"worker_payable:{w}") == payable - 4000


async def test_runs_check_the_period(client, session, world):
    h = await finance(client, session)
    for body in ({"start": "2026-11-10", "end": "2026-11-01"}, {"start": today().isoformat(),
                                                                 "end": (today() + timedelta(days=1)).isoformat()},
                 {"start": "1999-01-01", "end": "2026-11-01"}, {"start": "2026-11-01"}):
        r = await client.post(f"{ADMIN}/runs", headers=h, json=body)
        assert r.status_code == 422, (body, r.text)
    assert await build(session, today()) == []  # no earnings, no statements
