"""Reconciliation against the sandbox provider's bill: the four categories, an idempotent
re-run, resolutions (an adjustment posts a balanced correcting entry, audited), bad input."""
from datetime import timedelta

from sqlalchemy import text

from anjia.core.security import now
from anjia.finance import service as finance
from anjia.finance import tasks
from anjia.payments.models import SandboxTrade
from tests.finance.helpers import cancel, finance_staff, paid, to_yesterday, yesterday
from tests.payments.helpers import balances, count

RUNS = "/api/v1/admin/finance/reconciliation/runs"


async def _scenario(client, session, world) -> dict:
    """matched: a payment and a cancelled order's payment and refund; amount_differs: the
    provider's bill lists 1 yuan more; missing_there: the provider has no trace of a payment of
    ours; missing_here: the provider has a trade we never heard of."""
    ok, ok_pay = await paid(client, world, 1, 9)
    differs, differs_pay = await paid(client, world, 1, 12)
    gone, gone_pay = await paid(client, world, 1, 15)
    cancelled, cancelled_pay = await paid(client, world, 2, 9)
    await cancel(client, session, world, cancelled["id"])
    await session.execute(text("UPDATE sandbox_trades SET amount = amount + 100 WHERE out_trade_no = :n"),
                          {"n": differs_pay["number"]})
    await session.execute(text("DELETE FROM sandbox_trades WHERE out_trade_no = :n"), {"n": gone_pay["number"]})
    session.add(SandboxTrade(out_trade_no="PSTRANGER0001", amount=4_200, status="succeeded", paid_at=now()))
    await session.commit()
    await to_yesterday(session)
    refund = await session.scalar(text("SELECT number FROM refunds"))
    return {"ok": ok_pay, "differs": differs_pay, "gone": gone_pay, "cancelled": cancelled_pay, "refund": refund}


async def test_the_four_categories_an_idempotent_rerun_and_resolutions(client, session, world):
    s = await _scenario(client, session, world)
    h = await finance_staff(client, session)
    r = await client.post(RUNS, headers=h, json={"provider": "sandbox", "day": yesterday()})
    assert r.status_code == 201, r.text
    run = r.json()
    assert (run["status"], run["matched"], run["missing_here"], run["missing_there"], run["amount_differs"]) == \
        ("differences", 3, 1, 1, 1)
    assert run["bill_lines"] == 5 and run["open_differences"] == 3
    paid_total = sum(s[k]["amount"] for k in ("ok", "differs", "gone", "cancelled"))
    assert run["our_payments"] == paid_total
    assert run["bill_payments"] == paid_total - s["gone"]["amount"] + 100 + 4_200
    assert run["bill_refunds"] == run["our_refunds"] == s["cancelled"]["amount"]  # cancelled early: no fee

    detail = (await client.get(f"{RUNS}/{run['id']}", headers=h)).json()
    found = {d["out_no"]: d for d in detail["differences"]["items"]}
    assert {(k, d["category"], d["kind"]) for k, d in found.items()} == {
        ("PSTRANGER0001", "missing_here", "payment"), (s["gone"]["number"], "missing_there", "payment"),
        (s["differs"]["number"], "amount_differs", "payment")}
    assert found["PSTRANGER0001"]["bill_amount"] == 4_200 and found["PSTRANGER0001"]["our_amount"] is None
    assert found[s["gone"]["number"]]["our_amount"] == s["gone"]["amount"]
    differs = found[s["differs"]["number"]]
    assert (differs["bill_amount"], differs["our_amount"]) == (s["differs"]["amount"] + 100, s["differs"]["amount"])
    only = (await client.get(f"{RUNS}/{run['id']}", headers=h, params={"category": "missing_here"})).json()
    assert [d["out_no"] for d in only["differences"]["items"]] == ["PSTRANGER0001"]

    # the same day again: the same differences (same rows), nothing doubled
    again = (await client.post(RUNS, headers=h, json={"provider": "sandbox", "day": yesterday()})).json()
    assert again["id"] == run["id"] and again["attempt"] == 2 and again["matched"] == 3
    assert await count(session, "SELECT count(*) FROM reconciliation_differences") == 3
    assert {d["id"] for d in (await client.get(f"{RUNS}/{run['id']}", headers=h)).json()["differences"]["items"]} \
        == {d["id"] for d in found.values()}

    # resolving: the provider moved 1 yuan more than we booked -> adjust against provider fees
    before = await balances(session)
    resolve = f"/api/v1/admin/finance/reconciliation/differences/{differs['id']}/resolve"
    r = await client.post(resolve, headers=h, json={"resolution": "adjusted", "note": "渠道多收 1 元，计入手续费",
                                                    "counter_account": "provider_fees"})
    assert r.status_code == 200, r.text
    entry = r.json()["entry_id"]
    assert await count(session, "SELECT sum(amount) FROM postings WHERE entry_id = :e", e=entry) == 0
    after = await balances(session)
    assert after["clearing:sandbox"] == before["clearing:sandbox"] + 100
    assert after["provider_fees"] == before.get("provider_fees", 0) - 100
    assert await count(session, "SELECT count(*) FROM audit_logs WHERE action = 'reconciliation.resolve' "
                                "AND target_id = :t", t=str(differs["id"])) == 1
    twice = await client.post(resolve, headers=h, json={"resolution": "ignored_with_reason", "note": "再来一次"})
    assert twice.status_code == 409 and twice.json()["code"] == "reconciliation_resolved"
    ignore = await client.post(f"/api/v1/admin/finance/reconciliation/differences/{found['PSTRANGER0001']['id']}"
                               "/resolve", headers=h, json={"resolution": "ignored_with_reason",
                                                            "note": "测试交易，渠道确认不结算"})
    assert ignore.status_code == 200 and ignore.json()["entry_id"] is None

    # re-run after the adjustment: the payment now matches; resolved differences keep their resolution
    third = (await client.post(RUNS, headers=h, json={"provider": "sandbox", "day": yesterday()})).json()
    assert (third["matched"], third["amount_differs"], third["open_differences"]) == (4, 0, 1)
    rows = {d["out_no"]: d for d in (await client.get(f"{RUNS}/{run['id']}", headers=h)).json()["differences"]["items"]}
    assert rows[s["differs"]["number"]]["resolution"] == "adjusted" and not rows[s["differs"]["number"]]["current"]
    assert rows["PSTRANGER0001"]["resolution"] == "ignored_with_reason" and rows["PSTRANGER0001"]["current"]
    assert rows[s["gone"]["number"]]["resolution"] is None
    todo = (await client.get("/api/v1/admin/finance/reconciliation/differences", headers=h,
                             params={"resolved": "false"})).json()
    assert [(d["out_no"], d["provider"], d["day"]) for d in todo["items"]] == [(s["gone"]["number"], "sandbox",
                                                                              yesterday())]
    done = (await client.get("/api/v1/admin/finance/reconciliation/differences", headers=h,
                             params={"resolved": "true", "category": "amount_differs"})).json()
    assert [d["resolution"] for d in done["items"]] == ["adjusted"]
    assert await count(session, "SELECT count(*) FROM audit_logs WHERE action = 'reconciliation.run'") == 3


