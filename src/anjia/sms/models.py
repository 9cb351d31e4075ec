from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base
from anjia.core.sealed import Sealed


class SmsMessage(Base):
    """Every text handed to the SMS provider (or refused by it): the provider's message id (Aliyun
    BizId, Tencent SerialNo) and what became of it. `sent` waits for the delivery receipt, which
    turns it into `delivered` or `undelivered`; `failed` never left (error_code says why)."""

    __tablename__ = "sms_messages"
    __table_args__ = (Index("ix_sms_messages_message", "provider", "message_id"),
                      Index("ix_sms_messages_awaiting", "provider", "id", postgresql_where="status = 'sent'"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(48))
    phone: Mapped[str] = mapped_column("phone_sealed", Sealed)  # sealed at rest; kept 180 days (privacy)
    template: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # sent | delivered | undelivered | failed
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the receipt's time
