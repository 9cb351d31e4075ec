from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, Integer, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class WorkerLocation(Base):
    """The worker's last reported position, kept only while on the way to or in a service."""

    __tablename__ = "worker_locations"

    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    order_id: Mapped[int] = mapped_column(BigInteger)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # while on the way: the ETA worked out for this report (providers.maps.travel), read by the live monitor
    eta_minutes: Mapped[int | None] = mapped_column(Integer)
    eta_source: Mapped[str | None] = mapped_column(String(16))  # route | cache | straight_line
    route: Mapped[list[list[float]] | None] = mapped_column(JSONB)


class ServiceRecord(Base):
    """What the worker recorded of the work: a note and/or one photo or short video."""

    __tablename__ = "service_records"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    stage: Mapped[str] = mapped_column(String(16))  # before | during | after
    note: Mapped[str] = mapped_column(String(500), default="")
    media_type: Mapped[str | None] = mapped_column(String(16))  # image | video
    media_key: Mapped[str | None] = mapped_column(String(200))
    thumb_key: Mapped[str | None] = mapped_column(String(200))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ScheduleChange(Base):
    """A worker asks to move an order: operator approves, then the customer consents."""

    __tablename__ = "schedule_changes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    from_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    to_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(String(200), default="")
    # pending_operator -> pending_customer -> applied | declined_by_operator | declined_by_customer
    status: Mapped[str] = mapped_column(String(24), default="pending_operator")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
