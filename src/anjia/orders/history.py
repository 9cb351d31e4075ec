"""Orders that already happened, loaded in bulk (the demo's three months of business): each order is
its fields at creation plus the steps it went through, and every step that changes the status is a
move of `orders.state.TRANSITIONS` — an illegal sequence is refused before anything is written. The
timeline gets one row per step, dated when it happened. No outbox events and no notifications: what
is loaded is the past, nobody is waiting for it."""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anjia.core import bulk
from anjia.orders import state
from anjia.orders.models import Order, OrderEvent
from anjia.orders.state import Status


@dataclass
class Step:
    event: str  # the timeline's type (orders.service.EVENT_LABELS)
    at: datetime
    action: str | None = None  # a move of the state table, or None for a timeline row alone (a refund)
    actor_id: int | None = None
    actor_kind: str = "system"
    data: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)  # the order's fields set with the step


@dataclass
class PastOrder:
    fields: dict[str, Any]  # the order as created (pending payment): Order's columns, created_at included
    steps: list[Step] = field(default_factory=list)


def replay(order: PastOrder) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The order's row after its steps and its timeline rows (without the order id). Raises
    `state.IllegalTransition` for a step the state table does not allow."""
    row = {**order.fields, "status": Status.PENDING_PAYMENT.value}
    created = row["created_at"]
    events = [{"type": "created", "from_status": None, "to_status": row["status"], "actor_id": row["customer_id"],
               "actor_kind": "customer", "data": {"total": row["total"], "discount": row.get("discount", 0)},
               "created_at": created}]
    last = created
    for s in order.steps:
        if s.at < last:
            raise ValueError(f"step {s.event} at {s.at} before the one before it ({last})")
        frm = to = None
        if s.action is not None:
            frm, to = row["status"], state.next_status(row["status"], s.action).value
            row["status"] = to
        row.update(s.changes)
        events.append({"type": s.event, "from_status": frm, "to_status": to, "actor_id": s.actor_id,
                       "actor_kind": s.actor_kind, "data": s.data, "created_at": s.at})
        last = s.at
    row["updated_at"] = last
    return row, events


async def insert_history(session: AsyncSession, orders: list[PastOrder]) -> list[int]:
    """Insert the orders and their timelines; their ids, in the order given."""
    if not orders:
        return []
    replayed = [replay(o) for o in orders]
    keys = set().union(*(row for row, _ in replayed))  # one shape for every row (one executemany)
    for row, _ in replayed:
        for k in keys - row.keys():
            default = Order.__table__.c[k].default
            row[k] = default.arg if default is not None and default.is_scalar else None
    ids = await bulk.insert_rows(session, Order.__table__, [row for row, _ in replayed])
    await bulk.insert_rows(session, OrderEvent.__table__, [
        {**e, "order_id": order_id, "region_id": row["region_id"]}
        for order_id, (row, events) in zip(ids, replayed, strict=True) for e in events],
        ids=False)
    return ids
