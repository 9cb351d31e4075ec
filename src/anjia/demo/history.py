"""Three months of one city's business for the demo (`anjia seed demo`, `make run`): 300 customers,
50 workers and about 3,000 orders in every state, with payments, refunds, visits, earnings, reviews
and complaints. Reproducible (one fixed random seed) and loaded once (a second run finds the first
demo customer and does nothing).

The rules are the live code's: prices from `catalog.pricing.quote()` with the region's rules and
holidays; a worker is booked only when skilled, within their radius and free (the exclusion
constraint on `worker_bookings` checks every active booking); every status change is a move of the
orders state table (`orders.history` replays them); money as the live path books it (`payments.history`,
`settlement.history`: payment, cancellation fee, refund requested and paid, the earning at check-out).
Only the writing is in bulk — each owning package's history helper — because three thousand orders
through the request path take minutes. Complaints go through support's own service (few, recent)."""
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts import seed as accounts_seed
from anjia.accounts.models import User, phone_is
from anjia.addresses import seed as addresses_seed
from anjia.addresses.service import snapshot
from anjia.catalog import pricing
from anjia.catalog import service as catalog
from anjia.catalog.models import Service
from anjia.core.geo import distance_km
from anjia.core.security import now
from anjia.demo import mix
from anjia.orders import history as orders_history
from anjia.orders.history import PastOrder, Step
from anjia.orders.service import cancel_fee
from anjia.payments import history as payments_history
from anjia.payments.history import PastPayment, PastRefund
from anjia.reviews import history as reviews_history
from anjia.reviews.history import PastReview
from anjia.scheduling import service as scheduling
from anjia.scheduling.seed import seed_region
from anjia.settlement import history as settlement_history
from anjia.settlement.history import Completed
from anjia.support import schemas as support_schemas
from anjia.support import service as support
from anjia.workforce import seed as workforce_seed

SEED = 20261202
DAYS = 90
CUSTOMERS = 300
WORKERS = 50
PER_DAY = 36  # orders of an average day at the end of the period (the business grew into it)
RADIUS_KM = 20

# district: (centre lat, lng, streets)
DISTRICTS = {
    "徐汇区": (31.1880, 121.4370, ["漕溪北路", "肇嘉浜路", "天钥桥路", "虹桥路", "宜山路"]),
    "静安区": (31.2290, 121.4480, ["南京西路", "延安中路", "常德路", "江宁路", "武定路"]),
    "黄浦区": (31.2310, 121.4840, ["西藏南路", "复兴中路", "淮海中路", "河南南路"]),
    "长宁区": (31.2200, 121.4240, ["愚园路", "定西路", "仙霞路", "天山路"]),
    "普陀区": (31.2490, 121.3970, ["曹杨路", "真北路", "武宁路", "中山北路"]),
    "虹口区": (31.2640, 121.5050, ["四川北路", "曲阳路", "大连西路", "欧阳路"]),
    "杨浦区": (31.2600, 121.5260, ["国定路", "控江路", "黄兴路", "五角场"]),
    "浦东新区": (31.2210, 121.5440, ["世纪大道", "张杨路", "锦绣路", "花木路", "杨高南路", "东方路"]),
    "闵行区": (31.1130, 121.3820, ["莘庄", "七宝", "都市路", "古美路"]),
}
DISTRICT_WEIGHTS = {"徐汇区": 14, "静安区": 10, "黄浦区": 7, "长宁区": 9, "普陀区": 9, "虹口区": 8, "杨浦区": 11,
                    "浦东新区": 22, "闵行区": 10}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石"
# a worker's skills -> how many of the fifty have them
SKILL_SETS = [(["cleaning", "home_care"], 15), (["cleaning"], 10), (["appliance"], 8), (["appliance", "cleaning"], 7),
              (["cleaning", "elderly_care", "patient_care"], 7), (["appliance", "home_care", "cleaning"], 3)]
