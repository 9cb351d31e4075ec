"""A local stand-in for Alibaba Cloud SMS (dysmsapi.aliyuncs.com, version 2017-05-25) speaking its
RPC protocol as the current SDKs use it: parameters in the query string, headers `x-acs-action`,
`x-acs-version`, `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`, and an
`Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…` header, which it
verifies as the real one does (canonical request over the method, path, sorted percent-encoded
query, the signed headers and the payload hash; ±15 minutes; a nonce once). SendSms accepts the
approved signature and templates only and checks the template's variables; QuerySendDetails
reports what became of a message. Refusals answer with the real error codes."""
import hashlib
import hmac
import json
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

CHINA = timezone(timedelta(hours=8))


def acs3_signature(secret: str, method: str, path: str, query: dict[str, str], headers: dict[str, str],
                   signed: list[str], payload_hash: str) -> str:
    canonical_query = "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(query.items()))
    canonical_headers = "".join(f"{h}:{headers.get(h, '').strip()}\n" for h in signed)
    canonical = "\n".join([method, path or "/", canonical_query, canonical_headers, ";".join(signed), payload_hash])
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    return hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


class FakeAliyunSms:
    def __init__(self, access_key_id: str = "LTAI5tFakeAccessKey01", access_key_secret: str = "fake-aliyun-secret-01",
                 sign_name: str = "安家", templates: dict[str, tuple[str, ...]] | None = None):
        self.access_key_id, self.access_key_secret, self.sign_name = access_key_id, access_key_secret, sign_name
        self.templates = templates or {}  # approved template code -> its variables
        self.messages: list[dict] = []  # accepted SendSms calls
        self.refused: list[str] = []  # error codes answered
        self.refuse: dict[str, str] = {}  # phone -> the error code SendSms answers for it
        self.undelivered: dict[str, str] = {}  # phone -> the carrier's report code (not delivered)
        self.nonces: set[str] = set()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                url = urlsplit(self.path)
                query = dict(parse_qsl(url.query, keep_blank_values=True))
                status, answer = fake._handle(url.path, query, self.headers, body)
                if answer.get("Code") not in (None, "OK"):
                    fake.refused.append(answer["Code"])
                data = json.dumps({**answer, "RequestId": str(uuid.uuid4()).upper()}, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    # ------------------------------------------------------------ protocol
    def _handle(self, path: str, query: dict, headers, body: bytes) -> tuple[int, dict]:
        error = self._check(path, query, headers, body)
        if error:
            return error
        action = headers.get("x-acs-action")
        if headers.get("x-acs-version") != "2017-05-25":
            return 400, {"Code": "InvalidVersion", "Message": "Specified parameter Version is not valid."}
        if action == "SendSms":
            return 200, self._send(query)
        if action == "QuerySendDetails":
            return 200, self._details(query)
        return 404, {"Code": "InvalidAction.NotFound", "Message": "Specified api is not found, please check your url and method."}

    def _check(self, path, query, headers, body) -> tuple[int, dict] | None:
        auth = headers.get("Authorization", "")
        if not auth.startswith("ACS3-HMAC-SHA256 "):
            return 400, {"Code": "IncompleteSignature", "Message": "The request signature does not conform to Aliyun standards."}
        try:
            parts = dict(p.split("=", 1) for p in auth[len("ACS3-HMAC-SHA256 "):].split(","))
            access_key, signed, signature = parts["Credential"], parts["SignedHeaders"].split(";"), parts["Signature"]
        except (KeyError, ValueError):
            return 400, {"Code": "IncompleteSignature", "Message": "malformed Authorization"}
        if access_key != self.access_key_id:
            return 404, {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found."}
        required = {"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"}
        if not required <= set(signed) or signed != sorted(signed):
            return 400, {"Code": "IncompleteSignature", "Message": "required headers are not signed"}
        try:
            at = datetime.strptime(headers.get("x-acs-date", ""), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            return 400, {"Code": "InvalidTimeStamp.Format", "Message": "Specified time stamp is not valid."}
        if abs((datetime.now(UTC) - at).total_seconds()) > 900:
            return 400, {"Code": "InvalidTimeStamp.Expired", "Message": "Specified time stamp or date value is expired."}
        payload_hash = hashlib.sha256(body).hexdigest()
        if headers.get("x-acs-content-sha256") != payload_hash:
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "x-acs-content-sha256 does not match the body"}
        lowered = {k.lower(): v for k, v in headers.items()}
        want = acs3_signature(self.access_key_secret, "POST", path, query, lowered, signed, payload_hash)
        if not hmac.compare_digest(signature, want):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched with our calculation."}
        nonce = headers.get("x-acs-signature-nonce", "")
        if nonce in self.nonces:
            return 400, {"Code": "SignatureNonceUsed", "Message": "Specified signature nonce was used already."}
        self.nonces.add(nonce)
        return None

    def _send(self, q: dict) -> dict:
        phone = q.get("PhoneNumbers", "")
        if not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
            return {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}
        if q.get("SignName") != self.sign_name:
            return {"Code": "isv.SMS_SIGNATURE_ILLEGAL", "Message": "该账号下找不到对应签名"}
        variables = self.templates.get(q.get("TemplateCode", ""))
        if variables is None:
            return {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "该账号下找不到对应模板"}
        try:
            params = json.loads(q.get("TemplateParam") or "{}")
        except ValueError:
            return {"Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法，只接受字符串值"}
        if not isinstance(params, dict) or any(not isinstance(v, str) for v in params.values()):
            return {"Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法，只接受字符串值"}
        if any(v not in params for v in variables):
            return {"Code": "isv.TEMPLATE_MISSING_PARAMETERS", "Message": "模板缺少变量"}
        if phone in self.refuse:
            return {"Code": self.refuse[phone], "Message": "refused"}
        biz_id = f"{int(time.time() * 1000) % 10**15}^{len(self.messages)}"
        self.messages.append({"phone": phone, "template": q["TemplateCode"], "params": params, "biz_id": biz_id,
                              "sign_name": q["SignName"], "sent_at": datetime.now(CHINA)})
        return {"Code": "OK", "Message": "OK", "BizId": biz_id}

    def _details(self, q: dict) -> dict:
        found = [m for m in self.messages if m["phone"] == q.get("PhoneNumber") and m["biz_id"] == q.get("BizId")
                 and m["sent_at"].strftime("%Y%m%d") == q.get("SendDate")]
        dtos = []
        for m in found:
            failed = self.undelivered.get(m["phone"])
            dtos.append({"PhoneNum": m["phone"], "SendStatus": 2 if failed else 3, "ErrCode": failed or "DELIVERED",
                         "TemplateCode": m["template"], "Content": "", "OutId": "",
                         "SendDate": m["sent_at"].strftime("%Y-%m-%d %H:%M:%S"),
                         "ReceiveDate": (m["sent_at"] + timedelta(seconds=3)).strftime("%Y-%m-%d %H:%M:%S")})
        return {"Code": "OK", "Message": "OK", "TotalCount": len(dtos), "SmsSendDetailDTOs": {"SmsSendDetailDTO": dtos}}

    def last_params(self, phone: str) -> dict:
        return next(m["params"] for m in reversed(self.messages) if m["phone"] == phone)

    def close(self):
        self.server.shutdown()
