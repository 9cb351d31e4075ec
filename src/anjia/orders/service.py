"""Orders: create from a quote and a held slot, read, change before acceptance, cancel under
the policy, expire unpaid ones. Every state change goes through orders.state and writes a
timeline row and an outbox event in the same transaction."""
import secrets
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts import service as accounts
from anjia.accounts.models import User, phone_search
from anjia.accounts.service import mask_phone
from anjia.addresses import service as addresses
from anjia.addresses.models import Address
from anjia.catalog import pricing
from anjia.catalog import service as catalog
from anjia.catalog.models import Service
from anjia.core import audit, rbac
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.core.types import like_pattern
from anjia.coupons import service as coupons
from anjia.notifications import service as notifications
from anjia.notifications.service import CUSTOMER_MESSAGES
from anjia.orders import hooks, schemas, state
from anjia.orders.models import Order, OrderEvent
from anjia.orders.state import Status
from anjia.realtime.service import publish
from anjia.scheduling import service as scheduling
from anjia.scheduling.models import Region
from anjia.workforce.models import WorkerProfile

EVENT_LABELS = {"created": "已下单", "modified": "订单已修改", "paid": "已支付", "cancelled": "订单已取消",
                "expired": "超时未支付，已自动取消", "accepted": "师傅已接单", "dispatch_failed": "暂无师傅接单",
                "departed": "师傅已出发", "checked_in": "师傅已到达，开始服务", "checked_out": "服务已完成",
                "record_added": "师傅上传了服务记录", "redispatched": "重新派单",
                "worker_withdrawn": "原师傅无法服务，重新派单",
                "schedule_change_requested": "师傅申请改期", "schedule_change_approved": "平台已同意改期，待您确认",
                "schedule_change_declined": "改期未通过", "rescheduled": "上门时间已调整",
                "supplement_paid": "已补缴差价", "refund_requested": "退款处理中", "refunded": "退款已到账",
                "refund_failed": "退款遇到问题，客服处理中", "supplement_requested": "服务超出预估，请补缴差价"}


# ---------------------------------------------------------------- helpers
def _need(region: Region, service: Service, address: Address, quote, req: dict, rules) -> scheduling.Need:
    return scheduling.Need.for_quote(region, service, address.lat, address.lng, minutes=quote.duration_minutes,
                                     days=quote.days, buffer_minutes=rules.travel_buffer_minutes,
                                     daily_hours=req.get("daily_hours"))


async def need_for(session: AsyncSession, order: Order) -> scheduling.Need:
    """What this order's booking needs, from its stored quote (dispatch and schedule moves ask)."""
    service = await session.get(Service, order.service_id)
    region = await session.get(Region, order.region_id)
    rules = await scheduling.rules(session)
    return scheduling.Need.for_quote(region, service, order.address["lat"], order.address["lng"],
                                     minutes=order.quote["duration_minutes"], days=order.quote["days"],
                                     buffer_minutes=rules.travel_buffer_minutes,
                                     daily_hours=order.request.get("daily_hours"))


def _check_start(start: datetime, region: Region, need: scheduling.Need, rules, *, lead: bool = True) -> None:
    if start.tzinfo is None:
        raise AppError("validation_error", errors=[{"field": "start", "message": "needs a UTC offset"}])
    at = now()
    if start <= at:
        raise AppError("start_in_past", errors=[{"field": "start", "message": "in the past"}])
    if lead and start < at + timedelta(minutes=rules.min_lead_minutes):
        raise AppError("start_too_soon", errors=[{"field": "start", "message": f"{rules.min_lead_minutes} min ahead"}])
    if start > at + timedelta(days=rules.max_horizon_days):
        raise AppError("start_beyond_horizon", errors=[{"field": "start", "message": f"{rules.max_horizon_days} days"}])
    local = start.astimezone(ZoneInfo(region.timezone))
    minute = local.hour * 60 + local.minute
    end_minute = minute + (0 if need.span else need.minutes)
    if minute < region.opens or end_minute > region.closes or local.second or local.microsecond:
        raise AppError("outside_opening_hours", errors=[{"field": "start", "message": "outside service hours"}])


