"""SMS through Alibaba Cloud's and Tencent Cloud's real SDKs against local fakes that verify their
signatures (ACS3-HMAC-SHA256, TC3-HMAC-SHA256): a sign-in code goes out as the approved template
and signs the person in; order texts go out as their templates with variables; the provider's
message id is kept and its delivery receipt recorded; every class of refusal (the provider's
per-number limits, a blocked or invalid number, the account's balance, a template or signature not
approved, wrong keys, an unreachable provider) is a clear problem for the person waiting for a code,
a `failed` row and a log line, and is not retried."""
import pytest
from sqlalchemy import select, text

from anjia.accounts.models import User
from anjia.config import get_settings
from anjia.notifications.models import Notification
from anjia.notifications.service import notify
from anjia.notifications.tasks import send_pending
from anjia.providers.sms import AliyunSms, ConsoleSms, TencentSms, get_sms_provider
from anjia.sms.models import SmsMessage
from anjia.sms.service import pull_receipts
from tests.fakes.aliyun_sms import FakeAliyunSms
from tests.fakes.tencent_sms import FakeTencentSms

ALIYUN_TEMPLATES = {"code": "SMS_470001", "order.accepted": "SMS_470002", "notice": "SMS_470003"}
TENCENT_TEMPLATES = {"code": "2100001", "order.accepted": "2100002", "notice": "2100003"}


@pytest.fixture
def aliyun(monkeypatch):
    fake = FakeAliyunSms(templates={"SMS_470001": ("code", "minutes"), "SMS_470002": ("service", "worker"),
                                    "SMS_470003": ("title",)})
    s = get_settings()
    for k, v in {"sms_provider": "aliyun", "aliyun_access_key_id": fake.access_key_id,
                 "aliyun_access_key_secret": fake.access_key_secret, "aliyun_sms_endpoint": fake.endpoint,
                 "aliyun_sms_scheme": "http", "sms_templates": ALIYUN_TEMPLATES}.items():
        monkeypatch.setattr(s, k, v)
    yield fake
    fake.close()


@pytest.fixture
def tencent(monkeypatch):
    fake = FakeTencentSms(templates={"2100001": 2, "2100002": 2, "2100003": 1})
    s = get_settings()
    for k, v in {"sms_provider": "tencent", "tencent_secret_id": fake.secret_id,
                 "tencent_secret_key": fake.secret_key, "tencent_sms_app_id": fake.app_id,
                 "tencent_sms_endpoint": fake.endpoint, "tencent_sms_scheme": "http",
                 "sms_templates": TENCENT_TEMPLATES}.items():
        monkeypatch.setattr(s, k, v)
    yield fake
    fake.close()


async def sign_in(client, phone: str, code: str):
    r = await client.post("/api/v1/auth/login/sms", json={"phone": phone, "code": code, "app": "customer",
                                                          "consent_version": "2026-11"})
    assert r.status_code == 200, r.text
    return r.json()


async def messages(session) -> list[SmsMessage]:
    session.expire_all()
    return list(await session.scalars(select(SmsMessage).order_by(SmsMessage.id)))


def test_console_is_the_default():
    assert isinstance(get_sms_provider(), ConsoleSms)


async def test_a_sign_in_code_through_aliyun(client, session, aliyun):
    assert isinstance(get_sms_provider(), AliyunSms)
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110001"})
    assert r.status_code == 202, r.text
    sent = aliyun.messages[-1]
    assert sent["template"] == "SMS_470001" and sent["sign_name"] == "安家"
    assert sent["params"]["minutes"] == "5" and len(sent["params"]["code"]) == 6
    assert (await sign_in(client, "13911110001", sent["params"]["code"]))["user"]["phone"] == "13911110001"
    [row] = await messages(session)
    assert (row.provider, row.kind, row.template, row.status) == ("aliyun", "code", "SMS_470001", "sent")
    assert row.message_id == sent["biz_id"]
    # the receipt: QuerySendDetails says delivered
    assert await pull_receipts(session) == 1
    await session.commit()
    [row] = await messages(session)
    assert row.status == "delivered" and row.reported_at is not None
    assert await pull_receipts(session) == 0  # settled once


