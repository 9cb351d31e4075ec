"""Dispatch: rank eligible free workers, offer the order to the best (offer mode: top N, first
accept wins; assign mode: the best alone), widen round by round, give up into dispatch_failed.

Accepting is one conditional UPDATE of the order (status still paid) plus the booking insert
under the exclusion constraint, in one transaction: under any concurrency exactly one accept wins.
"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.catalog.models import Service
from anjia.core import audit
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.dispatch import schemas, scoring
from anjia.dispatch.models import DispatchRound, Offer
from anjia.orders import lifecycle, state
from anjia.orders import service as orders
from anjia.orders.models import Order
from anjia.orders.state import Status
from anjia.plans.models import Plan
from anjia.preferences import service as preferences
from anjia.realtime.service import publish
from anjia.scheduling import service as scheduling
from anjia.scheduling.models import Region
from anjia.workforce import certificates
from anjia.workforce import hooks as workforce_hooks
from anjia.workforce.models import WorkerProfile

MODE = "offer"
OFFERS_PER_ROUND = 3
MAX_ROUNDS = 3
OFFER_MINUTES = 3
CANDIDATES = 30


async def rank_candidates(session: AsyncSession, order: Order, exclude: set[int]
                          ) -> list[tuple[scoring.Candidate, float, dict, str]]:
    """Free eligible workers for this order (its own hold ignored), scored, best first."""
    need = await orders.need_for(session, order)
    ids = [w for w in await session.scalars(text(scheduling.CANDIDATES_SQL), scheduling.candidate_params(
        need, order.scheduled_start, None, CANDIDATES + len(exclude), exclude_order=order.id)) if w not in exclude]
    if not ids:
        return []
    tz = ZoneInfo(order.timezone)
    day = order.scheduled_start.astimezone(tz).date()
    day_start = datetime(day.year, day.month, day.day, tzinfo=tz)
    # offers and bookings of the order's region (the distribution column, docs/scale-out.md): the
    # candidates serve this region, so their answers to its offers and their day in it are what count.
    # Names are read apart: users stay on the coordinator, which a query of the shards cannot join.
    rows = (await session.execute(text("""
        SELECT p.user_id, p.radius_km, p.rating,
               earth_distance(p.home_earth, ll_to_earth(:lat, :lng)) / 1000 AS km,
               (SELECT count(*) FILTER (WHERE o.status = 'accepted')::float / NULLIF(count(*), 0)
                  FROM offers o WHERE o.region_id = :region AND o.worker_id = p.user_id
                  AND o.status IN ('accepted', 'rejected', 'expired')) AS acceptance,
               (SELECT count(*) FROM worker_bookings b WHERE b.region_id = :region AND b.worker_id = p.user_id
                  AND b.active AND b.order_id <> :order AND b.period && tstzrange(:d0, :d1)) AS load
        FROM worker_profiles p WHERE p.user_id = ANY(:ids)"""),
        {"lat": need.lat, "lng": need.lng, "order": order.id, "region": order.region_id, "d0": day_start,
         "d1": day_start + timedelta(days=1), "ids": ids})).all()
    previous = await _previous_workers(session, order)
    favourites = await preferences.favourite_worker_ids(session, order.customer_id)
    names = dict((await session.execute(select(User.id, User.nickname).where(User.id.in_(ids)))).all())
    cands = [scoring.Candidate(worker_id=r.user_id, distance_km=round(r.km, 2), radius_km=r.radius_km,
                               rating=r.rating, acceptance_rate=1.0 if r.acceptance is None else r.acceptance,
                               load_today=r.load, previous=r.user_id in previous,
                               favourite=r.user_id in favourites) for r in rows]
    return [(c, s, b, names[c.worker_id]) for c, s, b in scoring.rank(cands)]


async def _previous_workers(session: AsyncSession, order: Order) -> set[int]:
    """The plan's worker, the worker held at booking, and who served this customer before (in this
    region: no other region's worker serves here)."""
    found = {w for w in [order.held_worker_id] if w}
    if order.plan_id:
        plan = await session.get(Plan, order.plan_id)
        if plan and plan.preferred_worker_id:
            found.add(plan.preferred_worker_id)
    past = await session.scalars(select(Order.worker_id).where(Order.region_id == order.region_id,
                                                               Order.customer_id == order.customer_id,
                                                               Order.status == Status.COMPLETED.value,
                                                               Order.worker_id.is_not(None)).limit(20))
    return found | set(past)


