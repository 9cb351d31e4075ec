from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import UserDefinedType

from anjia.core.db import Base


class Earth(UserDefinedType):
    """earthdistance's point type (a cube); only SQL reads it."""

    cache_ok = True

    def get_col_spec(self, **kw) -> str:
        return "earth"


REVIEW_STATUSES = ("draft", "submitted", "more_info", "rejected", "approved")
EMPLOYMENT_STATUSES = ("active", "suspended", "left")


class WorkerProfile(Base):
    """The worker's file: who they are (identity, checked), where they work, what they may do.

    `review_status` is the sign-up review, `employment_status` whether they work for us now; the
    booleans the hot SQL reads (`verified`, `active`) are generated from them, so they can never
    disagree. `skills` are the *eligible* skills (declared skills whose required certificates are
    held and valid), recomputed by `workforce.service.recompute_skills`; `declared_skills` are what
    the worker (or an operator) says they do."""

    __tablename__ = "worker_profiles"
    __table_args__ = (
        Index("ix_worker_profiles_home_earth", "home_earth", postgresql_using="gist",
              postgresql_where=text("active AND verified")),
        CheckConstraint("review_status IN ('draft', 'submitted', 'more_info', 'rejected', 'approved')",
                        name="review_status"),
        CheckConstraint("employment_status IN ('active', 'suspended', 'left')",
                        name="employment_status"),
        CheckConstraint("gender IN ('female', 'male')", name="gender"),
    )
    __mapper_args__ = {"eager_defaults": True}  # generated columns come back with RETURNING (async: no lazy load)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    skills: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list, server_default="{}")
    declared_skills: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list, server_default="{}")
    home_lat: Mapped[float | None] = mapped_column(Float)
    home_lng: Mapped[float | None] = mapped_column(Float)
    # Stored so the "who serves this address" query does not call ll_to_earth per row.
    home_earth = mapped_column(Earth, Computed("ll_to_earth(home_lat, home_lng)", persisted=True))
    radius_km: Mapped[float] = mapped_column(Float, default=10)
    review_status: Mapped[str] = mapped_column(String(16), default="draft", server_default="draft")
    employment_status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    verified: Mapped[bool] = mapped_column(Boolean, Computed("review_status = 'approved'", persisted=True))
    active: Mapped[bool] = mapped_column(Boolean, Computed("employment_status = 'active'", persisted=True))
    rating: Mapped[float] = mapped_column(Float, default=5.0)
    level: Mapped[int] = mapped_column(SmallInteger, default=1, server_default=text("1"))  # commission rules by level
    # identity (sign-up): the ID number is sealed (core.security.seal), unique by its keyed hash
    real_name: Mapped[str | None] = mapped_column(String(32))
    id_number_sealed: Mapped[str | None] = mapped_column(Text)
    id_number_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_number_masked: Mapped[str | None] = mapped_column(String(18))
    gender: Mapped[str | None] = mapped_column(String(8))  # female | male, from the ID number
    birth_date: Mapped[date | None] = mapped_column(Date)
    experience_years: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=text("0"))
    experience: Mapped[str] = mapped_column(Text, default="", server_default="")
    # the latest review decision's reasons, shown to the worker (history: worker_status_events)
    review_reasons: Mapped[list[str]] = mapped_column(JSONB, default=list, server_default=text("'[]'::jsonb"))
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())


class WorkerStatusEvent(Base):
    """The worker's status history: each review decision and employment change, with reasons."""

    __tablename__ = "worker_status_events"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # review | employment | skills
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[str]] = mapped_column(JSONB, default=list, server_default=text("'[]'::jsonb"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
