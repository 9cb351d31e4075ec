"""A local stand-in for Tencent Cloud SMS (sms.tencentcloudapi.com, version 2021-01-11) speaking
its protocol: JSON POSTs signed with TC3-HMAC-SHA256, verified as the real one does (see
tencent_faceid.py). SendSms accepts the SmsSdkAppId, the approved signature and templates with
their number of parameters; per-number refusals come back in SendStatusSet, refusals of the whole
request as Response.Error, with the real codes. PullSmsSendStatus hands out each report once."""
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.fakes.tencent_cloud import check_tc3


class FakeTencentSms:
    def __init__(self, secret_id: str = "AKIDfakeSms0000000001", secret_key: str = "fake-sms-secret-key-01",
                 app_id: str = "1400000001", sign_name: str = "安家", templates: dict[str, int] | None = None):
        self.secret_id, self.secret_key, self.app_id, self.sign_name = secret_id, secret_key, app_id, sign_name
        self.templates = templates or {}  # approved template id -> number of parameters
        self.messages: list[dict] = []
        self.refused: list[str] = []
        self.refuse: dict[str, str] = {}  # phone (11 digits) -> the code of its SendStatus
        self.refuse_all: str | None = None  # the Response.Error code for every SendSms (e.g. balance)
        self.undelivered: dict[str, str] = {}  # phone -> the carrier's description (report FAIL)
        self.reports: list[dict] = []  # not pulled yet
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                error = fake._check(self.headers, body)
                answer = {"Error": {"Code": error[0], "Message": error[1]}} if error else \
                    fake._handle(self.headers["X-TC-Action"], json.loads(body))
                if "Error" in answer:
                    fake.refused.append(answer["Error"]["Code"])
                data = json.dumps({"Response": {**answer, "RequestId": str(uuid.uuid4())}}, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _check(self, headers, body: bytes) -> tuple[str, str] | None:
        error = check_tc3(headers, body, secret_id=self.secret_id, secret_key=self.secret_key, service="sms")
        if error:
            return error
        if headers.get("X-TC-Version") != "2021-01-11" or headers.get("X-TC-Action") not in ("SendSms", "PullSmsSendStatus"):
            return "InvalidAction", "unsupported action"
        return None

    def _handle(self, action: str, p: dict) -> dict:
        if p.get("SmsSdkAppId") != self.app_id:
            return {"Error": {"Code": "InvalidParameterValue.SdkAppIdNotExist", "Message": "SdkAppId不存在"}}
        if action == "PullSmsSendStatus":
            limit = int(p.get("Limit") or 0)
            out, self.reports = self.reports[:limit], self.reports[limit:]
            return {"PullSmsSendStatusSet": out}
        if self.refuse_all:
            return {"Error": {"Code": self.refuse_all, "Message": "refused"}}
        if p.get("SignName") != self.sign_name:
            return {"Error": {"Code": "FailedOperation.SignatureIncorrectOrUnapproved", "Message": "签名未审批或格式错误"}}
        count = self.templates.get(p.get("TemplateId", ""))
        if count is None:
            return {"Error": {"Code": "FailedOperation.TemplateIncorrectOrUnapproved", "Message": "模板未审批或内容不匹配"}}
        params = p.get("TemplateParamSet") or []
        if len(params) != count:
            return {"Error": {"Code": "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
                              "Message": "请求内容与审核通过的模板内容不匹配"}}
        statuses = []
        for number in p.get("PhoneNumberSet") or []:
            m = re.fullmatch(r"\+86(1\d{10})", number)
            serial = f"2433:{uuid.uuid4().int % 10**20}"
            if not m:
                code, msg = "InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误"
            elif m.group(1) in self.refuse:
                code, msg = self.refuse[m.group(1)], "refused"
            else:
                code, msg = "Ok", "send success"
                phone = m.group(1)
                self.messages.append({"phone": phone, "template": p["TemplateId"], "params": params, "serial": serial})
                failed = self.undelivered.get(phone)
                self.reports.append({"UserReceiveTime": int(time.time()), "CountryCode": "86", "SubscriberNumber": phone,
                                     "PhoneNumber": number, "SerialNo": serial,
                                     "ReportStatus": "FAIL" if failed else "SUCCESS",
                                     "Description": failed or "用户短信送达成功", "SessionContext": ""})
            statuses.append({"SerialNo": serial if code == "Ok" else "", "PhoneNumber": number, "Fee": 1 if code == "Ok" else 0,
                             "SessionContext": "", "Code": code, "Message": msg, "IsoCode": "CN"})
        return {"SendStatusSet": statuses}

    def last_params(self, phone: str) -> list[str]:
        return next(m["params"] for m in reversed(self.messages) if m["phone"] == phone)

    def close(self):
        self.server.shutdown()