async def test_a_sign_in_code_through_tencent(client, session, tencent):
    assert isinstance(get_sms_provider(), TencentSms)
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110002"})
    assert r.status_code == 202, r.text
    sent = tencent.messages[-1]
    assert sent["template"] == "2100001" and sent["params"][1] == "5"
    assert (await sign_in(client, "13911110002", sent["params"][0]))["user"]["phone"] == "13911110002"
    [row] = await messages(session)
    assert (row.provider, row.status, row.message_id) == ("tencent", "sent", sent["serial"])
    assert await pull_receipts(session) == 1
    await session.commit()
    assert (await messages(session))[0].status == "delivered"


@pytest.mark.parametrize("code, status, problem", [
    ("isv.BUSINESS_LIMIT_CONTROL", 429, "sms_rate_limited"),
    ("isv.MOBILE_NUMBER_ILLEGAL", 422, "sms_phone_rejected"),
    ("isv.AMOUNT_NOT_ENOUGH", 503, "sms_unavailable"),
    ("isv.OUT_OF_SERVICE", 503, "sms_unavailable"),
])
async def test_aliyun_refusals_are_clear_and_not_retried(client, session, aliyun, code, status, problem):
    aliyun.refuse["13911110003"] = code
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110003"})
    assert r.status_code == status and r.json()["code"] == problem, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    [row] = await messages(session)
    assert (row.status, row.error_code, row.message_id) == ("failed", code, None)
    # asking again at once is our own rate limit: the provider is not asked again
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110003"})
    assert r.status_code == 429 and r.json()["code"] == "sms_rate_limited"
    assert aliyun.refused == [code] and len(await messages(session)) == 1


async def test_aliyun_unapproved_template_wrong_keys_and_no_provider(client, session, aliyun, monkeypatch):
    s = get_settings()
    monkeypatch.setattr(s, "sms_templates", {**ALIYUN_TEMPLATES, "code": "SMS_999999"})
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110004"})
    assert r.status_code == 503 and r.json()["code"] == "sms_unavailable" and r.headers["Retry-After"]
    monkeypatch.setattr(s, "sms_templates", ALIYUN_TEMPLATES)
    monkeypatch.setattr(s, "aliyun_access_key_secret", "not-the-secret")
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110005"})
    assert r.status_code == 503 and r.json()["code"] == "sms_unavailable"
    monkeypatch.setattr(s, "aliyun_access_key_id", "LTAI5tSomebodyElse")
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110006"})
    assert r.status_code == 503
    monkeypatch.setattr(s, "aliyun_sms_endpoint", "127.0.0.1:9")
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110007"})
    assert r.status_code == 503
    monkeypatch.setattr(s, "sms_templates", {})
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110008"})
    assert r.status_code == 503
    assert aliyun.refused == ["isv.SMS_TEMPLATE_ILLEGAL", "SignatureDoesNotMatch", "InvalidAccessKeyId.NotFound"]
    rows = await messages(session)
    assert [r.status for r in rows] == ["failed"] * 5 and not aliyun.messages
    assert [r.error_code for r in rows][:3] == aliyun.refused
    assert rows[4].error_code == "TemplateNotConfigured"


@pytest.mark.parametrize("code, status, problem", [
    ("LimitExceeded.PhoneNumberDailyLimit", 429, "sms_rate_limited"),
    ("LimitExceeded.PhoneNumberThirtySecondLimit", 429, "sms_rate_limited"),
    ("FailedOperation.PhoneNumberInBlacklist", 422, "sms_phone_rejected"),
])
async def test_tencent_refusals_of_a_number(client, session, tencent, code, status, problem):
    tencent.refuse["13911110009"] = code
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110009"})
    assert r.status_code == status and r.json()["code"] == problem, r.text
    [row] = await messages(session)
    assert (row.status, row.error_code) == ("failed", code)
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110009"})
    assert r.status_code == 429 and len(await messages(session)) == 1


