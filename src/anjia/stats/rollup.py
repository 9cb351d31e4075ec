"""The daily rollups: one local day recomputed from the orders (delete the day's rows, insert them
again: the orders placed that day, and the visits checked out that day), the days waiting for it (marked by triggers on `orders` and `reviews`), and
the jobs' units of work.

Correctness under concurrent changes: a change and its dirty-day row commit together (the trigger
runs in the change's transaction). The job reads the waiting rows, recomputes each of their days in
a later statement (READ COMMITTED: a newer snapshot, so every change whose row it read is included)
and deletes only the rows it read; a change committed meanwhile left a row the job did not read,
which the next run picks up. Recomputing a day takes a transaction-level advisory lock on it, so two
runs never interleave the delete and insert of one day."""
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.config import get_settings
from anjia.core.security import now

LOCK_SPACE = 7412  # pg_advisory_xact_lock(LOCK_SPACE, day number): one recompute of a day at a time
EPOCH = date(2000, 1, 1)

# An order counts as paid once it was (whatever happened next): money came in, or it moved past
# waiting for payment without being cancelled (an order fully paid by a coupon has nothing to pay).
PAID = "(o.paid_amount > 0 OR o.status NOT IN ('pending_payment', 'cancelled'))"
# A customer's first order (lowest id) makes them a new customer of that day. It never changes once
# written, so a late change to one order moves no other order's figures.
FIRST = "NOT EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id AND e.id < o.id)"
# Segment: the customer's RFM segment when the order was placed (the membership history of the nightly
# classification, `customer_segments`), so a day's figures stay as they were when customers later move
# on — a campaign to at-risk customers shows as orders of at-risk customers. Before the customer's first
# classification: 'new' for their first order, else 'unclassified' (history from before RFM ran).
SEGMENT = """coalesce((SELECT m.segment FROM customer_segments m
                        WHERE m.customer_id = o.customer_id AND m.since <= o.created_at
                          AND (m.until IS NULL OR m.until > o.created_at)
                        ORDER BY m.since DESC LIMIT 1),
                       CASE WHEN f.first THEN 'new' ELSE 'unclassified' END)"""

DAY_ORDERS = f"""
WITH o AS (
  SELECT o.region_id, o.service_id, o.source, o.customer_id, o.status, o.cancel_reason_code,
         coalesce(o.final_total, o.total) AS value, o.paid_amount, o.refunded_amount, {PAID} AS paid,
         f.first, {SEGMENT} AS segment, EXISTS (SELECT 1 FROM reviews r WHERE r.order_id = o.id) AS reviewed
  FROM orders o CROSS JOIN LATERAL (SELECT {FIRST} AS first) f
  WHERE o.created_at >= (CAST(:day AS timestamp) AT TIME ZONE 'UTC') - interval '1 day'
    AND o.created_at < (CAST(:day AS timestamp) AT TIME ZONE 'UTC') + interval '2 days'
    AND (o.created_at AT TIME ZONE o.timezone)::date = :day
), daily AS (
  INSERT INTO stats_daily (day, region_id, service_id, source, segment, orders, paid_orders, gmv, paid_amount,
                           refunded_amount, completed, cancelled, reviewed, customers, new_customers)
  SELECT :day, region_id, service_id, source, segment, count(*), count(*) FILTER (WHERE paid),
         coalesce(sum(value) FILTER (WHERE paid), 0), sum(paid_amount), sum(refunded_amount),
         count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'cancelled'),
         count(*) FILTER (WHERE reviewed), count(DISTINCT customer_id), count(*) FILTER (WHERE first)
  FROM o GROUP BY region_id, service_id, source, segment
  RETURNING 1
)
INSERT INTO stats_daily_cancellations (day, region_id, service_id, source, segment, reason, orders)
SELECT :day, region_id, service_id, source, segment, coalesce(cancel_reason_code, 'other'), count(*)
FROM o WHERE status = 'cancelled' GROUP BY region_id, service_id, source, segment, 6
"""


# Served hours: completed visits by the local day of check-out (a visit belongs to the day it ended).
DAY_WORKER_HOURS = """
INSERT INTO stats_daily_worker_hours (day, region_id, worker_id, visits, service_seconds)
SELECT :day, o.region_id, o.worker_id, count(*), sum(extract(epoch FROM o.checked_out_at - o.checked_in_at))
FROM orders o
WHERE o.status = 'completed' AND o.worker_id IS NOT NULL AND o.checked_in_at IS NOT NULL
  AND o.checked_out_at >= (CAST(:day AS timestamp) AT TIME ZONE 'UTC') - interval '1 day'
  AND o.checked_out_at < (CAST(:day AS timestamp) AT TIME ZONE 'UTC') + interval '2 days'
  AND (o.checked_out_at AT TIME ZONE o.timezone)::date = :day
GROUP BY o.region_id, o.worker_id
"""


def local_today() -> date:
    return now().astimezone(ZoneInfo(get_settings().region_timezone)).date()


async def recompute_day(session: AsyncSession, day: date) -> None:
    """The day's rollup rows replaced by a fresh aggregate of the orders created on it and of the
    visits checked out on it."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:space, :n)"),
                          {"space": LOCK_SPACE, "n": (day - EPOCH).days})
    await session.execute(text("DELETE FROM stats_daily WHERE day = :day"), {"day": day})
    await session.execute(text("DELETE FROM stats_daily_cancellations WHERE day = :day"), {"day": day})
    await session.execute(text("DELETE FROM stats_daily_worker_hours WHERE day = :day"), {"day": day})
    await session.execute(text(DAY_ORDERS), {"day": day})
    await session.execute(text(DAY_WORKER_HOURS), {"day": day})


async def waiting(session: AsyncSession, limit: int = 50_000) -> dict[date, list[int]]:
    """The marked days, each with the ids of the rows that marked it (oldest first)."""
    rows = (await session.execute(text("SELECT id, day FROM stats_dirty_days ORDER BY id LIMIT :n"),
                                  {"n": limit})).all()
    days: dict[date, list[int]] = {}
    for row_id, day in rows:
        days.setdefault(day, []).append(row_id)
    return dict(sorted(days.items()))


async def recompute_marked(session: AsyncSession, day: date, ids: list[int]) -> None:
    """Recompute a marked day and forget the marks read before (only those)."""
    await recompute_day(session, day)
    await session.execute(text("DELETE FROM stats_dirty_days WHERE id = ANY(:ids)"), {"ids": ids})


def recent_days(days: int = 3) -> list[date]:
    today = local_today()
    return [today - timedelta(days=i) for i in range(days - 1, -1, -1)]
