"""A local stand-in for the UnionPay online gateway (interface 5.1.0), with a PKI made here:
a root CA, an intermediate, UnionPay's signing certificate (CN 041@...@中国银联股份有限公司@...)
and our merchant PKCS#12; plus untrusted look-alikes for negative tests.

- POST /gateway/api/frontTransReq.do (the browser's auto-posted form): the cashier page, a
  "确认支付" button (id="pay") that pays, posts the signed notification to backUrl and sends the
  browser to frontUrl;
- POST /gateway/api/backTransReq.do: 退货 (txnType 04), notified to its backUrl;
- POST /gateway/api/queryTrans.do: 查询 (txnType 00) by orderId + txnTime;
- POST /filedownload: 文件传输 (txnType 76), the day's zip (ZM file) deflated in base64.
Every request's signature is checked against the merchant certificate named by certId; answers
are k=v&k=v (raw values) signed with signPubKeyCert. Helpers: pay(), notify(..knobs),
settings_env()."""
import base64
import hashlib
import html
import io
import secrets
import tempfile
import threading
import zipfile
import zlib
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlparse
from zoneinfo import ZoneInfo

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

SHANGHAI = ZoneInfo("Asia/Shanghai")
UNIONPAY = "中国银联股份有限公司"
ZM_WIDTHS = (3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15)


