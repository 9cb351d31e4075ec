from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.naming import conv

from anjia.core.db import Base


class Earning(Base):
    """A completed order's money for its worker, fixed at check-out (one per order)."""

    __tablename__ = "earnings"
    __table_args__ = (
        Index("ix_earnings_worker_computed", "worker_id", "computed_at"),
        CheckConstraint("gross >= 0 AND discount >= 0 AND commission >= 0 AND net = gross - commission",
                        name="amounts"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    gross: Mapped[int] = mapped_column(BigInteger)  # final total before the coupon the platform pays
    discount: Mapped[int] = mapped_column(BigInteger, default=0)  # that coupon (coupon_expense)
    commission: Mapped[int] = mapped_column(BigInteger)
    net: Mapped[int] = mapped_column(BigInteger)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("commission_rules.id"))  # None: the configured default
    rule_kind: Mapped[str] = mapped_column(String(8))  # the rule as applied (rules may change later)
    rule_value: Mapped[int] = mapped_column(BigInteger)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"))
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Adjustment(Base):
    """Money owed to a worker outside an earning — a correction (an accepted dispute) or a reward
    (a performance bonus): its own ledger entry, paid with the worker's next statement. The
    statement a correction corrects is never edited."""

    __tablename__ = "settlement_adjustments"
    __table_args__ = (CheckConstraint("amount > 0", name="positive"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(200))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"))
    # what it pays for when it is not a dispute, e.g. "performance:2026-11:42": UNIQUE, so a
    # reward asked for twice (a rerun, two at once) is posted once
    source: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Statement(Base):
    """A worker's settlement for a period: its lines and amounts never change after it is built;
    only its status moves draft -> approved -> paid."""

    __tablename__ = "statements"
    __table_args__ = (
        UniqueConstraint("worker_id", "period_start", "period_end", name=conv("uq_statements_worker_period")),
        CheckConstraint("status IN ('draft', 'approved', 'paid')", name="status"),
        Index("ix_statements_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # inclusive, local days
    status: Mapped[str] = mapped_column(String(12), default="draft")
    orders: Mapped[int] = mapped_column(BigInteger)
    gross: Mapped[int] = mapped_column(BigInteger)
    commission: Mapped[int] = mapped_column(BigInteger)
    net: Mapped[int] = mapped_column(BigInteger)  # of the earnings
    adjustments: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)  # net + adjustments: what is paid out
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    bank_reference: Mapped[str | None] = mapped_column(String(64))
    payout_entry_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"))


class StatementLine(Base):
    """An earning or an adjustment in a statement. Each is in at most one statement (UNIQUE):
    building twice cannot settle anything twice. Append-only (a trigger refuses edits)."""

    __tablename__ = "statement_lines"
    __table_args__ = (CheckConstraint("(earning_id IS NULL) <> (adjustment_id IS NULL)", name="one_source"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    earning_id: Mapped[int | None] = mapped_column(ForeignKey("earnings.id"), unique=True)
    adjustment_id: Mapped[int | None] = mapped_column(ForeignKey("settlement_adjustments.id"), unique=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    description: Mapped[str] = mapped_column(String(200))
    gross: Mapped[int] = mapped_column(BigInteger)
    commission: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)  # what the line adds to the statement's total


class Dispute(Base):
    """A worker's objection to one statement line (once per line), decided by finance."""

    __tablename__ = "statement_disputes"
    __table_args__ = (CheckConstraint("status IN ('open', 'accepted', 'rejected')", name="status"),
                      Index("ix_statement_disputes_status", "status", "id"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("statement_lines.id"), unique=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="open")
    decision_note: Mapped[str | None] = mapped_column(String(200))
    adjustment_id: Mapped[int | None] = mapped_column(ForeignKey("settlement_adjustments.id"), unique=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Withdrawal(Base):
    """A worker's request to be paid what approved statements owe them; one open at a time
    (partial unique index). Settled by the payout of their statement."""

    __tablename__ = "withdrawals"
    __table_args__ = (
        CheckConstraint("amount > 0", name="positive"),
        CheckConstraint("status IN ('requested', 'approved', 'rejected', 'paid')", name="status"),
        Index("uq_withdrawals_one_open", "worker_id", unique=True,
              postgresql_where=text("status IN ('requested', 'approved')")),
        Index("ix_withdrawals_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12), default="requested")
    note: Mapped[str | None] = mapped_column(String(200))  # finance's reason when rejected
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"))  # the payout that settled it
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
