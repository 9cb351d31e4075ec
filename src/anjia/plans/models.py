from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Integer, SmallInteger, String, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class Plan(Base):
    """A recurring booking: an RFC 5545 RRULE at a local time, materialised into orders on a
    rolling horizon by a job. Changing a plan 'from a date on' ends it the day before and
    starts a successor, so past orders keep pointing at the rule that made them."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"))
    request: Mapped[dict[str, Any]] = mapped_column(JSONB)
    frequency: Mapped[str] = mapped_column(String(16))
    rrule: Mapped[str] = mapped_column(String(200))
    local_time: Mapped[int] = mapped_column(SmallInteger)  # minutes after local midnight
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")
    preferred_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    skipped_dates: Mapped[list[date]] = mapped_column(ARRAY(Date), default=list, server_default="{}")
    horizon_days: Mapped[int] = mapped_column(Integer, default=14)
    source: Mapped[str] = mapped_column(String(8), server_default="unknown")  # the channel it was made from
    previous_plan_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
