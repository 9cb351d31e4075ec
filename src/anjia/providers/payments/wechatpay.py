"""WeChat Pay API v3 for a direct merchant, through wechatpayv3's async client.

Two ways to check what WeChat Pay signs: "public_key" (微信支付公钥, a key id `PUB_KEY_ID_...` and a
public key from the merchant platform) and "platform_cert" (platform certificates downloaded from
/v3/certificates, decrypted with the APIv3 key and kept in a directory). Amounts are fen on both sides."""
import asyncio
import csv
import gzip
import hashlib
import io
import json
import secrets
import time
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx
from wechatpayv3.async_ import AsyncWeChatPay
from wechatpayv3.async_.type import WeChatPayType  # not wechatpayv3.WeChatPayType: a different enum
from wechatpayv3.utils import aes_decrypt

from anjia.config import Settings
from anjia.providers.payments.base import (
    BillLine,
    Channel,
    Charge,
    Checkout,
    NotificationRejected,
    NotifyReply,
    ProviderError,
    ProviderEvent,
    fen,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")  # WeChat Pay's times and bill days
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
NOTIFY_WINDOW_SECONDS = 300
PAY_TYPES = {"jsapi": WeChatPayType.MINIPROG, "h5": WeChatPayType.H5, "native": WeChatPayType.NATIVE}
TRADE_STATES = {"SUCCESS": "succeeded", "REFUND": "succeeded",  # REFUND: paid, then (partly) refunded
                "NOTPAY": "pending", "USERPAYING": "pending", "CLOSED": "closed", "REVOKED": "closed",
                "PAYERROR": "failed"}
REFUND_STATES = {"SUCCESS": "succeeded", "PROCESSING": "refunding", "CLOSED": "failed", "ABNORMAL": "failed"}
# Errors worth retrying as they are; anything else needs a change on our side first.
RETRYABLE = {"SYSTEM_ERROR", "SYSTEMERROR", "FREQUENCY_LIMITED", "BANK_ERROR", "STATEMENT_CREATING"}


class WechatPay:
    name = "wechatpay"
    channels: tuple[Channel, ...] = ("jsapi", "h5", "native")

    def __init__(self, *, mchid: str, appid: str, api_v3_key: str, private_key: str, cert_serial: str,
                 mode: Literal["public_key", "platform_cert"] = "public_key", public_key_id: str = "",
                 public_key: str = "", platform_cert_dir: str = "",
                 api_base: str = "https://api.mch.weixin.qq.com", timeout: float = 10.0):
        if mode not in ("public_key", "platform_cert"):
            raise ValueError(f"unknown WeChat Pay mode {mode!r}")
        if mode == "public_key" and not (public_key_id and public_key):
            raise ValueError("public_key mode needs WECHATPAY_PUBLIC_KEY_ID and WECHATPAY_PUBLIC_KEY_PATH")
        if mode == "platform_cert" and not platform_cert_dir:
            raise ValueError("platform_cert mode needs WECHATPAY_PLATFORM_CERT_DIR")
        self.merchant_id, self.app_id, self.mode = mchid, appid, mode
        self.public_key_id = public_key_id if mode == "public_key" else ""
        self._wx = AsyncWeChatPay(
            wechatpay_type=WeChatPayType.MINIPROG, mchid=mchid, private_key=private_key,
            cert_serial_no=cert_serial, appid=appid, apiv3_key=api_v3_key,
            cert_dir=platform_cert_dir if mode == "platform_cert" else None, timeout=(5.0, timeout),
            public_key=public_key if mode == "public_key" else None, public_key_id=self.public_key_id or None)
        # The SDK has no parameter for the gateway; the tests point it at the local fake.
        self._wx._core._gate_way = api_base.rstrip("/")
        self._started = False
        self._lock = asyncio.Lock()

    async def _sdk(self) -> AsyncWeChatPay:
        """The SDK with its HTTP client open; in platform_cert mode its certificates are loaded once
        here (from the directory, downloaded only when that is empty), never per notification."""
        if not self._started:
            async with self._lock:
                if not self._started:
                    try:
                        await self._wx.__aenter__()
                    except Exception as e:
                        await self._wx.__aexit__(None, None, None)
                        raise ProviderError("UNAVAILABLE", f"WeChat Pay client not ready: {e}") from e
                    self._started = True
        return self._wx

    async def aclose(self) -> None:
        if self._started:
            self._started = False
            await self._wx.__aexit__(None, None, None)

    async def _call(self, method: str, *args, **kwargs) -> str | bytes:
        wx = await self._sdk()
        try:
            status, body = await getattr(wx, method)(*args, **kwargs)
        except httpx.HTTPError as e:
            raise ProviderError("UNREACHABLE", str(e)) from e
        except Exception as e:  # the SDK raises bare Exception, e.g. when a response's signature fails
            raise ProviderError("SDK_ERROR", str(e)) from e
        if 200 <= status < 300:
            return body
        try:
            error = json.loads(body)
            code, message = error["code"], error.get("message", "")
        except (ValueError, KeyError, TypeError):
            code, message = f"HTTP_{status}", str(body)[:200]
        raise ProviderError(code, message, retryable=status >= 500 or code in RETRYABLE)

    async def _json(self, method: str, *args, **kwargs) -> dict:
        body = await self._call(method, *args, **kwargs)
        return json.loads(body) if body else {}

    # -- payments --------------------------------------------------------------------------------

    async def create(self, charge: Charge) -> Checkout:
        if charge.channel not in PAY_TYPES:
            raise ValueError(f"WeChat Pay has no {charge.channel} channel")
        kwargs: dict = {}
        if charge.channel == "jsapi":
            if not charge.openid:
                raise ValueError("JSAPI payments need the payer's openid")
            kwargs["payer"] = {"openid": charge.openid}
        else:
            kwargs["scene_info"] = {"payer_client_ip": charge.client_ip,
                                    **({"h5_info": {"type": "Wap"}} if charge.channel == "h5" else {})}
        answer = await self._json(
            "pay", description=charge.description.encode()[:127].decode(errors="ignore"),
            out_trade_no=charge.out_trade_no, amount={"total": charge.amount, "currency": "CNY"},
            time_expire=charge.expires_at.astimezone(SHANGHAI).isoformat(timespec="seconds"),
            notify_url=charge.notify_url, pay_type=PAY_TYPES[charge.channel], **kwargs)
        if charge.channel == "native":
            return Checkout(kind="qr", url=answer["code_url"])
        if charge.channel == "h5":
            # WeChat sends the browser to redirect_url when the payer leaves its cashier page.
            return Checkout(kind="redirect", url=f"{answer['h5_url']}&redirect_url={quote(charge.return_url, safe='')}")
        prepay_id = answer["prepay_id"]
        params = {"timeStamp": str(int(time.time())), "nonceStr": secrets.token_hex(16),
                  "package": f"prepay_id={prepay_id}", "signType": "RSA"}
        params["paySign"] = self._wx.sign([self.app_id, params["timeStamp"], params["nonceStr"], params["package"]])
        return Checkout(kind="jsapi", params=params, prepay_id=prepay_id)

    async def query(self, out_trade_no: str, **_) -> ProviderEvent:
        return self._payment_event(await self._json("query", out_trade_no=out_trade_no))

    async def close(self, out_trade_no: str) -> None:
        await self._call("close", out_trade_no=out_trade_no)

    def _payment_event(self, r: dict, notification_id: str | None = None) -> ProviderEvent:
        amount = r.get("amount") or {}
        # `total`, the order amount we asked for, is what WeChat says to check and what its bill
        # lists (订单金额); `payer_total` is less when WeChat coupons paid part of it (kept in raw).
        return ProviderEvent(
            kind="payment", out_no=r["out_trade_no"], status=TRADE_STATES.get(r.get("trade_state"), "pending"),
            amount=amount.get("total"), currency=amount.get("currency", "CNY"),
            external_id=r.get("transaction_id"), notification_id=notification_id, merchant_id=r.get("mchid"),
            app_id=r.get("appid"), at=_utc(r.get("success_time")), raw=r)

    # -- refunds ---------------------------------------------------------------------------------

    async def refund(self, *, out_refund_no: str, out_trade_no: str, amount: int, total: int,
                     reason: str, notify_url: str, **_) -> ProviderEvent:
        return self._refund_event(await self._json(
            "refund", out_refund_no=out_refund_no, out_trade_no=out_trade_no, reason=reason or None,
            amount={"refund": amount, "total": total, "currency": "CNY"}, notify_url=notify_url))

    async def query_refund(self, out_refund_no: str, out_trade_no: str, **_) -> ProviderEvent:
        event = self._refund_event(await self._json("query_refund", out_refund_no=out_refund_no))
        if event.raw.get("out_trade_no") != out_trade_no:
            raise ProviderError("REFUND_MISMATCH", f"{out_refund_no} belongs to {event.raw.get('out_trade_no')}",
                                retryable=False)
        return event

    def _refund_event(self, r: dict, notification_id: str | None = None) -> ProviderEvent:
        amount = r.get("amount") or {}
        # The refund query says `status`, the refund notification `refund_status`.
        state = r.get("status") or r.get("refund_status")
        return ProviderEvent(
            kind="refund", out_no=r["out_refund_no"], status=REFUND_STATES.get(state, "refunding"),
            amount=amount.get("refund"), currency=amount.get("currency", "CNY"), external_id=r.get("refund_id"),
            notification_id=notification_id, merchant_id=r.get("mchid"), at=_utc(r.get("success_time")), raw=r)

    # -- notifications ---------------------------------------------------------------------------

    async def verify_notification(self, headers: dict[str, str], body: bytes) -> ProviderEvent:
        wx = await self._sdk()
        h = {k.lower(): v for k, v in headers.items()}
        # Known key first: the SDK's async verifier would download /v3/certificates for any unknown
        # serial, so anyone could make us call out by posting junk. The sync one below never does.
        if not self._known_serial(h.get("wechatpay-serial", "")):
            raise NotificationRejected("unknown Wechatpay-Serial")
        h.setdefault("wechatpay-signature-type", SIGNATURE_TYPE)
        try:
            text = body.decode()
            signed = wx._core._verify_signature(h, text)
        except Exception:  # undecodable body, unsupported signature type: not a notification we trust
            signed = False
        if not signed:
            raise NotificationRejected("bad signature")
        try:
            age = time.time() - int(h.get("wechatpay-timestamp", ""))
        except ValueError:
            raise NotificationRejected("bad timestamp") from None
        if abs(age) > NOTIFY_WINDOW_SECONDS:
            raise NotificationRejected("timestamp outside the 5-minute window")
        try:
            envelope = json.loads(text)
            r = envelope["resource"]
            if envelope.get("resource_type") != "encrypt-resource" or r.get("algorithm") != "AEAD_AES_256_GCM":
                raise ValueError("not an AEAD_AES_256_GCM resource")
            # the SDK's decrypt_callback would verify the signature a second time: decrypt only
            plain = aes_decrypt(r["nonce"], r["ciphertext"], r.get("associated_data") or "", wx._core._apiv3_key)
            resource = json.loads(plain) if plain else None
        except Exception:
            resource = None
        if not isinstance(resource, dict):
            raise NotificationRejected("undecryptable resource")
        event_type = envelope.get("event_type", "")
        try:
            if event_type.startswith("TRANSACTION."):
                return self._payment_event(resource, envelope.get("id"))
            if event_type.startswith("REFUND."):
                return self._refund_event(resource, envelope.get("id"))
        except KeyError as e:
            raise NotificationRejected(f"resource without {e}") from None
        raise NotificationRejected(f"unknown event type {event_type!r}")

    def _known_serial(self, serial: str) -> bool:
        if self.mode == "public_key":
            return bool(serial) and serial == self.public_key_id
        try:
            number = int(serial, 16)
        except ValueError:
            return False
        return any(cert.serial_number == number for cert in self._wx._core._certificates)

    def reply(self, ok: bool, message: str = "") -> NotifyReply:
        # Success is 200/204 without a body; 4XX/5XX with {"code": "FAIL", "message" (≤ 64)} makes WeChat retry.
        if ok:
            return NotifyReply(204, b"", "application/json")
        body = json.dumps({"code": "FAIL", "message": (message or "失败")[:64]}, ensure_ascii=False).encode()
        return NotifyReply(400, body, "application/json")

    # -- bills -----------------------------------------------------------------------------------

    async def bill(self, day: date) -> list[BillLine]:
        """Successful payments (订单金额) and successful refunds (申请退款金额) of the day."""
        lines = []
        for bill_type, kind in (("SUCCESS", "payment"), ("REFUND", "refund")):
            lines += _parse_bill(kind, await self._bill_file(day, bill_type))
        return lines

    async def _bill_file(self, day: date, bill_type: str) -> str:
        try:
            meta = await self._json("trade_bill", bill_date=day.isoformat(), bill_type=bill_type, tar_type="GZIP")
        except ProviderError as e:
            if e.code == "NO_STATEMENT_EXIST":  # nothing of this type that day
                return ""
            raise
        if meta.get("hash_type") != "SHA1" or not meta.get("hash_value"):
            raise ProviderError("BILL_HASH_MISSING", str(meta), retryable=False)
        data = await self._call("download_bill", meta["download_url"])
        try:
            raw = gzip.decompress(data if isinstance(data, bytes) else data.encode())
        except (OSError, EOFError) as e:
            raise ProviderError("BILL_CORRUPT", str(e)) from e
        # The hash is of the uncompressed bill; nothing of a file that fails it is read.
        if hashlib.sha1(raw).hexdigest() != meta["hash_value"].lower():
            raise ProviderError("BILL_HASH_MISMATCH", f"{bill_type} bill of {day}")
        return raw.decode("utf-8-sig")


def _parse_bill(kind: Literal["payment", "refund"], text: str) -> list[BillLine]:
    """WeChat's bill CSV: a header row, detail rows whose every value starts with a backquote (so
    spreadsheets keep long numbers as text), then a summary header (总交易单数,...) and its row.
    Streamed row by row, columns looked up once, repeated amounts and seconds converted once:
    a million-line day parses in seconds."""
    rows = csv.reader(io.StringIO(text))
    header = next((r for r in rows if r), None)
    if header is None:
        return []
    col = {c.strip(): i for i, c in enumerate(header)}
    # (column, fallback column when the first is absent or empty)
    if kind == "payment":
        out_no, ext, status = col["商户订单号"], col["微信订单号"], None
        amount = (col.get("订单金额"), col["应结订单金额"])
        at = (None, col["交易时间"])
    else:
        out_no, ext, status = col["商户退款单号"], col["微信退款单号"], col.get("退款状态")
        amount = (col.get("申请退款金额"), col["退款金额"])
        at = (col.get("退款成功时间"), col["交易时间"])
    fee = col["手续费"]
    fens, fees, times = _Memo(fen), _Memo(_fee), _Memo(_bill_time)

    def value(row: list[str], i: int) -> str:
        return row[i].strip().removeprefix("`")

    def either(row: list[str], cols: tuple[int | None, int]) -> str:
        return (value(row, cols[0]) if cols[0] is not None else "") or value(row, cols[1])

    lines = []
    for row in rows:
        if not row:
            continue
        if row[0].startswith("总"):
            break
        if status is not None and value(row, status) != "SUCCESS":
            continue
        lines.append(BillLine(kind, value(row, out_no), value(row, ext), fens[either(row, amount)],
                              fees[value(row, fee)], times[either(row, at)]))
    return lines


class _Memo(dict):
    """A conversion remembered per distinct text (bills repeat amounts and seconds endlessly)."""

    def __init__(self, convert):
        super().__init__()
        self.convert = convert

    def __missing__(self, text: str):
        value = self[text] = self.convert(text)
        return value


def _fee(text: str) -> int:
    # Fees are printed with five decimals ("0.60000") though settled in whole fen.
    return int((Decimal(text) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _bill_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI).astimezone(UTC)


def _utc(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


def from_settings(settings: Settings) -> WechatPay:
    if not settings.wechatpay_mchid:
        raise ValueError("WeChat Pay is enabled but not configured: WECHATPAY_MCHID is empty")
    public = settings.wechatpay_mode == "public_key"
    return WechatPay(
        mchid=settings.wechatpay_mchid, appid=settings.wechatpay_appid, api_v3_key=settings.wechatpay_api_v3_key,
        private_key=Path(settings.wechatpay_private_key_path).read_text(), cert_serial=settings.wechatpay_cert_serial,
        mode=settings.wechatpay_mode, public_key_id=settings.wechatpay_public_key_id if public else "",
        public_key=Path(settings.wechatpay_public_key_path).read_text() if public else "",
        platform_cert_dir=settings.wechatpay_platform_cert_dir, api_base=settings.wechatpay_api_base)
