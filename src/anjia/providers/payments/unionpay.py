"""UnionPay online gateway payments (全渠道 在线网关支付, interface version 5.1.0), written here:
no maintained Python package speaks it.

Signing (signMethod=01): the fields but `signature`, sorted by name, joined as k=v&k=v, hashed
with SHA-256 to lowercase hex; that hex string is signed with RSA/SHA-256 (PKCS#1 v1.5) by our
PKCS#12 key and sent base64 in `signature`, with `certId` = our certificate's decimal serial.
UnionPay signs its answers and notifications the same way and ships its signing certificate in
`signPubKeyCert`: trusted only if it chains to the configured root and intermediate, is within
its dates and names 中国银联股份有限公司 in its CN (041@<id>@<company>@<n>).

A UnionPay transaction is found by (orderId, txnTime): `Charge.created_at` is sent as txnTime,
and the follow-up calls take it back (`created_at=`), plus the payment's queryId for refunds."""
import base64
import binascii
import hashlib
import io
import re
import zipfile
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from anjia.providers.payments.base import (
    BillLine,
    Charge,
    Checkout,
    EventStatus,
    NotificationRejected,
    NotifyReply,
    ProviderError,
    ProviderEvent,
)

VERSION = "5.1.0"
UNIONPAY = "中国银联股份有限公司"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# UnionPay notifications carry no sending time: txnTime is our own order time and retries of a
# notification go on for hours. A notification about a transaction older than this is a replay.
NOTIFY_MAX_AGE = timedelta(days=1)
CLOCK_SKEW = timedelta(minutes=5)
ORDER_ID = re.compile(r"[0-9A-Za-z]{8,40}")  # UnionPay refuses '-' and '_' in orderId
TXN_AMT = re.compile(r"[1-9]\d{0,11}")  # fen, digits only
SUCCEEDED, PROCESSING = {"00", "A6"}, {"03", "04", "05"}
NOT_FOUND = "34"
CHANNEL = {"page": "07", "h5": "08"}  # 07 internet (PC), 08 mobile
# The 一般交易明细 (ZM) file: fixed-width fields, each followed by one separator byte.
ZM_WIDTHS = (3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15)
ZM = {"txnTime": 4, "txnAmt": 6, "queryId": 9, "orderId": 11, "merCharge": 15, "txnType": 19, "merId": 27}


def signing_input(fields: dict[str, str]) -> bytes:
    text = "&".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "signature")
    return hashlib.sha256(text.encode()).hexdigest().encode()


def parse_answer(text: str) -> dict[str, str]:
    """UnionPay's synchronous answers are k=v&k=v with raw (not URL-encoded) values, where
    {...} values may themselves hold '&' and '='."""
    fields, depth, start = {}, 0, 0
    for i, c in enumerate(text + "&"):
        depth += (c == "{") - (c == "}")
        if c == "&" and depth == 0:
            key, _, value = text[start:i].partition("=")
            if key:
                fields[key] = value
            start = i + 1
    return fields


def txn_time(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S")


def from_txn_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=SHANGHAI).astimezone(UTC)


def from_settings(settings) -> "UnionPay":
    if not settings.unionpay_mer_id:
        raise ValueError("UnionPay is enabled but not configured: UNIONPAY_MER_ID is empty")
    return UnionPay(mer_id=settings.unionpay_mer_id, password=settings.unionpay_sign_cert_password,
                    pkcs12_data=Path(settings.unionpay_sign_cert_path).read_bytes(),
                    root_pem=Path(settings.unionpay_root_cert_path).read_bytes(),
                    middle_pem=Path(settings.unionpay_middle_cert_path).read_bytes(),
                    front_url=settings.unionpay_front_url, back_url=settings.unionpay_back_url,
                    query_url=settings.unionpay_query_url, file_url=settings.unionpay_file_url)