def _request_dict(req: schemas.OrderRequest | dict) -> dict:
    data = req if isinstance(req, dict) else req.model_dump(mode="json")
    return {k: data.get(k) for k in ("items", "hours", "start_date", "end_date", "daily_hours", "options")}


async def record(session: AsyncSession, order: Order, type_: str, actor: User | None, *, to: str | None = None,
                 frm: str | None = None, data: dict | None = None) -> OrderEvent:
    """Timeline row + outbox event for the customer, the worker and the operators."""
    event = OrderEvent(order_id=order.id, region_id=order.region_id, type=type_, from_status=frm, to_status=to,
                       actor_id=actor.id if actor else None, actor_kind=actor.kind if actor else "system",
                       data=data or {})
    session.add(event)
    if order.written:  # a new order's later events (in the transaction that created it)
        order.written = (*order.written, event)
    payload = {"order_id": order.id, "number": order.number, "status": order.status, "event": type_}
    if type_ in CUSTOMER_MESSAGES:
        await _tell_customer(session, order, type_)
    topics = [f"user:{order.customer_id}", "role:dispatcher", "role:admin"]
    if order.worker_id:
        topics.append(f"user:{order.worker_id}")
    await publish(session, topics, f"order.{type_}", payload)
    await hooks.run(session, order, type_, actor)
    return event


async def transition(session: AsyncSession, order: Order, action: str, actor: User | None, event: str,
                     data: dict | None = None, **changes) -> None:
    """The one way an order changes status: a move of the state table, the fields that go with it
    (`changes`), a timeline row and an outbox event."""
    try:
        new = state.next_status(order.status, action)
    except state.IllegalTransition:
        raise AppError("illegal_transition") from None
    old, order.status = order.status, new.value
    for field, value in changes.items():
        setattr(order, field, value)
    await record(session, order, event, actor, frm=old, to=new.value, data=data)


async def _tell_customer(session: AsyncSession, order: Order, type_: str) -> None:
    service = await catalog.get_service(session, order.service_id, public=False)
    worker = await session.get(User, order.worker_id) if order.worker_id else None
    title, body = CUSTOMER_MESSAGES[type_]
    names = {"service": service.name, "worker": (worker.nickname if worker else None) or "师傅"}
    await notifications.notify(session, order.customer_id, f"order.{type_}", title, body.format(**names),
                               {"order_id": order.id}, sms=True, sms_params=names)


def _number(at: datetime, tz: str) -> str:
    # ten random digits a day: with eight, two of a busy day's orders shared a number about once in
    # 5,000² / 2×10⁸ — a unique-key 500 (the bench met it); with ten, once in 2×10⁴ such days
    return f"AJ{at.astimezone(ZoneInfo(tz)):%y%m%d}{secrets.randbelow(10**10):010d}"


async def lock(session: AsyncSession, order_id: int, customer_id: int | None = None) -> Order:
    """The order row, locked for this transaction (and the customer's own, when one is given).
    Every path that changes an order or its offers locks it first: one lock order, no deadlocks."""
    order = await session.scalar(select(Order).where(Order.id == order_id).with_for_update())
    if order is None or (customer_id is not None and order.customer_id != customer_id):
        raise AppError("order_not_found")
    return order


async def try_lock(session: AsyncSession, order_id: int) -> Order | None:
    """For jobs: the order locked, or None when someone is handling it right now (or it is gone)."""
    return await session.scalar(select(Order).where(Order.id == order_id).with_for_update(skip_locked=True))


async def _slot_taken(session: AsyncSession, need: scheduling.Need, start: datetime) -> AppError:
    alts = await scheduling.alternatives(session, need, start)
    return AppError("slot_unavailable", extra={"alternatives": [{"start": a.start, "end": a.end} for a in alts]})


def _package_dates(service: Service, req: dict, start: datetime, tz: str) -> None:
    if service.pricing_kind == "package":
        first = start.astimezone(ZoneInfo(tz)).date()
        if req.get("start_date") and req["start_date"] != first.isoformat():
            raise AppError("validation_error", errors=[{"field": "start_date", "message": "the start's local date"}])
        req["start_date"] = first.isoformat()


