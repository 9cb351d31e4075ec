"""The development sandbox: a payment provider that lives in this app, the default of `make run`.
Its cashier page (`/api/v1/payments/sandbox/{number}`) lets whoever holds the link complete or
fail a payment; it then notifies us exactly as a real provider does — a signed notification
through `POST /api/v1/payments/notify/sandbox` — and keeps its own side of each trade in
`sandbox_trades`, committed apart from our transaction, so queries, refunds and the daily bill
behave like a provider's."""
import hashlib
import hmac
import json
import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from anjia.config import get_settings
from anjia.core import db
from anjia.core.security import now
from anjia.payments.models import SandboxTrade
from anjia.providers.payments.base import (
    BillLine,
    Charge,
    Checkout,
    NotificationRejected,
    NotifyReply,
    ProviderEvent,
)

MERCHANT_ID = "sandbox-merchant"
WINDOW = timedelta(minutes=5)


def _key() -> bytes:
    return hashlib.sha256(b"sandbox-notify:" + get_settings().secret_key.encode()).digest()


def trade_no(out_trade_no: str) -> str:
    """The sandbox's own id of a trade (what a provider's transaction id is), stable per payment."""
    return "SB" + hashlib.sha1(out_trade_no.encode()).hexdigest()[:20].upper()


def sign(body: bytes, timestamp: str) -> str:
    return hmac.new(_key(), timestamp.encode() + b"\n" + body, hashlib.sha256).hexdigest()


