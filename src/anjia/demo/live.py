"""`anjia demo live`: the demo city's working day, played through the real services — every step is
what an app's request would do, so dispatch rounds and offers, the timeline, notifications, the outbox
and the WebSocket events all happen. Each tick, in its own transactions:

  - now and then a demo customer books (`orders.create_order`, the next slot with a free worker) and
    pays through the sandbox (the notification applied as the provider's would be) → dispatch offers;
  - workers offered an order accept some (`dispatch.accept`, what the worker app's 接单 calls);
  - accepted visits start, earliest first, a few at a time: the worker departs, reports their position
    on the way from home to the address (`fieldwork.report_location`, the worker app's), checks in
    there and, some ticks later, checks out (`fieldwork.check_in` / `check_out`: settlement, hooks).

A visit is compressed into `travel_ticks` + `service_ticks` ticks; `speed` divides the tick's length.
It touches only the demo city's people (`history.customer_phone` / `worker_phone`)."""
import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phones_in
from anjia.addresses.models import Address
from anjia.catalog.models import Service
from anjia.core import db
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.demo import mix
from anjia.demo.history import customer_phones, worker_phones
from anjia.dispatch import service as dispatch
from anjia.dispatch.models import Offer
from anjia.fieldwork import schemas as fieldwork_schemas
from anjia.fieldwork import service as fieldwork
from anjia.orders import schemas as order_schemas
from anjia.orders import service as orders
from anjia.orders.models import Order
from anjia.orders.state import Status
from anjia.payments import schemas as payment_schemas
from anjia.payments import service as payments
from anjia.payments.sandbox import Sandbox
from anjia.scheduling import service as scheduling
from anjia.workforce.models import WorkerProfile

log = structlog.get_logger()


@dataclass
class Pace:
    speed: float = 1.0  # 2: twice as fast
    tick_seconds: float = 3.0  # real seconds between ticks at speed 1
    new_order_chance: float = 0.3  # per tick
    accept_chance: float = 0.5  # per open offer and tick
    travel_ticks: int = 12  # position reports on the way
    service_ticks: int = 20  # ticks on site before checking out
    visits: int = 8  # workers out at once


@dataclass
class Day:
    """What the day has done so far (and the visits' progress, by order)."""
    pace: Pace
    rng: random.Random
    say: Callable[[str], None] = lambda line: None
    steps: dict[int, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {"orders": 0, "paid": 0, "accepted": 0, "departed": 0,
                                                             "locations": 0, "checked_in": 0, "checked_out": 0})

    def done(self, what: str, line: str) -> None:
        self.counts[what] += 1
        self.say(line)


async def _in_transaction(fn, *args):
    """One step in its own transaction: a refusal (someone else was quicker, nobody free) rolls it back;
    so does anything unexpected, logged with its stack — one bad step does not end the demo's day."""
    async with db.sessionmaker()() as session:
        try:
            result = await fn(session, *args)
            await session.commit()
            return result
        except AppError:
            await session.rollback()
            return None
        except Exception:
            await session.rollback()
            log.exception("demo_live_step_failed", step=fn.__name__)
            return None


# ---------------------------------------------------------------- a customer books and pays
async def _book(session: AsyncSession, day: Day) -> Order | None:
    customer = await session.scalar(select(User).where(User.kind == "customer", phones_in(customer_phones()))
                                    .order_by(func.random()).limit(1))
    address = customer and await session.scalar(select(Address).where(Address.user_id == customer.id,
                                                                      Address.deleted_at.is_(None)))
    if address is None or address.region_id is None:
        return None
    names = list(mix.SERVICES)
    name = day.rng.choices(names, weights=[mix.SERVICES[n][0] for n in names])[0]
    service = await session.scalar(select(Service).where(Service.name == name))
    if service is None:
        return None
    region = await scheduling.get_region(session, address.region_id)
    rules = await scheduling.rules(session)
    tz = ZoneInfo(region.timezone)
    earliest = now() + timedelta(minutes=rules.min_lead_minutes + 10)
    request = day.rng.choice(mix.SERVICES[name][1])
    for _ in range(6):  # the next slots the customer would pick, until one has a free worker
        local_day = earliest.astimezone(tz).date() + timedelta(days=day.rng.choice([0, 0, 1, 1, 2]))
        hour = day.rng.choices(list(mix.HOURS), weights=list(mix.HOURS.values()))[0]
        start = datetime.combine(local_day, time(hour, day.rng.choice([0, 30])), tzinfo=tz)
        if start < earliest:
            continue
        body = order_schemas.OrderRequest.model_validate({"service_id": service.id, "address_id": address.id,
                                                          "start": start, **request})
        try:
            async with session.begin_nested():
                order = await orders.create_order(session, customer, body,
                                                  source=day.rng.choices(list(mix.SOURCES),
                                                                         weights=list(mix.SOURCES.values()))[0])
        except AppError:
            continue
        day.done("orders", f"新订单 {order.number} {name} {customer.nickname} {start.astimezone(tz):%m-%d %H:%M}")
        if day.rng.random() < 0.9:  # most pay at once; the others are left to the expiry job
            payment = await payments.pay_order(session, customer, order.id, payment_schemas.PayIn(method="sandbox"),
                                               None)
            body_, headers, _ = await Sandbox().settle(payment.number, True)
            await payments.handle_notification(session, "sandbox", headers, body_, "127.0.0.1")
            day.done("paid", f"已支付 {order.number} ¥{order.total / 100:.2f}")
        return order
    return None


