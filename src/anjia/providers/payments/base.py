"""The one interface every payment provider implements, and the values that cross it.

Amounts are integer fen everywhere on our side; providers that want strings ("12.34") convert
at their edge with `yuan()`. A provider never touches the database."""
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol

Channel = Literal["jsapi", "h5", "native", "page"]  # mini program / mobile browser / QR / PC or wap page
EventStatus = Literal["succeeded", "failed", "closed", "pending", "refunding"]


class NotificationRejected(Exception):
    """A notification we cannot trust: bad or missing signature, unknown certificate serial,
    timestamp outside the window, undecryptable body. Nothing is stored or posted; the
    provider gets its protocol's failure reply."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ProviderError(Exception):
    """The provider refused a request or could not be reached (retry later)."""

    def __init__(self, code: str, message: str = "", *, retryable: bool = True):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.retryable = code, message, retryable


@dataclass
class Charge:
    """What we ask a provider to collect."""
    out_trade_no: str  # our payment number, unique, ≤ 32 chars [0-9A-Za-z_-]
    amount: int  # fen, > 0
    description: str  # shown to the payer (≤ 127 bytes for WeChat)
    channel: Channel
    notify_url: str  # where the provider posts the result
    return_url: str  # where the payer's browser goes afterwards (h5 / page)
    expires_at: datetime  # UTC; the provider closes the payment at this time
    client_ip: str = "127.0.0.1"
    openid: str | None = None  # WeChat JSAPI payer
    # UTC; UnionPay identifies a transaction by (orderId, txnTime): its follow-up calls need it back
    created_at: datetime | None = None


@dataclass
class Checkout:
    """What the client needs to let the payer pay.
    - jsapi: `params` are wx.requestPayment's (timeStamp, nonceStr, package, signType, paySign);
    - redirect: the browser goes to `url` (WeChat h5_url, Alipay page, UnionPay: an auto-posting
      form at `url` built from `params`);
    - qr: show `url` (weixin://wxpay/...) as a QR code."""
    kind: Literal["jsapi", "redirect", "qr"]
    url: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    prepay_id: str | None = None


@dataclass
class ProviderEvent:
    """A verified notification or a query answer, in our terms."""
    kind: Literal["payment", "refund"]
    out_no: str  # our out_trade_no (payment) or out_refund_no (refund)
    status: EventStatus
    amount: int | None = None  # fen the payer actually paid / the refund amount
    currency: str = "CNY"
    external_id: str | None = None  # provider's transaction id / refund id
    notification_id: str | None = None  # the notification's own id (dedupe key), None for queries
    merchant_id: str | None = None  # as stated by the provider, checked against our configuration
    app_id: str | None = None
    at: datetime | None = None  # success time, UTC
    raw: dict = field(default_factory=dict)  # the decrypted/verified fields, kept in the inbox


@dataclass
class BillLine:
    """One line of a provider's daily trade or refund bill."""
    kind: Literal["payment", "refund"]
    out_no: str
    external_id: str
    amount: int  # fen, positive for both kinds
    fee: int  # provider's fee in fen (negative on refunds when the provider returns it)
    at: datetime


@dataclass
class NotifyReply:
    """The body and status the provider's protocol expects."""
    status: int
    body: bytes
    media_type: str


class PaymentProvider(Protocol):
    name: str  # "wechatpay" | "alipay" | "unionpay" | "sandbox"
    merchant_id: str
    app_id: str | None
    channels: tuple[Channel, ...]

    async def create(self, charge: Charge) -> Checkout: ...

    async def verify_notification(self, headers: dict[str, str], body: bytes) -> ProviderEvent:
        """Check the signature (before anything else), the timestamp window and the certificate,
        decrypt, and return the event. Raises NotificationRejected. Makes no outgoing call for an
        unknown certificate serial."""
        ...

    def reply(self, ok: bool, message: str = "") -> NotifyReply: ...

    # `created_at` (the payment's or refund's own creation time, as sent) and `external_id` (the
    # provider's id of the payment) are passed on every call: UnionPay needs them, others ignore them.
    async def query(self, out_trade_no: str, *, created_at: datetime | None = None) -> ProviderEvent: ...

    async def close(self, out_trade_no: str) -> None: ...

    async def refund(self, *, out_refund_no: str, out_trade_no: str, amount: int, total: int,
                     reason: str, notify_url: str, external_id: str | None = None,
                     created_at: datetime | None = None) -> ProviderEvent:
        """Ask for a refund; the same out_refund_no on every retry. The answer is usually
        `pending`/`refunding`: a refund is refunded only when the provider says so."""
        ...

    async def query_refund(self, out_refund_no: str, out_trade_no: str, *,
                           created_at: datetime | None = None) -> ProviderEvent: ...

    async def bill(self, day: date) -> list[BillLine]:
        """The day's trade and refund bill lines (the provider's own day, Asia/Shanghai)."""
        ...


def yuan(fen: int) -> str:
    """12345 -> "123.45" (never a float)."""
    if fen < 0:
        return "-" + yuan(-fen)
    return f"{fen // 100}.{fen % 100:02d}"


def fen(yuan_text: str) -> int:
    """"123.45" -> 12345, exactly; refuses more than two decimals."""
    text = yuan_text.strip()
    sign = -1 if text.startswith("-") else 1
    whole, _, frac = text.lstrip("+-").partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
        raise ValueError(f"not an amount: {yuan_text!r}")
    return sign * (int(whole) * 100 + int((frac + "00")[:2]))
