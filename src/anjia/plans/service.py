"""Recurring plans: an RRULE at a local time, materialised into orders on a rolling horizon.
The plan keeps the worker who took its first visit and asks for them again."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.addresses import service as addresses
from anjia.catalog import service as catalog
from anjia.catalog.models import Service
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.orders import schemas as order_schemas
from anjia.orders import service as orders
from anjia.orders.models import Order
from anjia.orders.state import Status
from anjia.plans import recurrence, schemas
from anjia.plans.models import Plan
from anjia.scheduling import service as scheduling
from anjia.scheduling.schemas import hhmm, minutes_of

log = structlog.get_logger()
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def build_rrule(frequency: str, start: date, weekdays: list[str] | None, custom: str | None) -> str:
    days = ",".join(weekdays or [WEEKDAYS[start.weekday()]])
    if frequency == "weekly":
        rule = f"FREQ=WEEKLY;BYDAY={days}"
    elif frequency == "biweekly":
        rule = f"FREQ=WEEKLY;INTERVAL=2;BYDAY={days}"
    elif frequency == "twice_monthly":
        second = start + timedelta(days=14)
        rule = f"FREQ=MONTHLY;BYMONTHDAY={','.join(str(d) for d in sorted({start.day, second.day}))}" \
            if start.day <= 28 and second.day <= 28 else "FREQ=WEEKLY;INTERVAL=2;BYDAY=" + WEEKDAYS[start.weekday()]
    else:
        rule = custom or ""
    rule = recurrence.check(rule)
    if next(recurrence.expand(recurrence.parse(rule, start), start, start + timedelta(days=366)), None) is None:
        raise recurrence.invalid("no visit within a year of the start date")
    return rule


def occurrences(plan: Plan, tz: str, day_from: date, day_to: date) -> list[datetime]:
    """Local visit starts in [day_from, day_to], skipped dates left out, as aware datetimes."""
    zone = ZoneInfo(tz)
    last = min(day_to, plan.end_date) if plan.end_date else day_to
    skipped = set(plan.skipped_dates or [])
    return [datetime(d.year, d.month, d.day, plan.local_time // 60, plan.local_time % 60, tzinfo=zone)
            for d in recurrence.expand(recurrence.parse(plan.rrule, plan.start_date), day_from, last)
            if d not in skipped]


async def _tz(session: AsyncSession, plan: Plan) -> str:
    address = await session.get(addresses.Address, plan.address_id)
    if address is None or address.region_id is None:
        return "Asia/Shanghai"
    return (await scheduling.get_region(session, address.region_id)).timezone


async def materialise(session: AsyncSession, plan: Plan) -> int:
    """Create the orders of the next `horizon_days` that don't exist yet. A visit whose slot
    is taken is left out (the plan page shows it as 未能安排) — the others still go ahead."""
    if plan.status != "active":
        return 0
    customer = await session.get(User, plan.customer_id)
    tz = await _tz(session, plan)
    rules = await scheduling.rules(session)
    today = now().astimezone(ZoneInfo(tz)).date()
    horizon = today + timedelta(days=min(plan.horizon_days, rules.max_horizon_days - 1))
    have = set(await session.scalars(select(Order.occurrence_date).where(Order.plan_id == plan.id)))
    created = 0
    earliest = now() + timedelta(minutes=rules.min_lead_minutes)
    for start in occurrences(plan, tz, max(today, plan.start_date), horizon):
        if start.date() in have or start < earliest:
            continue
        body = order_schemas.OrderRequest(service_id=plan.service_id, address_id=plan.address_id, start=start,
                                          no_coupon=True,  # a job books these: the customer's coupons are theirs to spend
                                          **{k: v for k, v in plan.request.items() if k in ("items", "hours", "options", "notes")})
        try:
            async with session.begin_nested():
                order = await orders.create_order(session, customer, body, plan_id=plan.id,
                                                  occurrence=start.date(), preferred_worker=plan.preferred_worker_id,
                                                  source=plan.source)
        except AppError as e:
            log.info("plan_occurrence_skipped", plan_id=plan.id, date=start.date().isoformat(), reason=e.code)
            continue
        if plan.preferred_worker_id is None:
            plan.preferred_worker_id = order.held_worker_id
        created += 1
    await session.flush()
    return created


async def create_plan(session: AsyncSession, customer: User, body: schemas.PlanRequest, source: str | None = None
                      ) -> Plan:
    service = await catalog.get_service(session, body.service_id)
    if service.pricing_kind == "package":
        raise AppError("invalid_requirements", errors=[{"field": "service_id", "message": "package services run over a date range already"}])
    address = await addresses.get_own(session, customer.id, body.address_id)
    if address.region_id is None:
        raise AppError("address_outside_service_area")
    if body.end_date and body.end_date < body.start_date:
        raise AppError("validation_error", errors=[{"field": "end_date", "message": "after start_date"}])
    tz = (await scheduling.get_region(session, address.region_id)).timezone
    if body.start_date < now().astimezone(ZoneInfo(tz)).date():
        raise AppError("start_in_past", errors=[{"field": "start_date", "message": "today or later"}])
    request = {"items": [i.model_dump() for i in body.items], "hours": body.hours, "options": body.options,
               "notes": body.notes}
    await catalog.price(session, service, request, start=None, region_id=address.region_id)  # validates the needs
    plan = Plan(customer_id=customer.id, service_id=service.id, address_id=address.id, request=request,
                frequency=body.frequency, rrule=build_rrule(body.frequency, body.start_date, body.weekdays, body.rrule),
                local_time=minutes_of(body.time), start_date=body.start_date, end_date=body.end_date,
                status="active", skipped_dates=[], horizon_days=14, source=source or "unknown")
    session.add(plan)
    await session.flush()
    await materialise(session, plan)
    return plan


async def get_own(session: AsyncSession, customer_id: int, plan_id: int, *, lock: bool = False) -> Plan:
    stmt = select(Plan).where(Plan.id == plan_id)
    plan = await session.scalar(stmt.with_for_update() if lock else stmt)
    if plan is None or plan.customer_id != customer_id:
        raise AppError("plan_not_found")
    return plan


async def _cancel_future(session: AsyncSession, actor: User, plan: Plan, from_day: date, reason: str,
                         only_day: date | None = None) -> None:
    """Cancel the plan's not-yet-accepted orders from a date on (or of one day)."""
    stmt = select(Order).where(Order.plan_id == plan.id, Order.occurrence_date >= from_day,
                               Order.status.in_([Status.PENDING_PAYMENT.value, Status.PAID.value,
                                                 Status.DISPATCH_FAILED.value]))
    if only_day:
        stmt = stmt.where(Order.occurrence_date == only_day)
    for order in await session.scalars(stmt):
        await orders.cancel_order(session, actor, order.id,
                                  order_schemas.CancelRequest(reason_code="change_of_plans", reason=reason), None)


