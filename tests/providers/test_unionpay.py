"""The UnionPay gateway provider against the local fake (5.1.0 signatures both ways, a PKI made
for the run: root, intermediate, UnionPay's signing certificate, our PKCS#12, impostors)."""
import base64
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import pkcs12

from anjia.config import Settings
from anjia.providers.payments.base import Charge, NotificationRejected, ProviderError
from anjia.providers.payments.unionpay import UnionPay, from_settings, parse_answer, signing_input
from tests.fakes.receiver import Receiver
from tests.fakes.unionpay import FakeUnionPay, issue, key


@pytest.fixture(scope="module")
def fake():
    f = FakeUnionPay()
    yield f
    f.close()


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def unionpay(fake):
    return from_settings(Settings(**{k.lower(): v for k, v in fake.settings_env().items()}))


def charge(no: str, amount: int, notify_url: str, created_at: datetime) -> Charge:
    return Charge(out_trade_no=no, amount=amount, description="家电清洗", channel="page", notify_url=notify_url,
                  return_url="http://127.0.0.1:8000/pay/result", created_at=created_at,
                  expires_at=datetime.now(UTC) + timedelta(minutes=30))


async def submitted(unionpay, no: str, amount: int = 12345, notify_url: str = "http://127.0.0.1:9/notify",
                    created_at: datetime | None = None) -> datetime:
    """Create the payment and auto-post its form, as the payer's browser does."""
    created_at = created_at or datetime.now(UTC).replace(microsecond=0)
    checkout = await unionpay.create(charge(no, amount, notify_url, created_at))
    assert httpx.post(checkout.url, data=checkout.params).status_code == 200
    return created_at


async def test_create_is_a_form_signed_with_our_pkcs12(unionpay, fake):
    checkout = await unionpay.create(charge("UP10010001", 12345, "http://127.0.0.1:9/n", datetime.now(UTC)))
    params = checkout.params
    assert checkout.kind == "redirect" and checkout.url == fake.url + "/gateway/api/frontTransReq.do"
    assert (params["txnAmt"], params["txnType"], params["version"], params["signMethod"]) == (
        "12345", "01", "5.1.0", "01")
    assert params["certId"] == str(fake.merchant_cert.serial_number)
    fake.merchant_cert.public_key().verify(base64.b64decode(params["signature"]), signing_input(params),
                                           padding.PKCS1v15(), hashes.SHA256())
    page = httpx.post(checkout.url, data=params)
    assert page.status_code == 200 and 'id="pay"' in page.text and "确认支付" in page.text
    tampered = httpx.post(checkout.url, data={**params, "txnAmt": "1"})
    assert tampered.status_code == 400 and fake.refused[-1] == "验证签名失败"
    with pytest.raises(ProviderError) as e:  # UnionPay refuses '-' and '_' in orderId
        await unionpay.create(charge("UP-1001-0002", 100, "http://127.0.0.1:9/n", datetime.now(UTC)))
    assert e.value.code == "invalid_order_id"


async def test_the_cashier_pays_notifies_and_sends_the_payer_back(unionpay, fake, receiver):
    await submitted(unionpay, "UP20010001", 9900, receiver.url)
    response = httpx.post(fake.url + "/cashier/pay", data={"orderId": "UP20010001"})
    assert response.status_code == 303 and response.headers["location"] == "http://127.0.0.1:8000/pay/result"
    event = await unionpay.verify_notification({}, receiver.bodies[-1])
    txn = fake.txns["UP20010001"]
    assert (event.kind, event.out_no, event.status, event.amount, event.currency) == (
        "payment", "UP20010001", "succeeded", 9900, "CNY")
    assert (event.merchant_id, event.external_id, event.app_id) == (fake.mer_id, txn["queryId"], None)
    assert event.at == txn["at"].replace(microsecond=0)
    assert unionpay.reply(True).status == 200 and unionpay.reply(True).body == b"ok"
    assert unionpay.reply(False).status != 200


async def test_untrusted_notifications_are_rejected(unionpay, fake):
    await submitted(unionpay, "UP30010001", 500)
    fake.pay("UP30010001")
    assert (await unionpay.verify_notification({}, fake.notify("UP30010001", post=False))).amount == 500
    cases = {
        "forged signature": fake.notify("UP30010001", post=False, forge=True),
        "UnionPay's name under a rogue chain": fake.notify("UP30010001", post=False, cert="rogue"),
        "another company's certificate": fake.notify("UP30010001", post=False, cert="wrong_subject"),
        "the name in the wrong CN part": fake.notify("UP30010001", post=False, cert="wrong_position"),
        "an expired certificate": fake.notify("UP30010001", post=False, cert="expired"),
        "amount changed after signing": fake.notify("UP30010001", post=False).replace(b"txnAmt=500",
                                                                                      b"txnAmt=5"),
        "no certificate": fake.notify("UP30010001", post=False, signPubKeyCert=None),
        "a float amount": fake.notify("UP30010001", post=False, txnAmt="12.3456"),
        "an old transaction": fake.notify("UP30010001", post=False, age=timedelta(days=2)),
        "an unknown transaction type": fake.notify("UP30010001", post=False, txnType="76"),
        "not a form": b"\xff",
    }
    for why, body in cases.items():
        with pytest.raises(NotificationRejected):
            await unionpay.verify_notification({}, body)
            pytest.fail(why)
    other = await unionpay.verify_notification({}, fake.notify("UP30010001", post=False, merId="898000000000001"))
    assert other.merchant_id == "898000000000001"  # genuine: the caller compares it with ours


