"""WechatPay through the real wechatpayv3 async client against the local fake, in both key modes."""
import asyncio
import base64
import json
import secrets
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from anjia.config import Settings
from anjia.providers.payments.base import Charge, NotificationRejected, ProviderError
from anjia.providers.payments.wechatpay import SHANGHAI, from_settings
from tests.fakes.wechatpay import FakeWechatPay


@pytest.fixture(scope="module", params=["public_key", "platform_cert"])
def fake(request):
    server = FakeWechatPay(mode=request.param)
    yield server
    server.close()


def settings_for(fake: FakeWechatPay) -> Settings:
    return Settings(_env_file=None, **{k.lower(): v for k, v in fake.settings_env().items()})


@pytest.fixture
async def wxpay(fake):
    provider = from_settings(settings_for(fake))
    yield provider
    await provider.aclose()


def charge(channel="native", amount=12345, **kw) -> Charge:
    fields = dict(out_trade_no="P" + secrets.token_hex(8), amount=amount, description="日常保洁 2小时",
                  channel=channel, notify_url="https://anjia.example/api/v1/payments/notify/wechatpay",
                  return_url="https://anjia.example/pay/result?id=1", client_ip="10.1.2.3",
                  expires_at=datetime.now(UTC) + timedelta(minutes=15), openid="o-payer-1")
    return Charge(**fields | kw)


async def paid(wxpay, fake, amount=12345) -> str:
    c = charge(amount=amount)
    await wxpay.create(c)
    fake.pay(c.out_trade_no)
    return c.out_trade_no


def test_settings_from_environment(fake, monkeypatch):
    for name, value in fake.settings_env().items():
        monkeypatch.setenv(name, value)
    provider = from_settings(Settings(_env_file=None))
    assert (provider.merchant_id, provider.app_id, provider.mode) == (fake.mchid, fake.appid, fake.mode)
    with pytest.raises(ValueError, match="WECHATPAY_MCHID"):
        from_settings(Settings(_env_file=None, wechatpay_mchid=""))


async def test_jsapi_checkout_is_signed_by_the_merchant_key(wxpay, fake):
    c = charge("jsapi")
    checkout = await wxpay.create(c)
    t = fake.transactions[c.out_trade_no]
    assert checkout.kind == "jsapi" and checkout.prepay_id == t["prepay_id"]
    p = checkout.params
    assert set(p) == {"timeStamp", "nonceStr", "package", "signType", "paySign"}
    assert p["package"] == f"prepay_id={t['prepay_id']}" and p["signType"] == "RSA"
    message = f"{fake.appid}\n{p['timeStamp']}\n{p['nonceStr']}\n{p['package']}\n".encode()
    fake.merchant_key.public_key().verify(base64.b64decode(p["paySign"]), message, padding.PKCS1v15(),
                                          hashes.SHA256())  # raises if the signature is wrong
    assert t["amount"] == {"total": 12345, "currency": "CNY"} and t["payer"] == {"openid": "o-payer-1"}
    assert t["time_expire"].endswith("+08:00") and t["notify_url"] == c.notify_url


async def test_native_checkout_is_a_qr_code(wxpay, fake):
    checkout = await wxpay.create(charge("native"))
    assert checkout.kind == "qr" and checkout.url.startswith("weixin://wxpay/bizpayurl?pr=")


class Receiver:
    """Our notify endpoint as WeChat sees it: records what is posted, answers 204."""

    def __init__(self):
        self.posts: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                receiver.posts.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/notify"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


async def test_h5_cashier_pays_notifies_and_redirects(wxpay, fake):
    receiver = Receiver()
    c = charge("h5", notify_url=receiver.url)
    checkout = await wxpay.create(c)
    assert checkout.kind == "redirect" and checkout.url.startswith(f"{fake.url}/h5/cashier?prepay_id=")
    with httpx.Client() as browser:
        page = await asyncio.to_thread(browser.get, checkout.url)
        assert 'id="pay"' in page.text and "确认支付" in page.text and "取消" in page.text
        form = {"prepay_id": fake.transactions[c.out_trade_no]["prepay_id"], "redirect_url": c.return_url}
        cancelled = await asyncio.to_thread(browser.post, f"{fake.url}/h5/cashier", data=form | {"action": "cancel"})
        assert cancelled.status_code == 303 and not receiver.posts
        assert (await wxpay.query(c.out_trade_no)).status == "pending"
        done = await asyncio.to_thread(browser.post, f"{fake.url}/h5/cashier", data=form | {"action": "pay"})
    receiver.server.shutdown()
    assert done.status_code == 303 and done.headers["location"] == c.return_url
    [(headers, body)] = receiver.posts
    event = await wxpay.verify_notification(headers, body)
    assert (event.kind, event.out_no, event.status, event.amount) == ("payment", c.out_trade_no, "succeeded", 12345)