async def test_a_balanced_day_from_the_daily_job(client, session, world):
    await paid(client, world, 3, 10)
    await to_yesterday(session)
    assert await tasks.reconcile_yesterday() == ["sandbox:balanced"]
    assert await count(session, "SELECT matched FROM reconciliation_runs") == 1
    assert await tasks.reconcile_yesterday(only_failed=True) == []


async def test_a_refund_the_provider_made_but_we_did_not_book(client, session, world):
    """Refunds are matched on out_refund_no against what left the clearing account."""
    order, payment = await paid(client, world, 4, 10)
    await cancel(client, session, world, order["id"])
    # our refund entry never made it (as if booked elsewhere): the refund line's amount differs
    await session.execute(text("ALTER TABLE postings DISABLE TRIGGER USER"))
    await session.execute(text("DELETE FROM postings WHERE entry_id IN (SELECT id FROM journal_entries "
                               "WHERE kind = 'refund')"))
    await session.execute(text("ALTER TABLE postings ENABLE TRIGGER USER"))
    await session.commit()
    await to_yesterday(session)
    run = await finance.reconcile(session, "sandbox", finance.yesterday())
    await session.commit()
    assert (run.matched, run.amount_differs) == (1, 1)
    diff = await session.scalar(text("SELECT kind || ':' || category || ':' || our_amount FROM "
                                     "reconciliation_differences"))
    assert diff == "refund:amount_differs:0"


async def test_bad_input_is_a_clear_problem(client, session, world):
    h = await finance_staff(client, session)
    today = finance.today()
    for body, code in [({"provider": "alipay", "day": yesterday()}, "reconciliation_provider"),
                       ({"provider": "sandbox", "day": today.isoformat()}, "reconciliation_day"),
                       ({"provider": "sandbox", "day": (today + timedelta(days=30)).isoformat()},
                        "reconciliation_day")]:
        r = await client.post(RUNS, headers=h, json=body)
        assert r.status_code == 422 and r.json()["code"] == code, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.post(RUNS, headers=h, json={"provider": "paypal", "day": yesterday()})
    assert r.status_code == 422
    r = await client.get(RUNS, headers=h, params={"page": 3})
    assert r.status_code == 422 and r.json()["code"] == "page_out_of_range"
    assert (await client.get(f"{RUNS}/999", headers=h)).json()["code"] == "reconciliation_run_not_found"
    r = await client.post("/api/v1/admin/finance/reconciliation/differences/999/resolve", headers=h,
                          json={"resolution": "provider_error", "note": "x"})
    assert r.status_code == 404
    viewer = await _viewer(client, session)
    assert (await client.post(RUNS, headers=viewer, json={"provider": "sandbox", "day": yesterday()})).status_code == 403
    assert (await client.get(RUNS, headers=viewer)).status_code == 200


async def _viewer(client, session):
    from tests.conftest import auth, staff_token
    return auth(await staff_token(client, session, "auditor1", ["auditor"]))
