"""A local stand-in for api.mch.weixin.qq.com (WeChat Pay API v3, direct merchant), speaking its protocol
with keys generated at start:

- every request must carry a valid `Authorization: WECHATPAY2-SHA256-RSA2048 mchid=..,nonce_str=..,
  signature=..,timestamp=..,serial_no=..` signed by the merchant key (else 401 SIGN_ERROR);
- every JSON answer is signed (Wechatpay-Serial/-Signature/-Timestamp/-Nonce) by the platform key,
  named by `PUB_KEY_ID_...` in public_key mode or by the platform certificate's serial in platform_cert
  mode, whose certificate /v3/certificates hands out AES-256-GCM encrypted with the APIv3 key;
- POST /v3/pay/transactions/{jsapi,h5,native}, GET /v3/pay/transactions/out-trade-no/{no},
  POST .../{no}/close, POST /v3/refund/domestic/refunds, GET /v3/refund/domestic/refunds/{no},
  GET /v3/bill/tradebill (download_url + SHA1 of the uncompressed file), GET /v3/billdownload/file;
- GET /h5/cashier?prepay_id=..&redirect_url=.. is the H5 cashier: "确认支付" (#pay) marks the payment
  SUCCESS, posts a genuine TRANSACTION.SUCCESS notification to its notify_url and redirects the
  browser to redirect_url; "取消" (#cancel) only redirects.

Test helpers: pay(), notification()/notify(), refund_notification()/refund_notify() with knobs to forge
the signature, change the serial, age the timestamp, change amount/mchid/appid or spoil the resource;
settings_env() for the app's WECHATPAY_* settings."""
import base64
import csv
import gzip
import hashlib
import html
import io
import json
import secrets
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

SHANGHAI = ZoneInfo("Asia/Shanghai")
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
FEE_RATE = 0.006
BILL_HEADER = {  # the columns of WeChat Pay's SUCCESS and REFUND trade bills
    "SUCCESS": "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,"
               "货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注",
    "REFUND": "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,"
              "货币种类,应结订单金额,代金券金额,退款申请时间,退款成功时间,微信退款单号,商户退款单号,退款金额,充值券退款金额,"
              "退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注",
}


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption()).decode()
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _sign(key: rsa.RSAPrivateKey, message: str) -> str:
    return base64.b64encode(key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def _cert(key: rsa.RSAPrivateKey, name: str) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365)).sign(key, hashes.SHA256()))


def _yuan(fen: int, places: int = 2) -> str:
    return f"{fen / 100:.{places}f}"


def _now() -> str:
    return datetime.now(SHANGHAI).isoformat(timespec="seconds")


