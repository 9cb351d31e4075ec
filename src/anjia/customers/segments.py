"""The nightly RFM run: every customer's figures in one statement (into a temporary table), then
the customers whose segment changed get their open membership closed and a new one opened, and
customers without one get their first. Thresholds come from `rfm` (the one place they live).
Reruns at the same figures change nothing; runs are serialised by an advisory lock."""
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.core.security import now
from anjia.customers import rfm

# A counted order: paid at some point and not cancelled (see rfm's docstring).
COUNTED = "o.status NOT IN ('pending_payment', 'cancelled')"

_FIGURES = f"""
CREATE TEMP TABLE rfm_run ON COMMIT DROP AS
SELECT u.id AS customer_id,
       floor(extract(epoch FROM CAST(:at AS timestamptz) - u.created_at) / 86400)::int AS signed_up_days,
       floor(extract(epoch FROM CAST(:at AS timestamptz) - max(o.created_at)) / 86400)::int AS recency_days,
       count(o.id) FILTER (WHERE o.created_at > CAST(:at AS timestamptz) - make_interval(days => :window_days))
           AS frequency,
       coalesce(sum(coalesce(o.final_total, o.total) - o.refunded_amount)
                FILTER (WHERE o.created_at > CAST(:at AS timestamptz) - make_interval(days => :window_days)), 0)::bigint
           AS monetary,
       count(o.id) AS orders_ever
FROM users u
LEFT JOIN orders o ON o.customer_id = u.id AND {COUNTED} AND o.created_at <= :at
WHERE u.kind = 'customer' AND u.deleted_at IS NULL AND u.created_at <= :at
GROUP BY u.id
"""

_CLASSIFY = """
ALTER TABLE rfm_run ADD COLUMN segment text;
UPDATE rfm_run SET segment = CASE
    WHEN signed_up_days <= :new_days AND orders_ever <= 1 THEN 'new'
    WHEN recency_days <= :active_days AND (monetary >= :high_value_fen OR frequency >= :high_value_orders)
        THEN 'high_value'
    WHEN recency_days <= :active_days THEN 'active'
    WHEN recency_days <= :at_risk_days THEN 'at_risk'
    ELSE 'lost' END
"""

_CLOSE = """
UPDATE customer_segments s SET until = :at
FROM rfm_run r
WHERE s.customer_id = r.customer_id AND s.until IS NULL AND s.segment <> r.segment AND s.since < :at
"""

_OPEN = """
INSERT INTO customer_segments (customer_id, segment, since, recency_days, frequency, monetary)
SELECT r.customer_id, r.segment, :at, r.recency_days, r.frequency, r.monetary
FROM rfm_run r
WHERE NOT EXISTS (SELECT 1 FROM customer_segments s WHERE s.customer_id = r.customer_id AND s.until IS NULL)
"""


async def recompute(session: AsyncSession, at: datetime | None = None) -> dict[str, int]:
    """Recompute every customer's segment as of `at` (default now). Returns how many customers
    moved into a segment (first ones included), by segment."""
    at = at or now()
    params = {"at": at, **rfm.thresholds()}
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('customers.rfm'))"))
    await session.execute(text("DROP TABLE IF EXISTS rfm_run"))
    await session.execute(text(_FIGURES), params)
    for stmt in _CLASSIFY.split(";"):
        await session.execute(text(stmt), params)
    await session.execute(text(_CLOSE), params)
    rows = (await session.execute(text(_OPEN + " RETURNING segment"), params)).scalars().all()
    await session.execute(text("DROP TABLE rfm_run"))
    moved: dict[str, int] = {}
    for s in rows:
        moved[s] = moved.get(s, 0) + 1
    return moved
