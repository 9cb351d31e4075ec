"""Alipay open platform (RSA2) through python-alipay-sdk: wap / page pay, trade query and close,
refund and refund query, the daily bill; notifications verified with Alipay's public key.

The SDK is synchronous (urllib): its calls run in a worker thread. Amounts cross the wire as
"12.34" strings made by `yuan()`; anything else Alipay sends us as an amount is refused."""
import asyncio
import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.error import URLError
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import httpx
from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError
from alipay.utils import AliPayConfig

from anjia.providers.payments.base import (
    BillLine,
    Charge,
    Checkout,
    EventStatus,
    NotificationRejected,
    NotifyReply,
    ProviderError,
    ProviderEvent,
    fen,
    yuan,
)

GATEWAY = "https://openapi.alipay.com/gateway.do"
SHANGHAI = ZoneInfo("Asia/Shanghai")  # Alipay's times carry no zone: they are Beijing time
NOTIFY_WINDOW = timedelta(minutes=5)
AMOUNT = re.compile(r"(0|[1-9]\d{0,10})\.\d\d")  # Alipay always sends two decimals
TRADE_STATUS: dict[str, EventStatus] = {
    "TRADE_SUCCESS": "succeeded", "TRADE_FINISHED": "succeeded",
    "TRADE_CLOSED": "closed", "WAIT_BUYER_PAY": "pending",
}
PRODUCT = {"h5": ("alipay.trade.wap.pay", "QUICK_WAP_WAY"),
           "page": ("alipay.trade.page.pay", "FAST_INSTANT_TRADE_PAY")}
RETRYABLE = {"20000", "ACQ.SYSTEM_ERROR", "isp.unknow-error", "isp.bill_not_exist"}


def amount(text: object) -> int:
    """An Alipay amount ("12.34") in fen; floats, exponents and extra decimals are refused."""
    if not isinstance(text, str) or not AMOUNT.fullmatch(text):
        raise ValueError(f"not an Alipay amount: {text!r}")
    return fen(text)


