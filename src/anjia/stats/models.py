"""Statistics tables: daily rollups of orders (by the order's local day of creation), served hours
per worker (by the visit's local day of check-out) and the days waiting to be recomputed. Nothing
else writes them; triggers on `orders` and `reviews` (migrations 0027, 0031) mark the days a change
touches."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, DateTime, Index, Numeric, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base

Count = BigInteger


class DailyStat(Base):
    """Orders created on one local day, per region × service × source channel × customer segment.
    Every figure belongs to the order's creation day (a cohort): a refund or cancellation arriving
    days later changes the day the order was placed, which is then recomputed."""

    __tablename__ = "stats_daily"
    __table_args__ = (Index("ix_stats_daily_region_day", "region_id", "day"),
                      Index("ix_stats_daily_service_day", "service_id", "day"))

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    region_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    service_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    source: Mapped[str] = mapped_column(String(8), primary_key=True)
    segment: Mapped[str] = mapped_column(Text, primary_key=True)  # new | returning (RFM segments may follow)
    orders: Mapped[int] = mapped_column(Count)
    paid_orders: Mapped[int] = mapped_column(Count)  # orders that were paid (whatever happened next)
    gmv: Mapped[int] = mapped_column(Count)  # fen: the paid orders' value (final price once checked out)
    paid_amount: Mapped[int] = mapped_column(Count)  # fen received for them
    refunded_amount: Mapped[int] = mapped_column(Count)  # fen refunded (asked, net of failures)
    completed: Mapped[int] = mapped_column(Count)
    cancelled: Mapped[int] = mapped_column(Count)
    reviewed: Mapped[int] = mapped_column(Count)
    customers: Mapped[int] = mapped_column(Count)  # distinct customers in the cell
    new_customers: Mapped[int] = mapped_column(Count)  # of which placed their first order here
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DailyCancellation(Base):
    """Cancelled orders of one local day by reason, with the same dimensions."""

    __tablename__ = "stats_daily_cancellations"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    region_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    service_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    source: Mapped[str] = mapped_column(String(8), primary_key=True)
    segment: Mapped[str] = mapped_column(Text, primary_key=True)
    reason: Mapped[str] = mapped_column(String(32), primary_key=True)
    orders: Mapped[int] = mapped_column(Count)


class DailyWorkerHours(Base):
    """Completed visits checked out on one local day, per region × worker, and their time on site
    (check-in to check-out): the served side of worker utilisation."""

    __tablename__ = "stats_daily_worker_hours"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    region_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    worker_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    visits: Mapped[int] = mapped_column(Count)
    service_seconds: Mapped[Decimal] = mapped_column(Numeric)  # exact: a sum of microsecond intervals


class DirtyDay(Base):
    """A local day whose rollups a change touched: appended by the triggers, one row per change
    statement and day, removed by the job once the day is recomputed (only the rows it saw)."""

    __tablename__ = "stats_dirty_days"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
