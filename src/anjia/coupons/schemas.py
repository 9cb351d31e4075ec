from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from anjia.core.paging import Page
from anjia.core.types import Id, Text

Kind = Literal["amount", "percent"]
Source = Literal["compensation", "manual", "signup", "referral", "campaign", "code"]
Status = Literal["available", "used", "expired", "revoked"]
Tab = Literal["available", "used", "expired"]


class CouponOut(BaseModel):
    """A coupon as its customer and support see it. `status` is as of now: an available coupon
    past `valid_until` reads `expired` before the job has marked it."""
    id: int
    customer_id: int
    kind: Kind
    value: int = Field(description="amount: fen off; percent: basis points off")
    cap: int | None = Field(description="percent: at most this many fen off")
    min_spend: int = Field(description="fen: the price before the coupon must reach this")
    service_id: int | None = Field(description="only this service; null: any")
    service_name: str | None
    title: str
    source: Source
    source_ref: str | None
    valid_from: datetime
    valid_until: datetime = Field(description="inclusive")
    status: Status
    order_id: int | None
    used_at: datetime | None
    created_at: datetime


class CouponCounts(BaseModel):
    available: int
    used: int
    expired: int


class CouponPage(Page[CouponOut]):
    counts: CouponCounts


class AdminCouponOut(CouponOut):
    customer_name: str
    customer_phone: str | None
    issued_by: int | None
    revoked_at: datetime | None
    revoke_reason: str | None


class CouponIssueIn(BaseModel):
    """Staff issue a coupon to one customer by hand (a goodwill gesture or a complaint's compensation)."""
    customer_id: Id
    kind: Kind
    value: int = Field(gt=0, le=100_000_000, description="amount: fen off; percent: basis points off (1..10000)")
    cap: int | None = Field(default=None, gt=0, le=100_000_000, description="percent only: at most this many fen off")
    min_spend: int = Field(default=0, ge=0, le=100_000_000)
    valid_days: int = Field(default=30, ge=1, le=3650)
    service_id: Id | None = None
    source: Literal["manual", "compensation"] = "manual"
    source_ref: Text(64, min_length=1) | None = None
    title: Text(64, min_length=1)

    @model_validator(mode="after")
    def _consistent(self):
        if self.kind == "percent" and self.value > 10_000:
            raise ValueError("a percent coupon takes at most 10000 basis points")
        if self.kind == "amount" and self.cap is not None:
            raise ValueError("only a percent coupon has a cap")
        return self


class RevokeIn(BaseModel):
    reason: Text(200, min_length=1, multiline=True)


class CouponOption(BaseModel):
    """A coupon of the customer's for the order being priced: what it would take off, or why it does not apply."""
    coupon: CouponOut
    discount: int
    applicable: bool
    reason: Literal["ok", "other_service", "min_spend", "not_started"] = "ok"
