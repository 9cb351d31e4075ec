from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class Category(Base):
    __tablename__ = "service_categories"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64), default="")
    icon: Mapped[str] = mapped_column(String(64), default="")
    sort: Mapped[int] = mapped_column(Integer, default=0)
    published: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())


class Service(Base):
    """A bookable service. `items` are its priced variants (e.g. 挂机 / 柜机 for 空调清洗,
    or the single 'hour' of an hourly service); `options` are the typed requirements with
    their price effects. Both are validated by catalog.pricing before they are stored."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("service_categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    image_url: Mapped[str | None] = mapped_column(String(500))
    skill: Mapped[str] = mapped_column(String(32))  # workers need this skill
    pricing_kind: Mapped[str] = mapped_column(String(16))  # fixed | hourly | package
    unit_name: Mapped[str] = mapped_column(String(16), default="次")
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    min_hours: Mapped[int | None] = mapped_column(Integer)
    max_hours: Mapped[int | None] = mapped_column(Integer)
    min_days: Mapped[int | None] = mapped_column(Integer)
    max_days: Mapped[int | None] = mapped_column(Integer)
    daily_hours: Mapped[int | None] = mapped_column(Integer)
    deposit: Mapped[int] = mapped_column(BigInteger, default=0)
    sort: Mapped[int] = mapped_column(Integer, default=0)
    published: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())


class RegionPrice(Base):
    __tablename__ = "service_region_prices"
    __table_args__ = (UniqueConstraint("service_id", "region_id", "item_code"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"))
    item_code: Mapped[str] = mapped_column(String(32))
    unit_price: Mapped[int] = mapped_column(BigInteger)
