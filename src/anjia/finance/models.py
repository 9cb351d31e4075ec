from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class ReconciliationRun(Base):
    """One provider's bill for one day (the provider's day, Asia/Shanghai) matched against our
    records. Re-running the day updates this row; `attempt` tells which differences are current."""

    __tablename__ = "reconciliation_runs"
    __table_args__ = (UniqueConstraint("provider", "day", name="uq_reconciliation_runs_provider_day"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="running")  # balanced | differences | failed
    attempt: Mapped[int] = mapped_column(default=1)
    bill_lines: Mapped[int] = mapped_column(BigInteger, default=0)
    matched: Mapped[int] = mapped_column(BigInteger, default=0)
    missing_here: Mapped[int] = mapped_column(BigInteger, default=0)
    missing_there: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_differs: Mapped[int] = mapped_column(BigInteger, default=0)
    bill_payments: Mapped[int] = mapped_column(BigInteger, default=0)  # fen, as the provider lists them
    bill_refunds: Mapped[int] = mapped_column(BigInteger, default=0)
    our_payments: Mapped[int] = mapped_column(BigInteger, default=0)  # fen, as our ledger booked them
    our_refunds: Mapped[int] = mapped_column(BigInteger, default=0)
    error: Mapped[str | None] = mapped_column(String(200))
    started_by: Mapped[int | None] = mapped_column(BigInteger)  # staff for "run now", None for the daily job
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReconciliationDifference(Base):
    """A bill line without its record, a record without its line, or both with different amounts.
    Finance resolves each one; a resolution survives re-runs of the day."""

    __tablename__ = "reconciliation_differences"
    __table_args__ = (UniqueConstraint("run_id", "kind", "out_no", name="uq_reconciliation_differences_line"),
                      Index("ix_reconciliation_differences_open", "run_id", "category", "resolved_at"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("reconciliation_runs.id"))
    attempt: Mapped[int] = mapped_column()  # the run's attempt that last saw it
    kind: Mapped[str] = mapped_column(String(16))  # payment | refund
    out_no: Mapped[str] = mapped_column(String(64))  # out_trade_no / out_refund_no
    category: Mapped[str] = mapped_column(String(16))  # missing_here | missing_there | amount_differs
    bill_amount: Mapped[int | None] = mapped_column(BigInteger)
    our_amount: Mapped[int | None] = mapped_column(BigInteger)  # what our ledger booked through the provider
    external_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    payment_id: Mapped[int | None] = mapped_column(BigInteger)
    refund_id: Mapped[int | None] = mapped_column(BigInteger)
    resolution: Mapped[str | None] = mapped_column(String(24))  # adjusted | provider_error | ignored_with_reason
    note: Mapped[str | None] = mapped_column(String(500))
    entry_id: Mapped[int | None] = mapped_column(BigInteger)  # the correcting entry of an adjustment
    resolved_by: Mapped[int | None] = mapped_column(BigInteger)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
