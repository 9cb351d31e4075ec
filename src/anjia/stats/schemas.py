from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

Period = Literal["day", "week", "month", "all"]
Dimension = Literal["region", "service", "source", "segment"]
Source = Literal["mp", "h5", "app", "admin", "unknown"]
# the customer's RFM segment when the order was placed; `unclassified`: before their first classification
CustomerSegment = Literal["new", "active", "high_value", "at_risk", "lost", "unclassified"]


class StatsFigures(BaseModel):
    """Orders placed in the bucket and what became of them (money in fen)."""
    orders: int
    paid_orders: int
    gmv: int = Field(description="the paid orders' value (the final price once checked out)")
    paid_amount: int
    refunded_amount: int
    net_amount: int = Field(description="paid_amount − refunded_amount")
    completed: int
    cancelled: int
    reviewed: int
    customers: int = Field(description="distinct customers per day and cell, summed (customer-days)")
    new_customers: int = Field(description="customers whose first order it was")
    returning_customers: int
    avg_price: int = Field(description="gmv / paid_orders, fen (0 without paid orders)")


class StatsRow(StatsFigures):
    bucket: date = Field(description="first day of the day / week (Monday) / month; the range start for `all`")
    key: str | None = Field(description="the group's key (region or service id, source, segment); null without `by`")
    label: str | None


class StatsKey(BaseModel):
    key: str
    label: str


class StatsReportOut(BaseModel):
    start: date
    end: date
    period: Period
    by: Dimension | None
    rows: list[StatsRow]
    keys: list[StatsKey] = Field(description="the groups present, largest GMV first")
    totals: StatsFigures
    computed_at: datetime | None = Field(description="when the newest rollup row in the range was computed")


class FunnelStep(BaseModel):
    step: Literal["created", "paid", "completed", "reviewed"]
    label: str
    orders: int
    rate: float = Field(description="share of the orders created")
    step_rate: float = Field(description="share of the previous step")


class FunnelOut(BaseModel):
    start: date
    end: date
    steps: list[FunnelStep]


class CancellationReason(BaseModel):
    reason: str
    label: str
    orders: int
    share: float


class CancellationsOut(BaseModel):
    start: date
    end: date
    cancelled: int
    reasons: list[CancellationReason]


class LiveTilesOut(BaseModel):
    """Right now (today = the local day in REGION_TIMEZONE), read from the orders themselves."""
    day: date
    orders_today: int
    gmv_today: int
    paid_today: int
    active_workers: int = Field(description="workers on the way to or serving an order now")
    open_complaints: int
    at: datetime


class UtilisationDay(BaseModel):
    day: date
    workers: int = Field(description="active workers with working hours that weekday")
    busy_workers: int = Field(description="workers who checked out an order that day")
    capacity_hours: float
    service_hours: float = Field(description="time on site (check-in to check-out) of the orders checked out that day")
    utilisation: float = Field(description="service_hours / capacity_hours")


class UtilisationOut(BaseModel):
    start: date
    end: date
    days: list[UtilisationDay]
    capacity_hours: float
    service_hours: float
    utilisation: float
