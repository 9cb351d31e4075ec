from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, DateTime, Index, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class Event(Base):
    """Transactional outbox: written in the same transaction as the change it reports.

    An AFTER INSERT trigger calls pg_notify('anjia_events', event), which PostgreSQL
    delivers only on commit, so listeners in every API process see committed events only.
    `relayed` rows skip the trigger: an API process sends them itself right after its commit,
    batched (realtime.relay) — one NOTIFY transaction for many commits instead of one each.
    """

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_topic_id", "topic", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))  # user:<id> | role:<role>
    type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    relayed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
