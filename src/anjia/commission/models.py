from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    SmallInteger,
    String,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class CommissionRule(Base):
    """What the platform keeps of an order. A null scope matches anything; the most specific
    matching rule in force wins (service, then region, then level; then the latest valid_from).
    Rules are archived, never deleted: earnings name the rule they were computed with."""

    __tablename__ = "commission_rules"
    __table_args__ = (
        CheckConstraint("kind IN ('percent', 'fixed')", name="kind"),
        CheckConstraint("value >= 0 AND (kind = 'fixed' OR value <= 10000)", name="value"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    worker_level: Mapped[int | None] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(8))  # percent: value in basis points; fixed: fen per order
    value: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
