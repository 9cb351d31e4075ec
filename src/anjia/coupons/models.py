from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base

KINDS = ("amount", "percent")
SOURCES = ("compensation", "manual", "signup", "referral", "campaign", "code")
STATUSES = ("available", "used", "expired", "revoked")


class Coupon(Base):
    """One customer's coupon. `amount`: `value` fen off; `percent`: `value` basis points off, at most
    `cap` fen. Valid from `valid_from` to `valid_until` (inclusive). Used once: the order it was used
    on is `order_id` exactly while it is `used` (a cancelled order gives it back). The same
    (customer, source, source_ref) is issued once."""

    __tablename__ = "coupons"
    __table_args__ = (
        CheckConstraint("kind IN ('amount', 'percent')", name="kind"),
        CheckConstraint("value > 0 AND (kind = 'amount' OR value <= 10000)", name="value"),
        CheckConstraint("cap IS NULL OR (cap > 0 AND kind = 'percent')", name="cap"),
        CheckConstraint("min_spend >= 0", name="min_spend"),
        CheckConstraint("valid_until > valid_from", name="validity"),
        CheckConstraint("status IN ('available', 'used', 'expired', 'revoked')", name="status"),
        CheckConstraint("source IN ('compensation', 'manual', 'signup', 'referral', 'campaign', 'code')",
                        name="source"),
        CheckConstraint("(status = 'used') = (order_id IS NOT NULL)", name="used_on_order"),
        Index("uq_coupons_source_ref", "customer_id", "source", "source_ref", unique=True,
              postgresql_where=text("source_ref IS NOT NULL")),
        Index("uq_coupons_order", "order_id", unique=True, postgresql_where=text("order_id IS NOT NULL")),
        Index("ix_coupons_customer_status", "customer_id", "status", "valid_until"),
        Index("ix_coupons_expiring", "valid_until", postgresql_where=text("status = 'available'")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(BigInteger)
    cap: Mapped[int | None] = mapped_column(BigInteger)
    min_spend: Mapped[int] = mapped_column(BigInteger, default=0)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    title: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[str | None] = mapped_column(String(64))
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(12), default="available")
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    issued_by: Mapped[int | None] = mapped_column(BigInteger)  # the staff member; null for the system
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoke_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())
