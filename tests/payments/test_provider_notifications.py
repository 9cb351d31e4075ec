"""Our notification endpoint against the local fakes of WeChat Pay, Alipay and UnionPay: the real
SDK code paths, real signatures, and every kind of bad notification — a clear reply in the
provider's protocol, an audit record, nothing posted."""
import asyncio

import pytest

from anjia.payments import registry, tasks
from tests.conftest import auth
from tests.fakes.alipay import FakeAlipay
from tests.fakes.unionpay import FakeUnionPay
from tests.fakes.wechatpay import FakeWechatPay
from tests.payments.helpers import balances, count, new_order, providers_at


@pytest.fixture(scope="module")
def fakes():
    with providers_at({"wechatpay": FakeWechatPay(), "alipay": FakeAlipay(), "unionpay": FakeUnionPay()}) as servers:
        yield servers


async def _start(client, world, method: str, channel: str = "h5", order=None) -> tuple[dict, dict]:
    order = order or await new_order(client, world)
    r = await client.post(f"/api/v1/orders/{order['id']}/payments", headers=auth(world["token"]),
                          json={"method": method, "channel": channel})
    assert r.status_code == 201, r.text
    checkout = r.json()["checkout"]
    if method in ("alipay", "unionpay"):  # the payer's browser opens the cashier: the provider learns the trade
        import httpx
        await asyncio.to_thread(httpx.post if checkout["params"] else httpx.get, checkout["url"],
                                **({"data": checkout["params"]} if checkout["params"] else {}))
    return order, r.json()


async def _post(client, provider: str, headers: dict, body: bytes):
    return await client.post(f"/api/v1/payments/notify/{provider}", content=body, headers=headers)


def _form(body: bytes) -> dict:
    return {"content-type": "application/x-www-form-urlencoded; charset=utf-8"}


async def test_wechat_pay_h5_notification_pays_the_order_once(fakes, client, world, session):
    fake = fakes["wechatpay"]
    order, payment = await _start(client, world, "wechatpay")
    assert payment["checkout"]["kind"] == "redirect" and payment["checkout"]["url"].startswith(fake.url)
    headers, body = fake.notification(payment["number"])
    replies = await asyncio.gather(*[_post(client, "wechatpay", headers, body) for _ in range(20)])
    assert {r.status_code for r in replies} == {204}
    assert await balances(session) == {"clearing:wechatpay": order["total"], "unearned": order["total"]}
    assert await count(session, "SELECT count(*) FROM order_events WHERE type = 'paid'") == 1


@pytest.mark.parametrize("knobs, refused", [
    ({"forge": True}, "bad_signature"),
    ({"serial": "PUB_KEY_ID_0119UNKNOWN0000000000000"}, "unknown_serial"),
    ({"age": 400}, "timestamp"),
    ({"bad_resource": True}, "decrypt"),
])
async def test_untrusted_wechat_notifications_are_refused_and_audited(fakes, client, world, session, knobs, refused):
    fake = fakes["wechatpay"]
    _, payment = await _start(client, world, "wechatpay")
    headers, body = fake.notification(payment["number"], **knobs)
    calls = len(fake.requests)
    r = await _post(client, "wechatpay", headers, body)
    assert r.status_code == 400 and r.json()["code"] == "FAIL"
    assert len(fake.requests) == calls  # refused without any outgoing call
    assert await count(session, "SELECT count(*) FROM provider_notifications") == 0
    assert await count(session, "SELECT count(*) FROM journal_entries") == 0
    assert await count(session, "SELECT count(*) FROM audit_logs WHERE action = 'payment.notification_refused'") == 1


@pytest.mark.parametrize("knobs, reason", [
    ({"amount": 1}, "amount_mismatch"),
    ({"mchid": "1900000999"}, "merchant_mismatch"),
    ({"appid": "wx-other"}, "app_mismatch"),
])
async def test_genuine_but_wrong_notifications_are_kept_rejected_and_acknowledged(fakes, client, world, session,
                                                                                 knobs, reason):
    fake = fakes["wechatpay"]
    _, payment = await _start(client, world, "wechatpay")
    r = await _post(client, "wechatpay", *fake.notification(payment["number"], **knobs))
    assert r.status_code == 204  # a retry would not make it right
    assert await count(session, "SELECT count(*) FROM provider_notifications WHERE outcome = 'rejected' "
                                "AND reason = :r", r=reason) == 1
    assert await count(session, "SELECT count(*) FROM journal_entries") == 0
    assert await count(session, "SELECT count(*) FROM audit_logs WHERE action = 'payment.notification_rejected'") == 1
    admin_issues = await client.get("/api/v1/admin/payments/issues", headers=await _finance(client, session))
    assert [n["reason"] for n in admin_issues.json()["notifications"]] == [reason]


