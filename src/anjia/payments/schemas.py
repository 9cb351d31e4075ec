from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from anjia.core.types import Fen, Text

Method = Literal["wechatpay", "alipay", "unionpay", "sandbox", "balance"]
ChannelIn = Literal["jsapi", "h5", "native", "page"]
ReturnPath = Text(300)


class PayIn(BaseModel):
    method: Method
    channel: ChannelIn = "h5"
    return_path: ReturnPath | None = Field(None, pattern=r"^/[^/\\]", description=(
        "Where the payer's browser returns to, on this site (`{number}` is replaced by the payment number)"))


class TopUpIn(PayIn):
    amount: Fen = Field(le=500_000, description="fen, at most ¥5,000 per top-up")


class OfflineIn(BaseModel):
    method: Literal["cash", "transfer"]
    reference: Text(64) | None = Field(None, description="bank transfer serial or receipt number")


class RefundIn(BaseModel):
    amount: Fen
    reason: Text(200, min_length=2)


class CheckoutOut(BaseModel):
    kind: Literal["jsapi", "redirect", "qr"]
    url: str | None = None
    params: dict[str, str] = {}
    prepay_id: str | None = None


class PaymentOut(BaseModel):
    id: int
    number: str
    purpose: Literal["order", "supplement", "topup"]
    order_id: int | None
    provider: str
    provider_label: str
    channel: str | None
    amount: int
    refunded_amount: int
    status: Literal["pending", "succeeded", "failed", "closed"]
    late: bool
    created_at: datetime
    paid_at: datetime | None
    checkout: CheckoutOut | None


class RefundOut(BaseModel):
    id: int
    number: str
    payment_id: int
    order_id: int | None
    customer_id: int
    amount: int
    kind: Literal["cancel", "difference", "operator", "late_payment"]
    reason: str
    status: Literal["awaiting_approval", "pending", "processing", "succeeded", "failed", "rejected"]
    error: str | None
    attempts: int
    created_at: datetime
    refunded_at: datetime | None
    provider: str | None = Field(None, description="the refunded payment's provider (in lists and an order's money)")


class MethodOut(BaseModel):
    method: str
    label: str
    label_en: str
    channels: list[str]


class OrderMoneyOut(BaseModel):
    amount_due: int
    paid_amount: int
    refunded_amount: int
    methods: list[MethodOut]
    payments: list[PaymentOut]
    refunds: list[RefundOut]


class BalanceEntry(BaseModel):
    entry_id: int
    kind: str
    memo: str
    order_id: int | None
    at: datetime
    amount: int


class BalanceOut(BaseModel):
    balance: int
    entries: list[BalanceEntry]
    methods: list[MethodOut] = Field(description="how a top-up can be paid (every method but the balance itself)")


class NotificationIssue(BaseModel):
    id: int
    provider: str
    out_no: str
    reason: str
    received_at: datetime


class IssuesOut(BaseModel):
    notifications: list[NotificationIssue]
    refunds: list[RefundOut]
    late_payments: list[PaymentOut]