# ---------------------------------------------------------------- price with a coupon
async def priced(session: AsyncSession, customer_id: int, service: Service, req: dict, *, start: datetime | None,
                 region_id: int | None, timezone: str, choice: schemas.CouponChoice, lock: bool = False
                 ) -> tuple[pricing.Quote, coupons.Choice]:
    """The quote with the coupon `choice` names (by default the customer's best): priced first
    without one (what the coupon's minimum spend and percent apply to), then with it. With `lock`
    the coupon's row stays locked for the order about to use it."""
    plain = await catalog.price(session, service, req, start=start, region_id=region_id, timezone=timezone)
    chosen = await coupons.choose(session, customer_id, service.id, plain.subtotal + plain.surcharge_total,
                                  coupon_id=choice.coupon_id, none=choice.no_coupon, lock=lock)
    if chosen.coupon is None:
        return plain, chosen
    return await catalog.price(session, service, req, start=start, region_id=region_id, timezone=timezone,
                               coupon=coupons.as_pricing(chosen.coupon)), chosen


async def checkout_quote(session: AsyncSession, customer: User, body: schemas.CheckoutQuoteIn
                         ) -> schemas.CheckoutQuoteOut:
    """The booking page's price with the coupon applied and the customer's other coupons."""
    service = await catalog.get_service(session, body.service_id)
    region_id, tz = None, "Asia/Shanghai"
    if body.address_id is not None:
        address = await addresses.get_own(session, customer.id, body.address_id)
        if address.region_id is not None:
            region = await scheduling.get_region(session, address.region_id)
            region_id, tz = region.id, region.timezone
    req = _request_dict(body)
    quote, chosen = await priced(session, customer.id, service, req, start=body.start, region_id=region_id,
                                 timezone=tz, choice=body)
    options = sorted(chosen.options, key=lambda o: (not o.applicable, -o.discount, o.coupon.valid_until))
    return schemas.CheckoutQuoteOut(
        quote=catalog.quote_out(service.id, quote),
        coupon=await coupons.coupon_out(session, chosen.coupon) if chosen.coupon else None, options=options)


# ---------------------------------------------------------------- create
async def create_order(session: AsyncSession, customer: User, body: schemas.OrderRequest, *,
                       plan_id: int | None = None, occurrence: date | None = None,
                       preferred_worker: int | None = None, lead: bool = True, source: str | None = None) -> Order:
    """`source`: the channel the order was placed from (`X-Client`; a plan's orders, the plan's)."""
    service = await catalog.get_service(session, body.service_id)
    address = await addresses.get_own(session, customer.id, body.address_id, reading=True)
    if address.region_id is None:
        raise AppError("address_outside_service_area")
    region = await scheduling.get_region(session, address.region_id)
    if not region.active:
        raise AppError("address_outside_service_area")
    rules = await scheduling.rules(session)
    req = _request_dict(body)
    _package_dates(service, req, body.start, region.timezone)
    quote, chosen = await priced(session, customer.id, service, req, start=body.start, region_id=region.id,
                                 timezone=region.timezone, choice=body, lock=True)
    need = _need(region, service, address, quote, req, rules)
    if body.worker_id:
        need = replace(need, worker_id=body.worker_id)
    _check_start(body.start, region, need, rules, lead=lead)
    begin, end = need.period(body.start)
    at = now()
    due = at + timedelta(minutes=rules.payment_window_minutes)
    if plan_id is not None:  # plan orders are made days ahead: pay up to two hours before the visit
        due = max(due, begin - timedelta(hours=2))
    order = Order(number=_number(at, region.timezone), customer_id=customer.id, service_id=service.id,
                  region_id=region.id, address_id=address.id, address=addresses.snapshot(address),
                  status=Status.PENDING_PAYMENT.value, scheduled_start=begin, scheduled_end=end,
                  timezone=region.timezone, request=req, quote=catalog.quote_out(service.id, quote).model_dump(),
                  total=quote.total, deposit=quote.deposit, discount=quote.discount_total, notes=body.notes,
                  plan_id=plan_id, occurrence_date=occurrence, payment_due_at=due, source=source or "unknown")

    async def write(worker: int) -> int:  # once a worker is claimed: the order names them in its INSERT
        order.held_worker_id = worker
        session.add(order)
        await session.flush()
        return order.id

    worker = await scheduling.hold(session, need, body.start, write, preferred_worker)
    if worker is None:
        raise await _slot_taken(session, need, body.start)
    order.held_worker_id = worker  # (another than the first claimed, rarely: an UPDATE)
    if chosen.coupon is not None:  # in this transaction: of two orders racing for it, one gets it (409)
        await coupons.use(session, chosen.coupon, order.id)
    if customer.source_channel is None:  # an account's first channel, once (no statement per order after that)
        await accounts.note_channel(session, customer.id, source)
    created = await record(session, order, "created", customer, to=order.status,
                           data={"total": order.total, "coupon_id": chosen.coupon.id if chosen.coupon else None,
                                 "discount": order.discount})
    await session.flush()
    order.written = (created,)
    return order