# ---------------------------------------------------------------- workers take offers
async def _open_offers(session: AsyncSession) -> list[tuple[int, int]]:
    rows = await session.execute(select(Offer.order_id, Offer.worker_id).join(User, User.id == Offer.worker_id)
                                 .where(Offer.status == "offered", Offer.expires_at > now(),
                                        phones_in(worker_phones())).order_by(Offer.id))
    return [(o, w) for o, w in rows.all()]


async def _accept(session: AsyncSession, day: Day, order_id: int, worker_id: int) -> bool:
    worker = await session.get(User, worker_id)
    order = await dispatch.accept(session, worker, order_id)
    day.done("accepted", f"{worker.nickname} 接单 {order.number}")
    return True


# ---------------------------------------------------------------- visits
async def _demo_orders(session: AsyncSession, statuses: list[Status], limit: int = 50) -> list[tuple[int, int]]:
    rows = await session.execute(select(Order.id, Order.worker_id).join(User, User.id == Order.worker_id).where(
        Order.status.in_([s.value for s in statuses]), phones_in(worker_phones()))
        .order_by(Order.scheduled_start, Order.id).limit(limit))
    return [(o, w) for o, w in rows.all()]


async def _depart(session: AsyncSession, day: Day, order_id: int, worker_id: int) -> None:
    worker = await session.get(User, worker_id)
    order = await fieldwork.depart(session, worker, order_id)
    day.steps[order_id] = 0
    day.done("departed", f"{worker.nickname} 出发 {order.number}")


def _on_the_line(home: tuple[float, float], to: tuple[float, float], share: float, rng: random.Random
                 ) -> tuple[float, float]:
    """Where the worker is after `share` of the way (a little off the straight line, as streets are)."""
    wobble = 0.0015 * (1 - abs(2 * share - 1))
    return (round(home[0] + (to[0] - home[0]) * share + rng.uniform(-wobble, wobble), 6),
            round(home[1] + (to[1] - home[1]) * share + rng.uniform(-wobble, wobble), 6))


async def _move(session: AsyncSession, day: Day, order_id: int, worker_id: int) -> None:
    """One tick of the way: a position report, or at the door the check-in."""
    worker = await session.get(User, worker_id)
    order = await session.get(Order, order_id)
    profile = await session.get(WorkerProfile, worker_id)
    to = (order.address["lat"], order.address["lng"])
    home = (profile.home_lat, profile.home_lng) if profile and profile.home_lat is not None else \
        (to[0] + 0.03, to[1] - 0.03)
    step = day.steps.get(order_id, 0) + 1
    day.steps[order_id] = step
    if step < day.pace.travel_ticks:
        lat, lng = _on_the_line(home, to, step / day.pace.travel_ticks, day.rng)
        await fieldwork.report_location(session, worker, fieldwork_schemas.LocationIn(lat=lat, lng=lng))
        day.counts["locations"] += 1
        return
    await fieldwork.report_location(session, worker, fieldwork_schemas.LocationIn(lat=to[0], lng=to[1]))
    await fieldwork.check_in(session, worker, order_id, fieldwork_schemas.CheckInIn(lat=to[0], lng=to[1]))
    day.steps[order_id] = 0
    day.done("checked_in", f"{worker.nickname} 到达签到 {order.number}")


async def _serve(session: AsyncSession, day: Day, order_id: int, worker_id: int) -> None:
    step = day.steps.get(order_id, 0) + 1
    day.steps[order_id] = step
    if step < day.pace.service_ticks:
        return
    worker = await session.get(User, worker_id)
    order = await fieldwork.check_out(session, worker, order_id)
    day.steps.pop(order_id, None)
    day.done("checked_out", f"{worker.nickname} 完成服务 {order.number}")


async def tick(day: Day) -> None:
    pace = day.pace
    if day.rng.random() < pace.new_order_chance:
        await _in_transaction(_book, day)
    taken: set[int] = set()
    for order_id, worker_id in await _in_transaction(_open_offers) or []:
        if order_id not in taken and day.rng.random() < pace.accept_chance:
            if await _in_transaction(_accept, day, order_id, worker_id):
                taken.add(order_id)
    out = await _in_transaction(_demo_orders, [Status.ON_THE_WAY, Status.IN_SERVICE]) or []
    busy = {w for _, w in out}
    for order_id, worker_id in await _in_transaction(_demo_orders, [Status.ACCEPTED]) or []:
        if len(busy) >= pace.visits:
            break
        if worker_id not in busy:  # one visit at a time per worker
            await _in_transaction(_depart, day, order_id, worker_id)
            busy.add(worker_id)
    for order_id, worker_id in await _in_transaction(_demo_orders, [Status.ON_THE_WAY]) or []:
        await _in_transaction(_move, day, order_id, worker_id)
    for order_id, worker_id in await _in_transaction(_demo_orders, [Status.IN_SERVICE]) or []:
        await _in_transaction(_serve, day, order_id, worker_id)


async def run(pace: Pace, *, ticks: int | None = None, seed: int | None = None,
              say: Callable[[str], None] = lambda line: None) -> Day:
    """Play `ticks` ticks (None: until stopped). The database must be configured (`core.db.configure`)."""
    day = Day(pace, random.Random(seed), say)
    n = 0
    while ticks is None or n < ticks:
        await tick(day)
        n += 1
        await asyncio.sleep(pace.tick_seconds / pace.speed)
    return day
