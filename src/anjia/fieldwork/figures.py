"""The worker's visits of a period as performance counts them, from the order's own timestamps
(one statement). An order belongs to the period of its scheduled start (local months are the
caller's [start, end)).

- taken: orders the worker accepted (or was assigned: the timeline's `accepted` rows name them),
  counted when they are decided — completed by them, cancelled for a worker issue while theirs, or
  taken away from them (reassigned, back to dispatch). Orders cancelled for any other reason, and
  orders still theirs and not done, do not count.
- visits: their checked-in orders; late when the check-in is more than LATE_MINUTES after the start.
- overruns: their completed orders checked out after the scheduled end."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

LATE_MINUTES = 10  # a check-in up to 10 minutes after the start is on time (the late alert's grace too)


@dataclass
class Visits:
    taken: int = 0
    completed: int = 0
    visits: int = 0
    late: int = 0
    late_minutes: int = 0
    overruns: int = 0
    overrun_minutes: int = 0
    service_ids: list[int] = field(default_factory=list)


_VISITS = text("""
    WITH taken AS (
      SELECT DISTINCT CAST(e.data->>'worker_id' AS bigint) AS worker_id, e.order_id
        FROM order_events e JOIN orders o ON o.id = e.order_id
       WHERE e.type = 'accepted' AND o.scheduled_start >= :start AND o.scheduled_start < :end
    ), decided AS (
      SELECT t.worker_id, o.service_id, o.scheduled_start, o.scheduled_end, o.checked_in_at, o.checked_out_at,
             o.worker_id = t.worker_id AS theirs,
             o.status = 'completed' AND o.worker_id = t.worker_id AS done,
             (o.status = 'cancelled' AND o.cancel_reason_code = 'worker_issue' AND o.worker_id = t.worker_id)
               OR (o.status <> 'cancelled' AND o.worker_id IS DISTINCT FROM t.worker_id) AS failed
        FROM taken t JOIN orders o ON o.id = t.order_id
    )
    SELECT worker_id,
           count(*) FILTER (WHERE done OR failed) AS taken,
           count(*) FILTER (WHERE done) AS completed,
           count(*) FILTER (WHERE theirs AND checked_in_at IS NOT NULL) AS visits,
           count(*) FILTER (WHERE theirs AND checked_in_at > scheduled_start + make_interval(mins => :late)) AS late,
           coalesce(sum(ceil(extract(epoch FROM checked_in_at - scheduled_start) / 60))
                    FILTER (WHERE theirs AND checked_in_at > scheduled_start + make_interval(mins => :late)), 0)
             AS late_minutes,
           count(*) FILTER (WHERE done AND checked_out_at > scheduled_end) AS overruns,
           coalesce(sum(ceil(extract(epoch FROM checked_out_at - scheduled_end) / 60))
                    FILTER (WHERE done AND checked_out_at > scheduled_end), 0) AS overrun_minutes,
           coalesce(array_agg(DISTINCT service_id) FILTER (WHERE done), '{}') AS service_ids
      FROM decided
     GROUP BY worker_id
""")


async def visits_by_worker(session: AsyncSession, start: datetime, end: datetime) -> dict[int, Visits]:
    """worker id -> their visits of orders scheduled to start in [start, end)."""
    rows = await session.execute(_VISITS, {"start": start, "end": end, "late": LATE_MINUTES})
    return {r.worker_id: Visits(taken=r.taken, completed=r.completed, visits=r.visits, late=r.late,
                                late_minutes=int(r.late_minutes), overruns=r.overruns,
                                overrun_minutes=int(r.overrun_minutes), service_ids=sorted(r.service_ids))
            for r in rows if r.worker_id is not None}
