"""Regions, booking rules, worker hours and the availability engine.

A slot is bookable when at least one eligible worker (active, verified, skilled, serving the
region and within their radius of the address) works those hours, is not on leave and has no
booking overlapping the slot plus travel buffer. The check runs in one SQL statement whose
EXISTS stops at the first free worker, so it scales with slots, not with workers.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import structlog
from psycopg.types.range import Range
from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.core import audit
from anjia.core.cache import cache
from anjia.core.db import Raw
from anjia.core.errors import AppError
from anjia.core.geo import distance_km
from anjia.core.security import now
from anjia.providers import maps
from anjia.scheduling import schemas
from anjia.scheduling.models import BookingRules, Holiday, Region, WorkerHours, WorkerLeave

log = structlog.get_logger()

MAX_SEARCH_KM = 50
CANDIDATE_SCAN = 5000  # nearest workers looked at when picking who to book (read lazily, in distance order)
BOOKING_LOCKS = 1  # advisory lock namespace: (1, worker_id)  # no worker serves farther than this; bounds the spatial index search


# ---------------------------------------------------------------- rules, holidays, regions
async def rules(session: AsyncSession) -> BookingRules:
    row = await cache.row(session, BookingRules, 1)
    if row is None:
        row = BookingRules(id=1)
        session.add(row)
        await session.flush()
    return row


def rules_out(r: BookingRules) -> schemas.RulesOut:
    return schemas.RulesOut(**{k: getattr(r, k) for k in schemas.RulesIn.model_fields if k != "evening_start"},
                            evening_start=schemas.hhmm(r.evening_start))


async def update_rules(session: AsyncSession, actor, data: schemas.RulesIn) -> BookingRules:
    r = await rules(session)
    before = rules_out(r).model_dump()
    for k, v in data.model_dump().items():
        setattr(r, k, schemas.minutes_of(v) if k == "evening_start" else v)
    await session.flush()
    await audit.record(session, actor, "booking_rules.update", "booking_rules", 1, before, rules_out(r).model_dump())
    return r


async def is_holiday(session: AsyncSession, day: date) -> bool:
    async def build() -> frozenset[date]:
        return frozenset((await session.scalars(select(Holiday.day))).all())

    return day in await cache.get("holidays", HOLIDAY_TABLES, build)


HOLIDAY_TABLES = frozenset({"holidays"})


async def holidays(session: AsyncSession) -> list[Holiday]:
    return list(await session.scalars(select(Holiday).order_by(Holiday.day)))


async def set_holiday(session: AsyncSession, actor, data: schemas.HolidayIn) -> None:
    old = await session.get(Holiday, data.day)
    before = {"name": old.name} if old else None
    await session.merge(Holiday(day=data.day, name=data.name))
    await audit.record(session, actor, "holiday.set", "holiday", data.day.isoformat(), before,
                       data.model_dump(mode="json"))


async def delete_holiday(session: AsyncSession, actor, day: date) -> None:
    h = await session.get(Holiday, day)
    if h is None:
        raise AppError("not_found")
    await session.delete(h)
    await audit.record(session, actor, "holiday.delete", "holiday", day.isoformat(), {"name": h.name}, None)


def region_out(r: Region) -> schemas.RegionOut:
    return schemas.RegionOut(id=r.id, name=r.name, city=r.city, timezone=r.timezone, center_lat=r.center_lat,
                             center_lng=r.center_lng, radius_km=r.radius_km, opens=schemas.hhmm(r.opens),
                             closes=schemas.hhmm(r.closes), dispatch_mode=r.dispatch_mode, active=r.active)


async def regions(session: AsyncSession, active_only: bool = True) -> list[Region]:
    stmt = select(Region).order_by(Region.id)
    if active_only:
        stmt = stmt.where(Region.active)
    return list(await session.scalars(stmt))


async def region_for(session: AsyncSession, lat: float, lng: float) -> Region | None:
    """The nearest active region whose circle holds the point."""
    best = None
    for r in await regions(session):
        d = distance_km(lat, lng, r.center_lat, r.center_lng)
        if d <= r.radius_km and (best is None or d < best[0]):
            best = (d, r)
    return best[1] if best else None


async def get_region(session: AsyncSession, region_id: int) -> Region:
    r = await cache.row(session, Region, region_id)
    if r is None:
        raise AppError("not_found")
    return r


def _check_hours(opens: int, closes: int) -> None:
    if opens >= closes:
        raise AppError("validation_error", status=422, errors=[{"field": "closes", "message": "after opens"}])


async def create_region(session: AsyncSession, actor, data: schemas.RegionIn) -> Region:
    opens, closes = schemas.minutes_of(data.opens), schemas.minutes_of(data.closes)
    _check_hours(opens, closes)
    r = Region(**data.model_dump(exclude={"opens", "closes"}), opens=opens, closes=closes)
    session.add(r)
    await session.flush()
    await audit.record(session, actor, "region.create", "region", r.id, None, data.model_dump())
    return r


async def update_region(session: AsyncSession, actor, region_id: int, data: schemas.RegionUpdate) -> Region:
    r = await get_region(session, region_id)
    before = region_out(r).model_dump()
    for k, v in data.model_dump(exclude_unset=True).items():
        if v is not None:
            setattr(r, k, schemas.minutes_of(v) if k in ("opens", "closes") else v)
    _check_hours(r.opens, r.closes)
    await session.flush()
    await audit.record(session, actor, "region.update", "region", region_id, before, region_out(r).model_dump())
    return r


# ---------------------------------------------------------------- worker hours and leave
async def weekly(session: AsyncSession, worker_id: int) -> list[schemas.WeeklyRange]:
    hours = await session.scalars(select(WorkerHours).where(WorkerHours.worker_id == worker_id)
                                  .order_by(WorkerHours.weekday, WorkerHours.start_minute))
    return [schemas.WeeklyRange(weekday=h.weekday, start=schemas.hhmm(h.start_minute), end=schemas.hhmm(h.end_minute))
            for h in hours]


async def leaves(session: AsyncSession, worker_id: int) -> list[schemas.LeaveOut]:
    rows = await session.scalars(select(WorkerLeave).where(WorkerLeave.worker_id == worker_id,
                                                           text("upper(period) > now()"))
                                 .order_by(WorkerLeave.id))
    return [schemas.LeaveOut(id=lv.id, start=lv.period.lower, end=lv.period.upper, reason=lv.reason) for lv in rows]


async def set_weekly(session: AsyncSession, worker_id: int, weekly: list[schemas.WeeklyRange]) -> None:
    ranges = sorted((w.weekday, schemas.minutes_of(w.start), schemas.minutes_of(w.end)) for w in weekly)
    for i, (day, start, end) in enumerate(ranges):
        if start >= end:
            raise AppError("validation_error", errors=[{"field": f"weekly.{i}", "message": "end after start"}])
        if i and ranges[i - 1][0] == day and ranges[i - 1][2] > start:
            raise AppError("validation_error", errors=[{"field": f"weekly.{i}", "message": "ranges overlap"}])
    await session.execute(delete(WorkerHours).where(WorkerHours.worker_id == worker_id))
    session.add_all([WorkerHours(worker_id=worker_id, weekday=d, start_minute=s, end_minute=e) for d, s, e in ranges])
    await session.flush()


async def add_leave(session: AsyncSession, worker_id: int, data: schemas.LeaveIn) -> WorkerLeave:
    if data.start.tzinfo is None or data.end.tzinfo is None:
        raise AppError("validation_error", errors=[{"field": "start", "message": "needs a UTC offset"}])
    if data.end <= data.start or data.end <= now():
        raise AppError("validation_error", errors=[{"field": "end", "message": "after start and in the future"}])
    leave = WorkerLeave(worker_id=worker_id, period=Range(data.start, data.end), reason=data.reason)
    session.add(leave)
    await session.flush()
    return leave


async def delete_leave(session: AsyncSession, worker_id: int, leave_id: int) -> None:
    res = await session.execute(delete(WorkerLeave).where(WorkerLeave.id == leave_id,
                                                          WorkerLeave.worker_id == worker_id))
    if res.rowcount == 0:
        raise AppError("not_found")


# ---------------------------------------------------------------- the availability engine
@dataclass(frozen=True)
class Need:
    """What a booking needs: who (skill, where) and for how long."""

    region: Region
    skill: str
    lat: float
    lng: float
    minutes: int  # service time of one visit
    span: timedelta | None = None  # package services: the whole engagement, worked around the clock
    buffer_minutes: int = 30
    worker_id: int | None = None  # this worker only (booking with a favourite)

    @classmethod
    def for_quote(cls, region: Region, service, lat: float, lng: float, *, minutes: int, days: int,
                  buffer_minutes: int, daily_hours: int | None = None) -> "Need":
        """The one builder: what a priced request (`minutes` and `days` of its quote) needs; a
        package keeps its worker for all its days."""
        span = None
        if service.pricing_kind == "package":
            span = timedelta(days=days - 1, hours=daily_hours or service.daily_hours or 8)
        return cls(region=region, skill=service.skill, lat=lat, lng=lng, minutes=minutes, span=span,
                   buffer_minutes=buffer_minutes)

    def period(self, start: datetime) -> tuple[datetime, datetime]:
        end = start + (self.span or timedelta(minutes=self.minutes))
        return start, end


# Certificates: `worker_certified_until(worker, skill)` is workforce's one rule (a database
# function from its migration, so this lower layer imports nothing of workforce): the day the
# certificates the skill needs stop counting. A worker serves a visit only if it ends, in the
# region's local time, before that day; `skills` (eligible today) already filters the rest.
ELIGIBLE = """
    SELECT p.user_id, earth_distance(p.home_earth, a.pt) AS meters,
           worker_certified_until(p.user_id, :skill) AS certified_until
    FROM worker_profiles p, (SELECT ll_to_earth(:lat, :lng) AS pt) a
    WHERE p.region_id = :region AND p.active AND p.verified AND :skill = ANY(p.skills)
      AND earth_box(a.pt, :max_m) @> p.home_earth
      AND earth_distance(p.home_earth, a.pt) <= p.radius_km * 1000
      AND (CAST(:only AS bigint) IS NULL OR p.user_id = :only)
