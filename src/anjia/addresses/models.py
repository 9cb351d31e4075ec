from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Float, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base
from anjia.core.sealed import Sealed


class Address(Base):
    """A customer's address. Who and where exactly — contact name, phone, the street-and-door
    `detail` — are sealed at rest (core.sealed); the area (province, city, district) and the GCJ-02
    point stay clear: dispatch, regions, statistics and the console's search need them."""

    __tablename__ = "addresses"
    __table_args__ = (  # the console's customer search by the district of an address (customers.service)
        Index("ix_addresses_district_trgm", "district", postgresql_using="gin",
              postgresql_ops={"district": "gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    contact_name: Mapped[str] = mapped_column("contact_name_sealed", Sealed)
    contact_phone: Mapped[str] = mapped_column("contact_phone_sealed", Sealed)
    province: Mapped[str] = mapped_column(String(32))
    city: Mapped[str] = mapped_column(String(32))
    district: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column("detail_sealed", Sealed)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