def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def issue(cn: str, subject_key, issuer: x509.Certificate | None, issuer_key, *, ca: bool,
          not_after: datetime | None = None) -> x509.Certificate:
    now = datetime.now(UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "China UnionPay"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    return (x509.CertificateBuilder().subject_name(name)
            .issuer_name(issuer.subject if issuer else name).public_key(subject_key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(not_after or now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(issuer_key, hashes.SHA256()))


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def signing_input(fields: dict) -> bytes:
    text = "&".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "signature")
    return hashlib.sha256(text.encode()).hexdigest().encode()


def bj(moment: datetime, fmt: str = "%Y%m%d%H%M%S") -> str:
    return moment.astimezone(SHANGHAI).strftime(fmt)


class FakeUnionPay:
    def __init__(self, mer_id: str = "777290058110097", password: str = "000000"):
        self.mer_id, self.password = mer_id, password
        self.root_key, self.middle_key, self.sign_key, self.merchant_key = key(), key(), key(), key()
        self.root = issue("CFCA TEST CS CA", self.root_key, None, self.root_key, ca=True)
        self.middle = issue("CFCA TEST OCA1", self.middle_key, self.root, self.root_key, ca=True)
        self.sign_cert = issue(f"041@Z12@{UNIONPAY}@00000002", self.sign_key, self.middle, self.middle_key, ca=False)
        self.merchant_cert = issue(f"041@Z{mer_id}@{mer_id}@00000001", self.merchant_key, self.middle,
                                   self.middle_key, ca=False)
        # Untrusted look-alikes: UnionPay's name under a rogue chain, another company under the
        # genuine intermediate, UnionPay's name expired.
        rogue_root_key, rogue_middle_key = key(), key()
        rogue_root = issue("CFCA TEST CS CA", rogue_root_key, None, rogue_root_key, ca=True)
        rogue_middle = issue("CFCA TEST OCA1", rogue_middle_key, rogue_root, rogue_root_key, ca=True)
        self.impostors: dict[str, tuple] = {}
        for knob, issuer, issuer_key, cn, not_after in (
                ("rogue", rogue_middle, rogue_middle_key, f"041@Z12@{UNIONPAY}@00000002", None),
                ("wrong_subject", self.middle, self.middle_key, "041@Z12@某某支付有限公司@00000002", None),
                ("wrong_position", self.middle, self.middle_key, f"041@{UNIONPAY}@Z12@00000002", None),
                ("expired", self.middle, self.middle_key, f"041@Z12@{UNIONPAY}@00000002",
                 datetime.now(UTC) - timedelta(hours=1))):
            impostor_key = key()
            self.impostors[knob] = (impostor_key, issue(cn, impostor_key, issuer, issuer_key, ca=False,
                                                        not_after=not_after))
        self.dir = Path(tempfile.mkdtemp(prefix="fake-unionpay-"))
        (self.dir / "root.cer").write_text(pem(self.root))
        (self.dir / "middle.cer").write_text(pem(self.middle))
        (self.dir / "merchant.pfx").write_bytes(pkcs12.serialize_key_and_certificates(
            b"merchant", self.merchant_key, self.merchant_cert, None,
            serialization.BestAvailableEncryption(password.encode())))
        self.txns: dict[str, dict] = {}  # by orderId: payments and refunds
        self.requests: list[dict] = []
        self.refused: list[str] = []
        self.sent: list[tuple[str, bytes, int]] = []
        self.answer_signer = "genuine"  # or an impostor's knob: who signs the synchronous answers
        self.lock = threading.RLock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                path = urlparse(self.path).path
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                form = dict(parse_qsl(body, keep_blank_values=True))
                if path == "/cashier/pay":
                    return self._cashier_pay(form.get("orderId", ""))
                route = {"/gateway/api/frontTransReq.do": ("01",), "/gateway/api/backTransReq.do": ("04",),
                         "/gateway/api/queryTrans.do": ("00",), "/filedownload": ("76",)}.get(path)
                if route is None:
                    return self._send(404, b"not found", "text/plain")
                problem = fake._check_request(form, route)
                if path.endswith("frontTransReq.do"):
                    if problem:
                        return self._send(400, f"<h1>{html.escape(problem)}</h1>".encode(), "text/html; charset=utf-8")
                    return self._cashier(form)
                if problem:  # refusals of what cannot be verified come unsigned
                    return self._send(200, f"respCode=11&respMsg={problem}".encode(), "text/plain;charset=UTF-8")
                answer = {"01": None, "04": fake._refund, "00": fake._query, "76": fake._file}[route[0]](form)
                self._send(200, fake.answer(answer).encode(), "text/plain;charset=UTF-8")

            def _cashier(self, form: dict):
                with fake.lock:
                    txn = fake.txns.setdefault(form["orderId"], {
                        "txnType": "01", "orderId": form["orderId"], "txnTime": form["txnTime"],
                        "txnAmt": form["txnAmt"], "backUrl": form.get("backUrl"), "frontUrl": form.get("frontUrl"),
                        "payTimeout": form.get("payTimeout"), "paid": False, "queryId": None, "at": None,
                        "refunded": 0})
                if (txn["txnTime"], txn["txnAmt"]) != (form["txnTime"], form["txnAmt"]):
                    return self._send(400, "<h1>12 重复交易</h1>".encode(), "text/html; charset=utf-8")
                page = f"""<!doctype html><html><head><meta charset="utf-8"><title>银联在线支付</title></head>
<body><h1>银联在线支付</h1><p id="amount">¥{int(txn['txnAmt']) / 100:.2f}</p>
<form method="post" action="/cashier/pay"><input type="hidden" name="orderId" value="{html.escape(txn['orderId'])}">
<button id="pay" type="submit">确认支付</button></form></body></html>"""
                self._send(200, page.encode(), "text/html; charset=utf-8")

            def _cashier_pay(self, order_id: str):
                try:
                    txn = fake.pay(order_id)
                except (KeyError, ValueError) as e:
                    return self._send(400, f"<h1>{html.escape(str(e))}</h1>".encode(), "text/html; charset=utf-8")
                fake.notify(order_id)
                # UnionPay posts signed fields to frontUrl; our return page reads our own API,
                # so a plain redirect carries the payer back.
                self.send_response(303)
                self.send_header("Location", txn["frontUrl"] or "about:blank")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _send(self, status: int, data: bytes, media_type: str):
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()

    def settings_env(self) -> dict[str, str]:
        return {"UNIONPAY_MER_ID": self.mer_id, "UNIONPAY_SIGN_CERT_PATH": str(self.dir / "merchant.pfx"),
                "UNIONPAY_SIGN_CERT_PASSWORD": self.password,
                "UNIONPAY_ROOT_CERT_PATH": str(self.dir / "root.cer"),
                "UNIONPAY_MIDDLE_CERT_PATH": str(self.dir / "middle.cer"),
                "UNIONPAY_FRONT_URL": self.url + "/gateway/api/frontTransReq.do",
                "UNIONPAY_BACK_URL": self.url + "/gateway/api/backTransReq.do",
                "UNIONPAY_QUERY_URL": self.url + "/gateway/api/queryTrans.do",
                "UNIONPAY_FILE_URL": self.url + "/filedownload"}

    # -- the protocol -----------------------------------------------------------------------

    def _check_request(self, form: dict, txn_types: tuple[str, ...]) -> str | None:
        problem = None
        if str(self.merchant_cert.serial_number) != form.get("certId"):
            problem = "unknown certId"
        else:
            try:
                self.merchant_cert.public_key().verify(base64.b64decode(form.get("signature", "")),
                                                       signing_input(form), padding.PKCS1v15(), hashes.SHA256())
            except (InvalidSignature, ValueError):
                problem = "验证签名失败"
        if not problem and (form.get("version"), form.get("signMethod"), form.get("merId")) != (
                "5.1.0", "01", self.mer_id):
            problem = "version, signMethod or merId"
        if not problem and form.get("txnType") not in txn_types:
            problem = "txnType"
        if not problem and form.get("txnAmt") is not None and not form["txnAmt"].isdigit():
            problem = "txnAmt"
        if problem:
            self.refused.append(problem)
        else:
            self.requests.append(form)
        return problem

    def answer(self, fields: dict) -> str:
        return "&".join(f"{k}={v}" for k, v in self.signed(fields, self.answer_signer).items())

    def signed(self, fields: dict, signer: str = "genuine", forge: bool = False, overrides: dict | None = None) -> dict:
        sign_key, cert = (self.sign_key, self.sign_cert) if signer == "genuine" else self.impostors[signer]
        fields = {"version": "5.1.0", "encoding": "UTF-8", "signMethod": "01", "signPubKeyCert": pem(cert), **fields}
        for name, value in (overrides or {}).items():
            if value is None:
                fields.pop(name, None)
            else:
                fields[name] = value
        signature = (key() if forge else sign_key).sign(signing_input(fields), padding.PKCS1v15(), hashes.SHA256())
        return {**fields, "signature": base64.b64encode(signature).decode()}

    def _common(self, form: dict) -> dict:
        return {k: form[k] for k in ("bizType", "txnType", "txnSubType", "accessType", "merId", "orderId",
                                     "txnTime") if k in form}

    def _query(self, form: dict) -> dict:
        txn = self.txns.get(form.get("orderId", ""))
        if txn is None or txn["txnTime"] != form.get("txnTime") or not txn["paid"]:
            return {**self._common(form), "respCode": "34", "respMsg": "查无此交易"}
        return {**self._common(form), "respCode": "00", "respMsg": "成功[0000000]", "origRespCode": "00",
                "origRespMsg": "成功[0000000]", "queryId": txn["queryId"], "txnAmt": txn["txnAmt"],
                "currencyCode": "156", "traceTime": bj(txn["at"], "%m%d%H%M%S"), "settleDate": bj(txn["at"], "%m%d")}

    def _refund(self, form: dict) -> dict:
        common = self._common(form)
        with self.lock:
            if form.get("orderId") in self.txns:
                return {**common, "respCode": "12", "respMsg": "重复交易"}
            paid = next((t for t in self.txns.values() if t["queryId"] == form.get("origQryId")
                         and t["txnType"] == "01"), None)
            if paid is None:
                return {**common, "respCode": "35", "respMsg": "原交易不存在"}
            amount = int(form["txnAmt"])
            if paid["refunded"] + amount > int(paid["txnAmt"]):
                return {**common, "respCode": "13", "respMsg": "退货金额超限"}
            paid["refunded"] += amount
            at = datetime.now(UTC)
            self.txns[form["orderId"]] = {
                "txnType": "04", "orderId": form["orderId"], "txnTime": form["txnTime"], "txnAmt": form["txnAmt"],
                "backUrl": form.get("backUrl"), "origQryId": paid["queryId"], "paid": True, "at": at,
                "queryId": self._query_id(at), "refunded": 0}
        threading.Thread(target=self.notify, args=(form["orderId"],), daemon=True).start()
        return {**common, "respCode": "00", "respMsg": "成功[0000000]", "queryId": self.txns[form["orderId"]]["queryId"],
                "origQryId": paid["queryId"], "txnAmt": form["txnAmt"]}

    def _file(self, form: dict) -> dict:
        today = datetime.now(SHANGHAI).date()
        settle = date(today.year, int(form["settleDate"][:2]), int(form["settleDate"][2:]))
        if settle > today:
            settle = settle.replace(year=today.year - 1)
        if settle == today:  # the day's file exists once the day is settled
            return {**self._common(form), "respCode": "98", "respMsg": "文件不存在"}
        zip_name = f"{self.mer_id}_{settle:%Y%m%d}.zip"
        content = base64.b64encode(zlib.compress(self.bill_zip(settle))).decode()
        return {**self._common(form), "respCode": "00", "respMsg": "成功[0000000]", "settleDate": form["settleDate"],
                "fileType": "00", "fileName": zip_name, "fileContent": content}

    def bill_zip(self, day: date) -> bytes:
        """The ZM file of the transactions settled on `day` (in the fake: done that day, Beijing)."""
        rows = []
        for t in self.txns.values():
            if not t["paid"] or t["at"].astimezone(SHANGHAI).date() != day:
                continue
            fee = round(int(t["txnAmt"]) * 5 / 1000)
            values = ["S22" if t["txnType"] == "01" else "S30", "00049992900", "00049992900", t["queryId"][-6:],
                      bj(t["at"], "%m%d%H%M%S"), "6216***********0018", f"{int(t['txnAmt']):012d}", "5411", "07",
                      t["queryId"], "00", t["orderId"], "01", "", "", ("D" if t["txnType"] == "01" else "C") +
                      f"{fee:012d}", "C" + f"{int(t['txnAmt']) - fee:012d}", "0001", "", t["txnType"], "00",
                      "000201", "01", "", "", "0", t.get("origQryId", ""), self.mer_id]
            rows.append(b" ".join(v.encode("gbk").ljust(w) for v, w in zip(values, ZM_WIDTHS)) + b" " + b" " * 131)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"INN{day:%y%m%d}88ZM_{self.mer_id}", b"\r\n".join(rows) + b"\r\n")
            archive.writestr(f"INN{day:%y%m%d}88ER_{self.mer_id}", b"")  # the (empty) error-transactions file
        return buffer.getvalue()

    @staticmethod
    def _query_id(at: datetime) -> str:
        return bj(at) + f"{secrets.randbelow(10**7):07d}"  # 21 digits, as UnionPay's

    # -- test helpers -----------------------------------------------------------------------

    def pay(self, order_id: str, at: datetime | None = None) -> dict:
        """The payer pays; no notification is sent (the active-query path)."""
        with self.lock:
            txn = self.txns[order_id]
            if txn["paid"]:
                raise ValueError("already paid")
            if txn["payTimeout"] and datetime.strptime(txn["payTimeout"], "%Y%m%d%H%M%S").replace(
                    tzinfo=SHANGHAI) < datetime.now(UTC):
                raise ValueError("payTimeout passed")
            txn.update(paid=True, at=at or datetime.now(UTC), queryId=self._query_id(at or datetime.now(UTC)))
            return txn

    def notify(self, order_id: str, *, post: bool = True, forge: bool = False, cert: str = "genuine",
               age: timedelta = timedelta(0), **overrides: str) -> bytes:
        """The backUrl notification of a payment or refund, signed by "UnionPay"; knobs: forge
        (another key behind the genuine certificate), cert ("rogue", "wrong_subject",
        "wrong_position", "expired"), age (txnTime in the past), overrides of any field
        (txnAmt="12.3456", merId=...; None removes one), applied before signing."""
        txn = self.txns[order_id]
        fields = {"bizType": "000201", "txnType": txn["txnType"], "txnSubType": "01" if txn["txnType"] == "01" else "00",
                  "accessType": "0", "merId": self.mer_id, "orderId": order_id,
                  "txnTime": txn["txnTime"], "txnAmt": txn["txnAmt"], "currencyCode": "156",
                  "queryId": txn["queryId"] or "", "respCode": "00", "respMsg": "成功[0000000]",
                  "traceNo": (txn["queryId"] or "000000")[-6:], "traceTime": bj(txn["at"] or datetime.now(UTC),
                                                                                 "%m%d%H%M%S"),
                  "settleAmt": txn["txnAmt"], "settleCurrencyCode": "156",
                  "settleDate": bj(txn["at"] or datetime.now(UTC), "%m%d")}
        if age:  # txnTime is Beijing wall time: shift it as such
            shifted = datetime.strptime(txn["txnTime"], "%Y%m%d%H%M%S") - age
            fields["txnTime"] = shifted.strftime("%Y%m%d%H%M%S")
        if txn.get("origQryId"):
            fields["origQryId"] = txn["origQryId"]
        body = urlencode(self.signed(fields, cert, forge, overrides)).encode()
        if post and txn["backUrl"]:
            try:
                status = httpx.post(txn["backUrl"], content=body, timeout=10, headers={
                    "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}).status_code
            except httpx.HTTPError:
                status = 0
            self.sent.append((txn["backUrl"], body, status))
        return body
