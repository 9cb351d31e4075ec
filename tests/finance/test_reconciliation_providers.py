"""Reconciliation against the local fakes: WeChat Pay's real bill path (signed request, SHA1 of the
gzip'd CSV checked before parsing, WeChat's CSV) and a tampered bill failing the run; Alipay's zip
of GBK CSV files."""
import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import text

from anjia.finance import service as finance
from tests.conftest import auth
from tests.fakes.alipay import FakeAlipay
from tests.fakes.wechatpay import FakeWechatPay
from tests.finance.helpers import finance_staff
from tests.payments.helpers import new_order, providers_at


@pytest.fixture(scope="module")
def fakes():
    with providers_at({"wechatpay": FakeWechatPay(), "alipay": FakeAlipay()}) as servers:
        yield servers


@pytest.fixture
def wechat(fakes):
    return fakes["wechatpay"]


async def _paid_yesterday(client, world, session, fake) -> dict:
    order = await new_order(client, world)
    r = await client.post(f"/api/v1/orders/{order['id']}/payments", headers=auth(world["token"]),
                          json={"method": "wechatpay", "channel": "h5"})
    payment = r.json()
    headers, body = fake.notification(payment["number"])
    r = await client.post("/api/v1/payments/notify/wechatpay", content=body, headers=headers)
    assert r.status_code == 204, r.text
    # paid yesterday, on both sides
    t = fake.transactions[payment["number"]]
    t["success_time"] = (finance.now().astimezone(finance.SH) - timedelta(days=1)).isoformat(timespec="seconds")
    await session.execute(text("UPDATE payments SET paid_at = paid_at - interval '1 day'"))
    await session.commit()
    return payment


async def test_a_wechat_pay_day_matches_through_the_real_bill(wechat, client, world, session):
    payment = await _paid_yesterday(client, world, session, wechat)
    h = await finance_staff(client, session)
    r = await client.post("/api/v1/admin/finance/reconciliation/runs", headers=h,
                          json={"provider": "wechatpay", "day": finance.yesterday().isoformat()})
    assert r.status_code == 201, r.text
    run = r.json()
    assert (run["status"], run["bill_lines"], run["matched"], run["bill_payments"], run["our_payments"]) == \
        ("balanced", 1, 1, payment["amount"], payment["amount"])
    assert any(path.startswith("/v3/bill/tradebill") for _, path in wechat.requests)


async def test_a_bill_that_fails_its_hash_fails_the_run_and_is_not_read(wechat, client, world, session):
    await _paid_yesterday(client, world, session, wechat)
    wechat.tamper_bills = True
    try:
        run = await finance.reconcile(session, "wechatpay", finance.yesterday())
        await session.commit()
    finally:
        wechat.tamper_bills = False
    assert run.status == "failed" and "BILL_HASH_MISMATCH" in run.error
    assert await session.scalar(text("SELECT count(*) FROM reconciliation_differences")) == 0


async def test_an_alipay_day_matches_through_its_gbk_zip(fakes, client, world, session):
    fake = fakes["alipay"]
    order = await new_order(client, world)
    r = await client.post(f"/api/v1/orders/{order['id']}/payments", headers=auth(world["token"]),
                          json={"method": "alipay", "channel": "h5"})
    payment, checkout = r.json(), r.json()["checkout"]
    # the payer's browser opens the cashier (the fake learns the trade), then pays — yesterday
    await asyncio.to_thread(httpx.post if checkout["params"] else httpx.get, checkout["url"],
                            **({"data": checkout["params"]} if checkout["params"] else {}))
    fake.pay(payment["number"], at=datetime.now(UTC) - timedelta(days=1))
    body = fake.notify(payment["number"], post=False)
    r = await client.post("/api/v1/payments/notify/alipay", content=body,
                          headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"})
    assert r.text == "success"
    await session.execute(text("UPDATE payments SET paid_at = paid_at - interval '1 day'"))
    await session.commit()
    run = await finance.reconcile(session, "alipay", finance.yesterday())
    await session.commit()
    assert (run.status, run.bill_lines, run.matched, run.bill_payments) == ("balanced", 1, 1, payment["amount"])