"""

# the worker's weekly hours cover the visit (a package's days follow the package's own hours)
WORKING = """SELECT 1 FROM worker_hours h WHERE h.worker_id = e.user_id AND h.weekday = s.weekday
                      AND h.start_minute <= s.start_min AND h.end_minute >= s.end_min"""
# no leave and no other active booking (with the travel buffer after it) overlaps the visit
UNBOOKED = """
    NOT EXISTS (SELECT 1 FROM worker_leaves l WHERE l.worker_id = e.user_id
                AND l.period && tstzrange(s.start, s.finish))
    AND NOT EXISTS (SELECT 1 FROM worker_bookings b WHERE b.region_id = :region AND b.active AND b.worker_id = e.user_id
                    AND b.order_id <> :exclude_order
                    AND b.period && tstzrange(s.start, s.finish + make_interval(mins => :buffer)))
"""
FREE = f"(:package OR EXISTS ({WORKING})) AND {UNBOOKED}"

# The slot grid — each day's opening hours on the step, local time, between :earliest and
# :latest — and whether anyone eligible is free for each slot. The grid is made here rather than
# sent: a fortnight is about 300 starts, and building them, sending them and looking the answers up
# in Python took a third of the availability request.
SLOTS_SQL = f"""
WITH eligible AS MATERIALIZED ({ELIGIBLE}),
grid AS (SELECT d + make_interval(mins => m) AS local, m AS start_min
         FROM generate_series(CAST(:day_from AS timestamp), CAST(:day_to AS timestamp), interval '1 day') d,
              generate_series(CAST(:opens AS int), CAST(:last_start AS int), CAST(:step AS int)) m),
