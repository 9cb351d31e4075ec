from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class Payment(Base):
    """One attempt to collect `amount` fen through one provider. `refunded_amount` is what refunds
    have reserved of it; the check makes refunding more than was paid impossible."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="positive"),
        CheckConstraint("refunded_amount >= 0 AND refunded_amount <= amount", name="refunds_within_amount"),
        Index("ix_payments_pending", "created_at", postgresql_where=text("status = 'pending'")),
        Index("ix_payments_order", "order_id", "status"),
        Index("ix_payments_paid", "provider", "paid_at", postgresql_where=text("status = 'succeeded'")),  # reconciliation
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # out_trade_no
    purpose: Mapped[str] = mapped_column(String(16))  # order | supplement | topup
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    provider: Mapped[str] = mapped_column(String(16))  # wechatpay alipay unionpay sandbox balance offline
    channel: Mapped[str | None] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending succeeded failed closed
    external_id: Mapped[str | None] = mapped_column(String(64))
    checkout: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # what the client was given
    note: Mapped[str] = mapped_column(String(200), default="")  # offline: cash / transfer reference
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)  # offline: the staff member
    late: Mapped[bool] = mapped_column(default=False)  # paid after the order closed: refunded in full
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    queried_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Refund(Base):
    """Money going back through the payment it came in by; `number` is the out_refund_no sent on
    every retry. Refunded only when the provider says so."""

    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="positive"), Index("ix_refunds_status", "status", "id"),
                      Index("ix_refunds_refunded", "refunded_at", postgresql_where=text("status = 'succeeded'")))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))  # cancel difference operator late_payment
    reason: Mapped[str] = mapped_column(String(200), default="")
    # awaiting_approval -> pending -> processing -> succeeded | failed (retried: processing again)
    # awaiting_approval -> rejected
    status: Mapped[str] = mapped_column(String(20))
    requested_by: Mapped[int | None] = mapped_column(BigInteger)
    approved_by: Mapped[int | None] = mapped_column(BigInteger)
    external_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ProviderNotification(Base):
    """Inbox: each verified provider notification, stored once and handled once, in the
    transaction that applies it."""

    __tablename__ = "provider_notifications"
    __table_args__ = (UniqueConstraint("provider", "external_id", name="uq_provider_notifications_external"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))  # payment | refund
    out_no: Mapped[str] = mapped_column(String(32), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # applied | ignored | rejected
    reason: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SandboxTrade(Base):
    """The development sandbox provider's own side of a payment (what a real provider keeps)."""

    __tablename__ = "sandbox_trades"

    out_trade_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending succeeded failed closed
    refunds: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)  # {out_refund_no, amount, at}
    description: Mapped[str] = mapped_column(String(128), default="")
    return_url: Mapped[str] = mapped_column(String(500), default="")
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
