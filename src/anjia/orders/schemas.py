from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from anjia.catalog.schemas import OptionValue, QuoteItem, QuoteOut, ServiceRequest
from anjia.core.types import Code, Id, Instant, Note, Patch, Reason
from anjia.coupons.schemas import CouponOption, CouponOut

__all__ = ["OptionValue"]


class CouponChoice(BaseModel):
    """Which of the customer's coupons the price uses: by default the best one they hold."""
    coupon_id: Id | None = Field(default=None, description="this coupon of yours")
    no_coupon: bool = Field(default=False, description="none at all")

    @model_validator(mode="after")
    def _one_choice(self):
        if self.coupon_id is not None and self.no_coupon:
            raise ValueError("either coupon_id or no_coupon")
        return self


class OrderRequest(ServiceRequest, CouponChoice):
    address_id: Id
    start: Instant = Field(description="ISO 8601 with offset; for package services the first day's start")
    notes: Note = ""
    worker_id: Id | None = Field(None, description="book with this worker (e.g. a favourite): 409 "
                                 "`slot_unavailable` when they are not free then (ask /availability with it)")


class CheckoutQuoteIn(ServiceRequest, CouponChoice):
    """The booking page's price: like an order, without booking anything."""
    address_id: Id | None = Field(default=None, description="prices of the address's region")
    start: Instant | None = Field(default=None, description="ISO 8601 with offset")


class CheckoutQuoteOut(BaseModel):
    quote: QuoteOut
    coupon: CouponOut | None = Field(description="the coupon the quote applies")
    options: list[CouponOption] = Field(description="every usable coupon of the customer's, the best first")


class OrderChange(Patch):
    start: Instant = None
    address_id: Id = None
    items: list[QuoteItem] = Field(default=None, max_length=20)
    hours: int = Field(default=None, ge=1, le=24)
    options: dict[Code, OptionValue] = Field(default=None, max_length=20)
    notes: Note = None


class RebookOut(BaseModel):
    """What booking the same work again starts from (a package's dates are asked again)."""
    service_id: int
    address_id: int
    items: list[QuoteItem] | None = None
    hours: int | None = None
    daily_hours: int | None = None
    options: dict[str, OptionValue] | None = None
    notes: str


class CancelRequest(BaseModel):
    reason_code: Literal["change_of_plans", "booked_by_mistake", "price", "worker_issue", "other"]
    reason: Reason = ""


class WorkerCard(BaseModel):
    id: int
    nickname: str
    avatar_url: str | None
    rating: float


class TimelineEntry(BaseModel):
    type: str
    label: str
    at: datetime
    data: dict[str, Any]


class ServiceRef(BaseModel):
    id: int
    name: str
    pricing_kind: str


class OrderSummary(BaseModel):
    id: int
    number: str
    status: str
    status_label: str
    service: ServiceRef
    start: datetime
    end: datetime
    address_text: str
    total: int
    created_at: datetime


class OrderOut(BaseModel):
    id: int
    number: str
    status: str
    status_label: str
    service: ServiceRef
    request: dict[str, Any]
    start: datetime
    end: datetime
    duration_minutes: int
    timezone: str
    address: dict[str, Any]
    quote: QuoteOut
    total: int
    deposit: int
    paid_amount: int
    refunded_amount: int
    final_total: int | None
    price_difference: int  # > 0: the customer is asked for more; < 0: owed back
    payment_due_at: datetime | None
    worker: WorkerCard | None
    plan_id: int | None
    can_modify: bool
    can_cancel: bool
    cancel_fee_now: int
    cancel_fee: int
    cancel_reason_code: str | None
    timeline: list[TimelineEntry]
    notes: str
    source: str = Field(description="the channel it was placed from: mp, h5, app, admin or unknown")
    created_at: datetime


class AdminOrderSummary(OrderSummary):
    customer_id: int
    customer_name: str
    customer_phone: str | None
    worker_id: int | None
    held_worker_id: int | None


class SlotOut(BaseModel):
    start: datetime
    end: datetime