REVIEW_TEXTS = ["阿姨很细心，厨房擦得特别干净", "准时到达，做事利索", "师傅很专业，空调洗完出风都香了", "态度很好，下次还约她",
                "干得不错，边边角角都照顾到了", "", "", "整体满意", "提前十分钟就到了，很负责", "工具带得很齐全"]
LOW_TEXTS = ["来晚了半个小时，也没有提前说", "卫生间没擦干净，地上还有水渍", "做得很马虎"]
REPLIES = ["谢谢您的认可，下次继续为您服务！", "感谢好评～", "谢谢，有需要随时找我"]
COMPLAINTS = [("punctuality", "师傅迟到了四十分钟，电话也没打一个"), ("quality", "油烟机清洗后还在滴油，希望返工"),
              ("attitude", "阿姨说话不太客气，体验不好"), ("damage", "清洁时把茶几上的花瓶碰碎了"),
              ("pricing", "结束时说要加钱，和下单时说的不一样"), ("quality", "窗户玻璃还有水印，没有擦干净")]


CUSTOMER_PREFIX, WORKER_PREFIX = "1370000", "1391000"  # the demo city's phones: 1370000xxxx, 1391000xxxx


def customer_phone(i: int) -> str:
    return f"{CUSTOMER_PREFIX}{i:04d}"


def worker_phone(i: int) -> str:
    return f"{WORKER_PREFIX}{i:04d}"


def customer_phones() -> list[str]:
    """The demo city's people, found by their numbers' keyed hashes (accounts.models.phones_in)."""
    return [customer_phone(i) for i in range(CUSTOMERS)]


def worker_phones() -> list[str]:
    return [worker_phone(i) for i in range(WORKERS)]


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class Roster:
    """What the generator decided, before anything is written (pure; tests read it too)."""
    customers: list[dict] = field(default_factory=list)  # phone, nickname, source_channel, created_at, address
    workers: list[dict] = field(default_factory=list)  # phone, nickname, skills, lat, lng
    orders: list[dict] = field(default_factory=list)  # see `_order`


class Calendar:
    """Each worker's booked periods (visit + travel buffer), by local day: who is free when."""

    def __init__(self):
        self.taken: dict[tuple[int, date], list[tuple[datetime, datetime]]] = {}

    def free(self, worker: int, day: date, begin: datetime, end: datetime) -> bool:
        return all(end <= b or begin >= e for b, e in self.taken.get((worker, day), ()))

    def book(self, worker: int, day: date, begin: datetime, end: datetime) -> None:
        self.taken.setdefault((worker, day), []).append((begin, end))


def plan_people(rng: random.Random, window_start: datetime) -> Roster:
    plan = Roster()
    for i in range(WORKERS):
        skills = [s for s, n in SKILL_SETS for _ in range(n)][i]
        district = _pick(rng, DISTRICT_WEIGHTS)
        lat, lng, _ = DISTRICTS[district]
        surname = SURNAMES[(i * 7) % len(SURNAMES)]
        plan.workers.append({"phone": worker_phone(i), "nickname": surname + ("师傅" if "appliance" in skills else "阿姨"),
                             "skills": skills, "lat": round(lat + rng.uniform(-0.03, 0.03), 5),
                             "lng": round(lng + rng.uniform(-0.03, 0.03), 5)})
    for i in range(CUSTOMERS):
        district = _pick(rng, DISTRICT_WEIGHTS)
        lat, lng, streets = DISTRICTS[district]
        name = SURNAMES[rng.randrange(len(SURNAMES))] + rng.choice(["女士", "女士", "先生"])
        plan.customers.append({
            "phone": customer_phone(i), "nickname": name, "source_channel": _pick(rng, mix.SOURCES),
            # before the window: the city's older customers; within it: sign-ups (moved before their first order)
            "created_at": window_start + timedelta(days=rng.uniform(-120, DAYS - 5)),
            "address": {"contact_name": name, "contact_phone": customer_phone(i), "district": district,
                        "detail": f"{rng.choice(streets)} {rng.randint(1, 1800)} 弄 {rng.randint(1, 30)} 号 "
                                  f"{rng.randint(1, 28)}{rng.randint(1, 4):02d} 室",
                        "lat": round(lat + rng.uniform(-0.035, 0.035), 5),
                        "lng": round(lng + rng.uniform(-0.035, 0.035), 5)}})
    return plan


