"""The ticket lifecycle: one table of legal moves, pure (like orders/state.py). Every status change of
a ticket is one of these moves, applied by support.service._move with its timeline row.

new --assign--> assigned --start--> in_progress --resolve--> resolved --confirm | auto_close--> closed
                                         ^                        |
                                         +------- reopen ---------+   (the customer, once, with a reason)
A ticket is never moved backwards otherwise, nor past a step: those are 409 `ticket_transition`.
"""
from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


S = Status
TRANSITIONS: dict[tuple[Status, str], Status] = {
    (S.NEW, "assign"): S.ASSIGNED,
    (S.ASSIGNED, "assign"): S.ASSIGNED,  # handed to someone else before work starts
    (S.IN_PROGRESS, "assign"): S.IN_PROGRESS,  # handed over while being worked
    (S.ASSIGNED, "start"): S.IN_PROGRESS,
    (S.IN_PROGRESS, "resolve"): S.RESOLVED,
    (S.RESOLVED, "confirm"): S.CLOSED,  # the customer accepts the result
    (S.RESOLVED, "auto_close"): S.CLOSED,  # nobody answered within SUPPORT_AUTO_CLOSE_DAYS
    (S.RESOLVED, "reopen"): S.IN_PROGRESS,  # the customer is not satisfied (once)
}
ACTIONS = sorted({a for _, a in TRANSITIONS})
OPEN = [S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED]  # not closed: one open complaint per order
MAX_REOPENS = 1

LABELS = {S.NEW: ("待受理", "New"), S.ASSIGNED: ("已分派", "Assigned"), S.IN_PROGRESS: ("处理中", "In progress"),
          S.RESOLVED: ("已处理", "Resolved"), S.CLOSED: ("已关闭", "Closed")}

# SLA steps: (name, the statuses in which the step is still to be done, the deadline column)
SLA_STEPS = [
    ("assign", [S.NEW], "assign_due_at"),
    ("response", [S.NEW, S.ASSIGNED], "response_due_at"),
    ("resolve", [S.NEW, S.ASSIGNED, S.IN_PROGRESS], "resolve_due_at"),
]


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
