from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from anjia.core.db import Base


class CustomerPreference(Base):
    """How the customer likes the service done; shown to the worker on each of their orders."""

    __tablename__ = "customer_preferences"

    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    worker_gender: Mapped[str] = mapped_column(String(8), default="any", server_default="any")  # any|female|male
    dialect: Mapped[str] = mapped_column(String(32), default="", server_default="")
    pets: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    eco_products: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    quiet_service: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())


class FavouriteService(Base):
    __tablename__ = "favourite_services"

    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class FavouriteWorker(Base):
    __tablename__ = "favourite_workers"

    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