async def test_tencent_refusals_of_the_account(client, session, tencent, monkeypatch):
    s = get_settings()
    tencent.refuse_all = "FailedOperation.InsufficientBalanceInSmsPackage"
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110010"})
    assert r.status_code == 503 and r.json()["code"] == "sms_unavailable"
    tencent.refuse_all = None
    monkeypatch.setattr(s, "sms_templates", {**TENCENT_TEMPLATES, "code": "2199999"})
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110011"})
    assert r.status_code == 503
    monkeypatch.setattr(s, "sms_templates", TENCENT_TEMPLATES)
    monkeypatch.setattr(s, "sms_sign_name", "别家")
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110012"})
    assert r.status_code == 503
    monkeypatch.setattr(s, "sms_sign_name", "安家")
    monkeypatch.setattr(s, "tencent_secret_key", "not-the-key")
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110013"})
    assert r.status_code == 503
    monkeypatch.setattr(s, "tencent_sms_endpoint", "127.0.0.1:9")
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110014"})
    assert r.status_code == 503 and r.json()["code"] == "sms_unavailable"
    assert tencent.refused == ["FailedOperation.InsufficientBalanceInSmsPackage",
                               "FailedOperation.TemplateIncorrectOrUnapproved",
                               "FailedOperation.SignatureIncorrectOrUnapproved", "AuthFailure.SignatureFailure"]
    rows = await messages(session)
    assert [r.error_code for r in rows][:4] == tencent.refused and {r.status for r in rows} == {"failed"}
    assert not tencent.messages


async def _customer(session, phone: str) -> int:
    user = User(kind="customer", phone=phone, nickname="顾客", roles=[])
    session.add(user)
    await session.flush()
    return user.id


async def test_order_texts_go_out_as_templates_with_variables(session, aliyun):
    uid = await _customer(session, "13911110020")
    await notify(session, uid, "order.accepted", "师傅已接单", "您的日常保洁订单已由王阿姨接单，将按时上门。",
                 {"order_id": 1}, sms=True, sms_params={"service": "日常保洁", "worker": "王阿姨"})
    await notify(session, uid, "order.schedule_change", "师傅申请调整上门时间", "请在订单详情中确认。",
                 {"order_id": 1}, sms=True)
    await session.commit()
    assert await send_pending() == 2
    assert [(m["template"], m["params"]) for m in aliyun.messages] == [
        ("SMS_470002", {"service": "日常保洁", "worker": "王阿姨"}),
        ("SMS_470003", {"title": "师傅申请调整上门时间"})]  # kinds without their own template: the notice
    rows = await messages(session)
    assert [(r.kind, r.status) for r in rows] == [("order.accepted", "sent"), ("order.schedule_change", "sent")]
    aliyun.undelivered["13911110020"] = "MOBILE_IN_BLACK"
    assert await pull_receipts(session) == 2
    await session.commit()
    assert {(r.status, r.error_code) for r in await messages(session)} == {("undelivered", "MOBILE_IN_BLACK")}


async def test_a_refused_order_text_is_marked_failed_once(session, tencent, monkeypatch):
    uid = await _customer(session, "13911110021")
    tencent.refuse["13911110021"] = "FailedOperation.PhoneNumberInBlacklist"
    await notify(session, uid, "order.accepted", "师傅已接单", "…", {"order_id": 1}, sms=True,
                 sms_params={"service": "日常保洁", "worker": "王阿姨"})
    monkeypatch.setattr(get_settings(), "sms_templates", {"code": "2100001", "order.accepted": "2100002"})  # no notice
    await notify(session, uid, "order.departed", "师傅已出发", "…", {"order_id": 1}, sms=True,
                 sms_params={"worker": "王阿姨"})
    await session.commit()
    assert await send_pending() == 2  # no exception, no retry
    assert await send_pending() == 0
    session.expire_all()
    assert [n.sms_status for n in await session.scalars(select(Notification).order_by(Notification.id))] \
        == ["failed", "failed"]
    assert [(r.kind, r.error_code) for r in await messages(session)] == [
        ("order.accepted", "FailedOperation.PhoneNumberInBlacklist"), ("order.departed", "TemplateNotConfigured")]
    assert tencent.refused == [] and not tencent.messages  # a per-number refusal is a SendStatus, not an Error


