from sqlalchemy import Boolean, Computed, Float, ForeignKey, Index, SmallInteger, String, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import UserDefinedType


class Earth(UserDefinedType):
    """earthdistance's point type (a cube); only SQL reads it."""

    cache_ok = True

    def get_col_spec(self, **kw) -> str:
        return "earth"

from anjia.core.db import Base


class WorkerProfile(Base):
    """What dispatch and availability need to know of a worker (verification comes later)."""

    __tablename__ = "worker_profiles"
    __table_args__ = (Index("ix_worker_profiles_home_earth", "home_earth", postgresql_using="gist",
                            postgresql_where=text("active AND verified")),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    skills: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list, server_default="{}")
    home_lat: Mapped[float | None] = mapped_column(Float)
    home_lng: Mapped[float | None] = mapped_column(Float)
    # Stored so the "who serves this address" query does not call ll_to_earth per row.
    home_earth = mapped_column(Earth, Computed("ll_to_earth(home_lat, home_lng)", persisted=True))
    radius_km: Mapped[float] = mapped_column(Float, default=10)
    verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    rating: Mapped[float] = mapped_column(Float, default=5.0)
    level: Mapped[int] = mapped_column(SmallInteger, default=1, server_default=text("1"))  # commission rules by level
