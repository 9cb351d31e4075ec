from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base
from anjia.core.sealed import SealedJson

# the parts of an order's address snapshot that name a person and a door: sealed at rest
PERSONAL_ADDRESS = ("contact_name", "contact_phone", "detail")


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_customer_status", "customer_id", "status", "id"),
        Index("ix_orders_status_start", "status", "scheduled_start"),
        Index("ix_orders_pending_due", "payment_due_at", postgresql_where=text("status = 'pending_payment'")),
        UniqueConstraint("plan_id", "occurrence_date", name="uq_orders_plan_occurrence"),
        Index("ix_orders_created_at", "created_at"),  # statistics recompute days of orders by creation time
        # the dashboard's worker utilisation reads completed visits by check-out time
        Index("ix_orders_checked_out", "checked_out_at", postgresql_where=text("status = 'completed'")),
        CheckConstraint("source IN ('mp', 'h5', 'app', 'admin', 'unknown')", name="ck_orders_source"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"))
    # snapshot: later edits of the book don't move orders; who and the street-and-door sealed (core.sealed)
    address: Mapped[dict[str, Any]] = mapped_column(SealedJson(PERSONAL_ADDRESS))
    status: Mapped[str] = mapped_column(String(24))
    scheduled_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    scheduled_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    timezone: Mapped[str] = mapped_column(String(64))
    request: Mapped[dict[str, Any]] = mapped_column(JSONB)  # items, hours, dates, options as asked
    quote: Mapped[dict[str, Any]] = mapped_column(JSONB)
    total: Mapped[int] = mapped_column(BigInteger)
    deposit: Mapped[int] = mapped_column(BigInteger, default=0)
    # the coupon's part of the price (the quote's discount line); at check-out the part of the final price
    discount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    paid_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0)  # refunds requested, net of failures
    price_difference: Mapped[int] = mapped_column(BigInteger, default=0)  # > 0 owed by the customer, < 0 to them
    notes: Mapped[str] = mapped_column(Text, default="")
    # the client it was placed from (core.params.CHANNELS; a plan's orders carry the plan's); `unknown`
    # for orders placed before channels were recorded or by a caller that did not say
    source: Mapped[str] = mapped_column(String(8), server_default="unknown")
    held_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), index=True)
    occurrence_date: Mapped[date | None] = mapped_column(Date)
    payment_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason_code: Mapped[str | None] = mapped_column(String(32))
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    cancel_fee: Mapped[int] = mapped_column(BigInteger, default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    departed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    check_in_distance_m: Mapped[int | None] = mapped_column(BigInteger)
    check_in_note: Mapped[str | None] = mapped_column(String(300))  # why the worker checked in far away
    checked_out_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    final_total: Mapped[int | None] = mapped_column(BigInteger)
    late_alerted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    overrun_alerted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())
    # (not a column) a new order's timeline as this transaction wrote it: answering the request that
    # created it needs no read back
    written: tuple = ()


class OrderEvent(Base):
    """The order's timeline: one row per state change or edit, written with the change."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))  # the order's (docs/scale-out.md)
    type: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str | None] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_kind: Mapped[str] = mapped_column(String(16), default="system")
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

