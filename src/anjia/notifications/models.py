from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class Notification(Base):
    """The in-app inbox; offline copies go out as a WeChat subscribe message or by SMS."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at", "id"),
                      Index("ix_notifications_sms_pending", "id", postgresql_where="sms_status = 'pending'"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(String(300))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Offline copy by SMS: written with the change, sent after it commits by the job (an outbox).
    sms_status: Mapped[str | None] = mapped_column(String(16))  # pending | sent | failed | skipped
    sms_params: Mapped[dict[str, str] | None] = mapped_column(JSONB)  # the SMS template's variables
    # subscribe message: pending | sent | unsubscribed | failed | skipped
    wechat_status: Mapped[str | None] = mapped_column(String(16))
    # a passing WeChat failure (busy, quota, network): tried again from retry_at, at most WECHAT_ATTEMPTS times
    wechat_attempts: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    retry_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WechatSubscription(Base):
    """One-time subscribe messages a user allowed for a template: each "accept" in the mini program
    allows one message (WeChat's rule), so they add up and each message sent uses one."""

    __tablename__ = "wechat_subscriptions"
    __table_args__ = (CheckConstraint("remaining >= 0", name="remaining_not_negative"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    template_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    remaining: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_result: Mapped[str] = mapped_column(String(16))  # accept | reject | ban | filter | used_up
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())