async def start(session: AsyncSession, order: Order) -> None:
    """Called when an order becomes paid."""
    await next_round(session, order)


async def next_round(session: AsyncSession, order: Order, mode: str | None = None, *,
                     anew_without: int | None = None) -> DispatchRound | None:
    """`anew_without`: the order lost its worker (`reoffer_orders_of`): one more round whatever the
    count, open again to everyone but that worker and those who declined or let an offer expire."""
    last = await session.scalar(select(func.max(DispatchRound.round)).where(DispatchRound.order_id == order.id)) or 0
    answered = select(Offer.worker_id).where(Offer.order_id == order.id)
    if anew_without is not None:
        answered = answered.where(Offer.status.in_(("rejected", "expired")))
    offered = set(await session.scalars(answered)) | ({anew_without} if anew_without is not None else set())
    mode = mode or (await session.get(Region, order.region_id)).dispatch_mode or MODE
    if last >= MAX_ROUNDS and anew_without is None:
        await _give_up(session, order)
        return None
    ranked = await rank_candidates(session, order, offered)
    width = 1 if mode == "assign" else OFFERS_PER_ROUND * (last + 1)  # widen the circle each round
    chosen = ranked[:width]
    rnd = DispatchRound(order_id=order.id, round=last + 1, mode=mode, candidates=[
        {"worker_id": c.worker_id, "nickname": name, "score": s, "breakdown": b, "distance_km": c.distance_km,
         "offered": i < width} for i, (c, s, b, name) in enumerate(ranked[:10])])
    session.add(rnd)
    if not chosen:
        await session.flush()
        await _give_up(session, order)
        return rnd
    expires = now() + timedelta(minutes=OFFER_MINUTES)
    await session.flush()
    for c, s, _, _ in chosen:  # one offer row per worker and order: a worker offered it before is offered again
        await session.execute(insert(Offer).values(
            order_id=order.id, worker_id=c.worker_id, region_id=order.region_id, round=last + 1, status="offered", score=s,
            distance_km=c.distance_km, expires_at=expires).on_conflict_do_update(
            index_elements=["order_id", "worker_id"],
            set_={"round": last + 1, "status": "offered", "score": s, "distance_km": c.distance_km,
                  "expires_at": expires, "responded_at": None}))
    for c, *_ in chosen:
        await publish(session, [f"user:{c.worker_id}"], "offer.created", {"order_id": order.id,
                                                                          "number": order.number})
    await publish(session, ["role:dispatcher", "role:admin"], "dispatch.round",
                  {"order_id": order.id, "round": last + 1, "offered": [c.worker_id for c, *_ in chosen]})
    return rnd


async def _give_up(session: AsyncSession, order: Order) -> None:
    if order.status == Status.PAID.value:
        await orders.transition(session, order, "dispatch_fail", None, "dispatch_failed")
        await publish(session, ["role:dispatcher", "role:admin"], "alert.dispatch_failed",
                      {"order_id": order.id, "number": order.number})


async def _close_offers(session: AsyncSession, order_id: int, except_worker: int | None, status: str) -> None:
    rows = list(await session.scalars(select(Offer).where(Offer.order_id == order_id, Offer.status == "offered")))
    for o in rows:
        if o.worker_id != except_worker:
            o.status, o.responded_at = status, now()
            await publish(session, [f"user:{o.worker_id}"], "offer.withdrawn", {"order_id": order_id})
    await session.flush()