async def test_good_notification(wxpay, fake):
    c = charge("jsapi")
    await wxpay.create(c)
    headers, body = fake.notification(c.out_trade_no)
    event = await wxpay.verify_notification({k.lower(): v for k, v in headers.items()}, body)  # as Starlette
    t = fake.transactions[c.out_trade_no]
    assert (event.kind, event.out_no, event.status, event.amount, event.currency) == \
           ("payment", c.out_trade_no, "succeeded", 12345, "CNY")
    assert (event.merchant_id, event.app_id, event.external_id) == (fake.mchid, fake.appid, t["transaction_id"])
    assert event.notification_id == json.loads(body)["id"]
    assert event.at.tzinfo == UTC and abs(event.at - datetime.now(UTC)) < timedelta(seconds=5)
    again = await wxpay.verify_notification(*fake.notification(c.out_trade_no))  # WeChat's retry: same id
    assert again.notification_id == event.notification_id


async def test_stated_amount_and_ids_are_reported_for_the_caller_to_check(wxpay, fake):
    out_trade_no = await paid(wxpay, fake)
    event = await wxpay.verify_notification(*fake.notification(out_trade_no, amount=1, mchid="1900000999",
                                                                appid="wx-other"))
    assert (event.amount, event.merchant_id, event.app_id) == (1, "1900000999", "wx-other")
    discounted = await wxpay.verify_notification(*fake.notification(out_trade_no, payer_total=12000))
    assert discounted.amount == 12345 and discounted.raw["amount"]["payer_total"] == 12000  # the order amount


async def test_forged_notifications_are_rejected(wxpay, fake):
    out_trade_no = await paid(wxpay, fake)
    with pytest.raises(NotificationRejected, match="signature"):
        await wxpay.verify_notification(*fake.notification(out_trade_no, forge=True))
    headers, body = fake.notification(out_trade_no)
    with pytest.raises(NotificationRejected, match="signature"):
        await wxpay.verify_notification(headers, body.replace("支付成功".encode(), "退款成功".encode()))
    with pytest.raises(NotificationRejected, match="signature"):
        await wxpay.verify_notification({k: v for k, v in headers.items() if k != "Wechatpay-Signature"}, body)


async def test_unknown_serial_is_rejected_without_any_outgoing_call(wxpay, fake):
    out_trade_no = await paid(wxpay, fake)  # the client is up (and has its certificates)
    before = list(fake.requests)
    for serial in ("PUB_KEY_ID_0119" + "0" * 22, "5157F09EFDC096DE15EBE81A47057A7232F1B8E1", "", "not hex"):
        with pytest.raises(NotificationRejected, match="Serial"):
            await wxpay.verify_notification(*fake.notification(out_trade_no, serial=serial))
    assert fake.requests == before


async def test_timestamps_outside_five_minutes_are_rejected(wxpay, fake):
    out_trade_no = await paid(wxpay, fake)
    for age in (301, -301, 3600):
        with pytest.raises(NotificationRejected, match="timestamp"):
            await wxpay.verify_notification(*fake.notification(out_trade_no, age=age))
    assert (await wxpay.verify_notification(*fake.notification(out_trade_no, age=290))).status == "succeeded"


async def test_undecryptable_resource_is_rejected(wxpay, fake):
    out_trade_no = await paid(wxpay, fake)
    with pytest.raises(NotificationRejected, match="undecryptable"):
        await wxpay.verify_notification(*fake.notification(out_trade_no, bad_resource=True))


async def test_query_and_close(wxpay, fake):
    c = charge("native")
    await wxpay.create(c)
    pending = await wxpay.query(c.out_trade_no)
    assert (pending.status, pending.amount, pending.external_id, pending.notification_id) == \
           ("pending", 12345, None, None)
    fake.pay(c.out_trade_no)
    done = await wxpay.query(c.out_trade_no)
    assert (done.status, done.amount, done.merchant_id, done.app_id) == ("succeeded", 12345, fake.mchid, fake.appid)
    assert done.external_id == fake.transactions[c.out_trade_no]["transaction_id"] and done.at.tzinfo == UTC
    with pytest.raises(ProviderError) as paid_error:
        await wxpay.close(c.out_trade_no)
    assert paid_error.value.code == "ORDERPAID" and not paid_error.value.retryable

    other = charge("native")
    await wxpay.create(other)
    await wxpay.close(other.out_trade_no)  # 204, signed with an empty body
    assert (await wxpay.query(other.out_trade_no)).status == "closed"
    with pytest.raises(ProviderError) as missing:
        await wxpay.query("P-never-created")
    assert missing.value.code == "ORDER_NOT_EXIST" and not missing.value.retryable


