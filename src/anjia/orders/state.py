"""The order lifecycle: one table of legal transitions, pure and property-tested. Every change
of an order's status in the code is one of these moves (orders.service.transition applies them).

pending_payment --pay--> paid --accept--> accepted --depart--> on_the_way --check_in--> in_service
  --check_out--> completed;  cancel / expire / dispatch_fail / assign / redispatch as below.
"""
from enum import StrEnum


class Status(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    DISPATCH_FAILED = "dispatch_failed"
    ACCEPTED = "accepted"
    ON_THE_WAY = "on_the_way"
    IN_SERVICE = "in_service"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


S = Status
TRANSITIONS: dict[tuple[Status, str], Status] = {
    (S.PENDING_PAYMENT, "pay"): S.PAID,
    (S.PENDING_PAYMENT, "cancel"): S.CANCELLED,
    (S.PENDING_PAYMENT, "expire"): S.CANCELLED,
    (S.PAID, "accept"): S.ACCEPTED,  # a worker takes their offer
    (S.PAID, "assign"): S.ACCEPTED,  # an operator assigns by hand
    (S.PAID, "dispatch_fail"): S.DISPATCH_FAILED,
    (S.PAID, "cancel"): S.CANCELLED,
    (S.DISPATCH_FAILED, "accept"): S.ACCEPTED,  # an offer still open when the last round gave up
    (S.DISPATCH_FAILED, "assign"): S.ACCEPTED,
    (S.DISPATCH_FAILED, "redispatch"): S.PAID,
    (S.DISPATCH_FAILED, "cancel"): S.CANCELLED,
    (S.ACCEPTED, "depart"): S.ON_THE_WAY,
    (S.ACCEPTED, "cancel"): S.CANCELLED,
    (S.ACCEPTED, "withdraw"): S.PAID,  # the worker can no longer serve it (suspended, gone, certificate lapsed)
    (S.ON_THE_WAY, "check_in"): S.IN_SERVICE,
    (S.ON_THE_WAY, "cancel"): S.CANCELLED,
    (S.IN_SERVICE, "check_out"): S.COMPLETED,
}
ACTIONS = sorted({a for _, a in TRANSITIONS})
MODIFIABLE = {S.PENDING_PAYMENT, S.PAID, S.DISPATCH_FAILED}  # until a worker accepts
ACTIVE = {S.PENDING_PAYMENT, S.PAID, S.DISPATCH_FAILED, S.ACCEPTED, S.ON_THE_WAY, S.IN_SERVICE}

LABELS = {S.PENDING_PAYMENT: ("待支付", "Awaiting payment"), S.PAID: ("待接单", "Awaiting a worker"),
          S.DISPATCH_FAILED: ("待接单", "Awaiting a worker"), S.ACCEPTED: ("已接单", "Accepted"),
          S.ON_THE_WAY: ("服务中", "Worker on the way"), S.IN_SERVICE: ("服务中", "In service"),
          S.COMPLETED: ("已完成", "Completed"), S.CANCELLED: ("已取消", "Cancelled")}

# Customer app tabs -> statuses.
TABS = {"unpaid": [S.PENDING_PAYMENT], "waiting": [S.PAID, S.DISPATCH_FAILED], "accepted": [S.ACCEPTED],
        "in_service": [S.ON_THE_WAY, S.IN_SERVICE], "completed": [S.COMPLETED], "cancelled": [S.CANCELLED]}


class IllegalTransition(Exception):
    def __init__(self, status: str, action: str):
        super().__init__(f"{action} is not allowed in {status}")
        self.status, self.action = status, action


def next_status(status: str, action: str) -> Status:
    try:
        return TRANSITIONS[(Status(status), action)]
    except (KeyError, ValueError):
        raise IllegalTransition(status, action) from None


def allows(status: str, action: str) -> bool:
    try:
        return (Status(status), action) in TRANSITIONS
    except ValueError:
        return False


def allowed_actions(status: str) -> list[str]:
    return sorted(a for (s, a) in TRANSITIONS if s == status)