class Sandbox:
    name = "sandbox"
    merchant_id = MERCHANT_ID
    app_id = None
    channels = ("h5", "jsapi", "native", "page")

    async def _trade(self, out_trade_no: str) -> SandboxTrade | None:
        async with db.sessionmaker()() as s:
            return await s.get(SandboxTrade, out_trade_no)

    async def create(self, charge: Charge) -> Checkout:
        async with db.sessionmaker()() as s, s.begin():
            if await s.get(SandboxTrade, charge.out_trade_no) is None:
                s.add(SandboxTrade(out_trade_no=charge.out_trade_no, amount=charge.amount,
                                   description=charge.description[:128],
                                   return_url=charge.return_url.removeprefix(get_settings().public_url)[:500]))
        url = f"/api/v1/payments/sandbox/{charge.out_trade_no}"  # same site: relative, whatever the host
        if charge.channel == "native":  # a QR code is scanned by another device: it needs the host
            return Checkout(kind="qr", url=get_settings().public_url + url)
        return Checkout(kind="redirect", url=url)

    async def settle(self, out_trade_no: str, succeed: bool) -> tuple[bytes, dict[str, str], str] | None:
        """The cashier page's button: decide the trade (once) and return the signed notification to
        deliver (body, headers) and where the payer goes next. None when already decided."""
        async with db.sessionmaker()() as s, s.begin():
            trade = await s.scalar(select(SandboxTrade).where(SandboxTrade.out_trade_no == out_trade_no)
                                   .with_for_update())
            if trade is None or trade.status != "pending":
                return None
            trade.status, trade.paid_at = ("succeeded", now()) if succeed else ("failed", None)
            event = {"id": "sbn-" + secrets.token_hex(8), "kind": "payment", "out_trade_no": out_trade_no,
                     "trade_no": trade_no(out_trade_no),
                     "status": trade.status, "amount": trade.amount, "currency": "CNY",
                     "merchant_id": MERCHANT_ID, "paid_at": trade.paid_at.isoformat() if trade.paid_at else None}
            return_url = trade.return_url
        body = json.dumps(event).encode()
        ts = str(int(now().timestamp()))
        return body, {"x-sandbox-timestamp": ts, "x-sandbox-signature": sign(body, ts)}, return_url

    async def verify_notification(self, headers: dict[str, str], body: bytes) -> ProviderEvent:
        ts, signature = headers.get("x-sandbox-timestamp", ""), headers.get("x-sandbox-signature", "")
        if not ts.isdigit() or not hmac.compare_digest(sign(body, ts), signature):
            raise NotificationRejected("bad_signature")
        if abs(now().timestamp() - int(ts)) > WINDOW.total_seconds():
            raise NotificationRejected("expired")
        e = json.loads(body)
        return ProviderEvent(kind=e["kind"], out_no=e["out_trade_no"], status=e["status"], amount=e["amount"],
                             currency=e["currency"], external_id=e["trade_no"], notification_id=e["id"],
                             merchant_id=e["merchant_id"],
                             at=datetime.fromisoformat(e["paid_at"]) if e["paid_at"] else None, raw=e)

    def reply(self, ok: bool, message: str = "") -> NotifyReply:
        return NotifyReply(200 if ok else 400, json.dumps({"ok": ok, "message": message}).encode(),
                           "application/json")

    async def query(self, out_trade_no: str, **_) -> ProviderEvent:
        trade = await self._trade(out_trade_no)
        if trade is None:
            return ProviderEvent(kind="payment", out_no=out_trade_no, status="closed")
        return ProviderEvent(kind="payment", out_no=out_trade_no, status=trade.status, amount=trade.amount,
                             external_id=trade_no(out_trade_no),
                             merchant_id=MERCHANT_ID, at=trade.paid_at)

    async def close(self, out_trade_no: str) -> None:
        async with db.sessionmaker()() as s, s.begin():
            trade = await s.get(SandboxTrade, out_trade_no, with_for_update=True)
            if trade is not None and trade.status == "pending":
                trade.status = "closed"

    async def refund(self, *, out_refund_no: str, out_trade_no: str, amount: int, total: int, reason: str,
                     notify_url: str, **_) -> ProviderEvent:
        async with db.sessionmaker()() as s, s.begin():
            trade = await s.get(SandboxTrade, out_trade_no, with_for_update=True)
            done = next((r for r in (trade.refunds if trade else []) if r["out_refund_no"] == out_refund_no), None)
            if done is None:
                if trade is None or trade.status != "succeeded" or \
                        sum(r["amount"] for r in trade.refunds) + amount > trade.amount:
                    return ProviderEvent(kind="refund", out_no=out_refund_no, status="failed", amount=amount,
                                         raw={"error": "NOT_ENOUGH"})
                done = {"out_refund_no": out_refund_no, "amount": amount, "at": now().isoformat(),
                        "refund_id": "SBR" + secrets.token_hex(8).upper()}
                trade.refunds = [*trade.refunds, done]
        return self._refund_event(done)

    def _refund_event(self, r: dict) -> ProviderEvent:
        return ProviderEvent(kind="refund", out_no=r["out_refund_no"], status="succeeded", amount=r["amount"],
                             external_id=r["refund_id"], merchant_id=MERCHANT_ID, at=datetime.fromisoformat(r["at"]))

    async def query_refund(self, out_refund_no: str, out_trade_no: str, **_) -> ProviderEvent:
        trade = await self._trade(out_trade_no)
        done = next((r for r in (trade.refunds if trade else []) if r["out_refund_no"] == out_refund_no), None)
        if done is None:
            return ProviderEvent(kind="refund", out_no=out_refund_no, status="failed")
        return self._refund_event(done)

    async def bill(self, day: date) -> list[BillLine]:
        tz = ZoneInfo("Asia/Shanghai")
        start = datetime(day.year, day.month, day.day, tzinfo=tz)
        end = start + timedelta(days=1)
        lines: list[BillLine] = []
        async with db.sessionmaker()() as s:
            for t in await s.scalars(select(SandboxTrade).where(SandboxTrade.status == "succeeded")):
                if t.paid_at and start <= t.paid_at < end:
                    lines.append(BillLine("payment", t.out_trade_no, trade_no(t.out_trade_no),
                                          t.amount, 0, t.paid_at))
                for r in t.refunds:
                    at = datetime.fromisoformat(r["at"])
                    if start <= at < end:
                        lines.append(BillLine("refund", r["out_refund_no"], r["refund_id"], r["amount"], 0, at))
        return lines
