from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.naming import conv

from anjia.core.db import Base

Points = Numeric(4, 1)  # 0.0 .. 100.0


class PerformanceMonth(Base):
    """One evaluated month: draft (recomputing replaces its scorecards) -> published (its scorecards
    and rewards never change again: a trigger refuses edits of a published month's rows)."""

    __tablename__ = "performance_months"
    __table_args__ = (CheckConstraint("status IN ('draft', 'published')", name="status"),
                      CheckConstraint("extract(day FROM month) = 1", name="first_day"))

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    status: Mapped[str] = mapped_column(String(12), default="draft")
    weights: Mapped[dict[str, int]] = mapped_column(JSONB)  # the weights it was scored with
    workers: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    computed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the monthly job
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Scorecard(Base):
    """A worker's month: the figures counted from data, each factor's points and the score."""

    __tablename__ = "performance_scorecards"
    __table_args__ = (UniqueConstraint("worker_id", "month", name=conv("uq_performance_scorecards_worker_month")),
                      Index("ix_performance_scorecards_month_score", "month", "score"),
                      CheckConstraint("grade IN ('S', 'A', 'B', 'C')", name="grade"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    month: Mapped[date] = mapped_column(ForeignKey("performance_months.month"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))  # the worker's, when computed
    service_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), default=list)  # services completed
    level: Mapped[int] = mapped_column(SmallInteger)  # the worker's level when computed
    # figures
    reviews: Mapped[int] = mapped_column(Integer)
    rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))  # mean of the month's reviews
    visits: Mapped[int] = mapped_column(Integer)
    late: Mapped[int] = mapped_column(Integer)
    late_minutes: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer)
    completed: Mapped[int] = mapped_column(Integer)
    offered: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[int] = mapped_column(Integer)
    overruns: Mapped[int] = mapped_column(Integer)
    overrun_minutes: Mapped[int] = mapped_column(Integer)
    complaints: Mapped[int] = mapped_column(Integer)
    # points per factor (performance.scoring.WEIGHTS) and their sum
    rating_points: Mapped[Decimal] = mapped_column(Points)
    punctuality_points: Mapped[Decimal] = mapped_column(Points)
    completion_points: Mapped[Decimal] = mapped_column(Points)
    acceptance_points: Mapped[Decimal] = mapped_column(Points)
    overrun_points: Mapped[Decimal] = mapped_column(Points)
    complaint_points: Mapped[Decimal] = mapped_column(Points)
    score: Mapped[Decimal] = mapped_column(Points)
    grade: Mapped[str] = mapped_column(String(1))
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RewardRule(Base):
    """What a score earns when a month is published: a bonus (fen, through settlement), a level up
    or down (through workforce), a badge. Operators edit them; archived, never deleted."""

    __tablename__ = "performance_reward_rules"
    __table_args__ = (
        CheckConstraint("kind IN ('bonus', 'level_up', 'level_down', 'badge')", name="kind"),
        CheckConstraint("(kind = 'bonus') = (amount IS NOT NULL)", name="bonus_amount"),
        CheckConstraint("(kind = 'badge') = (badge IS NOT NULL)", name="badge_name"),
        CheckConstraint("min_score IS NOT NULL OR below_score IS NOT NULL", name="has_range"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(12))
    min_score: Mapped[Decimal | None] = mapped_column(Points)  # score >= min_score
    below_score: Mapped[Decimal | None] = mapped_column(Points)  # score < below_score
    min_completed: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    amount: Mapped[int | None] = mapped_column(BigInteger)  # bonus, fen
    badge: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())


class Reward(Base):
    """What a published month gave a worker. UNIQUE (worker, month, kind, badge): one bonus and one
    level change per worker and month, each badge once — publishing twice or at once gives nothing twice."""

    __tablename__ = "performance_rewards"
    __table_args__ = (UniqueConstraint("worker_id", "month", "kind", "badge",
                                       name=conv("uq_performance_rewards_once")),
                      CheckConstraint("kind IN ('bonus', 'level', 'badge')", name="kind"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    month: Mapped[date] = mapped_column(ForeignKey("performance_months.month"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("performance_reward_rules.id"))
    amount: Mapped[int | None] = mapped_column(BigInteger)  # bonus
    adjustment_id: Mapped[int | None] = mapped_column(ForeignKey("settlement_adjustments.id"))  # its posting
    badge: Mapped[str] = mapped_column(String(16), default="", server_default="")
    level_from: Mapped[int | None] = mapped_column(SmallInteger)
    level_to: Mapped[int | None] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
