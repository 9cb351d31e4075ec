"""SMS providers. `console` (development) logs the message and appends it to
var/sms-outbox.jsonl so developers and tests can read the code; `aliyun` sends through Alibaba
Cloud SMS (Dysmsapi 2017-05-25, ACS3-HMAC-SHA256 signed by `alibabacloud-dysmsapi20170525`);
`tencent` through Tencent Cloud SMS (2021-01-11, TC3-HMAC-SHA256 signed by
`tencentcloud-sdk-python-sms`). Both real providers send approved templates only: a message is a
template id with its parameters in the template's order, under the signature name from settings;
the console shows the text the template stands for.

The SDKs are synchronous and run in a worker thread; neither retries (one request per message).
Every failure comes back as `SmsError` with a category, so callers answer clearly and never loop:
rate_limited (the provider's per-number limits), phone_rejected (an invalid or blocked number),
quota (balance or account limits), template (template or signature not approved, parameters the
template refuses, no template configured), auth (keys or permissions), unavailable (network,
timeouts, the provider's own errors)."""
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Literal, Protocol

import structlog
from starlette.concurrency import run_in_threadpool

from anjia.config import get_settings

log = structlog.get_logger()

Category = Literal["rate_limited", "phone_rejected", "quota", "template", "auth", "unavailable"]
CHINA = timezone(timedelta(hours=8))  # both providers report times in Beijing time


@dataclass(frozen=True)
class Sms:
    phone: str  # 11-digit mainland number
    kind: str  # "code", or a notification kind ("order.accepted", ...)
    template: str  # the provider's template id ("" for the console)
    params: list[tuple[str, str]] = field(default_factory=list)  # in the template's order
    text: str = ""  # what the template says, for the console and the log


@dataclass(frozen=True)
class Sent:
    message_id: str  # Aliyun BizId, Tencent SerialNo


@dataclass(frozen=True)
class Awaiting:
    message_id: str
    phone: str
    sent_at: datetime


@dataclass(frozen=True)
class Receipt:
    message_id: str
    delivered: bool
    code: str  # the provider's report code ("DELIVERED", "SUCCESS", or why not)
    at: datetime | None


class SmsError(Exception):
    def __init__(self, category: Category, code: str, message: str = ""):
        super().__init__(f"{category}: {code} {message}".strip())
        self.category, self.code, self.message = category, code, message[:200]


class SmsProvider(Protocol):
    name: str
    receipts_supported: bool

    async def send(self, sms: Sms) -> Sent: ...

    async def receipts(self, awaiting: list[Awaiting]) -> list[Receipt]: ...


class ConsoleSms:
    name = "console"
    receipts_supported = False

    async def send(self, sms: Sms) -> Sent:
        message_id = f"console-{uuid.uuid4().hex}"
        params = dict(sms.params)
        log.info("sms_sent", provider="console", phone=sms.phone, kind=sms.kind, text=sms.text)
        outbox = get_settings().data_dir / "sms-outbox.jsonl"
        outbox.parent.mkdir(parents=True, exist_ok=True)
        with outbox.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"phone": sms.phone, "kind": sms.kind, "code": params.get("code"), "text": sms.text,
                                "message_id": message_id, "sent_at": datetime.now(UTC).isoformat()},
                               ensure_ascii=False) + "\n")
        return Sent(message_id)

    async def receipts(self, awaiting: list[Awaiting]) -> list[Receipt]:
        return []


# ---------------------------------------------------------------- Aliyun
ALIYUN_ERRORS: dict[str, Category] = {
    "isv.BUSINESS_LIMIT_CONTROL": "rate_limited", "isv.DAY_LIMIT_CONTROL": "rate_limited",
    "isv.BUSINESS_LIMIT_HOUR": "rate_limited", "isv.BUSINESS_LIMIT_DAY": "rate_limited",
    "BUSINESS_LIMIT_CONTROL_MINUTE": "rate_limited", "BUSINESS_LIMIT_CONTROL_PHONE": "rate_limited",
    "isv.MOBILE_NUMBER_ILLEGAL": "phone_rejected", "isv.DOMESTIC_NUMBER_NOT_SUPPORTED": "phone_rejected",
    "isv.NOT_SUPPORTED_COUNTRY": "phone_rejected", "isv.COUNTRY_RESTRICTED": "phone_rejected",
    "isv.MOBILE_COUNT_OVER_LIMIT": "phone_rejected",
    "isv.AMOUNT_NOT_ENOUGH": "quota", "isv.OUT_OF_SERVICE": "quota", "isv.PRODUCT_UN_SUBSCRIPT": "quota",
    "isv.PRODUCT_UNSUBSCRIBE": "quota", "isv.ACCOUNT_NOT_EXISTS": "quota", "isv.ACCOUNT_ABNORMAL": "quota",
    "isv.SMS_TEMPLATE_ILLEGAL": "template", "isv.SMS_SIGNATURE_ILLEGAL": "template",
    "isv.SMS_SIGN_NAME_ILLEGAL": "template", "isv.SMS_SIGNATURE_SCENE_ILLEGAL": "template",
    "isv.TEMPLATE_MISSING_PARAMETERS": "template", "isv.TEMPLATE_PARAMS_ILLEGAL": "template",
    "isv.INVALID_JSON_PARAM": "template", "isv.PARAM_LENGTH_LIMIT": "template",
    "isv.PARAM_NOT_SUPPORT_URL": "template", "isv.BLACK_KEY_CONTROL_LIMIT": "template",
    "isv.SMS_CONTENT_ILLEGAL": "template",
    "isp.RAM_PERMISSION_DENY": "auth", "isv.RAM_CHECK_FAILED": "auth", "SignatureDoesNotMatch": "auth",
    "IncompleteSignature": "auth", "InvalidTimeStamp.Expired": "auth", "SignatureNonceUsed": "auth",
}


