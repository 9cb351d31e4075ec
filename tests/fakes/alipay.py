"""A local stand-in for Alipay's open platform gateway (gateway.do), speaking its protocol with
RSA2 keys generated here: every request's signature (our app key) is checked; answers are JSON
`{"<method>_response": {...}, "sign": ...}` signed with "Alipay's" key over the inner object.

- alipay.trade.wap.pay / page.pay (the browser's GET): the cashier page, a "确认支付" button
  (id="pay") that pays the trade, posts the signed notification to notify_url and redirects the
  browser to return_url;
- alipay.trade.query / close / refund / fastpay.refund.query;
- alipay.data.dataservice.bill.downloadurl.query -> a zip of GBK CSV files (GBK names too).
Helpers: pay(), notify(..knobs), settings_env()."""
import base64
import html
import io
import json
import re
import secrets
import tempfile
import threading
import zipfile
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlparse
from zoneinfo import ZoneInfo

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

SHANGHAI = ZoneInfo("Asia/Shanghai")
AMOUNT = re.compile(r"(0|[1-9]\d*)(\.\d{1,2})?")
BILL_HEADER = ("支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,"
               "订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,"
               "券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注")


def bj(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def yuan(fen: int) -> str:
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def to_fen(text: str) -> int:
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def pem_private(key) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def pem_public(key) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def rsa2(key, text: str) -> str:
    return base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def fee(fen: int) -> int:
    return round(fen * 6 / 1000)  # a 0.6% rate


def signed_string(fields: dict, drop: tuple[str, ...]) -> str:
    return "&".join(f"{k}={v}" for k, v in sorted(fields.items()) if k not in drop)


class GbkName(zipfile.ZipInfo):
    """Alipay's zips name their files in GBK without the UTF-8 flag."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits


class FakeAlipay:
    def __init__(self, app_id: str = "2021000000000001", seller_id: str = "2088000000000001"):
        self.app_id, self.seller_id = app_id, seller_id
        self.app_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # ours
        self.alipay_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.dir = Path(tempfile.mkdtemp(prefix="fake-alipay-"))
        (self.dir / "app_private_key.pem").write_text(pem_private(self.app_key))
        (self.dir / "alipay_public_key.pem").write_text(pem_public(self.alipay_key))
        self.trades: dict[str, dict] = {}
        self.refunds: dict[tuple[str, str], dict] = {}
        self.bills: dict[str, bytes] = {}
        self.requests: list[dict] = []  # every verified request's fields
        self.refused: list[str] = []  # why requests were refused
        self.sent: list[tuple[str, bytes, int]] = []  # notifications posted: url, body, status
        self.refund_notify = True
        self.lock = threading.RLock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                if url.path.startswith("/bill/"):
                    data = fake.bills.get(url.path.removeprefix("/bill/"))
                    return self._send(200 if data else 404, data or b"", "application/zip")
                if url.path != "/gateway.do":
                    return self._send(404, b"not found", "text/plain")
                self._gateway(dict(parse_qsl(url.query, keep_blank_values=True)))

            def do_POST(self):
                url = urlparse(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                form = dict(parse_qsl(body, keep_blank_values=True))
                if url.path == "/cashier/pay":
                    return self._cashier_pay(form.get("out_trade_no", ""))
                if url.path != "/gateway.do":
                    return self._send(404, b"not found", "text/plain")
                self._gateway({**dict(parse_qsl(url.query, keep_blank_values=True)), **form})

            def _gateway(self, params: dict):
                method = params.get("method", "")
                problem = fake._check_request(params)
                if method in ("alipay.trade.wap.pay", "alipay.trade.page.pay"):
                    if problem:
                        return self._send(400, f"<h1>{html.escape(problem)}</h1>".encode(), "text/html")
                    return self._cashier(params)
                if problem:  # Alipay's refusals of unsigned or badly signed calls carry no sign
                    answer = {"code": "40002", "msg": "Invalid Arguments", "sub_code": problem}
                    return self._json(f'{{"{method.replace(".", "_")}_response":{json.dumps(answer)}}}')
                handler = fake.methods.get(method)
                answer = handler(json.loads(params["biz_content"])) if handler else {
                    "code": "40004", "msg": "Business Failed", "sub_code": "isv.invalid-method"}
                self._json(fake._signed_answer(method, answer))

            def _cashier(self, params: dict):
                biz = json.loads(params["biz_content"])
                total = biz.get("total_amount")
                if not isinstance(total, str) or not AMOUNT.fullmatch(total) or to_fen(total) <= 0:
                    return self._send(400, b"<h1>ACQ.INVALID_PARAMETER total_amount</h1>", "text/html")
                with fake.lock:
                    trade = fake.trades.setdefault(biz["out_trade_no"], {
                        "out_trade_no": biz["out_trade_no"], "total_amount": total, "subject": biz["subject"],
                        "time_expire": biz.get("time_expire"), "notify_url": params.get("notify_url"),
                        "return_url": params.get("return_url"), "trade_status": "WAIT_BUYER_PAY",
                        "trade_no": None, "gmt_create": datetime.now(UTC), "gmt_payment": None, "refunded": 0})
                if trade["total_amount"] != total:
                    return self._send(400, b"<h1>ACQ.CONTEXT_INCONSISTENT</h1>", "text/html")
                page = f"""<!doctype html><html><head><meta charset="utf-8"><title>支付宝收银台</title></head>
<body><h1>支付宝</h1><p id="subject">{html.escape(trade['subject'])}</p>
<p id="amount">¥{html.escape(total)}</p><p id="status">{trade['trade_status']}</p>
<form method="post" action="/cashier/pay"><input type="hidden" name="out_trade_no"
 value="{html.escape(trade['out_trade_no'])}"><button id="pay" type="submit">确认支付</button></form></body></html>"""
                self._send(200, page.encode(), "text/html; charset=utf-8")

            def _cashier_pay(self, out_trade_no: str):
                try:
                    trade = fake.pay(out_trade_no)
                except (KeyError, ValueError) as e:
                    return self._send(400, f"<h1>{html.escape(str(e))}</h1>".encode(), "text/html; charset=utf-8")
                fake.notify(out_trade_no)
                back = {"out_trade_no": out_trade_no, "trade_no": trade["trade_no"],
                        "total_amount": trade["total_amount"], "seller_id": fake.seller_id, "app_id": fake.app_id,
                        "method": "alipay.trade.wap.pay.return", "timestamp": bj(datetime.now(UTC)),
                        "charset": "utf-8", "version": "1.0", "sign_type": "RSA2"}
                back["sign"] = rsa2(fake.alipay_key, signed_string(back, ("sign", "sign_type")))
                target = trade["return_url"] or "about:blank"
                self.send_response(302)
                self.send_header("Location", target + ("&" if "?" in target else "?") + urlencode(back))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _json(self, text: str):
                self._send(200, text.encode(), "text/html;charset=utf-8")  # what Alipay actually sends

            def _send(self, status: int, data: bytes, media_type: str):
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.methods = {"alipay.trade.query": self._query, "alipay.trade.close": self._close,
                        "alipay.trade.refund": self._refund,
                        "alipay.trade.fastpay.refund.query": self._refund_query,
                        "alipay.data.dataservice.bill.downloadurl.query": self._bill_url}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.gateway = self.url + "/gateway.do"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()

    def settings_env(self) -> dict[str, str]:
        return {"ALIPAY_APP_ID": self.app_id, "ALIPAY_SELLER_ID": self.seller_id,
                "ALIPAY_PRIVATE_KEY_PATH": str(self.dir / "app_private_key.pem"),
                "ALIPAY_PUBLIC_KEY_PATH": str(self.dir / "alipay_public_key.pem"),
                "ALIPAY_GATEWAY": self.gateway}

    # -- the protocol -----------------------------------------------------------------------

    def _check_request(self, params: dict) -> str | None:
        """Why a request is refused, or None: app id, RSA2 signature over every other parameter
        (sign_type included), a Beijing timestamp within 15 minutes."""
        fields = dict(params)
        sign = fields.pop("sign", "")
        try:
            self.app_key.public_key().verify(base64.b64decode(sign), signed_string(fields, ()).encode(),
                                             padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError):
            self.refused.append("isv.invalid-signature")
            return "isv.invalid-signature"
        if fields.get("app_id") != self.app_id or fields.get("sign_type") != "RSA2":
            self.refused.append("isv.invalid-app-id")
            return "isv.invalid-app-id"
        try:
            sent = datetime.strptime(fields.get("timestamp", ""), "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
        except ValueError:
            sent = None
        if sent is None or abs(datetime.now(UTC) - sent) > timedelta(minutes=15):
            self.refused.append("isv.invalid-timestamp")
            return "isv.invalid-timestamp"
        self.requests.append(fields)
        return None

    def _signed_answer(self, method: str, answer: dict) -> str:
        inner = json.dumps(answer, ensure_ascii=False, separators=(",", ":"))
        return f'{{"{method.replace(".", "_")}_response":{inner},"sign":"{rsa2(self.alipay_key, inner)}"}}'

    @staticmethod
    def _failed(sub_code: str, sub_msg: str = "") -> dict:
        return {"code": "40004", "msg": "Business Failed", "sub_code": sub_code, "sub_msg": sub_msg}

    def _query(self, biz: dict) -> dict:
        trade = self.trades.get(biz.get("out_trade_no", ""))
        if trade is None:
            return self._failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
        answer = {"code": "10000", "msg": "Success", "out_trade_no": trade["out_trade_no"],
                  "trade_status": trade["trade_status"], "total_amount": trade["total_amount"],
                  "buyer_logon_id": "159****0000", "buyer_pay_amount": "0.00"}
        if trade["trade_no"]:
            answer.update(trade_no=trade["trade_no"], send_pay_date=bj(trade["gmt_payment"]),
                          buyer_pay_amount=trade["total_amount"])
        return answer

    def _close(self, biz: dict) -> dict:
        with self.lock:
            trade = self.trades.get(biz.get("out_trade_no", ""))
            if trade is None:
                return self._failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
            if trade["trade_status"] != "WAIT_BUYER_PAY":
                return self._failed("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
            trade["trade_status"] = "TRADE_CLOSED"
        return {"code": "10000", "msg": "Success", "out_trade_no": trade["out_trade_no"]}

    def _refund(self, biz: dict) -> dict:
        amount = biz.get("refund_amount")
        if not isinstance(amount, str) or not AMOUNT.fullmatch(amount) or to_fen(amount) <= 0:
            return self._failed("ACQ.INVALID_PARAMETER", "refund_amount")
        with self.lock:
            trade = self.trades.get(biz.get("out_trade_no", ""))
            if trade is None:
                return self._failed("ACQ.TRADE_NOT_EXIST", "交易不存在")
            key = (trade["out_trade_no"], biz.get("out_request_no") or trade["out_trade_no"])
            done = self.refunds.get(key)
            if done is not None:  # a retry of the same request: the same answer, no second refund
                if done["refund_amount"] != amount:
                    return self._failed("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额与原请求不一致")
                return {**done["answer"], "fund_change": "N"}
            if trade["trade_status"] not in ("TRADE_SUCCESS",):
                return self._failed("ACQ.TRADE_STATUS_ERROR", "交易状态不合法")
            if trade["refunded"] + to_fen(amount) > to_fen(trade["total_amount"]):
                return self._failed("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
            trade["refunded"] += to_fen(amount)
            if trade["refunded"] == to_fen(trade["total_amount"]):
                trade["trade_status"] = "TRADE_CLOSED"
            at = datetime.now(UTC)
            answer = {"code": "10000", "msg": "Success", "trade_no": trade["trade_no"],
                      "out_trade_no": trade["out_trade_no"], "buyer_logon_id": "159****0000",
                      "fund_change": "Y", "refund_fee": yuan(trade["refunded"]), "gmt_refund_pay": bj(at)}
            self.refunds[key] = {"out_trade_no": key[0], "out_request_no": key[1], "refund_amount": amount,
                                 "at": at, "answer": answer}
        if self.refund_notify and trade["notify_url"]:
            threading.Thread(target=self.notify, args=(key[0],), kwargs={"out_biz_no": key[1]}, daemon=True).start()
        return answer

    def _refund_query(self, biz: dict) -> dict:
        refund = self.refunds.get((biz.get("out_trade_no", ""), biz.get("out_request_no", "")))
        if refund is None:  # Alipay answers success without refund_status: not received / not done
            return {"code": "10000", "msg": "Success", "out_trade_no": biz.get("out_trade_no")}
        trade = self.trades[refund["out_trade_no"]]
        answer = {"code": "10000", "msg": "Success", "trade_no": trade["trade_no"],
                  "out_trade_no": trade["out_trade_no"], "out_request_no": refund["out_request_no"],
                  "total_amount": trade["total_amount"], "refund_amount": refund["refund_amount"],
                  "refund_status": "REFUND_SUCCESS"}
        if "gmt_refund_pay" in biz.get("query_options", []):
            answer["gmt_refund_pay"] = bj(refund["at"])
        return answer

    def _bill_url(self, biz: dict) -> dict:
        try:
            day = date.fromisoformat(biz.get("bill_date", ""))
        except ValueError:
            return self._failed("isv.invalid-parameter", "bill_date")
        if biz.get("bill_type") != "trade" or day > datetime.now(SHANGHAI).date():
            return self._failed("isp.bill_not_exist", "账单不存在")
        token = secrets.token_hex(8)
        self.bills[token] = self.bill_zip(day)
        return {"code": "10000", "msg": "Success", "bill_download_url": f"{self.url}/bill/{token}"}

    def bill_zip(self, day: date) -> bytes:
        """The day's (Beijing) 业务明细 and its 汇总, as Alipay lays them out."""
        rows, paid, refunded = [], [], []
        for t in self.trades.values():
            if t["gmt_payment"] and t["gmt_payment"].astimezone(SHANGHAI).date() == day:
                total = to_fen(t["total_amount"])
                paid.append(total)
                rows.append([t["trade_no"], t["out_trade_no"], "交易", t["subject"], bj(t["gmt_create"]),
                             bj(t["gmt_payment"]), "", "", "", "", "159****0000", t["total_amount"],
                             t["total_amount"], "0.00", "0.00", "0.00", "0.00", "0.00", "", "0.00", "0.00", "",
                             yuan(-fee(total)), "0.00", ""])
        for r in self.refunds.values():
            if r["at"].astimezone(SHANGHAI).date() == day:
                t, amount = self.trades[r["out_trade_no"]], to_fen(r["refund_amount"])
                refunded.append(amount)
                rows.append([t["trade_no"], t["out_trade_no"], "退款", t["subject"], bj(t["gmt_create"]), bj(r["at"]),
                             "", "", "", "", "159****0000", t["total_amount"], yuan(-amount), "0.00", "0.00",
                             "0.00", "0.00", "0.00", "", "0.00", "0.00", r["out_request_no"], yuan(fee(amount)),
                             "0.00", ""])
        stamp = f"{day:%Y年%m月%d日} 00:00:00"
        out = io.StringIO()
        out.write(f"#支付宝业务明细查询\r\n#账号：[{self.seller_id}0156]\r\n"
                  f"#起始日期：[{stamp}]   终止日期：[{day + timedelta(days=1):%Y年%m月%d日} 00:00:00]\r\n")
        out.write(BILL_HEADER + "\r\n")
        for row in rows:  # values end in a tab so that spreadsheets keep long numbers as text
            out.write(",".join(f'"{v}"' if "," in v else f"{v}\t" for v in row) + "\r\n")
        out.write("#-----------------------------------------业务明细列表结束------------------------------------\r\n"
                  f"#交易合计：{len(paid)}笔，商家实收共：{yuan(sum(paid))}元，商家优惠共：0.00元\r\n"
                  f"#退款合计：{len(refunded)}笔，商家实收退款共：{yuan(-sum(refunded))}元，商家优惠退款共：0.00元\r\n"
                  f"#导出时间：[{datetime.now(SHANGHAI):%Y年%m月%d日 %H:%M:%S}]\r\n")
        summary = (f"#支付宝业务汇总查询\r\n门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）\r\n"
                   f"合计,,{len(paid)},{len(refunded)},{yuan(sum(paid))},{yuan(sum(paid) - sum(refunded))}\r\n")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            prefix = f"{self.seller_id}0156_{day:%Y%m%d}"
            for name, text in ((f"{prefix}_业务明细.csv", out.getvalue()), (f"{prefix}_业务明细(汇总).csv", summary)):
                info = GbkName(name, date_time=datetime.now().timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, text.encode("gbk"))
        return buffer.getvalue()

    # -- test helpers -----------------------------------------------------------------------

    def pay(self, out_trade_no: str, at: datetime | None = None) -> dict:
        """The payer pays in the cashier; no notification is sent (the active-query path)."""
        with self.lock:
            trade = self.trades[out_trade_no]
            expires = trade["time_expire"] and datetime.strptime(trade["time_expire"], "%Y-%m-%d %H:%M:%S")
            if expires and expires.replace(tzinfo=SHANGHAI) < datetime.now(UTC):
                trade["trade_status"] = "TRADE_CLOSED"
            if trade["trade_status"] != "WAIT_BUYER_PAY":
                raise ValueError(f"trade is {trade['trade_status']}")
            trade.update(trade_status="TRADE_SUCCESS", gmt_payment=at or datetime.now(UTC),
                         trade_no=f"{datetime.now(SHANGHAI):%Y%m%d}2200{secrets.randbelow(10**14):014d}")
            return trade

    def notify(self, out_trade_no: str, *, post: bool = True, forge: bool = False, age: timedelta = timedelta(0),
               out_biz_no: str | None = None, **overrides: str) -> bytes:
        """The asynchronous notification for a trade (a refund's with out_biz_no), signed by
        "Alipay"; knobs: forge (signed with another key), age (notify_time in the past),
        overrides of any field (total_amount="12.3456", seller_id=..., trade_status=...; None
        removes one), applied before signing. Posted to notify_url unless post=False."""
        trade = self.trades[out_trade_no]
        now = datetime.now(UTC)
        fields = {"notify_time": bj(now - age), "notify_type": "trade_status_sync",
                  "notify_id": secrets.token_hex(16), "charset": "utf-8", "version": "1.0", "sign_type": "RSA2",
                  "app_id": self.app_id, "auth_app_id": self.app_id, "seller_id": self.seller_id,
                  "trade_no": trade["trade_no"] or "", "out_trade_no": out_trade_no,
                  "trade_status": trade["trade_status"], "total_amount": trade["total_amount"],
                  "receipt_amount": trade["total_amount"], "buyer_id": "2088102177846880",
                  "subject": trade["subject"], "gmt_create": bj(trade["gmt_create"])}
        if trade["gmt_payment"]:
            fields["gmt_payment"] = bj(trade["gmt_payment"])
        if out_biz_no:
            refund = self.refunds[(out_trade_no, out_biz_no)]
            fields.update(out_biz_no=out_biz_no, refund_fee=yuan(trade["refunded"]), gmt_refund=bj(refund["at"]))
        for key, value in overrides.items():
            if value is None:
                fields.pop(key, None)
            else:
                fields[key] = value
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if forge else self.alipay_key
        fields["sign"] = rsa2(key, signed_string(fields, ("sign", "sign_type")))
        body = urlencode(fields).encode()
        if post and trade["notify_url"]:
            try:
                status = httpx.post(trade["notify_url"], content=body, timeout=10, headers={
                    "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}).status_code
            except httpx.HTTPError:
                status = 0
            self.sent.append((trade["notify_url"], body, status))
        return body