class UnionPay:
    name = "unionpay"
    channels = ("page", "h5")
    app_id = None  # UnionPay has merchant ids only

    def __init__(self, *, mer_id: str, pkcs12_data: bytes, password: str, root_pem: bytes, middle_pem: bytes,
                 front_url: str, back_url: str, query_url: str, file_url: str, timeout: float = 15):
        self.merchant_id = mer_id
        self.front_url, self.back_url, self.query_url, self.file_url = front_url, back_url, query_url, file_url
        self.timeout = timeout
        key, cert, _ = pkcs12.load_key_and_certificates(pkcs12_data, password.encode() or None)
        if key is None or cert is None:
            raise ValueError("the PKCS#12 file holds no key and certificate")
        self._key, self.cert_id = key, str(cert.serial_number)
        self._root = x509.load_pem_x509_certificate(root_pem)
        self._middle = x509.load_pem_x509_certificate(middle_pem)
        self._middle.verify_directly_issued_by(self._root)  # a misconfiguration fails at start-up
        self._root.verify_directly_issued_by(self._root)

    # -- signing and trust ------------------------------------------------------------------

    def _signed(self, fields: dict[str, str]) -> dict[str, str]:
        signed = {"version": VERSION, "encoding": "UTF-8", "signMethod": "01", "certId": self.cert_id,
                  "accessType": "0", "merId": self.merchant_id, **fields}
        signature = self._key.sign(signing_input(signed), padding.PKCS1v15(), hashes.SHA256())
        return {**signed, "signature": base64.b64encode(signature).decode()}

    def _distrust(self, fields: dict[str, str]) -> str | None:
        """Why these fields are not UnionPay's, or None when they are."""
        pem, signature = fields.get("signPubKeyCert", ""), fields.get("signature", "")
        if fields.get("signMethod") != "01" or not pem or not signature:
            return "unsigned or not signMethod 01"
        try:
            cert = x509.load_pem_x509_certificate(pem.encode())
        except ValueError:
            return "unreadable signPubKeyCert"
        now = datetime.now(UTC)
        if any(not c.not_valid_before_utc <= now <= c.not_valid_after_utc for c in (cert, self._middle, self._root)):
            return "certificate outside its validity"
        try:
            cert.verify_directly_issued_by(self._middle)
        except (ValueError, TypeError, InvalidSignature):
            return "certificate not issued by the configured UnionPay intermediate"
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        parts = str(names[0].value).split("@") if len(names) == 1 else []
        if len(parts) < 3 or parts[2] != UNIONPAY:
            return "certificate subject is not UnionPay's"
        try:
            cert.public_key().verify(base64.b64decode(signature, validate=True), signing_input(fields),
                                     padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, binascii.Error, ValueError, TypeError):
            return "bad signature"
        return None

    async def _post(self, url: str, fields: dict[str, str]) -> dict[str, str]:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(url, data=self._signed(fields))
        except httpx.HTTPError as e:
            raise ProviderError("unreachable", f"{url}: {e}") from None
        if response.status_code != 200:
            raise ProviderError(f"http_{response.status_code}", url)
        answer = parse_answer(response.text)
        problem = self._distrust(answer)
        if problem:  # UnionPay refuses a request it cannot verify with an unsigned answer
            raise ProviderError(answer.get("respCode") or "bad_answer",
                                f"{problem}: {answer.get('respMsg', '')}", retryable=False)
        return answer

    # -- the interface ----------------------------------------------------------------------

    @staticmethod
    def _order_id(value: str) -> str:
        if not ORDER_ID.fullmatch(value):
            raise ProviderError("invalid_order_id", f"{value!r}: 8-40 letters or digits", retryable=False)
        return value

    @staticmethod
    def _txn_time(created_at: datetime | None) -> str:
        if created_at is None:
            raise ProviderError("needs_created_at", "UnionPay finds a transaction by orderId and txnTime",
                                retryable=False)
        return txn_time(created_at)

    async def create(self, charge: Charge) -> Checkout:
        if charge.channel not in CHANNEL or charge.amount <= 0:
            raise ProviderError("invalid_request", f"{charge.channel} / {charge.amount}", retryable=False)
        fields = self._signed({
            "txnType": "01", "txnSubType": "01", "bizType": "000201", "channelType": CHANNEL[charge.channel],
            "orderId": self._order_id(charge.out_trade_no), "txnTime": txn_time(charge.created_at or datetime.now(UTC)),
            "txnAmt": str(charge.amount), "currencyCode": "156", "frontUrl": charge.return_url,
            "backUrl": charge.notify_url, "payTimeout": txn_time(charge.expires_at)})
        return Checkout(kind="redirect", url=self.front_url, params=fields)

    async def verify_notification(self, headers: dict[str, str], body: bytes) -> ProviderEvent:
        try:
            fields = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
        except (UnicodeDecodeError, ValueError):
            raise NotificationRejected("not a form") from None
        problem = self._distrust(fields)
        if problem:
            raise NotificationRejected(problem)
        try:
            sent = from_txn_time(fields.get("txnTime", ""))
        except ValueError:
            raise NotificationRejected("bad txnTime") from None
        now = datetime.now(UTC)
        if not now - NOTIFY_MAX_AGE <= sent <= now + CLOCK_SKEW:
            raise NotificationRejected(f"txnTime outside the window: {fields['txnTime']}")
        kind = {"01": "payment", "04": "refund", "31": "refund"}.get(fields.get("txnType", ""))
        if kind is None or not fields.get("orderId"):
            raise NotificationRejected(f"unexpected txnType {fields.get('txnType')!r}")
        if not TXN_AMT.fullmatch(fields.get("txnAmt", "")):
            raise NotificationRejected(f"not an amount in fen: {fields.get('txnAmt')!r}")
        status: EventStatus = "succeeded" if fields.get("respCode") in SUCCEEDED else "failed"
        return ProviderEvent(kind=kind, out_no=fields["orderId"], status=status, amount=int(fields["txnAmt"]),
                             currency="CNY" if fields.get("currencyCode") == "156" else fields.get("currencyCode", ""),
                             external_id=fields.get("queryId"), notification_id=fields.get("queryId"),
                             merchant_id=fields.get("merId"), at=_paid_at(fields), raw=fields)

    def reply(self, ok: bool, message: str = "") -> NotifyReply:
        # UnionPay sends a notification again (a few times) until it gets HTTP 200.
        return NotifyReply(200 if ok else 400, b"ok" if ok else b"fail", "text/plain")

    async def _query(self, order_id: str, created_at: datetime | None) -> dict[str, str]:
        return await self._post(self.query_url, {"txnType": "00", "txnSubType": "00", "bizType": "000000",
                                                 "orderId": self._order_id(order_id),
                                                 "txnTime": self._txn_time(created_at)})

    def _event(self, kind, out_no: str, answer: dict[str, str], waiting: EventStatus) -> ProviderEvent:
        code = answer.get("respCode")
        common = dict(kind=kind, out_no=out_no, merchant_id=answer.get("merId"), raw=answer)
        if code == NOT_FOUND:  # never submitted by the payer / never received
            return ProviderEvent(status="pending", **common)
        if code != "00":
            raise ProviderError(code or "bad_answer", answer.get("respMsg", ""), retryable=code in PROCESSING)
        original = answer.get("origRespCode")
        if original in PROCESSING:
            return ProviderEvent(status=waiting, **common)
        if original not in SUCCEEDED:
            return ProviderEvent(status="failed", **common)
        if not TXN_AMT.fullmatch(answer.get("txnAmt", "")):
            raise ProviderError("bad_amount", repr(answer.get("txnAmt")), retryable=False)
        return ProviderEvent(status="succeeded", amount=int(answer["txnAmt"]), external_id=answer.get("queryId"),
                             at=_paid_at(answer), **common)

    async def query(self, out_trade_no: str, *, created_at: datetime | None = None) -> ProviderEvent:
        return self._event("payment", out_trade_no, await self._query(out_trade_no, created_at), "pending")

    async def close(self, out_trade_no: str) -> None:
        # Nothing to call: an unpaid gateway order has no close, and the payTimeout sent with it
        # makes UnionPay refuse payment after expires_at. A paid one is undone by refund().
        return None

    async def refund(self, *, out_refund_no: str, out_trade_no: str, amount: int, total: int, reason: str,
                     notify_url: str, external_id: str | None = None,
                     created_at: datetime | None = None) -> ProviderEvent:
        """`external_id`: the payment's queryId; `created_at`: the refund's own, sent as its
        txnTime and needed again by query_refund. UnionPay's 退货 carries no reason."""
        if not 0 < amount <= total:
            raise ProviderError("invalid_amount", f"{amount} of {total}", retryable=False)
        if not external_id:
            raise ProviderError("needs_external_id", "a UnionPay refund names the payment's queryId",
                                retryable=False)
        answer = await self._post(self.back_url, {
            "txnType": "04", "txnSubType": "00", "bizType": "000201", "channelType": "07",
            "orderId": self._order_id(out_refund_no), "origQryId": external_id,
            "txnTime": self._txn_time(created_at), "txnAmt": str(amount), "currencyCode": "156",
            "backUrl": notify_url})
        code = answer.get("respCode")
        # 12 (重复交易): this refund was already received — a retry; the query tells its fate.
        if code not in {"00", "12"} | PROCESSING:
            raise ProviderError(code or "bad_answer", answer.get("respMsg", ""), retryable=False)
        return ProviderEvent(kind="refund", out_no=out_refund_no, status="refunding", amount=amount,
                             external_id=answer.get("queryId"), merchant_id=answer.get("merId"), raw=answer)

    async def query_refund(self, out_refund_no: str, out_trade_no: str, *,
                           created_at: datetime | None = None) -> ProviderEvent:
        return self._event("refund", out_refund_no, await self._query(out_refund_no, created_at), "refunding")

    async def bill(self, day: date) -> list[BillLine]:
        answer = await self._post(self.file_url, {
            "txnType": "76", "txnSubType": "01", "bizType": "000000", "channelType": "07", "fileType": "00",
            "settleDate": f"{day:%m%d}", "txnTime": txn_time(datetime.now(UTC))})
        if answer.get("respCode") != "00":  # 98: the file is not ready yet
            raise ProviderError(answer.get("respCode") or "bad_answer", answer.get("respMsg", ""),
                                retryable=answer.get("respCode") == "98")
        try:  # fileContent: the zip, DEFLATE-compressed (zlib), in base64
            archive = zlib.decompress(base64.b64decode(answer.get("fileContent", ""), validate=True))
        except (binascii.Error, zlib.error):
            raise ProviderError("bad_bill", "undecodable fileContent", retryable=False) from None
        return parse_bill(archive, day)