@dataclass
class Context:
    """What pricing and booking need, read once."""
    region: Any
    rules: Any
    holidays: set[date]
    services: dict[str, Service]
    region_prices: dict[int, dict[str, int]]
    tz: ZoneInfo
    at: datetime  # now


def price(ctx: Context, service: Service, request: dict, local_start: datetime) -> pricing.Quote:
    """`catalog.price` without its three look-ups per order (read once into `ctx`): the same quote()."""
    return pricing.quote(catalog.service_dict(service), catalog.pricing_request(request), pricing.Context(
        local_start_minute=local_start.hour * 60 + local_start.minute, is_holiday=local_start.date() in ctx.holidays,
        evening_start=ctx.rules.evening_start, evening_surcharge_bp=ctx.rules.evening_surcharge_bp,
        holiday_surcharge_bp=ctx.rules.holiday_surcharge_bp, region_prices=ctx.region_prices.get(service.id, {})))


def _request(service: Service, chosen: dict, local_start: datetime) -> dict:
    """The order's stored request (`orders.service._request_dict`)."""
    return {"items": chosen.get("items"), "hours": chosen.get("hours"), "start_date": None, "end_date": None,
            "daily_hours": None, "options": dict(chosen.get("options") or {})}


def plan_orders(rng: random.Random, ctx: Context, plan: Roster, worker_ids: list[int]) -> None:
    """Orders by day of the visit, from DAYS ago to three days ahead; only those placed by now."""
    cal = Calendar()
    today = ctx.at.astimezone(ctx.tz).date()
    weights = [1 / (i + 1) ** 0.5 for i in range(CUSTOMERS)]  # a few loyal customers order often
    cum, acc = [], 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    skills = {s.id: s.skill for s in ctx.services.values()}
    names = list(mix.SERVICES)
    service_weights = [mix.SERVICES[n][0] for n in names]
    workers = list(zip(worker_ids, plan.workers, strict=True))
    near: dict[tuple[int, str], list[int]] = {}  # (customer, skill) -> workers within their radius, nearest first
    numbers: set[str] = set()
    for offset in range(-DAYS, 4):
        day = today + timedelta(days=offset)
        growth = 0.75 + 0.25 * (offset + DAYS) / DAYS
        weekend = 1.25 if day.weekday() >= 5 else 1.0
        count = max(0, round(rng.gauss(PER_DAY * growth * weekend, 4)))
        for _ in range(count):
            name = rng.choices(names, weights=service_weights)[0]
            service = ctx.services.get(name)
            if service is None:
                continue
            chosen = rng.choice(mix.SERVICES[name][1])
            hour = _pick(rng, mix.HOURS)
            local = datetime.combine(day, time(hour, rng.choice([0, 0, 30])), tzinfo=ctx.tz)
            request = _request(service, chosen, local)
            quote = price(ctx, service, request, local)
            opens, closes = ctx.region.opens, ctx.region.closes
            minute = local.hour * 60 + local.minute
            if minute + quote.duration_minutes > closes:  # ends by closing time: start earlier
                minute = (closes - quote.duration_minutes) // 30 * 30
                if minute < opens:
                    continue
                local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ctx.tz)
                quote = price(ctx, service, request, local)
            begin = local.astimezone(ctx.at.tzinfo)
            end = begin + timedelta(minutes=quote.duration_minutes)
            lead = timedelta(hours=_pick(rng, mix.LEAD_HOURS)) + timedelta(minutes=rng.randint(0, 240))
            created = begin - lead
            if created > ctx.at:
                continue  # not placed yet
            c = rng.choices(range(CUSTOMERS), cum_weights=cum)[0]
            ending = _ending(rng, ctx, begin, end, created)
            if ending is None:
                continue
            skill = skills[service.id]
            if (c, skill) not in near:
                point = plan.customers[c]["address"]
                near[c, skill] = [wid for d, wid in sorted(
                    (distance_km(point["lat"], point["lng"], p["lat"], p["lng"]), wid)
                    for wid, p in workers if skill in p["skills"]) if d <= RADIUS_KM]
            booked_until = end + timedelta(minutes=ctx.rules.travel_buffer_minutes)
            free = [wid for wid in near[c, skill] if cal.free(wid, day, begin, booked_until)][:3]
            if not free:
                continue  # nobody free: the live path would have said slot_unavailable
            worker = free[0] if rng.random() < 0.6 else rng.choice(free)
            # cancelled and expired orders released their booking; a dispatch failure keeps it until cancelled
            over = end + timedelta(hours=1) < ctx.at
            active = ending not in ("expired", "cancelled_unpaid", "cancelled_paid") and \
                not (ending == "dispatch_failed" and over)
            if active:
                cal.book(worker, day, begin, end + timedelta(minutes=ctx.rules.travel_buffer_minutes))
            number = f"AJ{created.astimezone(ctx.tz):%y%m%d}{rng.randrange(10**8):08d}"
            if number in numbers:
                continue
            numbers.add(number)
            plan.orders.append({"customer": c, "service": service, "request": request, "quote": quote,
                                "begin": begin, "end": end, "created": created, "ending": ending, "worker": worker,
                                "active": active, "number": number, "source": _pick(rng, mix.SOURCES),
                                "seed": rng.randrange(2**31)})


