from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from anjia.core.types import Id, Instant, Name, Patch

RuleKind = Literal["percent", "fixed"]


def _check_value(kind: str | None, value: int | None) -> None:
    if kind == "percent" and value is not None and value > 10_000:
        raise ValueError("a percentage is at most 10000 basis points (100 %)")


class RuleIn(BaseModel):
    name: Name
    service_id: Id | None = Field(None, description="null: every service")
    region_id: Id | None = Field(None, description="null: every region")
    worker_level: int | None = Field(None, ge=1, le=9, strict=True, description="null: every level")
    kind: RuleKind = Field(description="percent: `value` in basis points (2000 = 20 %); fixed: fen per order")
    value: int = Field(ge=0, le=100_000_000, strict=True)
    valid_from: Instant | None = Field(None, description="default: now")

    @model_validator(mode="after")
    def _value(self) -> "RuleIn":
        _check_value(self.kind, self.value)
        return self


class RuleUpdate(Patch):
    name: Name = None
    kind: RuleKind = None
    value: int = Field(None, ge=0, le=100_000_000, strict=True)
    valid_from: Instant = None
    active: bool = None


class RuleOut(BaseModel):
    id: int
    name: str
    service_id: int | None
    service_name: str | None
    region_id: int | None
    region_name: str | None
    worker_level: int | None
    kind: RuleKind
    value: int
    valid_from: datetime
    active: bool
