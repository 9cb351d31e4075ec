"""Statistics for the console, read from the daily rollups (never a GROUP BY over the orders): the
figures by day / week / month and by region / service / source / segment, the funnel, cancellation
reasons, the served side of worker utilisation; and what cannot wait for a rollup — the live tiles and
the workers' capacity (their weekly hours) — from the live tables, each a small indexed query."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.catalog.models import Service
from anjia.config import get_settings
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.scheduling.models import Region
from anjia.stats import rollup, schemas

MAX = {"day": 366, "week": 104 * 7, "month": 36 * 31, "all": 36 * 31}
SOURCES = {"mp": ("微信小程序", "Mini program"), "h5": ("H5", "H5"), "app": ("App", "App"),
           "admin": ("电话/后台", "Phone / back office"), "unknown": ("未知渠道", "Unknown")}
# the customers' RFM segments (customers.schemas.SEGMENT_LABELS; a sibling package, so repeated here)
# and the orders placed before a customer was first classified
SEGMENTS = {"new": ("新客", "New"), "active": ("活跃", "Active"), "high_value": ("高价值", "High value"),
            "at_risk": ("流失风险", "At risk"), "lost": ("已流失", "Lost"), "unclassified": ("未分群", "Unclassified")}
CANCEL_REASONS = {"change_of_plans": ("计划有变", "Change of plans"), "booked_by_mistake": ("误下单", "Booked by mistake"),
                  "price": ("价格原因", "Price"), "worker_issue": ("服务人员原因", "Worker issue"),
                  "payment_timeout": ("超时未支付", "Not paid in time"), "other": ("其他原因", "Other")}
FUNNEL = [("created", "下单"), ("paid", "支付"), ("completed", "完成"), ("reviewed", "评价")]
COLUMNS = {"region": "region_id::text", "service": "service_id::text", "source": "source", "segment": "segment"}
SUMS = ("orders", "paid_orders", "gmv", "paid_amount", "refunded_amount", "completed", "cancelled", "reviewed",
        "customers", "new_customers")


def tz() -> ZoneInfo:
    return ZoneInfo(get_settings().region_timezone)


def check_range(start: date, end: date, period: str = "day") -> None:
    if start > end or (end - start).days >= MAX[period]:
        raise AppError("stats_range", errors=[{"field": "from", "message": f"{start}..{end}"}])


def _filters(region_id: int | None, service_id: int | None, source: str | None, segment: str | None
             ) -> tuple[str, dict]:
    where, params = ["day BETWEEN :start AND :end"], {}
    for column, value in (("region_id", region_id), ("service_id", service_id), ("source", source),
                          ("segment", segment)):
        if value is not None:
            where.append(f"{column} = :{column}")
            params[column] = value
    return " AND ".join(where), params


def figures(row) -> schemas.StatsFigures:
    values = {k: int(row[k] or 0) for k in SUMS}
    return schemas.StatsFigures(**values, net_amount=values["paid_amount"] - values["refunded_amount"],
                                returning_customers=values["customers"] - values["new_customers"],
                                avg_price=values["gmv"] // values["paid_orders"] if values["paid_orders"] else 0)


async def labels(session: AsyncSession, by: str | None, keys: set[str]) -> dict[str, str]:
    if by == "source":
        return {k: SOURCES.get(k, (k,))[0] for k in keys}
    if by == "segment":
        return {k: SEGMENTS.get(k, (k,))[0] for k in keys}
    if by in ("region", "service"):
        model = Region if by == "region" else Service
        ids = [int(k) for k in keys]
        names = dict((await session.execute(select(model.id, model.name).where(model.id.in_(ids)))).all()) if ids else {}
        return {k: names.get(int(k), f"#{k}") for k in keys}
    return {}


async def report(session: AsyncSession, start: date, end: date, *, period: str = "day", by: str | None = None,
                 region_id: int | None = None, service_id: int | None = None, source: str | None = None,
                 segment: str | None = None) -> schemas.StatsReportOut:
    check_range(start, end, period)
    where, params = _filters(region_id, service_id, source, segment)
    params |= {"start": start, "end": end}
    bucket = "CAST(:start AS date)" if period == "all" else f"date_trunc('{period}', day)::date"
    key = COLUMNS[by] if by else "NULL::text"
    sums = ", ".join(f"sum({k}) AS {k}" for k in SUMS)
    sql = (f"SELECT {bucket} AS bucket, {key} AS key, {sums}, max(computed_at) AS computed_at FROM stats_daily "
           f"WHERE {where} GROUP BY GROUPING SETS (({bucket}, {key}), ()) ORDER BY 1, 2")
    rows = (await session.execute(text(sql), params)).mappings().all()
    total = next((r for r in rows if r["bucket"] is None), None)
    body = [r for r in rows if r["bucket"] is not None]
    names = await labels(session, by, {r["key"] for r in body if r["key"] is not None})
    gmv_by_key: dict[str, int] = {}
    for r in body:
        if r["key"] is not None:
            gmv_by_key[r["key"]] = gmv_by_key.get(r["key"], 0) + int(r["gmv"] or 0)
    keys = [schemas.StatsKey(key=k, label=names.get(k, k))
            for k in sorted(gmv_by_key, key=lambda k: (-gmv_by_key[k], names.get(k, k)))]
    empty = {k: 0 for k in SUMS}
    return schemas.StatsReportOut(
        start=start, end=end, period=period, by=by,
        rows=[schemas.StatsRow(bucket=r["bucket"], key=r["key"], label=names.get(r["key"]) if r["key"] else None,
                               **figures(r).model_dump()) for r in body],
        keys=keys, totals=figures(total if total is not None else empty),
        computed_at=total["computed_at"] if total is not None else None)


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


async def funnel(session: AsyncSession, start: date, end: date, **filters) -> schemas.FunnelOut:
    rep = await report(session, start, end, period="all", **filters)
    t = rep.totals
    counts = [t.orders, t.paid_orders, t.completed, t.reviewed]
    steps = [schemas.FunnelStep(step=step, label=label, orders=n, rate=_rate(n, t.orders),
                                step_rate=_rate(n, counts[i - 1]) if i else (1.0 if n else 0.0))
             for i, ((step, label), n) in enumerate(zip(FUNNEL, counts, strict=True))]
    return schemas.FunnelOut(start=start, end=end, steps=steps)


async def cancellations(session: AsyncSession, start: date, end: date, *, region_id: int | None = None,
                        service_id: int | None = None, source: str | None = None, segment: str | None = None
                        ) -> schemas.CancellationsOut:
    check_range(start, end, "all")
    where, params = _filters(region_id, service_id, source, segment)
    rows = (await session.execute(text(
        f"SELECT reason, sum(orders) AS n FROM stats_daily_cancellations WHERE {where} GROUP BY reason ORDER BY 2 DESC, 1"),
        params | {"start": start, "end": end})).all()
    total = sum(int(n) for _, n in rows)
    return schemas.CancellationsOut(start=start, end=end, cancelled=total, reasons=[
        schemas.CancellationReason(reason=r, label=CANCEL_REASONS.get(r, (r,))[0], orders=int(n),
                                   share=_rate(int(n), total)) for r, n in rows])


# ---------------------------------------------------------------- live
LIVE = f"""
SELECT count(*) AS orders, coalesce(sum(coalesce(o.final_total, o.total)) FILTER (WHERE {rollup.PAID}), 0) AS gmv,
       coalesce(sum(o.paid_amount), 0) AS paid
