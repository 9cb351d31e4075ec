"""Paying through the sandbox provider end to end over the API: the cashier page, the signed
notification, the order paid and dispatched, one ledger entry; balance top-up and payment."""
import asyncio

from anjia.payments import tasks
from tests.conftest import auth
from tests.payments.helpers import balances, count, new_order, notify, pay_sandbox, settle, start_sandbox


async def test_pay_through_the_sandbox_cashier_page(client, world, session):
    order = await new_order(client, world)
    h = auth(world["token"])
    money = (await client.get(f"/api/v1/orders/{order['id']}/payments", headers=h)).json()
    assert money["amount_due"] == order["total"] and [m["method"] for m in money["methods"]] == ["sandbox", "balance"]
    payment = await start_sandbox(client, world, order["id"], return_path="/#/pages/pay/result?number={number}")
    assert payment["status"] == "pending" and payment["amount"] == order["total"]
    url = payment["checkout"]["url"]
    assert payment["checkout"]["kind"] == "redirect" and url == f"/api/v1/payments/sandbox/{payment['number']}"
    page = await client.get(url)
    assert page.status_code == 200 and f"{order['total'] / 100:.2f}" in page.text and 'id=pay' in page.text
    assert "form-action 'self'" in page.headers["content-security-policy"]
    # a second tap on 去支付 continues the same payment
    assert (await start_sandbox(client, world, order["id"]))["number"] == payment["number"]

    r = await client.post(url, data={"outcome": "succeed"})
    assert r.status_code == 303 and r.headers["location"] == f"/#/pages/pay/result?number={payment['number']}"
    assert (await client.get(f"/api/v1/payments/{payment['number']}", headers=h)).json()["status"] == "succeeded"
    mine = (await client.get(f"/api/v1/orders/{order['id']}", headers=h)).json()
    assert mine["status"] == "paid" and mine["paid_amount"] == order["total"]
    assert await balances(session) == {"clearing:sandbox": order["total"], "unearned": order["total"]}
    assert await count(session, "SELECT count(*) FROM offers") >= 1  # dispatch started in the same transaction
    again = await client.post(url, data={"outcome": "succeed"})  # the page cannot decide twice
    assert again.status_code == 404
    assert (await client.post(f"/api/v1/orders/{order['id']}/payments", headers=h,
                              json={"method": "sandbox"})).json()["code"] == "nothing_to_pay"


async def test_a_failed_payment_leaves_the_order_to_pay(client, world, session):
    order = await new_order(client, world)
    payment = await start_sandbox(client, world, order["id"])
    r = await client.post(payment["checkout"]["url"], data={"outcome": "fail"})
    assert r.status_code == 303
    h = auth(world["token"])
    assert (await client.get(f"/api/v1/payments/{payment['number']}", headers=h)).json()["status"] == "failed"
    assert (await client.get(f"/api/v1/orders/{order['id']}", headers=h)).json()["status"] == "pending_payment"
    assert await balances(session) == {}


async def test_one_hundred_replays_make_one_state_change_and_one_entry(client, world, session):
    order = await new_order(client, world)
    payment = await start_sandbox(client, world, order["id"])
    body, headers = await settle(payment["number"])
    replies = []
    for batch in range(10):  # 100 deliveries, ten at a time concurrently
        replies += await asyncio.gather(*[notify(client, body, headers) for _ in range(10)])
    assert {r.status_code for r in replies} == {200}
    assert await count(session, "SELECT count(*) FROM journal_entries WHERE kind = 'payment'") == 1
    assert await count(session, "SELECT count(*) FROM order_events WHERE type = 'paid'") == 1
    assert await count(session, "SELECT count(*) FROM provider_notifications") == 1
    assert await balances(session) == {"clearing:sandbox": order["total"], "unearned": order["total"]}


async def _age(session, number: str) -> None:
    from sqlalchemy import text
    await session.execute(text("UPDATE payments SET created_at = now() - interval '2 minutes' WHERE number = :n"),
                          {"n": number})
    await session.commit()


async def test_concurrent_replays_and_the_active_query_apply_once(client, world, session):
    order = await new_order(client, world)
    payment = await start_sandbox(client, world, order["id"])
    body, headers = await settle(payment["number"])
    await _age(session, payment["number"])
    results = await asyncio.gather(*[notify(client, body, headers) for _ in range(5)],
                                   *[tasks.query_pending() for _ in range(3)])
    assert all(getattr(r, "status_code", 200) == 200 for r in results)
    assert await count(session, "SELECT count(*) FROM journal_entries WHERE kind = 'payment'") == 1
    assert await count(session, "SELECT count(*) FROM order_events WHERE type = 'paid'") == 1