async def accept(session: AsyncSession, worker: User, order_id: int) -> Order:
    order = await orders.lock(session, order_id)  # concurrent accepts queue here; the first one wins
    offer = await session.scalar(select(Offer).where(Offer.order_id == order_id, Offer.worker_id == worker.id))
    if offer is None:
        raise AppError("order_not_found")
    if offer.status != "offered":
        raise AppError("offer_taken")
    if offer.expires_at <= now():
        raise AppError("offer_expired")
    if not state.allows(order.status, "accept"):  # taken by someone else, or cancelled meanwhile
        raise AppError("offer_taken")
    offer.status, offer.responded_at = "accepted", now()
    await _close_offers(session, order.id, worker.id, "withdrawn")
    await lifecycle.accept(session, order, worker, worker)
    return order


async def reject(session: AsyncSession, worker: User, order_id: int, reason_code: str, reason: str) -> None:
    await orders.lock(session, order_id)
    offer = await session.scalar(select(Offer).where(Offer.order_id == order_id, Offer.worker_id == worker.id))
    if offer is None:
        raise AppError("order_not_found")
    if offer.status != "offered":
        raise AppError("offer_taken")
    offer.status, offer.reason_code, offer.reason, offer.responded_at = "rejected", reason_code, reason, now()
    await session.flush()
    await publish(session, ["role:dispatcher"], "offer.rejected",
                  {"order_id": order_id, "worker_id": worker.id, "reason_code": reason_code})
    await _maybe_next_round(session, order_id)


async def _maybe_next_round(session: AsyncSession, order_id: int) -> None:
    order = await orders.lock(session, order_id)
    still_open = await session.scalar(select(func.count()).where(Offer.order_id == order_id, Offer.status == "offered"))
    if order.status == Status.PAID.value and not still_open:
        await next_round(session, order)


async def expire_offers(session: AsyncSession) -> int:
    """Job: close offers past their time and move their orders to the next round. Orders being
    handled right now (locked) are left for the next run."""
    order_ids = list(await session.scalars(select(Offer.order_id).where(
        Offer.status == "offered", Offer.expires_at < now()).distinct().limit(500)))
    expired = 0
    for order_id in order_ids:
        order = await orders.try_lock(session, order_id)
        if order is None:
            continue
        res = await session.execute(update(Offer).where(Offer.order_id == order_id, Offer.status == "offered",
                                                        Offer.expires_at < now())
                                    .values(status="expired", responded_at=now()))
        expired += res.rowcount
        await _maybe_next_round(session, order_id)
    return expired


async def assign(session: AsyncSession, actor: User, order_id: int, worker_id: int) -> Order:
    """An operator assigns by hand: the worker must be eligible by skill and free."""
    order = await orders.lock(session, order_id)
    if not state.allows(order.status, "assign"):
        raise AppError("illegal_transition")
    worker = await session.get(User, worker_id)
    profile = await session.get(WorkerProfile, worker_id)
    service = await session.get(Service, order.service_id)
    if worker is None or worker.kind != "worker" or profile is None or service.skill not in (profile.skills or []):
        raise AppError("worker_not_eligible")
    if not await certificates.certified(session, worker_id, service.skill, order.scheduled_end.astimezone(
            ZoneInfo(order.timezone)).date()):  # certificates valid through the visit (workforce's one rule)
        raise AppError("worker_not_eligible")
    before = {"status": order.status, "worker_id": order.worker_id, "held_worker_id": order.held_worker_id}
    session.add(DispatchRound(order_id=order.id, round=(await session.scalar(
        select(func.max(DispatchRound.round)).where(DispatchRound.order_id == order.id)) or 0) + 1, mode="manual",
        candidates=[{"worker_id": worker_id, "nickname": worker.nickname, "score": None, "breakdown": {},
                     "distance_km": None, "offered": True, "by": actor.username}]))
    await _close_offers(session, order.id, None, "withdrawn")
    await lifecycle.accept(session, order, worker, actor, manual=True)
    await audit.record(session, actor, "order.assign", "order", order.id, before,
                       {"status": order.status, "worker_id": order.worker_id, "held_worker_id": order.held_worker_id})
    return order