async def _finance(client, session):
    from tests.conftest import staff_token
    return auth(await staff_token(client, session, "fin", ["finance"]))


async def test_a_notification_for_a_payment_we_never_made_is_rejected(fakes, client, world, session):
    from datetime import timedelta

    from anjia.core.security import now
    from anjia.providers.payments.base import Charge

    fake = fakes["wechatpay"]
    await registry.get("wechatpay").create(Charge(out_trade_no="PNOTOURS0001", amount=100, description="x",
                                                  channel="native", notify_url="http://127.0.0.1:1/", return_url="",
                                                  expires_at=now() + timedelta(minutes=5)))
    r = await _post(client, "wechatpay", *fake.notification("PNOTOURS0001"))
    assert r.status_code == 204
    assert await count(session, "SELECT count(*) FROM provider_notifications WHERE reason = 'unknown_payment'") == 1


async def test_wechat_refund_on_cancellation_goes_through_the_provider(fakes, client, world, session):
    fake = fakes["wechatpay"]
    order, payment = await _start(client, world, "wechatpay")
    assert (await _post(client, "wechatpay", *fake.notification(payment["number"]))).status_code == 204
    h = auth(world["token"])
    cancelled = (await client.post(f"/api/v1/orders/{order['id']}/cancel", headers=h,
                                   json={"reason_code": "change_of_plans"})).json()
    refund_amount = order["total"] - cancelled["cancel_fee"]
    money = (await client.get(f"/api/v1/orders/{order['id']}/payments", headers=h)).json()
    [refund] = money["refunds"]
    assert refund["status"] == "pending" and refund["amount"] == refund_amount
    assert await tasks.submit_refunds() == 1
    assert fake.refunds[refund["number"]]["status"] == "PROCESSING"  # accepted is not refunded
    assert await balances(session) == {"clearing:wechatpay": order["total"], "refunds_payable": refund_amount,
                                       **({"cancel_fees": cancelled["cancel_fee"]} if cancelled["cancel_fee"] else {})}
    headers, body = fake.refund_notification(refund["number"])
    for _ in range(3):
        assert (await _post(client, "wechatpay", headers, body)).status_code == 204
    money = (await client.get(f"/api/v1/orders/{order['id']}/payments", headers=h)).json()
    assert money["refunds"][0]["status"] == "succeeded"
    assert await count(session, "SELECT count(*) FROM journal_entries WHERE kind = 'refund'") == 1
    kept = {"clearing:wechatpay": order["total"] - refund_amount, "cancel_fees": cancelled["cancel_fee"]}
    assert await balances(session) == {k: v for k, v in kept.items() if v}


async def test_the_active_query_finds_a_wechat_payment_whose_notification_was_lost(fakes, client, world, session):
    from sqlalchemy import text
    fake = fakes["wechatpay"]
    order, payment = await _start(client, world, "wechatpay", "native")
    fake.pay(payment["number"])
    await session.execute(text("UPDATE payments SET created_at = now() - interval '2 minutes'"))
    await session.commit()
    await tasks.query_pending()
    assert await balances(session) == {"clearing:wechatpay": order["total"], "unearned": order["total"]}


async def test_alipay_notification_pays_and_forgery_or_float_amounts_do_not(fakes, client, world, session):
    fake = fakes["alipay"]
    order, payment = await _start(client, world, "alipay")
    forged = fake.notify(payment["number"], post=False, forge=True)
    r = await _post(client, "alipay", _form(forged), forged)
    assert r.status_code == 200 and r.text == "fail"
    floaty = fake.notify(payment["number"], post=False, total_amount="12.3456")
    assert (await _post(client, "alipay", _form(floaty), floaty)).text == "fail"
    fake.pay(payment["number"])
    good = fake.notify(payment["number"], post=False)
    r = await _post(client, "alipay", _form(good), good)
    assert r.status_code == 200 and r.text == "success"
    assert await balances(session) == {"clearing:alipay": order["total"], "unearned": order["total"]}


async def test_unionpay_notification_pays_and_a_rogue_certificate_does_not(fakes, client, world, session):
    fake = fakes["unionpay"]
    order, payment = await _start(client, world, "unionpay", "page")
    assert payment["checkout"]["kind"] == "redirect" and payment["checkout"]["params"]["signature"]
    fake.pay(payment["number"])
    for cert in ("rogue", "wrong_subject"):
        bad = fake.notify(payment["number"], post=False, cert=cert)
        r = await _post(client, "unionpay", _form(bad), bad)
        assert r.status_code >= 400
    good = fake.notify(payment["number"], post=False)
    assert (await _post(client, "unionpay", _form(good), good)).status_code == 200
    assert await balances(session) == {"clearing:unionpay": order["total"], "unearned": order["total"]}
    assert await count(session, "SELECT count(*) FROM audit_logs WHERE action = 'payment.notification_refused'") == 2