async def _open(session: AsyncSession, customer: User, plan_id: int) -> Plan:
    """The customer's plan, locked, unless it has ended."""
    plan = await get_own(session, customer.id, plan_id, lock=True)
    if plan.status == "ended":
        raise AppError("plan_not_active")
    return plan


async def _set_status(session: AsyncSession, customer: User, plan_id: int, status: str) -> Plan:
    plan = await _open(session, customer, plan_id)
    plan.status = status
    await session.flush()
    await materialise(session, plan)  # nothing unless active
    return plan


async def pause(session: AsyncSession, customer: User, plan_id: int) -> Plan:
    return await _set_status(session, customer, plan_id, "paused")


async def resume(session: AsyncSession, customer: User, plan_id: int) -> Plan:
    return await _set_status(session, customer, plan_id, "active")


async def skip(session: AsyncSession, customer: User, plan_id: int, day: date) -> Plan:
    plan = await _open(session, customer, plan_id)
    tz = await _tz(session, plan)
    if not occurrences(plan, tz, day, day):
        raise AppError("validation_error", errors=[{"field": "date", "message": "not a visit of this plan"}])
    plan.skipped_dates = sorted({*(plan.skipped_dates or []), day})
    await _cancel_future(session, customer, plan, day, "跳过本次", only_day=day)
    await session.flush()
    return plan


