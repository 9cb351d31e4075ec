from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import TSTZRANGE, ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class Region(Base):
    """A city service area: time zone, centre and radius, opening hours (local wall-clock)."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    city: Mapped[str] = mapped_column(String(64))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    center_lat: Mapped[float] = mapped_column(Float)
    center_lng: Mapped[float] = mapped_column(Float)
    radius_km: Mapped[float] = mapped_column(Float)
    opens: Mapped[int] = mapped_column(SmallInteger, default=8 * 60)  # minutes after local midnight
    closes: Mapped[int] = mapped_column(SmallInteger, default=20 * 60)
    # offer: push to the top N, first accept wins; assign: push to the best one, then the next
    dispatch_mode: Mapped[str] = mapped_column(String(16), default="offer", server_default="offer")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))


class Holiday(Base):
    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))


class BookingRules(Base):
    """One row (id = 1): the company's booking rules, edited in the admin console."""

    __tablename__ = "booking_rules"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    payment_window_minutes: Mapped[int] = mapped_column(Integer, default=15)
    free_cancel_hours: Mapped[int] = mapped_column(Integer, default=24)
    late_cancel_fee_bp: Mapped[int] = mapped_column(Integer, default=2000)
    min_lead_minutes: Mapped[int] = mapped_column(Integer, default=120)
    max_horizon_days: Mapped[int] = mapped_column(Integer, default=28)
    slot_step_minutes: Mapped[int] = mapped_column(Integer, default=30)
    travel_buffer_minutes: Mapped[int] = mapped_column(Integer, default=30)
    evening_start: Mapped[int] = mapped_column(SmallInteger, default=18 * 60)
    evening_surcharge_bp: Mapped[int] = mapped_column(Integer, default=1000)
    holiday_surcharge_bp: Mapped[int] = mapped_column(Integer, default=2000)


class WorkerHours(Base):
    """Weekly working hours: local wall-clock ranges per weekday (Mon = 0)."""

    __tablename__ = "worker_hours"
    __table_args__ = (CheckConstraint("start_minute < end_minute", name="ordered"),
                      Index("ix_worker_hours_worker_weekday", "worker_id", "weekday", "start_minute"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(SmallInteger)
    start_minute: Mapped[int] = mapped_column(SmallInteger)
    end_minute: Mapped[int] = mapped_column(SmallInteger)


class WorkerLeave(Base):
    __tablename__ = "worker_leaves"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    period = mapped_column(TSTZRANGE, nullable=False)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WorkerBooking(Base):
    """A worker's time taken by an order, travel buffer included. The exclusion constraint
    is what makes double booking impossible, whatever the application does."""

    __tablename__ = "worker_bookings"
    __table_args__ = (
        ExcludeConstraint(("worker_id", "="), ("period", "&&"), name="worker_bookings_no_overlap",
                          using="gist", where=text("active")),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    order_id: Mapped[int] = mapped_column(BigInteger, index=True)
    # the order's region: the distribution column of the plan for Citus (docs/scale-out.md); every
    # query of bookings names it
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    period = mapped_column(TSTZRANGE, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # the visit's point (GCJ-02), for the driving time from and to the neighbouring bookings; none for bulk loads
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