def beijing(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def utc(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI).astimezone(UTC)


def from_settings(settings) -> "Alipay":
    if not settings.alipay_app_id:
        raise ValueError("Alipay is enabled but not configured: ALIPAY_APP_ID is empty")
    return Alipay(app_id=settings.alipay_app_id, seller_id=settings.alipay_seller_id,
                  private_key=Path(settings.alipay_private_key_path).read_text(),
                  alipay_public_key=Path(settings.alipay_public_key_path).read_text(),
                  gateway=settings.alipay_gateway)


class Alipay:
    name = "alipay"
    channels = ("h5", "page")

    def __init__(self, *, app_id: str, private_key: str, alipay_public_key: str, seller_id: str,
                 gateway: str = GATEWAY, timeout: float = 15):
        self.app_id, self.merchant_id, self.gateway = app_id, seller_id, gateway
        self._sdk = AliPay(appid=app_id, app_private_key_string=private_key,
                           alipay_public_key_string=alipay_public_key, sign_type="RSA2",
                           config=AliPayConfig(timeout=timeout))
        self._sdk._gateway = gateway  # the SDK knows only the production and sandbox URLs

    async def create(self, charge: Charge) -> Checkout:
        if charge.channel not in PRODUCT or charge.amount <= 0:
            raise ProviderError("invalid_request", f"{charge.channel} / {charge.amount}", retryable=False)
        method, product = PRODUCT[charge.channel]
        biz = {"out_trade_no": charge.out_trade_no, "total_amount": yuan(charge.amount),
               "subject": charge.description, "product_code": product,
               "time_expire": beijing(charge.expires_at)}
        # The SDK stamps local time; Alipay expects Beijing time whatever the server's zone.
        query = self._sdk.client_api(method, biz, return_url=charge.return_url, notify_url=charge.notify_url,
                                     timestamp=beijing(datetime.now(UTC)))
        return Checkout(kind="redirect", url=f"{self.gateway}?{query}")

    async def verify_notification(self, headers: dict[str, str], body: bytes) -> ProviderEvent:
        try:
            fields = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
        except (UnicodeDecodeError, ValueError):
            raise NotificationRejected("not a form") from None
        sign = fields.pop("sign", "")
        try:  # the SDK drops sign_type from the signed string and refuses one that is not RSA2
            ok = bool(sign) and self._sdk.verify(dict(fields), sign)
        except Exception:  # malformed base64 or sign type: as untrusted as a wrong signature
            ok = False
        if not ok:
            raise NotificationRejected("bad signature")
        try:
            sent = utc(fields.get("notify_time"))
        except ValueError:
            sent = None
        now = datetime.now(UTC)
        if sent is None or not now - NOTIFY_WINDOW <= sent <= now + NOTIFY_WINDOW:
            raise NotificationRejected(f"notify_time outside the window: {fields.get('notify_time')!r}")
        common = dict(external_id=fields.get("trade_no"), notification_id=fields.get("notify_id"),
                      merchant_id=fields.get("seller_id"), app_id=fields.get("app_id"), raw=fields)
        if fields.get("out_biz_no"):
            # A refund's notification: out_biz_no is our out_refund_no (out_request_no); its
            # refund_fee is the trade's refunded total so far, not this refund's amount.
            return ProviderEvent(kind="refund", out_no=fields["out_biz_no"], status="succeeded",
                                 at=utc(fields.get("gmt_refund")), **common)
        status = TRADE_STATUS.get(fields.get("trade_status", ""))
        if status is None or not fields.get("out_trade_no"):
            raise NotificationRejected(f"unknown trade_status {fields.get('trade_status')!r}")
        try:
            paid = amount(fields.get("total_amount"))
        except ValueError as e:
            raise NotificationRejected(str(e)) from None
        return ProviderEvent(kind="payment", out_no=fields["out_trade_no"], status=status, amount=paid,
                             at=utc(fields.get("gmt_payment")), **common)

    def reply(self, ok: bool, message: str = "") -> NotifyReply:
        # Anything but the bare word "success" makes Alipay notify again later.
        return NotifyReply(200, b"success" if ok else b"fail", "text/plain")

    async def _call(self, method: str, biz: dict, tolerate: tuple[str, ...] = ()) -> dict:
        """One signed gateway call; the answer's signature is checked by the SDK."""
        try:
            answer = await asyncio.to_thread(self._sdk.server_api, method, biz,
                                             timestamp=beijing(datetime.now(UTC)))
        except AliPayValidationError:
            raise ProviderError("bad_response_signature", method) from None
        except AliPayException as e:  # an unsigned refusal (bad signature, unknown app)
            code = getattr(e, "_AliPayException__code", "")  # the SDK keeps it name-mangled
            raise ProviderError(str(code), str(e)[:300], retryable=False) from None
        except (URLError, OSError, ValueError) as e:
            raise ProviderError("unreachable", f"{method}: {e}") from None
        code = answer.get("sub_code") or answer.get("code", "")
        if answer.get("code") != "10000" and code not in tolerate:
            raise ProviderError(code, answer.get("sub_msg") or answer.get("msg", ""), retryable=code in RETRYABLE)
        return answer

    async def query(self, out_trade_no: str, **_) -> ProviderEvent:
        r = await self._call("alipay.trade.query", {"out_trade_no": out_trade_no}, ("ACQ.TRADE_NOT_EXIST",))
        # Signed answers about our own app's trades: the merchant is ours by construction.
        common = dict(merchant_id=self.merchant_id, app_id=self.app_id, raw=r)
        if r.get("sub_code") == "ACQ.TRADE_NOT_EXIST":  # the payer never opened the cashier
            return ProviderEvent(kind="payment", out_no=out_trade_no, status="pending", **common)
        status = TRADE_STATUS.get(r.get("trade_status", ""))
        if status is None:
            raise ProviderError("unknown_trade_status", str(r.get("trade_status")), retryable=False)
        try:
            paid = amount(r.get("total_amount"))
        except ValueError as e:
            raise ProviderError("bad_amount", str(e), retryable=False) from None
        return ProviderEvent(kind="payment", out_no=out_trade_no, status=status, amount=paid,
                             external_id=r.get("trade_no"), at=utc(r.get("send_pay_date")), **common)

    async def close(self, out_trade_no: str) -> None:
        # Never opened: nothing to close, and time_expire keeps it from being paid later.
        await self._call("alipay.trade.close", {"out_trade_no": out_trade_no}, ("ACQ.TRADE_NOT_EXIST",))

    async def refund(self, *, out_refund_no: str, out_trade_no: str, amount: int, total: int,
                     reason: str, notify_url: str, **_) -> ProviderEvent:
        # Alipay has no per-refund notify_url: refund notifications go to the payment's notify_url.
        if not 0 < amount <= total:
            raise ProviderError("invalid_amount", f"{amount} of {total}", retryable=False)
        r = await self._call("alipay.trade.refund", {
            "out_trade_no": out_trade_no, "refund_amount": yuan(amount),
            "out_request_no": out_refund_no, "refund_reason": reason})
        # Accepted is not refunded: refund.query's REFUND_SUCCESS is the word that counts.
        return ProviderEvent(kind="refund", out_no=out_refund_no, status="refunding", amount=amount,
                             external_id=r.get("trade_no"), merchant_id=self.merchant_id,
                             app_id=self.app_id, raw=r)

    async def query_refund(self, out_refund_no: str, out_trade_no: str, **_) -> ProviderEvent:
        r = await self._call("alipay.trade.fastpay.refund.query", {
            "out_trade_no": out_trade_no, "out_request_no": out_refund_no,
            "query_options": ["gmt_refund_pay"]})
        common = dict(kind="refund", out_no=out_refund_no, merchant_id=self.merchant_id,
                      app_id=self.app_id, external_id=r.get("trade_no"), raw=r)
        if r.get("refund_status") != "REFUND_SUCCESS":
            # Not (yet) received or not done: retrying refund() with the same number is safe.
            return ProviderEvent(status="pending", **common)
        try:
            refunded = amount(r.get("refund_amount"))
        except ValueError as e:
            raise ProviderError("bad_amount", str(e), retryable=False) from None
        return ProviderEvent(status="succeeded", amount=refunded, at=utc(r.get("gmt_refund_pay")), **common)

    async def bill(self, day: date) -> list[BillLine]:
        r = await self._call("alipay.data.dataservice.bill.downloadurl.query",
                             {"bill_type": "trade", "bill_date": day.isoformat()})
        try:
            async with httpx.AsyncClient(timeout=60) as client:
                response = await client.get(r["bill_download_url"])
                response.raise_for_status()
        except httpx.HTTPError as e:
            raise ProviderError("bill_download", str(e)) from None
        return parse_bill(response.content)


def parse_bill(data: bytes) -> list[BillLine]:
    """The 业务明细 CSV files of Alipay's bill zip (GBK, names too), minus the '#' summary lines
    above and below the table. Values carry trailing tabs (kept there against spreadsheet
    reformatting). Fees are made positive when charged and negative when given back."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data), metadata_encoding="gbk")
    except zipfile.BadZipFile:
        raise ProviderError("bad_bill", "not a zip", retryable=False) from None
    lines: list[BillLine] = []
    with archive:
        for name in archive.namelist():
            if "业务明细" not in name or "汇总" in name:
                continue
            text = archive.read(name).decode("gbk")
            rows = csv.reader(line for line in text.splitlines() if line.strip() and not line.startswith("#"))
            header = [h.strip() for h in next(rows, [])]
            for values in rows:
                row = dict(zip(header, (v.strip() for v in values)))
                kind = {"交易": "payment", "退款": "refund"}.get(row.get("业务类型", ""))
                if kind is None:
                    continue
                fee = abs(fen(row.get("服务费（元）") or "0"))
                if kind == "payment":
                    out_no, paid, fee = row["商户订单号"], fen(row["订单金额（元）"]), fee
                else:  # a refund row: its own request number; what left the merchant is the amount
                    out_no, paid, fee = row["退款批次号/请求号"], abs(fen(row["商家实收（元）"])), -fee
                lines.append(BillLine(kind=kind, out_no=out_no, external_id=row["支付宝交易号"],
                                      amount=abs(paid), fee=fee, at=utc(row["完成时间"])))
    return lines
