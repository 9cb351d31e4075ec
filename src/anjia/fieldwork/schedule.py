"""Schedule changes: the worker proposes, the operator approves, the customer consents; only
then does the order move (its booking re-checked under the exclusion constraint)."""
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.core import audit
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.fieldwork import schemas
from anjia.fieldwork.models import ScheduleChange
from anjia.notifications import service as notifications
from anjia.orders import lifecycle
from anjia.orders import service as orders
from anjia.orders.models import Order
from anjia.orders.state import Status
from anjia.realtime.service import publish

CUTOFF = timedelta(hours=12)  # no changes asked for later than this before the visit
WINDOW = timedelta(days=7)  # how far the visit may move


def out(c: ScheduleChange) -> schemas.ScheduleChangeOut:
    return schemas.ScheduleChangeOut(id=c.id, order_id=c.order_id, worker_id=c.worker_id, from_start=c.from_start,
                                     to_start=c.to_start, reason=c.reason, status=c.status, created_at=c.created_at)


async def request(session: AsyncSession, worker: User, data: schemas.ScheduleChangeIn) -> ScheduleChange:
    order = await orders.lock(session, data.order_id)
    if order.worker_id != worker.id:
        raise AppError("order_not_found")
    if order.status != Status.ACCEPTED.value or order.scheduled_start - now() < CUTOFF:
        raise AppError("schedule_change_closed")
    if data.new_start.tzinfo is None or abs(data.new_start - order.scheduled_start) > WINDOW or data.new_start <= now():
        raise AppError("validation_error", errors=[{"field": "new_start", "message": "within 7 days of the visit"}])
    if await session.scalar(select(ScheduleChange.id).where(ScheduleChange.order_id == order.id, ScheduleChange.status
                                                            .in_(["pending_operator", "pending_customer"]))):
        raise AppError("schedule_change_pending")
    c = ScheduleChange(order_id=order.id, worker_id=worker.id, from_start=order.scheduled_start,
                       to_start=data.new_start, reason=data.reason, status="pending_operator")
    session.add(c)
    await session.flush()
    await orders.record(session, order, "schedule_change_requested", worker,
                        data={"change_id": c.id, "to": data.new_start.isoformat(), "reason": data.reason})
    return c


async def _locked(session: AsyncSession, change_id: int, status: str) -> tuple[ScheduleChange, Order]:
    c = await session.scalar(select(ScheduleChange).where(ScheduleChange.id == change_id).with_for_update())
    if c is None:
        raise AppError("not_found")
    order = await orders.lock(session, c.order_id)
    if c.status != status:
        raise AppError("schedule_change_closed")
    return c, order


async def operator_decides(session: AsyncSession, actor: User, change_id: int, approve: bool) -> ScheduleChange:
    c, order = await _locked(session, change_id, "pending_operator")
    c.status = "pending_customer" if approve else "declined_by_operator"
    c.decided_at = now()
    await audit.record(session, actor, f"schedule_change.{'approve' if approve else 'decline'}", "schedule_change",
                       c.id, {"status": "pending_operator"}, {"status": c.status})
    await orders.record(session, order, "schedule_change_approved" if approve else "schedule_change_declined", actor,
                        data={"change_id": c.id})
    if approve:
        await notifications.notify(session, order.customer_id, "order.schedule_change", "师傅申请调整上门时间",
                                   "师傅申请调整上门时间，请在订单详情中确认。", {"order_id": order.id, "change_id": c.id},
                                   sms=True)
    else:
        await publish(session, [f"user:{c.worker_id}"], "schedule_change.declined", {"change_id": c.id})
    return c


async def customer_decides(session: AsyncSession, customer: User, change_id: int, consent: bool) -> ScheduleChange:
    c, order = await _locked(session, change_id, "pending_customer")
    if order.customer_id != customer.id:
        raise AppError("not_found")
    c.decided_at = now()
    if not consent:
        c.status = "declined_by_customer"
        await orders.record(session, order, "schedule_change_declined", customer, data={"change_id": c.id})
        return c
    c.status = "applied"
    await lifecycle.reschedule(session, order, c.to_start, customer,
                               {"change_id": c.id, "from": c.from_start.isoformat(), "to": c.to_start.isoformat()})
    return c


async def for_order(session: AsyncSession, order_id: int) -> list[schemas.ScheduleChangeOut]:
    rows = await session.scalars(select(ScheduleChange).where(ScheduleChange.order_id == order_id)
                                 .order_by(ScheduleChange.id))
    return [out(c) for c in rows]


async def pending_for_operators(session: AsyncSession) -> list[schemas.ScheduleChangeOut]:
    rows = await session.scalars(select(ScheduleChange).where(ScheduleChange.status == "pending_operator")
                                 .order_by(ScheduleChange.id))
    return [out(c) for c in rows]