async def test_query_needs_the_txn_time(unionpay, fake):
    created_at = await submitted(unionpay, "UP40010001", 100)
    assert (await unionpay.query("UP40010001", created_at=created_at)).status == "pending"
    fake.pay("UP40010001")
    paid = await unionpay.query("UP40010001", created_at=created_at)
    assert (paid.status, paid.amount, paid.external_id) == ("succeeded", 100, fake.txns["UP40010001"]["queryId"])
    assert (await unionpay.query("UP40010001", created_at=created_at + timedelta(seconds=1))).status == "pending"
    with pytest.raises(ProviderError) as e:
        await unionpay.query("UP40010001")
    assert e.value.code == "needs_created_at"
    await unionpay.close("UP40010001")  # nothing to call: payTimeout closes it at UnionPay


async def test_requests_and_answers_with_the_wrong_keys_are_refused(unionpay, fake):
    stranger_key = key()
    stranger_cert = issue("041@Zx@stranger@1", stranger_key, fake.middle, fake.middle_key, ca=False)
    pfx = pkcs12.serialize_key_and_certificates(b"x", stranger_key, stranger_cert, None,
                                                serialization.NoEncryption())
    stranger = UnionPay(mer_id=fake.mer_id, pkcs12_data=pfx, password="", root_pem=fake.dir.joinpath(
        "root.cer").read_bytes(), middle_pem=fake.dir.joinpath("middle.cer").read_bytes(),
        front_url="", back_url="", query_url=unionpay.query_url, file_url="")
    with pytest.raises(ProviderError) as e:
        await stranger.query("UP49990001", created_at=datetime.now(UTC))
    assert e.value.code == "11" and fake.refused[-1] == "unknown certId"
    for impostor in ("rogue", "wrong_subject", "expired"):
        fake.answer_signer = impostor
        try:
            with pytest.raises(ProviderError) as e:
                await unionpay.query("UP49990001", created_at=datetime.now(UTC))
            assert e.value.code == "34" and not e.value.retryable  # the answer was not believed
        finally:
            fake.answer_signer = "genuine"


async def test_refund_retry_query_and_notification(unionpay, fake, receiver):
    await submitted(unionpay, "UP50010001", 10000, receiver.url)
    paid = fake.pay("UP50010001")
    refunded_at = datetime.now(UTC).replace(microsecond=0)
    args = dict(out_refund_no="RF50010001", out_trade_no="UP50010001", amount=3000, total=10000, reason="取消",
                notify_url=receiver.url, external_id=paid["queryId"], created_at=refunded_at)
    assert (await unionpay.query_refund("RF50010001", "UP50010001", created_at=refunded_at)).status == "pending"
    first = await unionpay.refund(**args)
    again = await unionpay.refund(**args)  # 12 重复交易: already received
    assert first.status == again.status == "refunding" and paid["refunded"] == 3000
    done = await unionpay.query_refund("RF50010001", "UP50010001", created_at=refunded_at)
    assert (done.kind, done.out_no, done.status, done.amount) == ("refund", "RF50010001", "succeeded", 3000)
    event = await unionpay.verify_notification({}, fake.notify("RF50010001", post=False))
    assert (event.kind, event.out_no, event.status, event.amount) == ("refund", "RF50010001", "succeeded", 3000)
    with pytest.raises(ProviderError) as e:
        await unionpay.refund(**{**args, "out_refund_no": "RF50010002", "amount": 7001, "total": 10000})
    assert e.value.code == "13" and not e.value.retryable
    with pytest.raises(ProviderError):
        await unionpay.refund(**{**args, "out_refund_no": "RF50010003", "external_id": None})


async def test_bill_is_a_deflated_zip_of_the_zm_file(unionpay, fake):
    yesterday = datetime.now(UTC) - timedelta(days=1)
    await submitted(unionpay, "UP70010001", 12345)
    paid = fake.pay("UP70010001", at=yesterday)
    await unionpay.refund(out_refund_no="RF70010001", out_trade_no="UP70010001", amount=4500, total=12345,
                          reason="", notify_url="http://127.0.0.1:9/n", external_id=paid["queryId"],
                          created_at=datetime.now(UTC))
    fake.txns["RF70010001"]["at"] = yesterday + timedelta(minutes=1)
    day = (yesterday + timedelta(hours=8)).date()  # UnionPay's day is Beijing's
    lines = {(line.kind, line.out_no): line for line in await unionpay.bill(day)}
    payment, refund = lines[("payment", "UP70010001")], lines[("refund", "RF70010001")]
    assert (payment.amount, payment.fee, payment.external_id) == (12345, 62, paid["queryId"])
    assert (refund.amount, refund.fee, refund.external_id) == (4500, -22, fake.txns["RF70010001"]["queryId"])
    assert payment.at == yesterday.replace(microsecond=0)
    with pytest.raises(ProviderError) as e:
        await unionpay.bill((datetime.now(UTC) + timedelta(hours=8)).date())
    assert e.value.code == "98" and e.value.retryable


def test_answers_keep_braced_values_whole():
    assert parse_answer("a=1&reserved={x=1&y=2}&b=") == {"a": "1", "reserved": "{x=1&y=2}", "b": ""}
