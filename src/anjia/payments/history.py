"""Payments and refunds that already happened, loaded in bulk (the demo's history), with the entries
the live path posts for them (`service._paid`, `cancel_refund`, `_open`, `_refunded`) dated when they
happened, and the sandbox provider's own side of each trade (so reconciliation finds it matched).
The orders' own figures and timeline rows are the orders package's (`orders.history`)."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from anjia.core import bulk
from anjia.ledger import service as ledger
from anjia.ledger.service import Entry, credit, debit
from anjia.payments import sandbox
from anjia.payments.models import Payment, Refund, SandboxTrade


@dataclass
class PastRefund:
    number: str  # `number("R", …)`
    amount: int
    kind: str  # cancel | difference | operator
    reason: str
    requested_at: datetime
    refunded_at: datetime


@dataclass
class PastPayment:
    number: str  # `number("P", …)`
    order_id: int
    order_number: str
    customer_id: int
    amount: int
    paid_at: datetime
    provider: str = "sandbox"
    channel: str | None = None
    cancel_fee: int = 0  # kept when the order was cancelled (at the first refund's time, or `cancelled_at`)
    cancelled_at: datetime | None = None
    refunds: list[PastRefund] = field(default_factory=list)


def number(prefix: str, at: datetime, n: int) -> str:
    """A reproducible document number in the live format (prefix, UTC time, 8 digits)."""
    return f"{prefix}{at:%y%m%d%H%M%S}{n % 10**8:08d}"


async def insert_history(session: AsyncSession, past: list[PastPayment]) -> int:
    """Insert the payments (succeeded), their refunds (succeeded) and entries; the payments written.
    Refunds never pass what was paid (checked here, and by the payments' CHECK constraint)."""
    if not past:
        return 0
    for p in past:
        if p.cancel_fee + sum(r.amount for r in p.refunds) > p.amount:
            raise ValueError(f"order {p.order_number}: refunds and fee pass what was paid")
    rows = [{"number": p.number, "purpose": "order", "order_id": p.order_id,
             "customer_id": p.customer_id, "provider": p.provider, "channel": p.channel, "amount": p.amount,
             "refunded_amount": sum(r.amount for r in p.refunds), "status": "succeeded",
             "external_id": sandbox.trade_no(p.number) if p.provider == "sandbox" else None,
             "checkout": {}, "expires_at": p.paid_at, "paid_at": p.paid_at, "created_at": p.paid_at}
            for p in past]
    ids = await bulk.insert_rows(session, Payment.__table__, rows)
    refund_rows, owners = [], []
    for p, pid, row in zip(past, ids, rows, strict=True):
        for r in p.refunds:
            refund_rows.append({"number": r.number, "payment_id": pid,
                                "order_id": p.order_id, "customer_id": p.customer_id, "amount": r.amount,
                                "kind": r.kind, "reason": r.reason[:200], "status": "succeeded",
                                "external_id": "SBR" + r.number[1:], "attempts": 1,
                                "submitted_at": r.requested_at, "refunded_at": r.refunded_at,
                                "created_at": r.requested_at})
            owners.append((p, pid, row, r))
    refund_ids = await bulk.insert_rows(session, Refund.__table__, refund_rows)
    entries = []
    for p, pid, row in zip(past, ids, rows, strict=True):
        source = f"clearing:{p.provider}"
        entries.append(Entry("payment", [debit(source, p.amount), credit("unearned", p.amount)], p.paid_at,
                             memo=f"{p.provider} {row['number']}", order_id=p.order_id, payment_id=pid))
        if p.cancel_fee:
            at = p.refunds[0].requested_at if p.refunds else p.cancelled_at or p.paid_at
            entries.append(Entry("cancellation", [debit("unearned", p.cancel_fee), credit("cancel_fees", p.cancel_fee)],
                                 at, memo=f"取消费 {p.order_number}", order_id=p.order_id))
    for (p, pid, _, r), rid, rrow in zip(owners, refund_ids, refund_rows, strict=True):
        entries.append(Entry("refund_request", [debit("unearned", r.amount), credit("refunds_payable", r.amount)],
                             r.requested_at, memo=r.reason, order_id=p.order_id, payment_id=pid, refund_id=rid))
        entries.append(Entry("refund", [debit("refunds_payable", r.amount), credit(f"clearing:{p.provider}", r.amount)],
                             r.refunded_at, memo=rrow["number"], order_id=p.order_id, payment_id=pid, refund_id=rid))
    await ledger.post_many(session, entries)
    by_payment: dict[int, list[dict]] = {}
    for (_, pid, _, _), rr in zip(owners, refund_rows, strict=True):
        by_payment.setdefault(pid, []).append({"out_refund_no": rr["number"], "amount": rr["amount"],
                                               "at": rr["refunded_at"].isoformat(), "refund_id": rr["external_id"]})
    trades = [{"out_trade_no": row["number"], "amount": p.amount, "status": "succeeded",
               "refunds": by_payment.get(pid, []),
               "description": p.order_number, "return_url": "", "paid_at": p.paid_at, "created_at": p.paid_at}
              for p, pid, row in zip(past, ids, rows, strict=True) if p.provider == "sandbox"]
    await bulk.insert_rows(session, SandboxTrade.__table__, trades, ids=False)
    return len(ids)
