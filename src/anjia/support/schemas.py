from datetime import date, datetime
from typing import Annotated, Literal

import annotated_types as at
from pydantic import BaseModel, Field

from anjia.core.types import Fen, Id, Reason, Text

Kind = Literal["complaint", "suggestion", "follow_up"]
Category = Literal["quality", "attitude", "punctuality", "damage", "pricing", "other"]
RootCause = Literal["worker_skill", "worker_conduct", "scheduling", "pricing", "platform", "customer", "other"]
StatusName = Literal["new", "assigned", "in_progress", "resolved", "closed"]
SlaStep = Literal["assign", "response", "resolve"]

KINDS = {"complaint": ("投诉", "Complaint"), "suggestion": ("建议", "Suggestion"), "follow_up": ("低分回访", "Follow-up")}
CATEGORIES = {"quality": ("服务质量", "Service quality"), "attitude": ("服务态度", "Attitude"),
              "punctuality": ("迟到/未到", "Late / no-show"), "damage": ("物品损坏", "Damage"),
              "pricing": ("收费问题", "Charges"), "other": ("其他", "Other")}
ROOT_CAUSES = {"worker_skill": ("技能不足", "Worker skill"), "worker_conduct": ("服务人员言行", "Worker conduct"),
               "scheduling": ("调度排班", "Scheduling"), "pricing": ("价格收费", "Pricing"),
               "platform": ("平台/产品", "Platform"), "customer": ("客户原因/误解", "Customer side"),
               "other": ("其他", "Other")}
MAX_PHOTOS = 9


class TicketIn(BaseModel):
    """A complaint (about one of your orders, or general) or a suggestion. Photos: ids from
    `POST /support/photos`, at most 9."""

    kind: Literal["complaint", "suggestion"]
    order_id: Id | None = None
    category: Category
    content: Text(1000, min_length=2, multiline=True)  # type: ignore[valid-type]
    photo_ids: Annotated[list[Id], at.MaxLen(MAX_PHOTOS)] = Field(default_factory=list)


class TicketReopenIn(BaseModel):
    reason: Reason


class TicketAssignIn(BaseModel):
    assignee_id: Id


class TicketNoteIn(BaseModel):
    note: Text(500, min_length=1, multiline=True)  # type: ignore[valid-type]


class TicketCompensationIn(BaseModel):
    """A coupon (an amount off the customer's next order, issued by coupons) or a refund of the
    ticket's order (through payments: above the approval threshold it waits for finance)."""

    kind: Literal["coupon", "refund"]
    amount: Fen
    valid_days: Annotated[int, at.Ge(1), at.Le(365)] = 30  # coupon only
    min_spend: Annotated[int, at.Ge(0), at.Le(100_000_000)] = 0  # coupon only


class TicketResolveIn(BaseModel):
    result: Text(1000, min_length=2, multiline=True)  # type: ignore[valid-type]
    root_cause: RootCause
    upheld: bool
    compensation: TicketCompensationIn | None = None


class TicketPhotoOut(BaseModel):
    id: int
    url: str | None
    thumb_url: str | None


class TicketEventOut(BaseModel):
    id: int
    type: str
    label: str
    from_status: str | None
    to_status: str | None
    actor_kind: str
    actor_name: str | None
    note: str | None
    data: dict
    at: datetime


class TicketCompensationOut(BaseModel):
    kind: Literal["coupon", "refund"]
    amount: int
    title: str
    coupon_id: int | None = None
    valid_until: datetime | None = None  # coupon
    refunds: list[str] = []  # refund numbers
    # coupon: issued | used | expired | revoked; refund: awaiting_approval | pending | processing |
    # succeeded | failed | rejected
    status: str
    at: datetime


class SupportRef(BaseModel):
    id: int
    name: str


class TicketOrderRef(BaseModel):
    id: int
    number: str
    service_name: str
    start: datetime


class TicketSlaOut(BaseModel):
    step: SlaStep
    due_at: datetime
    done_at: datetime | None
    breached: bool  # done late, or not done and past due


class TicketSummary(BaseModel):
    id: int
    number: str
    kind: Kind
    kind_label: str
    category: Category
    category_label: str
    content: str
    status: StatusName
    status_label: str
    order: TicketOrderRef | None
    created_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None


class TicketOut(TicketSummary):
    photos: list[TicketPhotoOut]
    result: str | None
    upheld: bool | None
    compensation: list[TicketCompensationOut]
    reopen_count: int
    reopen_reason: str | None
    close_reason: str | None
    auto_close_at: datetime | None  # when a resolved ticket closes by itself
    can_confirm: bool
    can_reopen: bool
    timeline: list[TicketEventOut]


class AdminTicketSummary(TicketSummary):
    customer: SupportRef
    worker: SupportRef | None
    service: SupportRef | None
    region: SupportRef | None
    assignee: SupportRef | None
    root_cause: RootCause | None
    upheld: bool | None
    overdue: list[SlaStep]  # steps breached and still not done
    due_step: SlaStep | None  # the first step still to be done (the console's countdown); None once resolved
    due_at: datetime | None  # its deadline (past: overdue)


class AdminTicketOut(TicketOut):
    customer: SupportRef
    customer_phone: str | None  # masked
    worker: SupportRef | None
    service: SupportRef | None
    region: SupportRef | None
    assignee: SupportRef | None
    root_cause: RootCause | None
    root_cause_label: str | None
    sla: list[TicketSlaOut]
    overdue: list[SlaStep]
    due_step: SlaStep | None
    due_at: datetime | None
    actions: list[str]  # what staff may do now: assign | start | resolve | note


class SupportAssigneeOut(BaseModel):
    id: int
    name: str
    roles: list[str]
    open_tickets: int


class SupportBucket(BaseModel):
    key: str
    label: str
    total: int
    complaints: int
    upheld: int
    compensation: int  # fen


class SupportTrendPoint(BaseModel):
    day: date
    opened: int
    complaints: int
    suggestions: int
    follow_ups: int
    resolved: int


class SupportAnalysisOut(BaseModel):
    start: date
    end: date
    total: int
    complaints: int
    suggestions: int
    follow_ups: int
    resolved: int  # resolved or closed
    upheld: int
    upheld_rate: float  # upheld / complaints resolved, 0..1
    overdue: int  # tickets that breached any SLA step
    avg_resolve_hours: float | None
    compensation_coupons: int  # fen
    compensation_refunds: int  # fen
    by_status: list[SupportBucket]
    by_category: list[SupportBucket]
    by_root_cause: list[SupportBucket]
    by_worker: list[SupportBucket]
    by_service: list[SupportBucket]
    by_region: list[SupportBucket]
    trend: list[SupportTrendPoint]