def _ending(rng: random.Random, ctx: Context, begin: datetime, end: datetime, created: datetime) -> str | None:
    """Where the order is now: how it ended if it is over, else how far it got."""
    at = ctx.at
    window = timedelta(minutes=ctx.rules.payment_window_minutes)
    if end + timedelta(hours=1) < at:
        ending = _pick(rng, mix.ENDINGS)
        if ending == "dispatch_failed" and begin - created < timedelta(hours=30):
            ending = "completed"  # gave up early enough to cancel without a fee, or it did not happen
        return ending
    if end <= at:
        return "completed"
    if begin <= at:
        return "in_service"
    if created + window > at:
        return "pending_payment"
    ending = _pick(rng, {"accepted": 62, "paid": 14, "dispatch_failed": 3, "cancelled_paid": 6, "expired": 10,
                         "cancelled_unpaid": 5})
    if ending == "accepted" and begin - at < timedelta(minutes=50):
        return "on_the_way"
    return ending


def _order_steps(o: dict, ctx: Context, customer_id: int, worker: tuple[int, str], staff_id: int | None
                 ) -> tuple[list[Step], dict]:
    """The order's steps and the money they imply: {paid_at, fee, refund: (amount, requested, refunded)}."""
    rng = random.Random(o["seed"])
    total, begin, end, created = o["quote"].total, o["begin"], o["end"], o["created"]
    worker_id, nickname = worker
    steps: list[Step] = []
    money: dict[str, Any] = {}
    last = created

    def at(t: datetime) -> datetime:  # after the step before, never after now
        nonlocal last
        last = min(max(t, last + timedelta(seconds=30)), ctx.at)
        return last

    ending = o["ending"]
    if ending == "pending_payment":
        return steps, money
    if ending == "expired":
        due = created + timedelta(minutes=ctx.rules.payment_window_minutes)
        steps.append(Step("expired", at(due), "expire", data={"coupon_returned": False},
                          changes={"cancelled_at": due, "cancel_reason_code": "payment_timeout"}))
        return steps, money
    if ending == "cancelled_unpaid":
        t = at(created + timedelta(minutes=rng.randint(1, 12)))
        code = _pick(rng, mix.CANCEL_REASONS)
        steps.append(Step("cancelled", t, "cancel", customer_id, "customer",
                          {"reason_code": code, "reason": None, "fee": 0, "coupon_returned": False},
                          {"cancel_fee": 0, "cancel_reason_code": code, "cancel_reason": None, "cancelled_at": t}))
        return steps, money
    paid_at = at(created + timedelta(minutes=rng.randint(1, 10), seconds=rng.randint(0, 59)))
    pay_no = payments_history.number("P", paid_at, o["seed"])
    money["paid_at"], money["number"] = paid_at, pay_no
    steps.append(Step("paid", paid_at, "pay", data={"payment": pay_no, "amount": total, "method": "sandbox"},
                      changes={"paid_amount": total, "price_difference": 0}))
    if ending == "paid":
        return steps, money
    if ending == "dispatch_failed":
        failed = at(paid_at + timedelta(minutes=9))
        steps.append(Step("dispatch_failed", failed, "dispatch_fail"))
        if end + timedelta(hours=1) < ctx.at:  # over: the dispatcher cancelled it, in full, well ahead
            _cancel(steps, money, o, ctx, at(failed + timedelta(minutes=rng.randint(20, 90))), staff_id, "staff",
                    "other", "暂无师傅可接单，已为您全额退款", rng)
        return steps, money
    accept_by = min(begin - timedelta(minutes=50), paid_at + timedelta(hours=rng.uniform(0.05, 6)))
    if ending == "cancelled_paid":
        if rng.random() < 0.4:  # some were cancelled after a worker had taken them
            t = at(max(paid_at, accept_by))
            steps.append(Step("accepted", t, "accept", worker_id, "worker", {"worker_id": worker_id, "nickname": nickname},
                              {"worker_id": worker_id, "accepted_at": t}))
        latest = min(begin - timedelta(minutes=30), ctx.at)
        t = at(last + (latest - last) * rng.random()) if latest > last else at(last)
        _cancel(steps, money, o, ctx, t, customer_id, "customer", _pick(rng, mix.CANCEL_REASONS), None, rng)
        return steps, money
    t = at(max(paid_at, accept_by))
    steps.append(Step("accepted", t, "accept", worker_id, "worker", {"worker_id": worker_id, "nickname": nickname},
                      {"worker_id": worker_id, "accepted_at": t}))
    if ending == "accepted":
        return steps, money
    t = at(begin - timedelta(minutes=rng.randint(25, 45)))
    steps.append(Step("departed", t, "depart", worker_id, "worker", changes={"departed_at": t}))
    if ending == "on_the_way":
        return steps, money
    t = at(begin + timedelta(minutes=rng.randint(-8, 6)))
    meters = rng.randint(8, 260)
    steps.append(Step("checked_in", t, "check_in", worker_id, "worker", {"distance_m": meters, "explanation": None},
                      {"checked_in_at": t, "check_in_distance_m": meters, "check_in_note": None}))
    if ending == "in_service":
        return steps, money
    minutes = o["quote"].duration_minutes + rng.randint(-5, 12)
    t = at(t + timedelta(minutes=minutes))
    steps.append(Step("checked_out", t, "check_out", worker_id, "worker", {"final_total": total, "minutes": minutes},
                      {"checked_out_at": t, "final_total": total, "discount": 0, "price_difference": 0}))
    return steps, money