# ---------------------------------------------------------------- the booking calendar
async def availability(session: AsyncSession, customer_id: int, service_id: int, address_id: int, day_from: date,
                       day_to: date, *, items: list[dict], hours: int | None, options: dict,
                       end_date: date | None, worker_id: int | None = None) -> dict:
    """Bookable slots for this service at this address, for a request as the booking page has it so far."""
    s = await catalog.get_service(session, service_id)
    address = await addresses.get_own(session, customer_id, address_id, reading=True)
    if address.region_id is None:
        raise AppError("address_outside_service_area")
    region = await scheduling.get_region(session, address.region_id)
    return await _slots(session, s, region, address.lat, address.lng, day_from, day_to, items=items, hours=hours,
                        options=options, end_date=end_date, worker_id=worker_id)


async def availability_preview(session: AsyncSession, service_id: int, region_id: int, day_from: date,
                               day_to: date) -> dict:
    """Before sign-in (and before an address): this service's slots at the region's centre for its
    smallest request — what the customer's own address and choices then refine."""
    s = await catalog.get_service(session, service_id)
    region = await scheduling.get_region(session, region_id)
    if not region.active:
        raise AppError("not_found")
    return await _slots(session, s, region, region.center_lat, region.center_lng, day_from, day_to, items=[],
                        hours=None, options={}, end_date=None)


async def _slots(session: AsyncSession, s: Service, region: Region, lat: float, lng: float, day_from: date,
                 day_to: date, *, items: list[dict], hours: int | None, options: dict, end_date: date | None,
                 worker_id: int | None = None) -> dict:
    req = {"items": items or ([{"code": s.items[0]["code"], "quantity": 1}] if s.pricing_kind == "fixed" else []),
           "hours": hours or (s.min_hours if s.pricing_kind == "hourly" else None), "options": options,
           "start_date": day_from.isoformat() if s.pricing_kind == "package" else None,
           "end_date": (end_date or day_from).isoformat() if s.pricing_kind == "package" else None}
    if s.pricing_kind == "package" and not end_date:
        req["end_date"] = date.fromordinal(day_from.toordinal() + (s.min_days or 1) - 1).isoformat()
    quote = await catalog.price(session, s, req, start=None, region_id=region.id)
    need = scheduling.Need.for_quote(region, s, lat, lng, minutes=quote.duration_minutes, days=quote.days,
                                     buffer_minutes=(await scheduling.rules(session)).travel_buffer_minutes)
    return await scheduling.availability(session, replace(need, worker_id=worker_id), day_from, day_to)


# ---------------------------------------------------------------- read
def cancel_fee(order: Order, rules, at: datetime | None = None) -> int:
    if order.status == Status.PENDING_PAYMENT:
        return 0
    at = at or now()
    if order.scheduled_start - at >= timedelta(hours=rules.free_cancel_hours):
        return 0
    return order.total * rules.late_cancel_fee_bp // 10_000