slots AS MATERIALIZED (SELECT local, start, start + make_interval(mins => :span) AS finish, start_min,
                 start_min + :minutes AS end_min, CAST(extract(isodow FROM local) AS int) - 1 AS weekday
          FROM (SELECT local, timezone(:tz, local) AS start, start_min FROM grid) g
          WHERE start BETWEEN :earliest AND :latest)
SELECT s.local, EXISTS (SELECT 1 FROM eligible e
                        WHERE e.certified_until > CAST(timezone(:tz, s.finish) AS date) AND {FREE}) AS free
FROM slots s ORDER BY s.start
"""

def _at_start(sql: str) -> str:
    """FREE's per-slot columns as the candidate query's parameters (one start)."""
    return (sql.replace("s.start_min", ":start_min").replace("s.end_min", ":end_min").replace("s.weekday", ":weekday")
            .replace("s.start", "CAST(:start AS timestamptz)").replace("s.finish", "CAST(:finish AS timestamptz)"))


# Nearest first via the GiST index's KNN order (`<->`), checked lazily: LIMIT stops the scan
# as soon as enough free workers are found, so a city of workers costs a handful of probes. The
# region is asked inside the scan (a neighbouring city's workers never use up the `:scan` nearest),
# and of every booking read: the distribution column (docs/scale-out.md, tests/core/test_distribution.py).
# The hours are a LATERAL probe of their index per worker scanned: as an EXISTS under an OR the
# planner hashes the whole week of every worker (a 70,000-row scan, 3.6 ms of 5.5 with 10,000
# workers) before looking at the first of the few nearest it needs.
CANDIDATES_SQL = f"""
SELECT e.user_id FROM (
    SELECT * FROM worker_profiles WHERE active AND verified AND region_id = :region
    ORDER BY home_earth <-> ll_to_earth(:lat, :lng) LIMIT :scan) e
