from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class LedgerAccount(Base):
    """An account of the chart (see service.CHART). Per-person accounts carry `owner_id`."""

    __tablename__ = "ledger_accounts"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # e.g. "customer_balance:42"
    kind: Mapped[str] = mapped_column(String(32))  # the chart entry, e.g. "customer_balance"
    owner_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class JournalEntry(Base):
    """One business event's money movement. Immutable: corrections are reversing entries."""

    __tablename__ = "journal_entries"
    __table_args__ = (Index("ix_journal_entries_created", "created_at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # payment, refund_request, refund, completion, ...
    memo: Mapped[str] = mapped_column(String(200), default="")
    order_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    payment_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    refund_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    reference: Mapped[str | None] = mapped_column(String(64), index=True)  # statement, withdrawal, ...
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entries.id"), unique=True)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Posting(Base):
    """A debit (amount > 0) or credit (amount < 0) of one account, in fen."""

    __tablename__ = "postings"
    __table_args__ = (CheckConstraint("amount <> 0", name="nonzero"),
                      Index("ix_postings_account_entry", "account_id", "entry_id"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entries.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