async def timeline(session: AsyncSession, order: Order) -> list[schemas.TimelineEntry]:
    events = order.written or await session.scalars(
        select(OrderEvent).where(OrderEvent.region_id == order.region_id, OrderEvent.order_id == order.id)
        .order_by(OrderEvent.id))
    return [schemas.TimelineEntry(type=e.type, label=EVENT_LABELS.get(e.type, e.type), at=e.created_at, data=e.data)
            for e in events]


CANCELLABLE = {Status.PENDING_PAYMENT, Status.PAID, Status.DISPATCH_FAILED, Status.ACCEPTED, Status.ON_THE_WAY}


async def order_out(session: AsyncSession, order: Order) -> schemas.OrderOut:
    service = await catalog.get_service(session, order.service_id, public=False)
    rules = await scheduling.rules(session)
    worker = None
    if order.worker_id:
        u = await session.get(User, order.worker_id)
        p = await session.get(WorkerProfile, order.worker_id)
        worker = schemas.WorkerCard(id=u.id, nickname=u.nickname, avatar_url=u.avatar_url,
                                    rating=p.rating if p else 5.0)
    status = Status(order.status)
    return schemas.OrderOut(
        id=order.id, number=order.number, status=order.status, status_label=state.LABELS[status][0],
        service=schemas.ServiceRef(id=service.id, name=service.name, pricing_kind=service.pricing_kind),
        request=order.request, start=order.scheduled_start, end=order.scheduled_end,
        duration_minutes=order.quote["duration_minutes"], timezone=order.timezone, address=order.address,
        quote=order.quote, total=order.total, deposit=order.deposit, paid_amount=order.paid_amount,
        refunded_amount=order.refunded_amount, final_total=order.final_total, price_difference=order.price_difference,
        payment_due_at=order.payment_due_at if status == Status.PENDING_PAYMENT else None, worker=worker,
        plan_id=order.plan_id, can_modify=status in state.MODIFIABLE, can_cancel=status in CANCELLABLE,
        cancel_fee_now=cancel_fee(order, rules) if status in CANCELLABLE else 0, cancel_fee=order.cancel_fee,
        cancel_reason_code=order.cancel_reason_code,
        timeline=await timeline(session, order),
        notes=order.notes, source=order.source, created_at=order.created_at)


async def erase_personal(session: AsyncSession, customer_id: int) -> int:
    """Account deletion: the customer's orders keep the area and point of their address snapshot;
    the sealed part (contact name, phone, street and door) goes."""
    moved = await session.execute(text("UPDATE orders SET address = address - 'sealed' "
                                       "WHERE customer_id = :c AND address ? 'sealed'"), {"c": customer_id})
    return moved.rowcount


def address_text(a: dict) -> str:
    return f"{a.get('city', '')}{a.get('district', '')}{a.get('detail', '')}"


def masked_address(a: dict) -> dict:
    """What staff without `personal.read` see of a customer's address: the area, a masked phone."""
    name = a.get("contact_name") or ""
    return {"province": a.get("province"), "city": a.get("city"), "district": a.get("district"),
            "contact_name": (name[:1] + "*" * (len(name) - 1)) if name else name,
            "contact_phone": mask_phone(a.get("contact_phone"))}


async def admin_order_out(session: AsyncSession, actor: User, order: Order, ip: str | None) -> schemas.OrderOut:
    """An order for staff: the full address and phone for `personal.read`, each such read written
    to the audit log; the area and a masked phone for everyone else."""
    out = await order_out(session, order)
    if rbac.has_permission(list(actor.roles or []), "personal.read"):
        await audit.record(session, actor, "personal_data.read", "order", order.id,
                           after={"fields": ["address", "contact_phone"], "customer_id": order.customer_id}, ip=ip)
    else:
        out.address = masked_address(order.address)
    return out


