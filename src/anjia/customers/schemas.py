from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from anjia.addresses.schemas import AddressOut
from anjia.core.types import Id, Text
from anjia.coupons.schemas import CouponCounts
from anjia.orders.schemas import OrderSummary
from anjia.preferences.schemas import FavouritesOut, PreferenceLine
from anjia.reviews.schemas import ReviewOut
from anjia.support.schemas import TicketSummary

Segment = Literal["new", "active", "high_value", "at_risk", "lost"]
Arm = Literal["treated", "control"]
Tag = Text(20, min_length=1)

SEGMENT_LABELS = {"new": ("新客", "New"), "active": ("活跃", "Active"), "high_value": ("高价值", "High value"),
                  "at_risk": ("流失风险", "At risk"), "lost": ("已流失", "Lost")}


class CustomerRow(BaseModel):
    """A customer in the console's list. The phone is always masked here (the profile shows it in
    full to `personal.read`, audited)."""
    id: int
    nickname: str
    phone: str | None
    is_active: bool
    created_at: datetime
    segment: Segment | None
    tags: list[str]
    area: str = Field(description="city and district of the default (or latest) address")
    orders: int = Field(description="counted orders (paid, not cancelled)")
    spend: int = Field(description="fen: final totals of counted orders minus refunds")
    last_order_at: datetime | None


class SegmentPeriod(BaseModel):
    segment: Segment
    since: datetime
    until: datetime | None
    recency_days: int | None
    frequency: int
    monetary: int


class SegmentSize(BaseModel):
    segment: Segment
    customers: int


class SegmentsOut(BaseModel):
    """How many customers are in each segment now, and the rules (customers.rfm) that put them there."""
    sizes: list[SegmentSize]
    thresholds: dict[str, int]
    computed_at: datetime | None = Field(description="the latest run that moved someone")


class TagCount(BaseModel):
    tag: str
    customers: int


class CustomerTagIn(BaseModel):
    tag: Tag


class CustomerTagOut(BaseModel):
    tag: str
    created_at: datetime


class CustomerNoteIn(BaseModel):
    body: Text(1000, min_length=1, multiline=True)


class CustomerNoteOut(BaseModel):
    id: int
    body: str
    author_name: str
    created_at: datetime


class CustomerFigures(BaseModel):
    orders: int = Field(description="every order, whatever its status")
    counted: int = Field(description="paid and not cancelled")
    completed: int
    cancelled: int
    spend: int = Field(description="fen, counted orders: final total minus refunds")
    average: int = Field(description="fen per counted order")
    first_order_at: datetime | None
    last_order_at: datetime | None


class CampaignMembership(BaseModel):
    campaign_id: int
    name: str
    arm: Arm
    coupon_id: int | None
    launched_at: datetime


class CustomerProfile(BaseModel):
    """Everything operators know of one customer, gathered from the packages that own it."""
    id: int
    nickname: str
    phone: str | None = Field(description="in full for personal.read (each read audited), else masked")
    phone_masked: bool
    email: str | None
    is_active: bool
    deleted: bool
    created_at: datetime
    figures: CustomerFigures
    segment: SegmentPeriod | None
    segment_history: list[SegmentPeriod]
    tags: list[CustomerTagOut]
    notes: list[CustomerNoteOut]
    addresses: list[AddressOut] = Field(description="contact names and phones masked without personal.read")
    preferences: list[PreferenceLine]
    preference_note: str
    favourites: FavouritesOut
    coupons: CouponCounts
    orders: list[OrderSummary] = Field(description="the 10 newest; page with /orders")
    reviews: list[ReviewOut] = Field(description="the 10 newest")
    reviews_total: int
    tickets: list[TicketSummary] = Field(description="the 10 newest complaints, suggestions and follow-ups")
    tickets_total: int
    campaigns: list[CampaignMembership]


# ---------------------------------------------------------------- campaigns
class CampaignIn(BaseModel):
    """A coupon campaign to the customers of `segment` now: `control_percent` of them (by a hash of
    the campaign and the customer) are held out and get nothing; the rest get the coupon."""
    name: Text(64, min_length=1)
    segment: Segment
    kind: Literal["amount", "percent"]
    value: int = Field(gt=0, le=100_000_000, description="amount: fen off; percent: basis points off (1..10000)")
    cap: int | None = Field(default=None, gt=0, le=100_000_000, description="percent only: at most this many fen off")
    min_spend: int = Field(default=0, ge=0, le=100_000_000)
    service_id: Id | None = None
    valid_days: int = Field(default=14, ge=1, le=3650)
    coupon_title: Text(64, min_length=1)
    control_percent: int = Field(default=10, ge=0, le=50)

    @model_validator(mode="after")
    def _consistent(self):
        if self.kind == "percent" and self.value > 10_000:
            raise ValueError("a percent coupon takes at most 10000 basis points")
        if self.kind == "amount" and self.cap is not None:
            raise ValueError("only a percent coupon has a cap")
        return self


class ArmResult(BaseModel):
    arm: Arm
    members: int
    issued: int
    redeemed: int = Field(description="coupons of the campaign used on an order")
    buyers: int = Field(description="members with a counted order since launch")
    orders: int = Field(description="counted orders since launch")
    gmv: int = Field(description="fen: their final totals")
    conversion_bp: int = Field(description="buyers / members, basis points")
    gmv_per_member: int = Field(description="fen")


class CampaignOut(BaseModel):
    id: int
    name: str
    segment: Segment
    kind: Literal["amount", "percent"]
    value: int
    cap: int | None
    min_spend: int
    service_id: int | None
    service_name: str | None
    valid_days: int
    coupon_title: str
    control_percent: int
    created_by_name: str
    launched_at: datetime
    members: int
    issued: int
    redeemed: int


class CampaignReport(BaseModel):
    campaign: CampaignOut
    arms: list[ArmResult] = Field(description="treated, then control")
    lift_conversion_bp: int | None = Field(description="treated minus control conversion; null without a control")
    lift_gmv_per_member: int | None = Field(description="fen, treated minus control; null without a control")
    computed_at: datetime
