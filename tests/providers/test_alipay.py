"""The Alipay provider through python-alipay-sdk against the local fake gateway (real RSA2
signatures both ways, keys generated for the run)."""
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from anjia.config import Settings
from anjia.providers.payments.alipay import Alipay, from_settings
from anjia.providers.payments.base import Charge, NotificationRejected, ProviderError
from tests.fakes.alipay import FakeAlipay, pem_private, pem_public
from tests.fakes.receiver import Receiver


@pytest.fixture(scope="module")
def fake():
    f = FakeAlipay()
    yield f
    f.close()


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def alipay(fake):
    return from_settings(Settings(**{k.lower(): v for k, v in fake.settings_env().items()}))


def charge(no: str, amount: int = 12345, notify_url: str = "http://127.0.0.1:9/notify") -> Charge:
    return Charge(out_trade_no=no, amount=amount, description="家庭保洁 2小时", channel="h5",
                  notify_url=notify_url, return_url="http://127.0.0.1:8000/pay/result",
                  expires_at=datetime.now(UTC) + timedelta(minutes=30))


async def opened(alipay, fake, no: str, amount: int = 12345, notify_url: str = "http://127.0.0.1:9/notify"):
    """Create the payment and open its cashier (which is when Alipay's trade exists)."""
    checkout = await alipay.create(charge(no, amount, notify_url))
    assert httpx.get(checkout.url).status_code == 200
    return checkout


async def test_create_is_a_signed_wap_redirect_with_string_amounts(alipay, fake):
    checkout = await alipay.create(charge("AP1001", 12345))
    assert checkout.kind == "redirect" and checkout.url.startswith(fake.gateway + "?")
    query = {k: v[0] for k, v in parse_qs(urlparse(checkout.url).query).items()}
    biz = json.loads(query["biz_content"])
    assert query["method"] == "alipay.trade.wap.pay" and query["sign_type"] == "RSA2"
    assert biz["total_amount"] == "123.45" and biz["product_code"] == "QUICK_WAP_WAY"
    page = httpx.get(checkout.url)
    assert page.status_code == 200 and 'id="pay"' in page.text and "确认支付" in page.text
    assert fake.trades["AP1001"]["total_amount"] == "123.45"


