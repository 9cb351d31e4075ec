from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class DataExport(BaseModel):
    """Everything anjia holds about the signed-in person, as they can download it (PIPL art. 45)."""
    exported_at: datetime
    profile: dict[str, Any]
    addresses: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    tickets: list[dict[str, Any]]
    coupons: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    retention: dict[str, str] = Field(description="how long each kind of record is kept (docs/architecture.md)")
