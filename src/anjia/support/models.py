from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, SmallInteger, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class Ticket(Base):
    """A complaint (about one of the customer's orders, or general), a suggestion, or a follow-up
    opened for a low review. The order's worker, service and region are captured when it is opened,
    so the analysis does not move when the order changes later. One open complaint per order and one
    follow-up per review: partial unique indexes."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("uq_tickets_open_complaint_per_order", "order_id", unique=True,
              postgresql_where=text("kind = 'complaint' AND status <> 'closed'")),
        Index("uq_tickets_review", "review_id", unique=True, postgresql_where=text("review_id IS NOT NULL")),
        Index("ix_tickets_customer", "customer_id", "id"),
        Index("ix_tickets_status", "status", "id"),
        Index("ix_tickets_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # complaint | suggestion | follow_up
    category: Mapped[str] = mapped_column(String(16))  # support.schemas.CATEGORIES
    content: Mapped[str] = mapped_column(String(1000))  # what the customer wrote
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    review_id: Mapped[int | None] = mapped_column(BigInteger)  # the low review a follow-up was opened for
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # captured from the order
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    status: Mapped[str] = mapped_column(String(16), default="new")  # support.state.Status
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # resolution (the latest one; earlier ones stay in the timeline)
    result: Mapped[str | None] = mapped_column(String(1000))
    root_cause: Mapped[str | None] = mapped_column(String(24))  # support.schemas.ROOT_CAUSES
    upheld: Mapped[bool | None] = mapped_column(Boolean)
    compensation: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")
    reopen_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    reopen_reason: Mapped[str | None] = mapped_column(String(300))
    close_reason: Mapped[str | None] = mapped_column(String(16))  # confirmed | auto
    # SLA: deadlines set at opening (resolve again at a reopening); a breach is stamped once
    assign_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    response_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolve_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    assign_breached_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    response_breached_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolve_breached_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TicketEvent(Base):
    """The ticket's timeline, shown to the customer: one row per step, written with the step."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(24))  # opened | assigned | started | resolved | reopened | ...
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_kind: Mapped[str] = mapped_column(String(16))  # customer | staff | system
    note: Mapped[str | None] = mapped_column(String(1000))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TicketPhoto(Base):
    """A cleaned photo (EXIF-free JPEG + thumbnail) uploaded by a customer, then attached to their
    ticket when it is opened (at most 9). Unattached uploads are purged after a day."""

    __tablename__ = "ticket_photos"
    __table_args__ = (Index("ix_ticket_photos_unattached", "created_at", postgresql_where=text("ticket_id IS NULL")),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    media_key: Mapped[str] = mapped_column(String(200))
    thumb_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