async def end(session: AsyncSession, customer: User, plan_id: int) -> Plan:
    plan = await _open(session, customer, plan_id)
    tz = await _tz(session, plan)
    today = now().astimezone(ZoneInfo(tz)).date()
    plan.status, plan.end_date = "ended", today
    await _cancel_future(session, customer, plan, today, "结束周期服务")
    await session.flush()
    return plan


async def change(session: AsyncSession, customer: User, plan_id: int, body: schemas.PlanChange) -> Plan:
    """End this plan the day before `from_date` and start its successor with the changes."""
    plan = await _open(session, customer, plan_id)
    tz = await _tz(session, plan)
    today = now().astimezone(ZoneInfo(tz)).date()
    from_date = body.from_date or max(today, plan.start_date)
    if from_date < today or from_date < plan.start_date:
        raise AppError("validation_error", errors=[{"field": "from_date", "message": "today or later"}])
    request = dict(plan.request)
    for k in ("items", "hours", "options"):
        v = getattr(body, k)
        if v is not None:
            request[k] = [i.model_dump() for i in v] if k == "items" else v
    frequency = body.frequency or plan.frequency
    weekdays = body.weekdays
    if weekdays is None and "BYDAY=" in plan.rrule and not body.frequency:
        weekdays = [d[-2:] for d in plan.rrule.split("BYDAY=")[1].split(";")[0].split(",")]
    new = Plan(customer_id=plan.customer_id, service_id=plan.service_id, address_id=plan.address_id,
               request=request, frequency=frequency,
               rrule=build_rrule(frequency, from_date, weekdays, body.rrule or plan.rrule),
               local_time=minutes_of(body.time) if body.time else plan.local_time, start_date=from_date,
               end_date=plan.end_date, status="active", preferred_worker_id=plan.preferred_worker_id,
               skipped_dates=[d for d in plan.skipped_dates or [] if d >= from_date], horizon_days=plan.horizon_days,
               previous_plan_id=plan.id, source=plan.source)
    service = await session.get(Service, plan.service_id)
    await catalog.price(session, service, request, start=None, region_id=None)
    plan.end_date, plan.status = from_date - timedelta(days=1), "ended"
    await _cancel_future(session, customer, plan, from_date, "周期服务已修改")
    session.add(new)
    await session.flush()
    await materialise(session, new)
    return new


async def list_plans(session: AsyncSession, customer_id: int) -> list[Plan]:
    return list(await session.scalars(select(Plan).where(Plan.customer_id == customer_id).order_by(Plan.id.desc())))


async def plan_out(session: AsyncSession, plan: Plan) -> schemas.PlanOut:
    service = await session.get(Service, plan.service_id)
    address = await session.get(addresses.Address, plan.address_id)
    tz = await _tz(session, plan)
    today = now().astimezone(ZoneInfo(tz)).date()
    upcoming = [] if plan.status == "ended" else \
        [o for o in occurrences(plan, tz, max(today, plan.start_date), today + timedelta(days=70)) if o > now()][:6]
    rows = list(await session.scalars(select(Order).where(Order.plan_id == plan.id)
                                      .order_by(Order.scheduled_start)))
    return schemas.PlanOut(
        id=plan.id, status=plan.status, frequency=plan.frequency, rrule=plan.rrule, time=hhmm(plan.local_time),
        start_date=plan.start_date, end_date=plan.end_date,
        service=order_schemas.ServiceRef(id=service.id, name=service.name, pricing_kind=service.pricing_kind),
        address_id=plan.address_id,
        address_text=f"{address.city}{address.district}{address.detail}" if address else "",
        request=plan.request, preferred_worker_id=plan.preferred_worker_id, next_occurrences=upcoming,
        skipped_dates=list(plan.skipped_dates or []), orders=await orders.summaries(session, rows),
        previous_plan_id=plan.previous_plan_id)


async def materialise_all(session: AsyncSession) -> int:
    total = 0
    for plan in await session.scalars(select(Plan).where(Plan.status == "active")):
        async with session.begin_nested():
            total += await materialise(session, plan)
    return total