LEFT JOIN LATERAL ({_at_start(WORKING)} LIMIT 1) working ON true
WHERE :skill = ANY(e.skills)
  AND (CAST(:only AS bigint) IS NULL OR e.user_id = :only)
  AND earth_distance(e.home_earth, ll_to_earth(:lat, :lng)) <= e.radius_km * 1000
  AND (:package OR working IS NOT NULL)
  AND {_at_start(UNBOOKED)}
  AND worker_certified_until(e.user_id, :skill) > CAST(timezone(:tz, CAST(:finish AS timestamptz)) AS date)
LIMIT :limit
"""


def _slot_params(need: Need, start: datetime) -> dict:
    """FREE's per-slot values for one start (the candidate query's)."""
    local = start.astimezone(ZoneInfo(need.region.timezone))
    minute = local.hour * 60 + local.minute
    return {"finish": need.period(start)[1], "weekday": local.weekday(), "start_min": minute,
            "end_min": minute + need.minutes}


def _base_params(need: Need) -> dict:
    return {"region": need.region.id, "skill": need.skill, "lat": need.lat, "lng": need.lng,
            "max_m": MAX_SEARCH_KM * 1000, "buffer": need.buffer_minutes, "package": need.span is not None,
            "exclude_order": 0, "only": need.worker_id, "tz": need.region.timezone}


def grid(need: Need, r: BookingRules, day_from: date, day_to: date, earliest: datetime, latest: datetime) -> dict:
    """SLOTS_SQL's parameters: slots of `need` on the days from `day_from` to `day_to` (the region's),
    in its opening hours on the rules' step, starting from `earliest` to `latest`."""
    return {**_base_params(need), "day_from": day_from, "day_to": day_to, "opens": need.region.opens,
            "last_start": need.region.closes - (0 if need.span else need.minutes), "step": r.slot_step_minutes,
            "earliest": earliest, "latest": latest, "minutes": need.minutes,
            "span": int((need.span or timedelta(minutes=need.minutes)).total_seconds() // 60)}


def bookable(need: Need, r: BookingRules, day_from: date, day_to: date, at: datetime) -> dict:
    """The grid of slots a customer may book at `at`: inside the lead time and the horizon."""
    return grid(need, r, day_from, day_to, at + timedelta(minutes=r.min_lead_minutes),
                at + timedelta(days=r.max_horizon_days))


async def free_slots(session: AsyncSession, need: Need, params: dict) -> list[tuple[datetime, bool]]:
    """(start in the region's time, free) for each slot of the grid `params`, in order."""
    tz = ZoneInfo(need.region.timezone)
    return [(local.replace(tzinfo=tz), free) for local, free in await _SLOTS.rows(session, params)]


async def availability(session: AsyncSession, need: Need, day_from: date, day_to: date) -> dict:
    """schemas.AvailabilityOut's fields, ready for orjson (a fortnight's 300 slots through the model
    cost 0.8 ms of validation and serialisation, orjson 0.17 ms)."""
    r = await rules(session)
    at = now()
    today = at.astimezone(ZoneInfo(need.region.timezone)).date()
    if day_to < day_from or day_from < today or (day_to - today).days > r.max_horizon_days:
        raise AppError("date_out_of_range", errors=[{"field": "to", "message": f"within {r.max_horizon_days} days"}])
    days: dict[date, list[dict]] = {day_from + timedelta(days=k): [] for k in range((day_to - day_from).days + 1)}
    length = need.period(at)[1] - at
    for start, free in await free_slots(session, need, bookable(need, r, day_from, day_to, at)):
        days[start.date()].append({"start": start, "end": start + length, "available": free})
    # Instant booking only concerns the next hours: skip its query when today is not asked for.
    return {"timezone": need.region.timezone, "duration_minutes": need.minutes,
            "asap": await asap(session, need, r, at) if day_from <= today else None,
            "days": [{"date": k, "slots": v} for k, v in days.items()]}


async def asap(session: AsyncSession, need: Need, r: BookingRules, at: datetime) -> dict | None:
    """Instant booking: the earliest free start in the next three hours (lead time waived down
    to one hour: someone must still get there)."""
    if need.span:
        return None
    tz = ZoneInfo(need.region.timezone)
    first, last = at + timedelta(hours=1), at + timedelta(hours=3)
    for start, free in await free_slots(session, need, grid(need, r, first.astimezone(tz).date(),
                                                            last.astimezone(tz).date(), first, last)):
        if free:
            return {"start": start, "end": need.period(start)[1], "available": True}
    return None


def candidate_params(need: Need, start: datetime, only: int | None = None, limit: int = 10,
                     exclude_order: int = 0) -> dict:
    """`exclude_order`: an order re-dispatched ignores its own booking when asking who is free."""
    return {**_base_params(need), **_slot_params(need, start), "exclude_order": exclude_order, "start": start,
            "only": only, "limit": limit, "scan": CANDIDATE_SCAN}


async def free_workers(session: AsyncSession, need: Need, start: datetime, preferred: int | None = None,
                       limit: int = 10) -> list[int]:
    """Free eligible workers for `start`, the preferred one (a plan's or a re-booked worker) first;
    with `need.worker_id`, that worker alone."""
    found: list[int] = []
    preferred = need.worker_id or preferred
    if preferred:
        found = [w for w, in await _CANDIDATES.rows(session, candidate_params(need, start, preferred, 1))]
    if need.worker_id:
        return found
    rows = await _CANDIDATES.rows(session, candidate_params(need, start, None, limit))
    return found + [w for w, in rows if w not in found]


async def hold(session: AsyncSession, need: Need, start: datetime, order: int | Callable[[int], Awaitable[int]],
               preferred: int | None = None) -> int | None:
    """Book the best free worker for the period: the nearest free ones are tried in turn. `order`:
    the order's id, or a new order's writer — called once, with the first worker claimed, before
    that worker's booking, it writes the order holding them and returns its id (the order names
    its worker in its INSERT; the caller updates it in the rare case another worker was booked)."""
    begin, end = need.period(start)
    for worker_id in await free_workers(session, need, start, preferred):
        if not await claim(session, worker_id):
            continue
        if not isinstance(order, int):
            order = await order(worker_id)
        if await _book_claimed(session, worker_id, order, need.region.id, begin, end, need.buffer_minutes,
                               (need.lat, need.lng)):
            return worker_id
    return None


# A gap this long between two visits needs no driving-time check: no city drive takes longer.
TRAVEL_CHECK_MINUTES = 180

# The worker's visits just before and just after this one that are near enough in time to need a
# drive check, and the minutes between: from the end of the one before (its stored period runs on
# `buffer` minutes past it) to our start, and from our end to the start of the one after.
NEIGHBOURS = f"""
    SELECT * FROM (
      (SELECT 'before' AS side, lat, lng,
              extract(epoch FROM :begin - (upper(period) - make_interval(mins => :buffer))) / 60 AS gap
       FROM worker_bookings
       WHERE region_id = :r AND worker_id = :w AND active AND order_id <> :o AND lat IS NOT NULL
         AND upper(period) <= :begin
       ORDER BY upper(period) DESC LIMIT 1)
      UNION ALL
      (SELECT 'after', lat, lng, extract(epoch FROM lower(period) - :end) / 60
       FROM worker_bookings
       WHERE region_id = :r AND worker_id = :w AND active AND order_id <> :o AND lat IS NOT NULL
         AND lower(period) >= :end + make_interval(mins => :buffer)
       ORDER BY lower(period) LIMIT 1)) n
    WHERE gap < {TRAVEL_CHECK_MINUTES}"""
INSERT_BOOKING = """
    INSERT INTO worker_bookings (worker_id, order_id, region_id, period, active, lat, lng)
    SELECT :w, :o, :r, tstzrange(:begin, :end + make_interval(mins => :buffer)), true,
           CAST(:lat AS double precision), CAST(:lng AS double precision)"""
# In one round trip: the booking when no visit is near enough in time to ask for a drive, else the
# visits to ask about (and no booking). An overlap with another active booking of theirs (the
# exclusion constraint) inserts nothing: no savepoint around it.
BOOK_SQL = f"""
    WITH near AS MATERIALIZED ({NEIGHBOURS}),
    booked AS ({INSERT_BOOKING} WHERE NOT EXISTS (SELECT 1 FROM near) ON CONFLICT DO NOTHING RETURNING id)
    SELECT (SELECT id FROM booked) AS id,
           (SELECT json_agg(json_build_array(side, lat, lng, gap)) FROM near) AS near"""


_CANDIDATES, _SLOTS, _BOOK = Raw(CANDIDATES_SQL), Raw(SLOTS_SQL), Raw(BOOK_SQL)
_CLAIM = Raw("SELECT pg_try_advisory_xact_lock(:ns, :w)")
_INSERT_BOOKING = Raw(INSERT_BOOKING + " ON CONFLICT DO NOTHING RETURNING id")


async def _reachable(worker_id: int, order_id: int, point: tuple[float, float], near: list) -> bool:
    """Can the worker drive here from their previous visit, and on to the next, in the time between?
    The exclusion constraint already keeps `buffer_minutes` after each visit; this asks maps.travel (the
    provider's route cached per cell, else the straight line) only for a neighbour closer than
    TRAVEL_CHECK_MINUTES — at most two calls per candidate, never in the availability query."""
    for side, lat, lng, gap in near:
        origin, dest = ((lat, lng), point) if side == "before" else (point, (lat, lng))
        t = await maps.travel(origin, dest)
        if t.minutes > gap:
            log.info("booking_too_far", worker_id=worker_id, order_id=order_id, side=side, gap_minutes=round(gap),
                     travel_minutes=t.minutes, source=t.source)
            return False
    return True


async def claim(session: AsyncSession, worker_id: int) -> bool:
    """The worker's booking lock for this transaction; False when someone is booking them right now.

    The exclusion constraint is the guarantee; the advisory try-lock only keeps concurrent
    bookings of one worker from waiting on each other (two uncommitted overlapping inserts
    would otherwise deadlock): a worker someone else is booking right now counts as taken. The lock
    also keeps the neighbours read for the driving time from changing under us."""
    return (await _CLAIM.one(session, {"ns": BOOKING_LOCKS, "w": worker_id}))[0]


async def book(session: AsyncSession, worker_id: int, order_id: int, region_id: int, begin: datetime,
               end: datetime, buffer_minutes: int, point: tuple[float, float] | None = None) -> bool:
    """Book one given worker for an order of `region_id`; False if taken, or (with the visit's `point`) when the drive from their
    previous visit or to the next one takes longer than the time between them."""
    return await claim(session, worker_id) and await _book_claimed(session, worker_id, order_id, region_id, begin,
                                                                   end, buffer_minutes, point)


async def _book_claimed(session: AsyncSession, worker_id: int, order_id: int, region_id: int, begin: datetime,
                        end: datetime, buffer_minutes: int, point: tuple[float, float] | None) -> bool:
    args = {"w": worker_id, "o": order_id, "r": region_id, "begin": begin, "end": end, "buffer": buffer_minutes,
            "lat": point[0] if point else None, "lng": point[1] if point else None}
    if point:
        booked, near = await _BOOK.one(session, args)
        if not near:
            return booked is not None
        if not await _reachable(worker_id, order_id, point, near):
            return False
    return bool(await _INSERT_BOOKING.rows(session, args))


async def move(session: AsyncSession, order_id: int, need: Need, start: datetime, *, worker_id: int | None = None,
               preferred: int | None = None) -> int | None:
    """Move an order's booking: release it, then book `worker_id` (or, without one, the best free
    worker, `preferred` first) for the visit at `start`, under the exclusion constraint. Returns the
    worker booked, or None when nobody is free: the caller raises, the request rolls back and the
    order keeps its old booking."""
    await release(session, order_id, need.region.id)
    if worker_id is None:
        return await hold(session, need, start, order_id, preferred)
    begin, end = need.period(start)
    return worker_id if await book(session, worker_id, order_id, need.region.id, begin, end, need.buffer_minutes,
                                   (need.lat, need.lng)) else None


async def book_many(session: AsyncSession, region_id: int,
                    bookings: list[tuple[int, int, datetime, datetime, bool, datetime]]) -> None:
    """Bookings of orders of one region loaded in bulk (the demo's history): (worker, order, begin, end
    with the travel buffer, active, booked at). One statement; the exclusion constraint still refuses any overlap of
    active bookings of one worker, and then nothing is written."""
    if not bookings:
        return
    workers, orders, begins, ends, active, ats = (list(c) for c in zip(*bookings, strict=True))
    await session.execute(text("""
        INSERT INTO worker_bookings (worker_id, order_id, region_id, period, active, created_at)
        SELECT w, o, :r, tstzrange(b, e), a, t
        FROM unnest(CAST(:w AS bigint[]), CAST(:o AS bigint[]), CAST(:b AS timestamptz[]), CAST(:e AS timestamptz[]),
                    CAST(:a AS boolean[]), CAST(:t AS timestamptz[])) AS x(w, o, b, e, a, t)"""),
        {"w": workers, "o": orders, "r": region_id, "b": begins, "e": ends, "a": active, "t": ats})


async def release(session: AsyncSession, order_id: int, region_id: int) -> None:
    """Free the order's booking (`region_id`: the order's)."""
    await session.execute(text("UPDATE worker_bookings SET active = false WHERE region_id = :r AND order_id = :o "
                               "AND active"), {"r": region_id, "o": order_id})


async def alternatives(session: AsyncSession, need: Need, around: datetime, count: int = 5) -> list[schemas.Slot]:
    """Free slots nearest to the one that was taken, same day first, then the following days."""
    r = await rules(session)
    day = around.astimezone(ZoneInfo(need.region.timezone)).date()
    free = [start for start, ok in await free_slots(session, need, bookable(need, r, day, day + timedelta(days=3), now()))
            if ok]
    nearest = sorted(free, key=lambda s: abs((s - around).total_seconds()))[:count]
    return [schemas.Slot(start=s, end=need.period(s)[1], available=True) for s in sorted(nearest)]