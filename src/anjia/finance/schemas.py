from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel

from anjia.core.paging import Page
from anjia.core.types import Day, Note

Category = Literal["missing_here", "missing_there", "amount_differs"]
Resolution = Literal["adjusted", "provider_error", "ignored_with_reason"]
# Accounts an adjustment may book the difference against (the other side is the provider's clearing).
CounterAccount = Literal["provider_fees", "unearned", "refunds_payable", "refund_expense", "rewards_expense", "cash"]
Metric = Literal["revenue", "cancel_fees", "collected", "refunds", "coupon_expense", "payables_accrued",
                 "payables_paid"]


class RunIn(BaseModel):
    provider: Literal["wechatpay", "alipay", "unionpay", "sandbox"]
    day: Day


class RunOut(BaseModel):
    id: int
    provider: str
    provider_label: str
    day: date
    status: str  # balanced | differences | failed
    attempt: int
    bill_lines: int
    matched: int
    missing_here: int
    missing_there: int
    amount_differs: int
    open_differences: int  # differences not resolved yet
    bill_payments: int
    bill_refunds: int
    our_payments: int
    our_refunds: int
    error: str | None
    started_by: int | None
    started_at: datetime
    finished_at: datetime | None


class DifferenceOut(BaseModel):
    id: int
    run_id: int
    provider: str
    day: date  # the bill's day
    kind: Literal["payment", "refund"]
    out_no: str
    category: Category
    current: bool  # seen by the latest attempt (a resolved difference may since have matched)
    bill_amount: int | None
    our_amount: int | None
    external_id: str | None
    at: datetime | None
    payment_id: int | None
    refund_id: int | None
    resolution: Resolution | None
    note: str | None
    entry_id: int | None
    resolved_by: int | None
    resolved_at: datetime | None


class RunDetailOut(BaseModel):
    run: RunOut
    differences: Page[DifferenceOut]


class ResolveIn(BaseModel):
    resolution: Resolution
    note: Note  # why: required, finance's own words
    counter_account: CounterAccount | None = None  # adjusted: where the difference is booked


class MetricOut(BaseModel):
    key: Metric
    label: str
    label_en: str


class ReportRow(BaseModel):
    bucket: date  # the day, or the month's first day
    group: str | None  # region / service id, provider code; None: not attributable (e.g. top-ups)
    group_label: str | None
    revenue: int
    cancel_fees: int
    collected: int
    refunds: int
    coupon_expense: int
    payables_accrued: int
    payables_paid: int


class ReportTotals(BaseModel):
    revenue: int = 0
    cancel_fees: int = 0
    collected: int = 0
    refunds: int = 0
    coupon_expense: int = 0
    payables_accrued: int = 0
    payables_paid: int = 0


class Series(BaseModel):
    metric: Metric
    label: str
    data: list[int]  # fen per bucket, aligned with `buckets`


class Chart(BaseModel):
    """Ready for ECharts: x axis `buckets`, one line/bar series per metric (summed over groups)."""
    buckets: list[date]
    series: list[Series]


class ReportOut(BaseModel):
    period: Literal["day", "month"]
    start: date  # first day (inclusive)
    end: date  # last day (inclusive)
    group_by: Literal["region", "service", "provider"] | None
    metrics: list[MetricOut]
    rows: list[ReportRow]
    totals: ReportTotals
    chart: Chart


class Tile(BaseModel):
    label: str
    start: date  # first day (inclusive)
    end: date  # last day (inclusive)
    totals: ReportTotals


class AccountBalance(BaseModel):
    code: str  # an account kind, or clearing:<provider>; per-person accounts are summed by kind
    label: str
    label_en: str
    side: Literal["debit", "credit"]
    balance: int  # fen, on the account's normal side


class OverviewOut(BaseModel):
    today: Tile
    month: Tile
    balances: list[AccountBalance]
    open_differences: int
    latest_runs: list[RunOut]