async def test_refund_query_and_notification(wxpay, fake):
    out_trade_no = await paid(wxpay, fake)
    asked = dict(out_refund_no="R" + secrets.token_hex(8), out_trade_no=out_trade_no, amount=2345, total=12345,
                 reason="取消订单", notify_url="https://anjia.example/api/v1/payments/notify/wechatpay")
    accepted = await wxpay.refund(**asked)
    assert (accepted.kind, accepted.out_no, accepted.status, accepted.amount) == \
           ("refund", asked["out_refund_no"], "refunding", 2345)
    retried = await wxpay.refund(**asked)  # the same out_refund_no on every retry: one refund
    assert retried.external_id == accepted.external_id and len(fake.refunds) == 1
    assert (await wxpay.query_refund(asked["out_refund_no"], out_trade_no)).status == "refunding"
    with pytest.raises(ProviderError, match="REFUND_MISMATCH"):
        await wxpay.query_refund(asked["out_refund_no"], "P-someone-else")

    headers, body = fake.refund_notification(asked["out_refund_no"])
    event = await wxpay.verify_notification(headers, body)
    assert (event.kind, event.out_no, event.status, event.amount, event.merchant_id) == \
           ("refund", asked["out_refund_no"], "succeeded", 2345, fake.mchid)
    assert event.external_id == accepted.external_id and event.notification_id == json.loads(body)["id"]
    assert event.at.tzinfo == UTC
    assert (await wxpay.query_refund(asked["out_refund_no"], out_trade_no)).status == "succeeded"
    assert (await wxpay.query(out_trade_no)).status == "succeeded"  # REFUND: it was paid

    with pytest.raises(ProviderError) as too_much:
        await wxpay.refund(**asked | {"out_refund_no": "R" + secrets.token_hex(8), "amount": 10001})
    assert too_much.value.code == "NOT_ENOUGH" and not too_much.value.retryable
    abnormal = await wxpay.refund(**asked | {"out_refund_no": "R" + secrets.token_hex(8), "amount": 100})
    event = await wxpay.verify_notification(*fake.refund_notification(abnormal.out_no, "ABNORMAL"))
    assert (event.status, event.amount) == ("failed", 100)
    with pytest.raises(NotificationRejected):
        await wxpay.verify_notification(*fake.refund_notification(abnormal.out_no, forge=True))


async def test_bill_is_hash_checked_and_parsed_into_fen(wxpay, fake):
    fake.transactions.clear(), fake.refunds.clear()
    first, second = await paid(wxpay, fake, 12345), await paid(wxpay, fake, 9900)
    refund = await wxpay.refund(out_refund_no="R" + secrets.token_hex(8), out_trade_no=first, amount=2345,
                                total=12345, reason="", notify_url="https://anjia.example/n")
    fake.refund_notification(refund.out_no)  # the refund succeeds today
    unfinished = charge()
    await wxpay.create(unfinished)  # not paid: not on the bill
    lines = await wxpay.bill(datetime.now(SHANGHAI).date())
    payments = {line.out_no: line for line in lines if line.kind == "payment"}
    [refunded] = [line for line in lines if line.kind == "refund"]
    assert set(payments) == {first, second}
    assert (payments[first].amount, payments[first].fee) == (12345, 74)  # 0.6% of 123.45 = 0.74
    assert (payments[second].amount, payments[second].fee) == (9900, 59)
    assert payments[first].external_id == fake.transactions[first]["transaction_id"]
    assert (refunded.out_no, refunded.external_id, refunded.amount, refunded.fee) == \
           (refund.out_no, refund.external_id, 2345, -14)
    assert payments[first].at.tzinfo == UTC and abs(payments[first].at - datetime.now(UTC)) < timedelta(minutes=1)
    assert await wxpay.bill(datetime.now(SHANGHAI).date() - timedelta(days=400)) == []


async def test_tampered_bill_is_refused(wxpay, fake):
    await paid(wxpay, fake)
    fake.tamper_bills = True
    try:
        with pytest.raises(ProviderError, match="BILL_HASH_MISMATCH"):
            await wxpay.bill(datetime.now(SHANGHAI).date())
    finally:
        fake.tamper_bills = False
    assert await wxpay.bill(datetime.now(SHANGHAI).date())


async def test_requests_signed_with_another_key_are_refused(wxpay, fake, tmp_path):
    await wxpay.create(charge())  # in platform_cert mode this fills the certificate directory
    stranger = tmp_path / "stranger.pem"
    stranger.write_text(rsa.generate_private_key(public_exponent=65537, key_size=2048)
                        .private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode())
    settings = settings_for(fake).model_copy(update={"wechatpay_private_key_path": str(stranger),
                                                     "wechatpay_platform_cert_dir": wxpay._wx._core._cert_dir or ""})
    impostor = from_settings(settings)
    with pytest.raises(ProviderError) as refused:
        await impostor.create(charge())
    assert refused.value.code == "SIGN_ERROR" and not refused.value.retryable
    await impostor.aclose()


async def test_answers_with_a_bad_signature_are_not_believed(wxpay, fake):
    await wxpay.create(charge())  # the client is up
    genuine, fake.platform_key = fake.platform_key, rsa.generate_private_key(public_exponent=65537, key_size=2048)
    try:
        with pytest.raises(ProviderError, match="signature"):
            await wxpay.create(charge())
    finally:
        fake.platform_key = genuine


def test_reply_follows_the_protocol(fake):
    provider = from_settings(settings_for(fake))
    ok = provider.reply(True)
    assert (ok.status, ok.body) == (204, b"")
    failed = provider.reply(False, "签名错误")
    assert 400 <= failed.status < 600 and json.loads(failed.body) == {"code": "FAIL", "message": "签名错误"}
