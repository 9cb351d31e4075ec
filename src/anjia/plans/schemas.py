from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from anjia.catalog.schemas import OptionValue, QuoteItem
from anjia.core.types import HHMM, Code, Day, Id, Note, Patch, Text
from anjia.orders.schemas import OrderSummary, ServiceRef

Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
Frequency = Literal["weekly", "biweekly", "twice_monthly", "custom"]
Rule = Text(200)


class PlanRequest(BaseModel):
    service_id: Id
    address_id: Id
    items: list[QuoteItem] = Field(default_factory=list, max_length=20)
    hours: int | None = Field(default=None, ge=1, le=24)
    options: dict[Code, OptionValue] = Field(default_factory=dict, max_length=20)
    notes: Note = ""
    frequency: Frequency
    weekdays: list[Weekday] | None = Field(default=None, max_length=7)
    rrule: Rule | None = None
    start_date: Day
    time: HHMM
    end_date: Day | None = None


class PlanChange(Patch):
    """Any subset of the fields; they apply from `from_date` on (left out: from today, or from the
    plan's start when that is later)."""

    from_date: Day = None
    time: HHMM = None
    weekdays: list[Weekday] | None = Field(default=None, max_length=7)  # null: as the plan has them
    frequency: Frequency = None
    rrule: Rule | None = None
    items: list[QuoteItem] = Field(default=None, max_length=20)
    hours: int = Field(default=None, ge=1, le=24)
    options: dict[Code, OptionValue] = Field(default=None, max_length=20)


class SkipRequest(BaseModel):
    date: Day


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