def _cancel(steps: list[Step], money: dict, o: dict, ctx: Context, t: datetime, actor_id: int | None, kind: str,
            code: str, reason: str | None, rng: random.Random) -> None:
    """A paid order cancelled at `t`: the fee by the live rule, the rest refunded (requested, then paid)."""
    status = steps[-1].changes.get("worker_id") and "accepted" or "paid"
    fee = cancel_fee(SimpleNamespace(status=status, scheduled_start=o["begin"], total=o["quote"].total), ctx.rules, t)
    steps.append(Step("cancelled", t, "cancel", actor_id, kind,
                      {"reason_code": code, "reason": reason, "fee": fee, "coupon_returned": False},
                      {"cancel_fee": fee, "cancel_reason_code": code, "cancel_reason": reason, "cancelled_at": t}))
    money["fee"] = fee
    back = o["quote"].total - fee
    if back:
        number = payments_history.number("R", t, o["seed"])
        steps.append(Step("refund_requested", t, data={"refund": number, "amount": back, "kind": "cancel"},
                          changes={"refunded_amount": back, "price_difference": 0}))
        done = min(t + timedelta(minutes=rng.randint(2, 90)), ctx.at)
        steps.append(Step("refunded", done, data={"refund": number, "amount": back}))
        money["refund"] = (number, back, t, done, reason or "订单取消")