FROM orders o WHERE o.created_at >= :start AND o.created_at < :end
"""
ACTIVE_WORKERS = ("SELECT count(DISTINCT worker_id) FROM orders WHERE status IN ('on_the_way', 'in_service') "
                  "AND worker_id IS NOT NULL")
OPEN_COMPLAINTS = "SELECT count(*) FROM tickets WHERE kind = 'complaint' AND status NOT IN ('resolved', 'closed')"


async def live(session: AsyncSession) -> schemas.LiveTilesOut:
    at = now()
    today = at.astimezone(tz()).date()
    start = datetime.combine(today, time(), tz())
    row = (await session.execute(text(LIVE), {"start": start, "end": start + timedelta(days=1)})).one()
    return schemas.LiveTilesOut(day=today, orders_today=row.orders, gmv_today=int(row.gmv), paid_today=int(row.paid),
                                active_workers=await session.scalar(text(ACTIVE_WORKERS)),
                                open_complaints=await session.scalar(text(OPEN_COMPLAINTS)), at=at)


# ---------------------------------------------------------------- utilisation
UTILISATION = """
WITH days AS (SELECT generate_series(CAST(:start AS date), CAST(:end AS date), interval '1 day')::date AS day),
capacity AS (
  SELECT d.day, count(DISTINCT h.worker_id) AS workers, sum(h.end_minute - h.start_minute) / 60.0 AS hours
  FROM days d
  JOIN worker_hours h ON h.weekday = extract(isodow FROM d.day)::int - 1
  JOIN worker_profiles p ON p.user_id = h.worker_id AND p.active AND p.verified
  WHERE CAST(:region_id AS bigint) IS NULL OR p.region_id = :region_id
  GROUP BY d.day),
served AS (  -- the rollup of served hours (by day of check-out), never the visits themselves
  SELECT day, count(DISTINCT worker_id) AS busy, sum(service_seconds) / 3600.0 AS hours
  FROM stats_daily_worker_hours
  WHERE day BETWEEN :start AND :end AND (CAST(:region_id AS bigint) IS NULL OR region_id = :region_id)
  GROUP BY day)
SELECT d.day, coalesce(c.workers, 0) AS workers, coalesce(s.busy, 0) AS busy,
       coalesce(c.hours, 0) AS capacity, coalesce(s.hours, 0) AS served
FROM days d LEFT JOIN capacity c USING (day) LEFT JOIN served s USING (day) ORDER BY d.day
"""


async def utilisation(session: AsyncSession, start: date, end: date, region_id: int | None = None
                      ) -> schemas.UtilisationOut:
    check_range(start, end, "day")
    rows = (await session.execute(text(UTILISATION), {"start": start, "end": end, "region_id": region_id})).all()
    days = [schemas.UtilisationDay(day=r.day, workers=r.workers, busy_workers=r.busy,
                                   capacity_hours=round(float(r.capacity), 1), service_hours=round(float(r.served), 1),
                                   utilisation=_rate(float(r.served), float(r.capacity))) for r in rows]
    cap, served = sum(float(r.capacity) for r in rows), sum(float(r.served) for r in rows)
    return schemas.UtilisationOut(start=start, end=end, days=days, capacity_hours=round(cap, 1),
                                  service_hours=round(served, 1), utilisation=_rate(served, cap))