def parse_bill(data: bytes, day: date) -> list[BillLine]:
    """The ZM (一般交易明细) file of the day's zip: GBK, fixed-width. Amounts are 12 digits of fen;
    the merchant fee is a D (charged) or C (given back) followed by fen."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ProviderError("bad_bill", "not a zip", retryable=False) from None
    lines: list[BillLine] = []
    with archive:
        for name in archive.namelist():
            if "ZM_" not in name:
                continue
            for raw in archive.read(name).splitlines():
                if not raw.strip():
                    continue
                values, at = [], 0
                for width in ZM_WIDTHS:
                    values.append(raw[at:at + width].decode("gbk").strip())
                    at += width + 1
                kind = {"01": "payment", "04": "refund", "31": "refund"}.get(values[ZM["txnType"]])
                if kind is None:
                    continue
                fee_text = values[ZM["merCharge"]]
                fee = int(fee_text[1:] or 0) * (-1 if fee_text[:1] == "C" else 1)
                lines.append(BillLine(kind=kind, out_no=values[ZM["orderId"]], external_id=values[ZM["queryId"]],
                                      amount=int(values[ZM["txnAmt"]]), fee=fee,
                                      at=_trace_time(values[ZM["txnTime"]], day)))
    return lines


def _trace_time(mmddhhmmss: str, day: date) -> datetime:
    """MMDDhhmmss in the year that puts it at or just before the settlement day."""
    moment = datetime.strptime(f"{day.year}{mmddhhmmss}", "%Y%m%d%H%M%S")
    if moment.date() > day + timedelta(days=1):  # December's transactions settled in January
        moment = moment.replace(year=day.year - 1)
    return moment.replace(tzinfo=SHANGHAI).astimezone(UTC)


def _paid_at(fields: dict[str, str]) -> datetime | None:
    """traceTime (MMDDhhmmss, Beijing) is when UnionPay carried the transaction out."""
    try:
        return _trace_time(fields.get("traceTime", ""), datetime.now(SHANGHAI).date())
    except ValueError:
        return None
