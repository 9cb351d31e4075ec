"""An order's course after payment — who serves it, when, on the way, on site, alerts — changed
here and only here, each move through the state table with its timeline row. Dispatch and
fieldwork decide; these functions write."""
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.orders.models import Order
from anjia.orders.service import need_for, record, transition
from anjia.orders.state import Status
from anjia.realtime.service import publish
from anjia.scheduling import service as scheduling


async def _book(session: AsyncSession, order: Order, worker_id: int, start: datetime) -> None:
    """Move the order's booking to `worker_id` at `start` (the exclusion constraint decides)."""
    need = await need_for(session, order)
    if await scheduling.move(session, order.id, need, start, worker_id=worker_id) is None:
        raise AppError("worker_busy")  # the whole request rolls back: the order keeps its booking


async def accept(session: AsyncSession, order: Order, worker: User, actor: User, *, manual: bool = False) -> None:
    """`worker` takes the (locked) order: their offer (`accept`) or an operator's choice (`assign`).
    The booking moves to them unless it is already theirs."""
    if order.held_worker_id != worker.id:
        await _book(session, order, worker.id, order.scheduled_start)
        order.held_worker_id = worker.id
    data = {"worker_id": worker.id, "nickname": worker.nickname, **({"manual": True} if manual else {})}
    await transition(session, order, "assign" if manual else "accept", actor, "accepted", data,
                     worker_id=worker.id, accepted_at=now())


async def withdraw(session: AsyncSession, order: Order, reason: str) -> None:
    """The (locked) accepted order loses its worker, who can no longer serve it: the booking is
    released and the order is paid again, for dispatch to offer anew. The customer is told."""
    worker_id = order.worker_id
    await scheduling.release(session, order.id, order.region_id)
    await transition(session, order, "withdraw", None, "worker_withdrawn", {"worker_id": worker_id, "reason": reason},
                     worker_id=None, held_worker_id=None, accepted_at=None)


async def depart(session: AsyncSession, order: Order, worker: User) -> None:
    await transition(session, order, "depart", worker, "departed", departed_at=now())
    await session.flush()


async def check_in(session: AsyncSession, order: Order, worker: User, meters: int, explanation: str | None,
                   note: str | None) -> None:
    """`note`: why the worker checked in far from the address (operators are told)."""
    await transition(session, order, "check_in", worker, "checked_in", {"distance_m": meters, "explanation": explanation},
                     checked_in_at=now(), check_in_distance_m=meters, check_in_note=note)
    await session.flush()


async def check_out(session: AsyncSession, order: Order, worker: User, at: datetime, final_total: int,
                    discount: int | None = None) -> None:
    """The work is done at `at`; the difference to what was paid waits for the payment domain.
    `discount`: the coupon's part of the final price (when re-priced), else the order's stays."""
    minutes = int((at - order.checked_in_at).total_seconds() // 60)
    await transition(session, order, "check_out", worker, "checked_out", {"final_total": final_total, "minutes": minutes},
                     checked_out_at=at, final_total=final_total,
                     discount=order.discount if discount is None else discount,
                     price_difference=final_total - (order.paid_amount - order.refunded_amount))
    await session.flush()


async def reschedule(session: AsyncSession, order: Order, start: datetime, actor: User, data: dict) -> None:
    """Move an accepted order to `start`, keeping its worker and its length."""
    if order.status != Status.ACCEPTED.value:
        raise AppError("schedule_change_closed")
    duration = order.scheduled_end - order.scheduled_start
    await _book(session, order, order.worker_id, start)
    order.scheduled_start, order.scheduled_end = start, start + duration
    await record(session, order, "rescheduled", actor, data=data)


# ---------------------------------------------------------------- alerts for dispatchers
LATE_MINUTES = 10
OVERRUN_MINUTES = 30
ALERTS = {  # kind: (statuses, flag, the time it is measured from, grace minutes, payload key)
    "late_start": ([Status.ACCEPTED, Status.ON_THE_WAY], "late_alerted_at", "scheduled_start", LATE_MINUTES,
                   "minutes_late"),
    "overrun": ([Status.IN_SERVICE], "overrun_alerted_at", "scheduled_end", OVERRUN_MINUTES, "minutes_over"),
}


async def watch_progress(session: AsyncSession) -> int:
    """Job: tell dispatchers about late starts (no check-in 10 minutes after the start) and
    overruns (in service 30 minutes past the planned end), once per order."""
    t = now()
    alerts = 0
    for kind, (statuses, flag, since, grace, key) in ALERTS.items():
        due = await session.scalars(select(Order).where(
            Order.status.in_([s.value for s in statuses]), getattr(Order, flag).is_(None),
            getattr(Order, since) < t - timedelta(minutes=grace)).with_for_update(skip_locked=True).limit(200))
        for o in due:
            setattr(o, flag, t)
            await publish(session, ["role:dispatcher", "role:admin"], f"alert.{kind}",
                          {"order_id": o.id, "number": o.number, "worker_id": o.worker_id,
                           key: int((t - getattr(o, since)).total_seconds() // 60)})
            alerts += 1
    await session.flush()
    return alerts


# ---------------------------------------------------------------- money (decided by payments)
async def paid(session: AsyncSession, order: Order, amount: int, actor: User | None, data: dict) -> bool:
    """A payment of `amount` fen for this locked order succeeded. True when it is the payment that
    moves the order to paid (the caller then starts dispatch); otherwise a supplement."""
    if order.status == Status.PENDING_PAYMENT.value:
        await transition(session, order, "pay", actor, "paid", data, paid_amount=order.paid_amount + amount,
                         price_difference=0)
        return True
    order.paid_amount += amount
    order.price_difference = max(0, order.price_difference - amount)
    await record(session, order, "supplement_paid", actor, data=data)
    return False


async def refund_requested(session: AsyncSession, order: Order, amount: int, actor: User | None, data: dict) -> None:
    order.refunded_amount += amount
    order.price_difference = min(0, order.price_difference + amount)
    await record(session, order, "refund_requested", actor, data=data)


async def refund_settled(session: AsyncSession, order: Order, ok: bool, data: dict) -> None:
    """The provider's final word on a refund: on the timeline (a failure stays owed; finance retries)."""
    await record(session, order, "refunded" if ok else "refund_failed", None, data=data)


async def owe_difference(session: AsyncSession, order: Order, amount: int, data: dict) -> None:
    """The service came out dearer than paid: the customer is asked for `amount` more."""
    order.price_difference = amount
    await record(session, order, "supplement_requested", None, data=data)