async def load(session: AsyncSession, report: Callable[[str, int], None] = lambda name, n: None) -> dict[str, int]:
    """Load the history once (nothing when the first demo customer exists); what was written.
    `report(step, rows)` is told after each step (the CLI's progress bar)."""
    if await session.scalar(select(User.id).where(User.kind == "customer", phone_is(customer_phone(0)))):
        return {}
    rng = random.Random(SEED)
    at = now()
    region = await seed_region(session)
    tz = ZoneInfo(region.timezone)
    rules = await scheduling.rules(session)
    services = {s.name: s for s in await session.scalars(select(Service))}
    ctx = Context(region=region, rules=rules, holidays={h.day for h in await scheduling.holidays(session)},
                  services=services, tz=tz, at=at,
                  region_prices={s.id: await catalog.region_prices(session, s.id, region.id) for s in services.values()})
    window_start = datetime.combine(at.astimezone(tz).date() - timedelta(days=DAYS), time(0), tzinfo=tz)
    plan = plan_people(rng, window_start)

    ids = await accounts_seed.add_people(session, "worker", [
        {"phone": w["phone"], "nickname": w["nickname"], "created_at": window_start - timedelta(days=200)}
        for w in plan.workers])
    worker_ids = [ids[w["phone"]] for w in plan.workers]
    for wid, w in zip(worker_ids, plan.workers, strict=True):
        await workforce_seed.seed_worker(session, wid, region.id, w["skills"], w["lat"], w["lng"])
    report("workers", len(worker_ids))

    plan_orders(rng, ctx, plan, worker_ids)
    first: dict[int, datetime] = {}
    for o in plan.orders:
        first[o["customer"]] = min(first.get(o["customer"], o["created"]), o["created"])
    for i, c in enumerate(plan.customers):  # signed up before their first order
        if i in first and c["created_at"] >= first[i]:
            c["created_at"] = first[i] - timedelta(hours=rng.uniform(0.2, 48))
    ids = await accounts_seed.add_people(session, "customer", [
        {k: c[k] for k in ("phone", "nickname", "source_channel", "created_at")} for c in plan.customers])
    customer_ids = [ids[c["phone"]] for c in plan.customers]
    addresses = await addresses_seed.add_addresses(session, [
        {**c["address"], "user_id": uid, "region_id": region.id, "created_at": c["created_at"]}
        for uid, c in zip(customer_ids, plan.customers, strict=True)])
    address_of = {a.user_id: a for a in addresses}
    report("customers", len(customer_ids))

    nicknames = {wid: w["nickname"] for wid, w in zip(worker_ids, plan.workers, strict=True)}
    staff_id = await session.scalar(select(User.id).where(User.kind == "staff", User.username == "dispatcher1"))
    past, money = [], []
    for o in plan.orders:
        cid = customer_ids[o["customer"]]
        address = address_of[cid]
        quote = o["quote"]
        steps, m = _order_steps(o, ctx, cid, (o["worker"], nicknames[o["worker"]]), staff_id)
        past.append(PastOrder({
            "number": o["number"], "customer_id": cid, "service_id": o["service"].id, "region_id": region.id,
            "address_id": address.id, "address": snapshot(address), "scheduled_start": o["begin"],
            "scheduled_end": o["end"], "timezone": region.timezone, "request": o["request"],
            "quote": catalog.quote_out(o["service"].id, quote).model_dump(mode="json"), "total": quote.total,
            "deposit": quote.deposit, "discount": quote.discount_total, "notes": "", "source": o["source"],
            "held_worker_id": o["worker"], "payment_due_at": o["created"] + timedelta(
                minutes=rules.payment_window_minutes), "created_at": o["created"]}, steps))
        money.append(m)
    order_ids = await orders_history.insert_history(session, past)
    report("orders", len(order_ids))

    buffer = timedelta(minutes=rules.travel_buffer_minutes)
    await scheduling.book_many(session, region.id, [(o["worker"], oid, o["begin"], o["end"] + buffer, o["active"],
                                                      o["created"]) for o, oid in zip(plan.orders, order_ids, strict=True)])
    payments = []
    for o, oid, p, m in zip(plan.orders, order_ids, past, money, strict=True):
        if "paid_at" not in m:
            continue
        refunds = []
        if "refund" in m:
            number, amount, requested, done, reason = m["refund"]
            refunds.append(PastRefund(number, amount, "cancel", reason, requested, done))
        payments.append(PastPayment(m["number"], oid, o["number"], p.fields["customer_id"], o["quote"].total,
                                    m["paid_at"], cancel_fee=m.get("fee", 0),
                                    cancelled_at=next((s.at for s in p.steps if s.event == "cancelled"), None),
                                    refunds=refunds))
    n_payments = await payments_history.insert_history(session, payments)
    report("payments and refunds", n_payments)

    done = [(o, oid, p) for o, oid, p in zip(plan.orders, order_ids, past, strict=True) if o["ending"] == "completed"]
    n_earnings = await settlement_history.insert_history(session, [
        Completed(oid, o["number"], o["worker"], o["service"].id, region.id, o["quote"].total, o["quote"].discount_total,
                  p.steps[-1].at) for o, oid, p in done])
    report("earnings", n_earnings)

    reviews = []
    for o, oid, p in done:
        r = random.Random(o["seed"] + 1)
        out = p.steps[-1].at
        if out > at - timedelta(hours=1) or r.random() > 0.62:
            continue
        written = min(out + timedelta(hours=r.expovariate(1 / 20)), at)
        low = written > at - timedelta(days=4) and r.random() < 0.06  # recent: their follow-ups are open now
        scores = [r.choice([1, 2]), r.choice([2, 3]), r.choice([2, 3])] if low else \
            [r.choices([5, 4, 3], weights=[72, 22, 6])[0] for _ in range(3)]
        reviews.append(PastReview(oid, *scores, r.choice(LOW_TEXTS) if low else r.choice(REVIEW_TEXTS),
                                  r.random() < 0.15, written, None if low or r.random() > 0.2 else r.choice(REPLIES)))
    n_reviews = await reviews_history.insert_history(session, reviews)
    report("reviews", n_reviews)

    n_tickets = await _complaints(session, rng, [(o, oid, p) for o, oid, p in done
                                                 if p.steps[-1].at > at - timedelta(days=6)])
    report("complaints", n_tickets)
    await session.flush()
    states: dict[str, int] = {}
    for p in past:
        status = orders_history.replay(p)[0]["status"]
        states[status] = states.get(status, 0) + 1
    return {"customers": len(customer_ids), "workers": len(worker_ids), "orders": len(order_ids),
            "payments": n_payments, "refunds": sum(len(p.refunds) for p in payments), "earnings": n_earnings,
            "reviews": n_reviews, "complaints": n_tickets, **{f"orders {k}": v for k, v in sorted(states.items())}}


async def _complaints(session: AsyncSession, rng: random.Random, recent: list) -> int:
    """A few complaints about last week's visits, through support's own service (with their SLA), some
    already taken up by the support team."""
    if not recent:
        return 0
    supporter = await session.scalar(select(User).where(User.kind == "staff", User.username == "support1"))
    n = 0
    for o, oid, p in rng.sample(recent, min(8, len(recent))):
        customer = await session.get(User, p.fields["customer_id"])
        category, content = rng.choice(COMPLAINTS)
        ticket = await support.open_ticket(session, customer, support_schemas.TicketIn(
            kind="complaint", order_id=oid, category=category, content=content))
        n += 1
        if supporter is not None and n % 3:
            await support.assign(session, supporter, ticket.id, supporter.id, None)
            if n % 3 == 1:
                await support.start(session, supporter, ticket.id, None)
    return n