async def test_tencent_receipts_say_undelivered(client, session, tencent):
    tencent.undelivered["13911110022"] = "用户关机"
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13911110022"})
    assert r.status_code == 202
    assert await pull_receipts(session) == 1
    await session.commit()
    [row] = await messages(session)
    assert (row.status, row.error_code) == ("undelivered", "用户关机")


async def test_a_refused_order_text_through_aliyun_is_marked_failed_once(session, aliyun):
    uid = await _customer(session, "13911110023")
    aliyun.refuse["13911110023"] = "isv.BUSINESS_LIMIT_CONTROL"
    await notify(session, uid, "order.accepted", "师傅已接单", "…", {"order_id": 1}, sms=True,
                 sms_params={"service": "日常保洁", "worker": "王阿姨"})
    await notify(session, uid, "order.schedule_change", "师傅申请调整上门时间", "…", {"order_id": 1}, sms=True)
    await session.commit()
    assert await send_pending() == 2  # the refusal neither raises nor holds up the next one
    assert await send_pending() == 0
    session.expire_all()
    assert [n.sms_status for n in await session.scalars(select(Notification).order_by(Notification.id))] \
        == ["failed", "failed"]
    assert aliyun.refused == ["isv.BUSINESS_LIMIT_CONTROL"] * 2 and not aliyun.messages  # each asked once


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
async def test_the_sms_copy_when_wechat_refuses_goes_through_the_provider(session, provider, request, monkeypatch):
    """The fallback of a WeChat subscribe message (here WeChat refuses the template for good) is the
    SMS copy, sent as the kind's template through the real provider; a refused SMS after it is
    marked failed, and the next notification still goes out."""
    from anjia.providers import wechat
    from tests.fakes.wechat import FakeWechat

    sms = request.getfixturevalue(provider)
    fake = FakeWechat()
    s = get_settings()
    for k, v in {"wechat_appid": fake.appid, "wechat_secret": fake.secret, "wechat_api_base": fake.url,
                 "wechat_subscribe": {"order.accepted": {"template_id": "TPL-A", "fields": {"thing1": "{service}"}}}
                 }.items():
        monkeypatch.setattr(s, k, v)
    monkeypatch.setattr(wechat, "_token", None)
    fake.refuse_template["TPL-A"] = 40037
    try:
        ok, refused = "13911110030", "13911110031"
        sms.refuse[refused] = {"aliyun": "isv.MOBILE_NUMBER_ILLEGAL",
                               "tencent": "FailedOperation.PhoneNumberInBlacklist"}[provider]
        for phone in (refused, ok):
            uid = await _customer(session, phone)
            await session.execute(User.__table__.update().where(User.id == uid).values(wechat_openid=f"o-{phone}"))
            await session.execute(text("INSERT INTO wechat_subscriptions (user_id, template_id, remaining, last_result)"
                                       " VALUES (:u, 'TPL-A', 1, 'accept')"), {"u": uid})
            await notify(session, uid, "order.accepted", "师傅已接单", "…", {"order_id": 1}, sms=True,
                         sms_params={"service": "日常保洁", "worker": "王阿姨"})
        await session.commit()
        assert await send_pending() == 2
        session.expire_all()
        rows = [(n.wechat_status, n.sms_status) for n in await session.scalars(select(Notification).order_by(Notification.id))]
        assert rows == [("failed", "failed"), ("failed", "sent")]
        assert fake.failed == [40037, 40037] and not fake.messages
        template = ALIYUN_TEMPLATES["order.accepted"] if provider == "aliyun" else TENCENT_TEMPLATES["order.accepted"]
        assert [(m["phone"][-11:], m["template"]) for m in sms.messages] == [(ok, template)]
    finally:
        fake.close()