async def test_a_request_signed_with_another_key_is_refused(fake):
    stranger = Alipay(app_id=fake.app_id, seller_id=fake.seller_id, gateway=fake.gateway,
                      private_key=pem_private(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
                      alipay_public_key=pem_public(fake.alipay_key))
    with pytest.raises(ProviderError) as e:
        await stranger.query("AP1001")
    assert e.value.code == "40002" and fake.refused[-1] == "isv.invalid-signature"
    assert httpx.get((await stranger.create(charge("AP1002"))).url).status_code == 400


async def test_an_answer_signed_with_another_key_is_refused(fake):
    fooled = Alipay(app_id=fake.app_id, seller_id=fake.seller_id, gateway=fake.gateway,
                    private_key=pem_private(fake.app_key),
                    alipay_public_key=pem_public(rsa.generate_private_key(public_exponent=65537, key_size=2048)))
    with pytest.raises(ProviderError) as e:
        await fooled.query("AP1001")
    assert e.value.code == "bad_response_signature"


async def test_the_cashier_pays_notifies_and_sends_the_payer_back(alipay, fake, receiver):
    await opened(alipay, fake, "AP2001", 9900, receiver.url)
    response = httpx.post(fake.url + "/cashier/pay", data={"out_trade_no": "AP2001"})
    assert response.status_code == 302
    assert response.headers["location"].startswith("http://127.0.0.1:8000/pay/result?out_trade_no=AP2001")
    event = await alipay.verify_notification({}, receiver.bodies[-1])
    trade = fake.trades["AP2001"]
    assert (event.kind, event.out_no, event.status, event.amount) == ("payment", "AP2001", "succeeded", 9900)
    assert (event.merchant_id, event.app_id, event.external_id) == (fake.seller_id, fake.app_id, trade["trade_no"])
    assert event.notification_id and event.at == trade["gmt_payment"].replace(microsecond=0)
    assert alipay.reply(True).body == b"success" and alipay.reply(False).body == b"fail"
    assert alipay.reply(True).media_type == "text/plain"


async def test_untrusted_notifications_are_rejected(alipay, fake):
    await opened(alipay, fake, "AP3001", 500)
    fake.pay("AP3001")
    assert (await alipay.verify_notification({}, fake.notify("AP3001", post=False))).amount == 500
    cases = {
        "forged": fake.notify("AP3001", post=False, forge=True),
        "amount changed after signing": fake.notify("AP3001", post=False).replace(b"total_amount=5.00",
                                                                                   b"total_amount=0.01"),
        "expired": fake.notify("AP3001", post=False, age=timedelta(minutes=6)),
        "float amount": fake.notify("AP3001", post=False, total_amount="12.3456"),
        "exponent amount": fake.notify("AP3001", post=False, total_amount="1e3"),
        "RSA1": fake.notify("AP3001", post=False, sign_type="RSA"),
        "unsigned": fake.notify("AP3001", post=False).split(b"&sign=")[0],
        "not a form": b"\xff\xfe",
    }
    for why, body in cases.items():
        with pytest.raises(NotificationRejected):
            await alipay.verify_notification({}, body)
            pytest.fail(why)
    # A genuine notification naming another merchant is passed on for the caller to refuse.
    other = await alipay.verify_notification({}, fake.notify("AP3001", post=False, seller_id="2088999999999999"))
    assert other.merchant_id == "2088999999999999"


async def test_query_and_close(alipay, fake):
    assert (await alipay.query("AP4001")).status == "pending"  # the cashier was never opened
    await alipay.close("AP4001")
    await opened(alipay, fake, "AP4002", 100)
    assert (await alipay.query("AP4002")).status == "pending"
    fake.pay("AP4002")
    paid = await alipay.query("AP4002")
    assert (paid.status, paid.amount, paid.external_id) == ("succeeded", 100, fake.trades["AP4002"]["trade_no"])
    with pytest.raises(ProviderError) as e:
        await alipay.close("AP4002")
    assert e.value.code == "ACQ.TRADE_STATUS_ERROR" and not e.value.retryable
    await opened(alipay, fake, "AP4003", 100)
    await alipay.close("AP4003")
    assert (await alipay.query("AP4003")).status == "closed"


async def test_refund_retry_and_query(alipay, fake):
    fake.refund_notify = False
    await opened(alipay, fake, "AP5001", 10000)
    fake.pay("AP5001")
    args = dict(out_refund_no="RF5001", out_trade_no="AP5001", amount=3000, total=10000, reason="取消订单",
                notify_url="http://127.0.0.1:9/notify")
    assert (await alipay.query_refund("RF5001", "AP5001")).status == "pending"
    first = await alipay.refund(**args)
    again = await alipay.refund(**args)  # a retry after a timeout: the same out_request_no
    assert first.status == again.status == "refunding" and fake.trades["AP5001"]["refunded"] == 3000
    assert fake.requests[-1]["biz_content"].count('"refund_amount":"30.00"') == 1
    done = await alipay.query_refund("RF5001", "AP5001")
    assert (done.kind, done.out_no, done.status, done.amount) == ("refund", "RF5001", "succeeded", 3000)
    assert done.at is not None
    with pytest.raises(ProviderError) as e:
        await alipay.refund(**{**args, "out_refund_no": "RF5002", "amount": 7001})
    assert e.value.code == "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"
    fake.refund_notify = True


async def test_refund_notification(alipay, fake, receiver):
    await opened(alipay, fake, "AP6001", 2000, receiver.url)
    fake.pay("AP6001")
    await alipay.refund(out_refund_no="RF6001", out_trade_no="AP6001", amount=2000, total=2000, reason="",
                        notify_url=receiver.url)
    event = await alipay.verify_notification({}, fake.notify("AP6001", post=False, out_biz_no="RF6001"))
    assert (event.kind, event.out_no, event.status) == ("refund", "RF6001", "succeeded")
    assert (await alipay.query("AP6001")).status == "closed"  # fully refunded


async def test_bill_is_a_gbk_zip_parsed_into_fen(alipay, fake):
    fake.refund_notify = False
    await opened(alipay, fake, "AP7001", 12345)
    fake.pay("AP7001")
    await alipay.refund(out_refund_no="RF7001", out_trade_no="AP7001", amount=45, total=12345, reason="",
                        notify_url="http://127.0.0.1:9/notify")
    day = (datetime.now(UTC) + timedelta(hours=8)).date()  # Alipay's day is Beijing's
    with zipfile.ZipFile(io.BytesIO(fake.bill_zip(day)), metadata_encoding="gbk") as z:
        assert all(not info.flag_bits & 0x800 for info in z.infolist())  # GBK names, as Alipay's
        detail = z.read(next(n for n in z.namelist() if n.endswith("_业务明细.csv")))
        assert "#支付宝业务明细查询" in detail.decode("gbk")
        with pytest.raises(UnicodeDecodeError):
            detail.decode("utf-8")
    lines = {(line.kind, line.out_no): line for line in await alipay.bill(day)}
    paid, refunded = lines[("payment", "AP7001")], lines[("refund", "RF7001")]
    assert (paid.amount, paid.fee, paid.external_id) == (12345, 74, fake.trades["AP7001"]["trade_no"])
    assert (refunded.amount, refunded.fee, refunded.external_id) == (45, 0, paid.external_id)
    assert paid.at == fake.trades["AP7001"]["gmt_payment"].replace(microsecond=0)
    with pytest.raises(ProviderError) as e:
        await alipay.bill(day + timedelta(days=1))
    assert e.value.code == "isp.bill_not_exist" and e.value.retryable
    fake.refund_notify = True