async def summaries(session: AsyncSession, orders: list[Order], *, full: bool = True) -> list[schemas.OrderSummary]:
    """`full`: the address with its street (the customer's own, staff with `personal.read` — the
    caller audits); else its area only."""
    ids = {o.service_id for o in orders}
    services = {s.id: s for s in await session.scalars(select(Service).where(Service.id.in_(ids)))} if ids else {}
    return [schemas.OrderSummary(
        id=o.id, number=o.number, status=o.status, status_label=state.LABELS[Status(o.status)][0],
        service=schemas.ServiceRef(id=o.service_id, name=services[o.service_id].name,
                                   pricing_kind=services[o.service_id].pricing_kind),
        start=o.scheduled_start, end=o.scheduled_end, address_text=address_text(o.address) if full else f"{o.address.get('city', '')}{o.address.get('district', '')}",
        total=o.total, created_at=o.created_at) for o in orders]


async def list_orders(session: AsyncSession, customer_id: int, *, statuses: list[str] | None, page: int,
                      page_size: int) -> tuple[list[Order], int]:
    where = [Order.customer_id == customer_id]
    if statuses:
        where.append(Order.status.in_(statuses))
    total = await session.scalar(select(func.count()).select_from(Order).where(*where)) or 0
    rows = await session.scalars(select(Order).where(*where).order_by(Order.scheduled_start.desc(), Order.id.desc())
                                 .offset((page - 1) * page_size).limit(page_size))
    return list(rows), total


async def get_order(session: AsyncSession, order_id: int) -> Order:
    order = await session.get(Order, order_id)
    if order is None:
        raise AppError("order_not_found")
    return order


async def get_for_customer(session: AsyncSession, customer_id: int, order_id: int) -> Order:
    order = await session.get(Order, order_id)
    if order is None or order.customer_id != customer_id:
        raise AppError("order_not_found")
    return order


# ---------------------------------------------------------------- change, cancel, expire
async def modify_order(session: AsyncSession, customer: User, order_id: int, change: schemas.OrderChange) -> Order:
    order = await lock(session, order_id, customer.id)
    if Status(order.status) not in state.MODIFIABLE:
        raise AppError("order_not_modifiable")
    service = await catalog.get_service(session, order.service_id, public=False)
    req = dict(order.request)
    data = change.model_dump(exclude_unset=True, mode="json")
    for k in ("items", "hours", "options"):
        if data.get(k) is not None:
            req[k] = data[k]
    address_id = data.get("address_id") or order.address_id
    address = await addresses.get_own(session, customer.id, address_id) if address_id != order.address_id else \
        await session.get(Address, order.address_id)
    if address.region_id is None:
        raise AppError("address_outside_service_area")
    region = await scheduling.get_region(session, address.region_id)
    start = change.start or order.scheduled_start
    rules = await scheduling.rules(session)
    if change.start is not None:
        _package_dates(service, req, start, region.timezone)
    coupon = await coupons.for_order(session, order.id)
    quote = await catalog.price(session, service, req, start=start, region_id=region.id, timezone=region.timezone,
                                coupon=coupons.as_pricing(coupon) if coupon else None)
    need = _need(region, service, address, quote, req, rules)
    _check_start(start, region, need, rules)
    if coupon is not None and not quote.discount_total:  # below its minimum spend now: the customer keeps it
        await coupons.give_back(session, order.id)
    before = {"start": order.scheduled_start.isoformat(), "total": order.total, "request": order.request,
              "address_id": order.address_id}
    worker = await scheduling.move(session, order.id, need, start, preferred=order.held_worker_id)
    if worker is None:
        raise await _slot_taken(session, need, start)
    begin, end = need.period(start)
    order.held_worker_id, order.scheduled_start, order.scheduled_end = worker, begin, end
    order.request, order.region_id, order.address_id = req, region.id, address.id
    order.address = addresses.snapshot(address)
    order.quote = catalog.quote_out(service.id, quote).model_dump()
    order.total, order.deposit, order.discount = quote.total, quote.deposit, quote.discount_total
    if order.status != Status.PENDING_PAYMENT:
        order.price_difference = order.total - order.paid_amount  # the payment domain charges or refunds it
    if change.notes is not None:
        order.notes = change.notes
    after = {"start": begin.isoformat(), "total": order.total, "request": req, "address_id": address.id}
    await record(session, order, "modified", customer, data={"before": before, "after": after})
    await session.flush()
    return order


