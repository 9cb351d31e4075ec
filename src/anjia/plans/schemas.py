from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from anjia.catalog.schemas import QuoteItem
from anjia.orders.schemas import OptionValue, OrderSummary, ServiceRef

Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
HHMM = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class PlanRequest(BaseModel):
    service_id: int = Field(ge=1)
    address_id: int = Field(ge=1)
    items: list[QuoteItem] = Field(default_factory=list, max_length=20)
    hours: int | None = Field(default=None, ge=1, le=24)
    options: dict[str, OptionValue] = Field(default_factory=dict, max_length=20)
    notes: str = Field(default="", max_length=500)
    frequency: Literal["weekly", "biweekly", "twice_monthly", "custom"]
    weekdays: list[Weekday] | None = Field(default=None, max_length=7)
    rrule: str | None = Field(default=None, max_length=200)
    start_date: date
    time: str = HHMM
    end_date: date | None = None


class PlanChange(BaseModel):
    from_date: date
    time: str | None = HHMM
    weekdays: list[Weekday] | None = Field(default=None, max_length=7)
    frequency: Literal["weekly", "biweekly", "twice_monthly", "custom"] | None = None
    rrule: str | None = Field(default=None, max_length=200)
    items: list[QuoteItem] | None = Field(default=None, max_length=20)
    hours: int | None = Field(default=None, ge=1, le=24)
    options: dict[str, OptionValue] | None = Field(default=None, max_length=20)


class SkipRequest(BaseModel):
    date: date


class PlanOut(BaseModel):
    id: int
    status: Literal["active", "paused", "ended"]
    frequency: str
    rrule: str
    time: str
    start_date: date
    end_date: date | None
    service: ServiceRef
    address_id: int
    address_text: str
    request: dict
    preferred_worker_id: int | None
    next_occurrences: list[datetime]
    skipped_dates: list[date]
    orders: list[OrderSummary]
    previous_plan_id: int | None
