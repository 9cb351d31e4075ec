from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from anjia.commission.schemas import RuleKind
from anjia.core.paging import Page
from anjia.core.types import Day, Fen, Reason, Text

StatementStatus = Literal["draft", "approved", "paid"]
DisputeStatus = Literal["open", "accepted", "rejected"]
WithdrawalStatus = Literal["requested", "approved", "rejected", "paid"]


# ---------------------------------------------------------------- earnings
class EarningOut(BaseModel):
    id: int
    order_id: int
    order_number: str
    service_name: str
    worker_id: int
    gross: int = Field(description="fen: the order's final total before the coupon the platform pays")
    discount: int = Field(description="fen: that coupon, borne by the platform")
    commission: int
    net: int
    rule_id: int | None
    rule_kind: RuleKind
    rule_value: int
    computed_at: datetime
    statement_id: int | None
    statement_status: StatementStatus | None
    settled: bool = Field(description="in a paid statement")


class Figures(BaseModel):
    orders: int
    gross: int
    commission: int
    net: int


class WithdrawalOut(BaseModel):
    id: int
    number: str
    worker_id: int
    worker_name: str
    amount: int
    status: WithdrawalStatus
    note: str | None
    statement_id: int | None
    created_at: datetime
    decided_at: datetime | None
    paid_at: datetime | None


class SummaryOut(BaseModel):
    today: Figures
    week: Figures
    month: Figures
    pending: int = Field(description="fen earned (with adjustments) not yet in a paid statement")
    settled: int = Field(description="fen paid out in statements")
    withdrawable: int = Field(description="fen in approved, unpaid statements")
    open_withdrawal: WithdrawalOut | None


class EarningPage(Page[EarningOut]):
    pass


# ---------------------------------------------------------------- statements
class LineOut(BaseModel):
    id: int
    kind: Literal["earning", "adjustment"]
    order_id: int | None
    order_number: str | None
    description: str
    gross: int
    commission: int
    amount: int
    dispute: "DisputeOut | None"


class StatementOut(BaseModel):
    id: int
    number: str
    worker_id: int
    worker_name: str
    period_start: date
    period_end: date
    status: StatementStatus
    orders: int
    gross: int
    commission: int
    net: int
    adjustments: int
    total: int
    created_at: datetime
    approved_at: datetime | None
    paid_at: datetime | None
    bank_reference: str | None
    open_disputes: int


class StatementDetail(StatementOut):
    lines: list[LineOut]


class StatementPage(Page[StatementOut]):
    pass


class DisputeIn(BaseModel):
    reason: Text(200, min_length=2, multiline=True)


class DisputeOut(BaseModel):
    id: int
    line_id: int
    statement_id: int
    statement_number: str
    worker_id: int
    worker_name: str
    order_id: int | None
    line_description: str
    line_amount: int
    reason: str
    status: DisputeStatus
    decision_note: str | None
    adjustment_amount: int | None
    created_at: datetime
    decided_at: datetime | None


LineOut.model_rebuild()


class DisputePage(Page[DisputeOut]):
    pass


class AcceptIn(BaseModel):
    amount: Fen = Field(description="fen owed to the worker: paid with their next statement")
    note: Reason


class RefuseIn(BaseModel):
    """Why finance turns a dispute or a withdrawal down (not fieldwork's RejectIn: one name per schema in the API)."""
    reason: Text(200, min_length=2, multiline=True)


class PayoutIn(BaseModel):
    bank_reference: Text(64, min_length=4) = Field(description="the bank transfer's serial number")


class StatementRunIn(BaseModel):
    start: Day
    end: Day = Field(description="inclusive; every earning up to this local day not yet in a statement is taken")

    @model_validator(mode="after")
    def _order(self) -> "StatementRunIn":
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class StatementRunOut(BaseModel):
    period_start: date
    period_end: date
    statements: list[StatementOut]


# ---------------------------------------------------------------- withdrawals
class WithdrawalIn(BaseModel):
    amount: Fen


class WithdrawalPage(Page[WithdrawalOut]):
    pass