async def cancel_order(session: AsyncSession, actor: User, order_id: int, body: schemas.CancelRequest,
                       customer_id: int | None) -> Order:
    order = await lock(session, order_id, customer_id)
    if Status(order.status) not in CANCELLABLE:
        raise AppError("order_not_cancellable")
    rules = await scheduling.rules(session)
    fee = cancel_fee(order, rules)
    before = {"status": order.status}
    returned = await coupons.give_back(session, order.id)
    await transition(session, order, "cancel", actor, "cancelled",
                     {"reason_code": body.reason_code, "reason": body.reason, "fee": fee, "coupon_returned": returned},
                     cancel_fee=fee, cancel_reason_code=body.reason_code, cancel_reason=body.reason,
                     cancelled_at=now())
    await scheduling.release(session, order.id, order.region_id)
    if actor.kind == "staff":
        await audit.record(session, actor, "order.cancel", "order", order.id, before,
                           {"status": order.status, "cancel_fee": fee, "reason_code": body.reason_code,
                            "reason": body.reason})
    await session.flush()
    return order


async def expire_unpaid(session: AsyncSession, limit: int = 500) -> int:
    """Cancel orders whose payment window closed, freeing their slots. SKIP LOCKED lets
    several job workers share the work without waiting on each other."""
    rows = list(await session.scalars(
        select(Order).where(Order.status == Status.PENDING_PAYMENT.value, Order.payment_due_at < now())
        .order_by(Order.payment_due_at).limit(limit).with_for_update(skip_locked=True)))
    for order in rows:
        returned = await coupons.give_back(session, order.id)
        await transition(session, order, "expire", None, "expired", {"coupon_returned": returned}, cancelled_at=now(),
                         cancel_reason_code="payment_timeout")
        await scheduling.release(session, order.id, order.region_id)
    await session.flush()
    return len(rows)


async def rebook(session: AsyncSession, customer_id: int, order_id: int) -> dict:
    order = await get_for_customer(session, customer_id, order_id)
    req = dict(order.request)
    req.pop("start_date", None)  # a package needs new dates: the app asks for them
    req.pop("end_date", None)
    return {"service_id": order.service_id, "address_id": order.address_id, **req, "notes": order.notes}


# ---------------------------------------------------------------- admin
async def admin_list(session: AsyncSession, *, status: str | None, q: str | None, service_id: int | None,
                     day_from: date | None, day_to: date | None, page: int, page_size: int
                     ) -> tuple[list[schemas.AdminOrderSummary], int]:
    where = []
    if status:
        where.append(Order.status == status)
    if service_id:
        where.append(Order.service_id == service_id)
    if day_from:
        where.append(Order.scheduled_start >= datetime.combine(day_from, datetime.min.time(),
                                                                ZoneInfo("Asia/Shanghai")))
    if day_to:
        where.append(Order.scheduled_start < datetime.combine(day_to + timedelta(days=1), datetime.min.time(),
                                                               ZoneInfo("Asia/Shanghai")))
    stmt = select(Order, User).join(User, User.id == Order.customer_id)
    if q:
        like = like_pattern(q)
        where.append(or_(Order.number.ilike(like), phone_search(q), User.nickname.ilike(like)))
    total = await session.scalar(select(func.count()).select_from(Order).join(User, User.id == Order.customer_id)
                                 .where(*where)) or 0
    rows = (await session.execute(stmt.where(*where).order_by(Order.id.desc())
                                  .offset((page - 1) * page_size).limit(page_size))).all()
    base = await summaries(session, [o for o, _ in rows])
    # lists show the area only: the street is read (and audited) in the order's detail
    return [schemas.AdminOrderSummary(**(b.model_dump() | {"address_text": f"{o.address.get('city', '')}"
                                                                           f"{o.address.get('district', '')}"}),
                                      customer_id=o.customer_id, customer_name=u.nickname,
                                      customer_phone=mask_phone(u.phone), worker_id=o.worker_id,
                                      held_worker_id=o.held_worker_id)
            for b, (o, u) in zip(base, rows, strict=True)], total
