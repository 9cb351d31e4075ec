from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base

SEGMENTS = ("new", "active", "high_value", "at_risk", "lost")
_SEGMENT_CHECK = "segment IN ('new', 'active', 'high_value', 'at_risk', 'lost')"


class CustomerTag(Base):
    """A tag staff put on a customer by hand (VIP, 投诉敏感, 企业客户 ...): one row per (customer, tag)."""

    __tablename__ = "customer_tags"
    __table_args__ = (Index("ix_customer_tags_tag", "tag"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(20), primary_key=True)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CustomerNote(Base):
    """A staff note on a customer (not shown to the customer)."""

    __tablename__ = "customer_notes"
    __table_args__ = (Index("ix_customer_notes_customer", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(String(1000))
    author_id: Mapped[int | None] = mapped_column(BigInteger)
    author_name: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SegmentMembership(Base):
    """A customer's RFM segment from `since` to `until` (NULL: now). The nightly job closes a row
    and opens the next when the segment changes; one open row per customer (partial UNIQUE)."""

    __tablename__ = "customer_segments"
    __table_args__ = (
        CheckConstraint(_SEGMENT_CHECK, name="segment"),
        CheckConstraint("until IS NULL OR until > since", name="period"),
        Index("uq_customer_segments_current", "customer_id", unique=True, postgresql_where=text("until IS NULL")),
        Index("ix_customer_segments_current_segment", "segment", "customer_id", postgresql_where=text("until IS NULL")),
        Index("ix_customer_segments_customer", "customer_id", "since"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    segment: Mapped[str] = mapped_column(String(16))
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the figures that put the customer here (at `since`)
    recency_days: Mapped[int | None] = mapped_column(BigInteger)
    frequency: Mapped[int] = mapped_column(BigInteger, default=0)
    monetary: Mapped[int] = mapped_column(BigInteger, default=0)


class Campaign(Base):
    """A coupon campaign to the customers of one segment at launch. Members whose hash bucket
    falls under `control_bp` basis points are the held-out control group and get no coupon."""

    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint(_SEGMENT_CHECK, name="segment"),
        CheckConstraint("kind IN ('amount', 'percent')", name="kind"),
        CheckConstraint("value > 0 AND (kind = 'amount' OR value <= 10000)", name="value"),
        CheckConstraint("cap IS NULL OR (cap > 0 AND kind = 'percent')", name="cap"),
        CheckConstraint("min_spend >= 0", name="min_spend"),
        CheckConstraint("valid_days BETWEEN 1 AND 3650", name="valid_days"),
        CheckConstraint("control_bp BETWEEN 0 AND 5000", name="control_bp"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    segment: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(BigInteger)
    cap: Mapped[int | None] = mapped_column(BigInteger)
    min_spend: Mapped[int] = mapped_column(BigInteger, default=0)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    valid_days: Mapped[int] = mapped_column(SmallInteger)
    coupon_title: Mapped[str] = mapped_column(String(64))
    control_bp: Mapped[int] = mapped_column(SmallInteger)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_by_name: Mapped[str] = mapped_column(String(64), default="")
    launched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CampaignMember(Base):
    """Who was in the campaign's segment at launch: treated (with the coupon issued) or control."""

    __tablename__ = "campaign_members"
    __table_args__ = (
        CheckConstraint("arm IN ('treated', 'control')", name="arm"),
        CheckConstraint("(arm = 'treated') = (coupon_id IS NOT NULL)", name="coupon_when_treated"),
        Index("ix_campaign_members_customer", "customer_id"),
    )

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    arm: Mapped[str] = mapped_column(String(8))
    coupon_id: Mapped[int | None] = mapped_column(ForeignKey("coupons.id"))