class FakeWechatPay:
    def __init__(self, mode: str = "public_key", mchid: str = "1900000109", appid: str = "wx-test-appid"):
        assert mode in ("public_key", "platform_cert")
        self.mode, self.mchid, self.appid = mode, mchid, appid
        self.api_v3_key = secrets.token_hex(16)  # 32 characters, as WeChat's APIv3 keys
        self.merchant_key = _key()
        self.merchant_serial = format(x509.random_serial_number(), "X")
        self.platform_key = _key()
        self.platform_cert = _cert(self.platform_key, "Tenpay.com Root CA")
        self.serial = ("PUB_KEY_ID_0119" + secrets.token_hex(11).upper() if mode == "public_key"
                       else format(self.platform_cert.serial_number, "X"))
        self.transactions: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.bills: dict[str, bytes] = {}
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request that reached us
        self.tamper_bills = False  # serve bills that no longer match the hash announced for them
        self._dir = Path(tempfile.mkdtemp(prefix="fake-wechatpay-"))
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._handle(self, "GET", b"")

            def do_POST(self):
                fake._handle(self, "POST", self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    # -- configuration of our app ----------------------------------------------------------------

    def settings_env(self) -> dict[str, str]:
        """WECHATPAY_* variables that point our app at this fake (keys written to a temp dir; in
        platform_cert mode the certificate directory starts empty, so the SDK downloads it)."""
        key_path = self._dir / "apiclient_key.pem"
        key_path.write_text(_pem(self.merchant_key))
        env = {"WECHATPAY_MCHID": self.mchid, "WECHATPAY_APPID": self.appid, "WECHATPAY_API_V3_KEY": self.api_v3_key,
               "WECHATPAY_PRIVATE_KEY_PATH": str(key_path), "WECHATPAY_CERT_SERIAL": self.merchant_serial,
               "WECHATPAY_MODE": self.mode, "WECHATPAY_API_BASE": self.url}
        if self.mode == "public_key":
            (self._dir / "pub_key.pem").write_text(_pem(self.platform_key.public_key()))
            env |= {"WECHATPAY_PUBLIC_KEY_ID": self.serial, "WECHATPAY_PUBLIC_KEY_PATH": str(self._dir / "pub_key.pem")}
        else:
            cert_dir = Path(tempfile.mkdtemp(prefix="certs-", dir=self._dir))
            env |= {"WECHATPAY_PLATFORM_CERT_DIR": str(cert_dir)}
        return env

    # -- test helpers ----------------------------------------------------------------------------

    def pay(self, out_trade_no: str, openid: str = "o-test-payer") -> dict:
        """The payer pays; no notification is sent (the active query finds it)."""
        with self._lock:
            t = self.transactions[out_trade_no]
            if t["trade_state"] in ("NOTPAY", "USERPAYING"):
                t.update(trade_state="SUCCESS", trade_state_desc="支付成功", bank_type="OTHERS",
                         success_time=_now(), transaction_id="42000" + secrets.token_hex(12)[:23])
                t["payer"] = t.get("payer") or {"openid": openid}
                t["amount"].update(payer_total=t["amount"]["total"], payer_currency="CNY")
            return t

    def notification(self, out_trade_no: str, *, forge: bool = False, serial: str | None = None, age: int = 0,
                     amount: int | None = None, payer_total: int | None = None, mchid: str | None = None,
                     appid: str | None = None, bad_resource: bool = False) -> tuple[dict[str, str], bytes]:
        """Headers and body of the TRANSACTION.SUCCESS notification for a payment (paying it first if
        needed). The same payment always gets the same notification id, as WeChat's retries do."""
        t = self._public(self.pay(out_trade_no))
        t["amount"] = dict(t["amount"])
        if amount is not None:
            t["amount"].update(total=amount, payer_total=amount)
        if payer_total is not None:  # WeChat coupons paid the rest
            t["amount"]["payer_total"] = payer_total
        t.update(mchid=mchid or t["mchid"], appid=appid or t["appid"])
        return self._notification("TRANSACTION.SUCCESS", "支付成功", "transaction", out_trade_no, t, forge=forge,
                                  serial=serial, age=age, bad_resource=bad_resource)

    def notify(self, out_trade_no: str, **knobs) -> tuple[int, bytes]:
        """Post the payment's notification to its notify_url; (status, body) of our answer."""
        return self._post(self.transactions[out_trade_no]["notify_url"], *self.notification(out_trade_no, **knobs))

    def refund_notification(self, out_refund_no: str, status: str = "SUCCESS", *, forge: bool = False,
                            serial: str | None = None, age: int = 0, amount: int | None = None,
                            mchid: str | None = None, bad_resource: bool = False) -> tuple[dict[str, str], bytes]:
        """The refund ends with `status` (SUCCESS, CLOSED or ABNORMAL); headers and body of REFUND.<status>."""
        with self._lock:
            r = self.refunds[out_refund_no]
            if r["status"] == "PROCESSING":
                r["status"] = status
                if status == "SUCCESS":
                    r["success_time"] = _now()
        a = r["amount"]
        resource = {"mchid": mchid or self.mchid, "out_trade_no": r["out_trade_no"],
                    "transaction_id": r["transaction_id"], "out_refund_no": out_refund_no, "refund_id": r["refund_id"],
                    "refund_status": r["status"], "user_received_account": r["user_received_account"],
                    "amount": {"total": a["total"], "refund": a["refund"] if amount is None else amount,
                               "payer_total": a["payer_total"], "payer_refund": a["payer_refund"]}}
        if r.get("success_time"):
            resource["success_time"] = r["success_time"]
        return self._notification(f"REFUND.{r['status']}", "退款成功" if r["status"] == "SUCCESS" else "退款异常",
                                  "refund", out_refund_no, resource, forge=forge, serial=serial, age=age,
                                  bad_resource=bad_resource)

    def refund_notify(self, out_refund_no: str, status: str = "SUCCESS", **knobs) -> tuple[int, bytes]:
        return self._post(self.refunds[out_refund_no]["notify_url"],
                          *self.refund_notification(out_refund_no, status, **knobs))

    def _notification(self, event_type: str, summary: str, original_type: str, out_no: str, resource: dict, *,
                      forge: bool, serial: str | None, age: int, bad_resource: bool) -> tuple[dict[str, str], bytes]:
        nonce = secrets.token_hex(6)  # 12 bytes, as AES-GCM and WeChat use
        key = secrets.token_hex(16) if bad_resource else self.api_v3_key
        plain = json.dumps(resource, ensure_ascii=False).encode()
        ciphertext = AESGCM(key.encode()).encrypt(nonce.encode(), plain, original_type.encode())
        body = json.dumps({
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.url}/{event_type}/{out_no}")),
            "create_time": _now(), "resource_type": "encrypt-resource", "event_type": event_type,
            "summary": summary,
            "resource": {"original_type": original_type, "algorithm": "AEAD_AES_256_GCM",
                         "ciphertext": base64.b64encode(ciphertext).decode(), "associated_data": original_type,
                         "nonce": nonce}}, ensure_ascii=False)
        headers = self._signed_headers(body, int(time.time()) - age, _key() if forge else self.platform_key)
        if serial is not None:
            headers["Wechatpay-Serial"] = serial
        return headers | {"Content-Type": "application/json"}, body.encode()

    def _signed_headers(self, body: str, timestamp: int | None = None, key=None) -> dict[str, str]:
        timestamp = int(time.time()) if timestamp is None else timestamp
        nonce = secrets.token_hex(16)
        return {"Wechatpay-Serial": self.serial, "Wechatpay-Timestamp": str(timestamp), "Wechatpay-Nonce": nonce,
                "Wechatpay-Signature": _sign(key or self.platform_key, f"{timestamp}\n{nonce}\n{body}\n"),
                "Wechatpay-Signature-Type": SIGNATURE_TYPE}

    @staticmethod
    def _post(url: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    # -- the API ---------------------------------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        url = urlparse(h.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.requests.append((method, h.path))
        if url.path == "/h5/cashier":  # the payer's browser, not our server: no API signature
            return self._cashier(h, method, q, body)
        if not self._authorized(h, method, body):
            return self._answer(h, 401, {"code": "SIGN_ERROR", "message": "签名错误"})
        parts = url.path.strip("/").split("/")
        with self._lock:
            if method == "POST" and parts[:3] == ["v3", "pay", "transactions"] and len(parts) == 4:
                return self._prepay(h, parts[3], json.loads(body))
            if parts[:4] == ["v3", "pay", "transactions", "out-trade-no"] and len(parts) >= 5:
                t = self.transactions.get(parts[4])
                if t is None or q.get("mchid", self.mchid) != self.mchid:
                    return self._answer(h, 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
                if method == "GET" and len(parts) == 5:
                    return self._answer(h, 200, self._public(t))
                if method == "POST" and parts[5:] == ["close"]:
                    if t["trade_state"] in ("SUCCESS", "REFUND"):
                        return self._answer(h, 400, {"code": "ORDERPAID", "message": "订单已支付"})
                    t.update(trade_state="CLOSED", trade_state_desc="已关闭")
                    return self._answer(h, 204, None)
            if parts == ["v3", "refund", "domestic", "refunds"] and method == "POST":
                return self._refund(h, json.loads(body))
            if parts[:4] == ["v3", "refund", "domestic", "refunds"] and len(parts) == 5 and method == "GET":
                r = self.refunds.get(parts[4])
                if r is None:
                    return self._answer(h, 404, {"code": "RESOURCE_NOT_EXISTS", "message": "退款单不存在"})
                return self._answer(h, 200, {k: v for k, v in r.items() if k != "notify_url"})
            if url.path == "/v3/certificates" and self.mode == "platform_cert":
                return self._answer(h, 200, {"data": [self._encrypted_certificate()]})
            if url.path == "/v3/bill/tradebill":
                return self._trade_bill(h, q)
            if url.path == "/v3/billdownload/file" and q.get("token") in self.bills:
                data = self.bills[q["token"]]
                h.send_response(200)  # not signed: the announced hash is the check
                h.send_header("Content-Type", "application/octet-stream")
                h.send_header("Content-Length", str(len(data)))
                h.end_headers()
                h.wfile.write(data)
                return
        self._answer(h, 404, {"code": "NOT_FOUND", "message": "接口不存在"})

    def _authorized(self, h: BaseHTTPRequestHandler, method: str, body: bytes) -> bool:
        scheme, _, params = h.headers.get("Authorization", "").partition(" ")
        fields = dict(p.split("=", 1) for p in params.split(",") if "=" in p)
        fields = {k.strip(): v.strip().strip('"') for k, v in fields.items()}
        if scheme != SIGNATURE_TYPE or fields.get("mchid") != self.mchid or \
                fields.get("serial_no") != self.merchant_serial:
            return False
        try:
            if abs(time.time() - int(fields["timestamp"])) > 300:
                return False
            message = f"{method}\n{h.path}\n{fields['timestamp']}\n{fields['nonce_str']}\n{body.decode()}\n"
            self.merchant_key.public_key().verify(base64.b64decode(fields["signature"]), message.encode(),
                                                  padding.PKCS1v15(), hashes.SHA256())
        except (KeyError, ValueError, InvalidSignature):
            return False
        return True

    def _answer(self, h: BaseHTTPRequestHandler, status: int, payload: dict | None) -> None:
        text = "" if payload is None else json.dumps(payload, ensure_ascii=False)
        data = text.encode()
        h.send_response(status)
        for name, value in self._signed_headers(text).items():
            h.send_header(name, value)
        h.send_header("Request-ID", secrets.token_hex(16))
        if data:
            h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _prepay(self, h, trade_type: str, req: dict) -> None:
        if trade_type not in ("jsapi", "h5", "native"):
            return self._answer(h, 404, {"code": "NOT_FOUND", "message": "接口不存在"})
        amount = req.get("amount") or {}
        missing = [f for f in ("appid", "mchid", "description", "out_trade_no", "notify_url") if not req.get(f)]
        if trade_type == "jsapi" and not (req.get("payer") or {}).get("openid"):
            missing.append("payer.openid")
        if trade_type == "h5" and not (req.get("scene_info") or {}).get("h5_info"):
            missing.append("scene_info.h5_info")
        if missing or not isinstance(amount.get("total"), int) or amount["total"] <= 0:
            return self._answer(h, 400, {"code": "PARAM_ERROR", "message": f"参数错误 {missing or 'amount'}"})
        if req["mchid"] != self.mchid or req["appid"] != self.appid:
            return self._answer(h, 400, {"code": "APPID_MCHID_NOT_MATCH", "message": "appid和mch_id不匹配"})
        no = req["out_trade_no"]
        t = self.transactions.get(no)
        if t is not None and t["trade_state"] in ("SUCCESS", "REFUND"):
            return self._answer(h, 400, {"code": "ORDERPAID", "message": "该订单已支付"})
        if t is not None and (t["amount"]["total"] != amount["total"] or t["trade_type"] != trade_type.upper()):
            return self._answer(h, 400, {"code": "INVALID_REQUEST", "message": "201 商户订单号重复"})
        if t is None:
            t = self.transactions[no] = {
                "appid": req["appid"], "mchid": req["mchid"], "out_trade_no": no, "trade_type": trade_type.upper(),
                "trade_state": "NOTPAY", "trade_state_desc": "订单未支付", "description": req["description"],
                "notify_url": req["notify_url"], "time_expire": req.get("time_expire"),
                "prepay_id": "wx" + datetime.now(SHANGHAI).strftime("%d%H%M%S") + secrets.token_hex(12),
                "amount": {"total": amount["total"], "currency": amount.get("currency", "CNY")},
                "payer": req.get("payer")}
        if trade_type == "jsapi":
            return self._answer(h, 200, {"prepay_id": t["prepay_id"]})
        if trade_type == "h5":
            return self._answer(h, 200, {"h5_url": f"{self.url}/h5/cashier?prepay_id={t['prepay_id']}"})
        self._answer(h, 200, {"code_url": f"weixin://wxpay/bizpayurl?pr={t['prepay_id'][-7:]}"})

    @staticmethod
    def _public(t: dict) -> dict:
        return {k: v for k, v in t.items()
                if k not in ("notify_url", "prepay_id", "description", "time_expire") and v is not None}

    def _refund(self, h, req: dict) -> None:
        t = self.transactions.get(req.get("out_trade_no", ""))
        amount = req.get("amount") or {}
        if not req.get("out_refund_no") or not isinstance(amount.get("refund"), int) or amount["refund"] <= 0:
            return self._answer(h, 400, {"code": "PARAM_ERROR", "message": "参数错误"})
        if t is None:
            return self._answer(h, 404, {"code": "RESOURCE_NOT_EXISTS", "message": "订单不存在"})
        existing = self.refunds.get(req["out_refund_no"])
        if existing is not None:  # the same out_refund_no is the same refund, once
            return self._answer(h, 200, {k: v for k, v in existing.items() if k != "notify_url"})
        if t["trade_state"] not in ("SUCCESS", "REFUND"):
            return self._answer(h, 403, {"code": "TRADE_ERROR", "message": "订单状态不允许退款"})
        if amount.get("total") != t["amount"]["total"]:
            return self._answer(h, 400, {"code": "PARAM_ERROR", "message": "订单金额与原订单不一致"})
        refunded = sum(r["amount"]["refund"] for r in self.refunds.values()
                       if r["out_trade_no"] == t["out_trade_no"] and r["status"] != "CLOSED")
        if refunded + amount["refund"] > t["amount"]["total"]:
            return self._answer(h, 403, {"code": "NOT_ENOUGH", "message": "退款金额超过订单可退金额"})
        t.update(trade_state="REFUND", trade_state_desc="转入退款")
        r = self.refunds[req["out_refund_no"]] = {
            "refund_id": "50300" + secrets.token_hex(12)[:24], "out_refund_no": req["out_refund_no"],
            "transaction_id": t["transaction_id"], "out_trade_no": t["out_trade_no"], "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱", "create_time": _now(), "status": "PROCESSING",
            "funds_account": "AVAILABLE", "notify_url": req.get("notify_url"), "reason": req.get("reason"),
            "amount": {"total": t["amount"]["total"], "refund": amount["refund"], "payer_total": t["amount"]["total"],
                       "payer_refund": amount["refund"], "settlement_total": t["amount"]["total"],
                       "settlement_refund": amount["refund"], "discount_refund": 0, "currency": "CNY"}}
        self._answer(h, 200, {k: v for k, v in r.items() if k != "notify_url"})

    def _encrypted_certificate(self) -> dict:
        nonce = secrets.token_hex(6)
        pem = self.platform_cert.public_bytes(serialization.Encoding.PEM)
        ciphertext = AESGCM(self.api_v3_key.encode()).encrypt(nonce.encode(), pem, b"certificate")
        return {"serial_no": self.serial,
                "effective_time": self.platform_cert.not_valid_before_utc.astimezone(SHANGHAI).isoformat(),
                "expire_time": self.platform_cert.not_valid_after_utc.astimezone(SHANGHAI).isoformat(),
                "encrypt_certificate": {"algorithm": "AEAD_AES_256_GCM", "nonce": nonce,
                                        "associated_data": "certificate",
                                        "ciphertext": base64.b64encode(ciphertext).decode()}}

    # -- bills -----------------------------------------------------------------------------------

    def bill_text(self, bill_date: str, bill_type: str) -> str:
        """The day's bill as WeChat writes it: values prefixed with a backquote, amounts in yuan, fees
        with five decimals, then the summary."""
        rows, total, refund_total, fees = [], 0, 0, 0
        for t in self.transactions.values():
            if not t.get("success_time"):
                continue
            fee = round(t["amount"]["total"] * FEE_RATE)
            base = [t["success_time"][:19].replace("T", " "), t["appid"], t["mchid"], "0", "", t["transaction_id"],
                    t["out_trade_no"], t["payer"]["openid"], t["trade_type"]]
            if bill_type == "SUCCESS":
                if t["success_time"][:10] != bill_date:
                    continue
                total, fees = total + t["amount"]["total"], fees + fee
                rows.append(base + ["SUCCESS", "OTHERS", "CNY", _yuan(t["amount"]["total"]), "0.00",
                                    t["description"], "", _yuan(fee, 5), "0.60%", _yuan(t["amount"]["total"]), ""])
                continue
            for r in self.refunds.values():
                if r["out_trade_no"] != t["out_trade_no"] or (r.get("success_time") or "")[:10] != bill_date:
                    continue
                refund, refund_fee = r["amount"]["refund"], -round(r["amount"]["refund"] * FEE_RATE)
                refund_total, fees = refund_total + refund, fees + refund_fee
                rows.append(base + ["REFUND", "OTHERS", "CNY", "0.00", "0.00", r["create_time"][:19].replace("T", " "),
                                    r["success_time"][:19].replace("T", " "), r["refund_id"], r["out_refund_no"],
                                    _yuan(refund), "0.00", "ORIGINAL", r["status"], t["description"], "",
                                    _yuan(refund_fee, 5), "0.60%", _yuan(t["amount"]["total"]), _yuan(refund), ""])
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        out.write(BILL_HEADER[bill_type] + "\r\n")
        writer.writerows([["`" + v for v in row] for row in rows])
        out.write("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n")
        writer.writerow(["`" + v for v in (str(len(rows)), _yuan(total), _yuan(refund_total), "0.00", _yuan(fees, 5),
                                           _yuan(total), _yuan(refund_total))])
        return out.getvalue()

    def _trade_bill(self, h, q: dict) -> None:
        bill_type = q.get("bill_type", "ALL")
        if bill_type not in BILL_HEADER or not q.get("bill_date"):
            return self._answer(h, 400, {"code": "PARAM_ERROR", "message": "参数错误"})
        raw = self.bill_text(q["bill_date"], bill_type).encode()
        if raw.count(b"\r\n") == 3:  # header and summary only
            return self._answer(h, 400, {"code": "NO_STATEMENT_EXIST", "message": "账单文件不存在"})
        digest = hashlib.sha1(raw).hexdigest()
        if self.tamper_bills:  # the first line twice: still a well-formed bill, one payment more
            lines = raw.split(b"\r\n")
            raw = b"\r\n".join(lines[:2] + lines[1:])
        token = secrets.token_urlsafe(16)
        self.bills[token] = gzip.compress(raw) if q.get("tar_type") == "GZIP" else raw
        self._answer(h, 200, {"hash_type": "SHA1", "hash_value": digest,
                              "download_url": f"{self.url}/v3/billdownload/file?token={token}"})

    # -- the H5 cashier --------------------------------------------------------------------------

    def _cashier(self, h: BaseHTTPRequestHandler, method: str, q: dict, body: bytes) -> None:
        if method == "POST":
            q |= {k: v[0] for k, v in parse_qs(body.decode()).items()}
        t = next((t for t in self.transactions.values() if t["prepay_id"] == q.get("prepay_id")), None)
        if t is None:
            return self._page(h, 404, "<p>订单不存在</p>")
        redirect = q.get("redirect_url", "")
        if method == "GET":
            return self._page(h, 200, f"""
<h1>微信支付</h1><p>{html.escape(t["description"])}</p><p class="amount">¥{_yuan(t["amount"]["total"])}</p>
<form method="post">
<input type="hidden" name="prepay_id" value="{html.escape(t["prepay_id"])}">
<input type="hidden" name="redirect_url" value="{html.escape(redirect)}">
<button id="pay" name="action" value="pay">确认支付</button>
<button id="cancel" name="action" value="cancel">取消</button>
</form>""")
        if q.get("action") == "pay":
            self.notify(t["out_trade_no"])  # WeChat notifies our server before the browser comes back
        h.send_response(303)
        h.send_header("Location", redirect or "about:blank")
        h.send_header("Content-Length", "0")
        h.end_headers()

    @staticmethod
    def _page(h: BaseHTTPRequestHandler, status: int, content: str) -> None:
        data = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width"><title>微信支付</title></head>'
                f"<body>{content}</body></html>").encode()
        h.send_response(status)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)