def aliyun_category(code: str) -> Category:
    if code in ALIYUN_ERRORS:
        return ALIYUN_ERRORS[code]
    if code.startswith(("InvalidAccessKeyId", "Forbidden", "InvalidSecurityToken")):
        return "auth"
    return "unavailable"


class AliyunSms:
    """Alibaba Cloud SMS: SendSms with TemplateParam as a JSON object of the template's variables;
    receipts by QuerySendDetails (one call per awaited message: phone, BizId, day sent)."""

    name = "aliyun"
    receipts_supported = True

    def __init__(self, access_key_id: str, access_key_secret: str, sign_name: str, endpoint: str = "",
                 scheme: str = "https", timeout: int = 10):
        self.access_key_id, self.access_key_secret, self.sign_name = access_key_id, access_key_secret, sign_name
        self.endpoint, self.scheme, self.timeout = endpoint or "dysmsapi.aliyuncs.com", scheme, timeout

    def _client(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.utils_models import Config

        return Client(Config(access_key_id=self.access_key_id, access_key_secret=self.access_key_secret,
                             endpoint=self.endpoint, protocol=self.scheme, read_timeout=self.timeout * 1000,
                             connect_timeout=self.timeout * 1000))

    def _call(self, action: str, request):
        try:
            return getattr(self._client(), action)(request).body
        except Exception as e:  # the SDK's ClientException / ServerException carry the API's code
            code = getattr(e, "code", None) or type(e).__name__
            raise SmsError(aliyun_category(str(code)), str(code), str(getattr(e, "message", e))) from e

    def _send(self, sms: Sms) -> Sent:
        from alibabacloud_dysmsapi20170525 import models

        body = self._call("send_sms", models.SendSmsRequest(
            phone_numbers=sms.phone, sign_name=self.sign_name, template_code=sms.template,
            template_param=json.dumps(dict(sms.params), ensure_ascii=False) if sms.params else None))
        if body.code != "OK":
            raise SmsError(aliyun_category(body.code or ""), body.code or "unknown", body.message or "")
        return Sent(body.biz_id)

    def _receipts(self, awaiting: list[Awaiting]) -> list[Receipt]:
        from alibabacloud_dysmsapi20170525 import models

        out = []
        for a in awaiting:
            body = self._call("query_send_details", models.QuerySendDetailsRequest(
                phone_number=a.phone, biz_id=a.message_id, send_date=a.sent_at.astimezone(CHINA).strftime("%Y%m%d"),
                page_size=10, current_page=1))
            if body.code != "OK":
                raise SmsError(aliyun_category(body.code or ""), body.code or "unknown", body.message or "")
            dtos = body.sms_send_detail_dtos.sms_send_detail_dto if body.sms_send_detail_dtos else []
            for d in dtos or []:
                if d.send_status in (2, 3):  # 1 awaiting the carrier's report, 2 failed, 3 delivered
                    at = (datetime.strptime(d.receive_date, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
                          if d.receive_date else None)
                    out.append(Receipt(a.message_id, d.send_status == 3, d.err_code or "", at))
        return out

    async def send(self, sms: Sms) -> Sent:
        return await run_in_threadpool(self._send, sms)

    async def receipts(self, awaiting: list[Awaiting]) -> list[Receipt]:
        return await run_in_threadpool(self._receipts, awaiting)


# ---------------------------------------------------------------- Tencent
TENCENT_ERRORS: dict[str, Category] = {
    "LimitExceeded.PhoneNumberDailyLimit": "rate_limited", "LimitExceeded.PhoneNumberOneHourLimit": "rate_limited",
    "LimitExceeded.PhoneNumberThirtySecondLimit": "rate_limited", "LimitExceeded.DeliveryFrequencyLimit": "rate_limited",
    "LimitExceeded.PhoneNumberSameContentDailyLimit": "rate_limited",
    "FailedOperation.PhoneNumberInBlacklist": "phone_rejected", "InvalidParameterValue.IncorrectPhoneNumber": "phone_rejected",
    "FailedOperation.PhoneNumberParseFail": "phone_rejected", "UnsupportedOperation.UnsupportedRegion": "phone_rejected",
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber": "phone_rejected",
    "FailedOperation.InsufficientBalanceInSmsPackage": "quota", "LimitExceeded.AppDailyLimit": "quota",
    "LimitExceeded.DailyLimit": "quota", "LimitExceeded.AppGlobalDailyLimit": "quota",
    "LimitExceeded.AppMainlandChinaDailyLimit": "quota", "UnauthorizedOperation.SdkAppIdIsDisabled": "quota",
    "FailedOperation.TemplateIncorrectOrUnapproved": "template", "FailedOperation.SignatureIncorrectOrUnapproved": "template",
    "FailedOperation.TemplateParamSetNotMatchApprovedTemplate": "template",
    "FailedOperation.ContainSensitiveWord": "template", "FailedOperation.MissingSignature": "template",
    "FailedOperation.MissingTemplateToModify": "template",
    "InvalidParameterValue.TemplateParameterFormatError": "template",
    "InvalidParameterValue.TemplateParameterLengthLimit": "template", "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter": "template",
    "InvalidParameterValue.SdkAppIdNotExist": "auth", "UnauthorizedOperation.RequestPermissionDeny": "auth",
    "UnauthorizedOperation.SmsSdkAppIdVerifyFail": "auth", "UnauthorizedOperation.RequestIpNotInWhitelist": "auth",
}


def tencent_category(code: str) -> Category:
    if code in TENCENT_ERRORS:
        return TENCENT_ERRORS[code]
    if code.startswith("AuthFailure"):
        return "auth"
    if code.startswith("LimitExceeded.PhoneNumber"):
        return "rate_limited"
    return "unavailable"


class TencentSms:
    """Tencent Cloud SMS: SendSms with TemplateParamSet in the template's order ({1}, {2}, ...);
    receipts by PullSmsSendStatus (the reports not pulled before, for the whole SmsSdkAppId)."""

    name = "tencent"
    receipts_supported = True

    def __init__(self, secret_id: str, secret_key: str, region: str, app_id: str, sign_name: str,
                 endpoint: str = "", scheme: str = "https", timeout: int = 10):
        self.secret_id, self.secret_key, self.region, self.app_id = secret_id, secret_key, region, app_id
        self.sign_name, self.endpoint, self.scheme, self.timeout = sign_name, endpoint, scheme, timeout

    def _client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        http = HttpProfile(protocol=self.scheme, endpoint=self.endpoint or None, reqTimeout=self.timeout)
        return sms_client.SmsClient(credential.Credential(self.secret_id, self.secret_key), self.region,
                                    ClientProfile(httpProfile=http))

    def _call(self, action: str, params: dict):
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        req = getattr(models, f"{action}Request")()
        req.from_json_string(json.dumps(params, ensure_ascii=False))
        try:
            return getattr(self._client(), action)(req)
        except TencentCloudSDKException as e:
            code = e.get_code() or "ClientError"
            raise SmsError(tencent_category(code), code, f"{e.get_message()} ({e.get_request_id()})") from e
        except Exception as e:  # the SDK wraps network errors; anything else is as unavailable
            raise SmsError("unavailable", type(e).__name__, str(e)) from e

    def _send(self, sms: Sms) -> Sent:
        phone = sms.phone if sms.phone.startswith("+") else f"+86{sms.phone}"
        resp = self._call("SendSms", {"PhoneNumberSet": [phone], "SmsSdkAppId": self.app_id,
                                      "SignName": self.sign_name, "TemplateId": sms.template,
                                      "TemplateParamSet": [v for _, v in sms.params]})
        status = (resp.SendStatusSet or [None])[0]
        if status is None:
            raise SmsError("unavailable", "EmptySendStatusSet")
        if status.Code != "Ok":
            raise SmsError(tencent_category(status.Code or ""), status.Code or "unknown", status.Message or "")
        return Sent(status.SerialNo)

    def _receipts(self) -> list[Receipt]:
        resp = self._call("PullSmsSendStatus", {"Limit": 100, "SmsSdkAppId": self.app_id})
        return [Receipt(r.SerialNo, r.ReportStatus == "SUCCESS", r.Description or r.ReportStatus or "",
                        datetime.fromtimestamp(r.UserReceiveTime, UTC) if r.UserReceiveTime else None)
                for r in resp.PullSmsSendStatusSet or []]

    async def send(self, sms: Sms) -> Sent:
        return await run_in_threadpool(self._send, sms)

    async def receipts(self, awaiting: list[Awaiting]) -> list[Receipt]:
        return await run_in_threadpool(self._receipts)


def get_sms_provider() -> SmsProvider:
    s = get_settings()
    if s.sms_provider == "console":
        return ConsoleSms()
    if s.sms_provider == "aliyun":
        return AliyunSms(s.aliyun_access_key_id, s.aliyun_access_key_secret, s.sms_sign_name,
                         s.aliyun_sms_endpoint, s.aliyun_sms_scheme, s.sms_timeout_seconds)
    if s.sms_provider == "tencent":
        return TencentSms(s.tencent_secret_id, s.tencent_secret_key, s.tencent_region, s.tencent_sms_app_id,
                          s.sms_sign_name, s.tencent_sms_endpoint, s.tencent_sms_scheme, s.sms_timeout_seconds)
    raise RuntimeError(f"unknown SMS provider {s.sms_provider!r}")
