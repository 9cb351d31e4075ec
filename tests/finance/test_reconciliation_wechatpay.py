"""Reconciliation against the local fake WeChat Pay: the real bill path (signed request, SHA1 of
the gzip'd CSV checked before parsing, WeChat's CSV), and a tampered bill failing the run."""
import os
from datetime import timedelta

import pytest
from sqlalchemy import text

from anjia.config import get_settings
from anjia.finance import service as finance
from anjia.payments import registry
from tests.conftest import auth
from tests.fakes.wechatpay import FakeWechatPay
from tests.finance.helpers import finance_staff
from tests.payments.helpers import new_order


@pytest.fixture(scope="module")
def wechat():
    fake = FakeWechatPay()
    env = {"PAYMENT_PROVIDERS": "wechatpay,sandbox", **fake.settings_env()}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    registry.reset()
    yield fake
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    get_settings.cache_clear()
    registry.reset()
    fake.close()


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
