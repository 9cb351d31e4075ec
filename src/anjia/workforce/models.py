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
    # sign-up photos (core.media keys): the ID card and a live selfie, compared by face verification
    id_photo_key: Mapped[str | None] = mapped_column(String(200))
    selfie_key: Mapped[str | None] = mapped_column(String(200))
    face_provider: Mapped[str | None] = mapped_column(String(16))  # manual | tencent
    face_status: Mapped[str | None] = mapped_column(String(16))  # manual | passed | failed | error
    face_score: Mapped[float | None] = mapped_column(Float)
    face_detail: Mapped[str] = mapped_column(Text, default="", server_default="")
    face_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
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


CERTIFICATE_KINDS: dict[str, tuple[str, str]] = {
    "health": ("健康证", "Health certificate"),
    "housekeeping": ("家政服务员证", "Housekeeper certificate"),
    "nanny": ("育婴员证", "Childcare certificate"),
    "maternity": ("母婴护理师证", "Maternity nurse certificate"),
    "elderly": ("养老护理员证", "Elderly care certificate"),
}
CERTIFICATE_STATUSES = ("pending", "approved", "rejected")


class WorkerCertificate(Base):
    """A certificate the worker holds (photo kept by core.media). Valid for serving while
    `approved` and before `expires_on` (the day it expires it no longer counts): the database
    function `worker_certified_until` reads this table for availability and dispatch alike.
    `reminded_at` / `lapsed_at` make the daily expiry job act once per certificate."""

    __tablename__ = "worker_certificates"
    __table_args__ = (
        CheckConstraint("kind IN ('health', 'housekeeping', 'nanny', 'maternity', 'elderly')", name="kind"),
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        CheckConstraint("issued_on IS NULL OR issued_on < expires_on", name="dates"),
        Index("ix_worker_certificates_worker_kind", "worker_id", "kind"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(64))
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    photo_key: Mapped[str] = mapped_column(String(200))
    thumb_key: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    review_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lapsed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CertificateRequirement(Base):
    """Which certificate kinds a skill needs (`*`: every skill). Reference data written by the
    migration; `worker_certified_until` reads it."""

    __tablename__ = "certificate_requirements"

    skill: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)


TRAINING_RESULTS = ("passed", "failed", "attended")


class WorkerTraining(Base):
    """A training the worker took (recorded by operators)."""

    __tablename__ = "worker_trainings"
    __table_args__ = (CheckConstraint("result IN ('passed', 'failed', 'attended')", name="result"),
                      CheckConstraint("hours > 0 AND hours <= 1000", name="hours"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course: Mapped[str] = mapped_column(String(64))
    taken_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    result: Mapped[str] = mapped_column(String(16))
    certificate_number: Mapped[str] = mapped_column(String(64), default="", server_default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WorkerNote(Base):
    """An operator's note on the worker's file (append-only)."""

    __tablename__ = "worker_notes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