async def redispatch(session: AsyncSession, actor: User, order_id: int) -> Order:
    order = await orders.lock(session, order_id)
    before = {"status": order.status}
    if order.status == Status.DISPATCH_FAILED.value:  # operators reopen it for another round
        await orders.transition(session, order, "redispatch", None, "redispatched")
    if order.status != Status.PAID.value:
        raise AppError("illegal_transition")
    await _close_offers(session, order.id, None, "withdrawn")
    rnd = await next_round(session, order)
    await audit.record(session, actor, "order.redispatch", "order", order.id, before,
                       {"status": order.status, "round": rnd.round if rnd else None})
    return order


@workforce_hooks.on("withdrawn", "skills_lost")
async def reoffer_orders_of(session: AsyncSession, worker_id: int, reason: str) -> int:
    """A worker who can no longer serve some of their accepted, not yet started orders (suspended,
    gone, a certificate lapsed): those orders go back to dispatch in the same transaction. Each
    order is locked first, as every path here does."""
    ids = list(await session.scalars(select(Order.id).where(
        Order.worker_id == worker_id, Order.status == Status.ACCEPTED.value, Order.scheduled_start > now())
        .order_by(Order.id)))
    moved = 0
    profile = await session.get(WorkerProfile, worker_id)
    for order_id in ids:
        order = await orders.lock(session, order_id)
        if order.status != Status.ACCEPTED.value or order.worker_id != worker_id:
            continue
        service = await session.get(Service, order.service_id)
        last_day = order.scheduled_end.astimezone(ZoneInfo(order.timezone)).date()
        serving = profile is not None and profile.employment_status == "active" and profile.review_status == "approved"
        if serving and await certificates.certified(session, worker_id, service.skill, last_day):
            continue  # this one they may still serve
        await lifecycle.withdraw(session, order, reason)
        await publish(session, [f"user:{worker_id}"], "order.worker_withdrawn", {"order_id": order.id})
        await next_round(session, order, anew_without=worker_id)
        moved += 1
    return moved


async def explain(session: AsyncSession, order_id: int) -> schemas.DispatchOut:
    """Why this worker: every round's candidates with their breakdown and what they answered."""
    outcomes = {o.worker_id: o.status for o in await session.scalars(select(Offer).where(Offer.order_id == order_id))}
    rounds = list(await session.scalars(select(DispatchRound).where(DispatchRound.order_id == order_id)
                                        .order_by(DispatchRound.round)))
    return schemas.DispatchOut(mode=rounds[-1].mode if rounds else MODE, rounds=[
        schemas.RoundOut(round=r.round, mode=r.mode, created_at=r.created_at, candidates=[
            schemas.CandidateOut(**{k: c.get(k) for k in ("worker_id", "nickname", "score", "distance_km", "offered")},
                                 breakdown=c.get("breakdown") or {}, outcome=outcomes.get(c["worker_id"]))
            for c in r.candidates]) for r in rounds])


# ---------------------------------------------------------------- figures (performance reads them)
async def offer_answers_by_worker(session: AsyncSession, start: datetime, end: datetime) -> dict[int, tuple[int, int]]:
    """worker id -> (offers made in [start, end) that the worker answered or let expire, of them
    accepted). Offers withdrawn before an answer (someone else took the order) do not count: the
    same rule as the acceptance factor of scoring."""
    rows = await session.execute(
        select(Offer.worker_id, func.count(), func.count().filter(Offer.status == "accepted"))
        .where(Offer.created_at >= start, Offer.created_at < end,
               Offer.status.in_(["accepted", "rejected", "expired"]))
        .group_by(Offer.worker_id))
    return {w: (n, accepted) for w, n, accepted in rows.all()}