async def test_a_crash_before_our_commit_loses_nothing(client, world, session):
    """The provider took the money and notified us; we crashed before committing. The active query
    settles it; the notification's later retry changes nothing."""
    from anjia.payments import service

    order = await new_order(client, world)
    payment = await start_sandbox(client, world, order["id"])
    body, headers = await settle(payment["number"])
    from anjia.core import db
    async with db.sessionmaker()() as crashed:
        await service.handle_notification(crashed, "sandbox", headers, body, "127.0.0.1")
        await crashed.rollback()  # the process died here
    assert await count(session, "SELECT count(*) FROM journal_entries") == 0
    await _age(session, payment["number"])
    assert await tasks.query_pending() == 1
    assert await count(session, "SELECT count(*) FROM journal_entries WHERE kind = 'payment'") == 1
    assert (await notify(client, body, headers)).status_code == 200  # the provider's retry
    assert await count(session, "SELECT count(*) FROM journal_entries WHERE kind = 'payment'") == 1
    h = auth(world["token"])
    assert (await client.get(f"/api/v1/orders/{order['id']}", headers=h)).json()["status"] == "paid"


async def test_an_expired_payment_is_closed_and_money_arriving_later_goes_back(client, world, session):
    from sqlalchemy import text
    order = await new_order(client, world)
    payment = await start_sandbox(client, world, order["id"])
    await session.execute(text("UPDATE payments SET expires_at = now() - interval '1 minute', "
                               "created_at = now() - interval '40 minutes' WHERE number = :n"), {"n": payment["number"]})
    await session.commit()
    await tasks.query_pending()
    h = auth(world["token"])
    assert (await client.get(f"/api/v1/payments/{payment['number']}", headers=h)).json()["status"] == "closed"
    # a second payment pays the order; then the first one's money arrives anyway (forced at the sandbox)
    second = await pay_sandbox(client, world, order["id"])
    assert (await client.get(f"/api/v1/payments/{second['number']}", headers=h)).json()["status"] == "succeeded"
    await session.execute(text("UPDATE sandbox_trades SET status = 'pending' WHERE out_trade_no = :n"),
                          {"n": payment["number"]})
    await session.commit()
    r = await notify(client, *(await settle(payment["number"])))
    assert r.status_code == 200
    late = (await client.get(f"/api/v1/payments/{payment['number']}", headers=h)).json()
    assert late["status"] == "succeeded" and late["late"] and late["refunded_amount"] == late["amount"]
    assert await count(session, "SELECT count(*) FROM audit_logs WHERE action = 'payment.notification_late'") == 1
    await tasks.submit_refunds()
    assert await balances(session) == {"clearing:sandbox": order["total"], "unearned": order["total"]}


async def test_top_up_then_pay_with_the_balance(client, world, session):
    h = auth(world["token"])
    r = await client.post("/api/v1/me/balance/top-ups", headers=h,
                          json={"amount": 50_000, "method": "sandbox", "channel": "h5"})
    assert r.status_code == 201, r.text
    assert (await notify(client, *(await settle(r.json()["number"])))).status_code == 200
    assert (await client.get("/api/v1/me/balance", headers=h)).json()["balance"] == 50_000
    first, second = await new_order(client, world), await new_order(client, world, start=None)
    assert first["total"] + second["total"] > 50_000 >= first["total"]
    results = await asyncio.gather(*[client.post(f"/api/v1/orders/{o['id']}/payments", headers=h,
                                                 json={"method": "balance"}) for o in (first, second)])
    assert sorted(r.status_code for r in results) == [201, 409]  # the balance covers one of them
    assert [r.json()["code"] for r in results if r.status_code == 409] == ["insufficient_balance"]
    left = (await client.get("/api/v1/me/balance", headers=h)).json()
    assert left["balance"] == 50_000 - first["total"] and left["entries"][0]["amount"] == -first["total"]
    receipts = (await client.get("/api/v1/me/payments", headers=h)).json()
    assert receipts["total"] == 2 and {p["provider"] for p in receipts["items"]} == {"sandbox", "balance"}


async def test_amounts_must_be_whole_positive_fen(client, world):
    h = auth(world["token"])
    for amount in (12.5, "100", -100, 0, 100.0, 10**12):
        r = await client.post("/api/v1/me/balance/top-ups", headers=h, json={"amount": amount, "method": "sandbox"})
        assert r.status_code == 422 and r.json()["code"] == "validation_error", amount
    r = await client.post("/api/v1/me/balance/top-ups", headers=h, json={"amount": 100, "method": "wechatpay"})
    assert r.status_code == 422 and r.json()["code"] == "payment_method_unavailable"


async def test_a_phone_order_gets_a_qr_code_another_device_can_open(client, world, session):
    from anjia.config import get_settings
    from tests.conftest import staff_token

    order = await new_order(client, world)
    staff = auth(await staff_token(client, session, "phone-desk", ["dispatcher"]))
    r = await client.post(f"/api/v1/admin/orders/{order['id']}/payments/qr", headers=staff)
    assert r.status_code == 201, r.text
    checkout = r.json()["checkout"]
    assert checkout["kind"] == "qr" and checkout["url"].startswith(get_settings().public_url + "/api/v1/payments/sandbox/")
