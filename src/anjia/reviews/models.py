from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class Review(Base):
    """The customer's review of a completed order: one per order (UNIQUE), three scores 1..5."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("quality BETWEEN 1 AND 5 AND attitude BETWEEN 1 AND 5 AND skill BETWEEN 1 AND 5",
                        name="scores_1_to_5"),
        Index("ix_reviews_worker_created", "worker_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    quality: Mapped[int] = mapped_column(SmallInteger)
    attitude: Mapped[int] = mapped_column(SmallInteger)
    skill: Mapped[int] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))
    low: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sql("false"))  # any score <= 2
    follow_up_ticket_id: Mapped[int | None] = mapped_column(BigInteger)  # support's ticket opened for a low score
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_reason: Mapped[str | None] = mapped_column(String(200))
    hidden_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReviewPhoto(Base):
    """A cleaned photo uploaded by a customer; it belongs to a review once the review names it."""

    __tablename__ = "review_photos"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=sql("0"))
    media_key: Mapped[str] = mapped_column(String(200))
    thumb_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReviewReminder(Base):
    """The one reminder to review an order (the job inserts ON CONFLICT DO NOTHING: once per order)."""

    __tablename__ = "review_reminders"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
