"""Reviews written in the past, loaded in bulk (the demo's history): one per completed order (the
table's UNIQUE (order_id) still holds), `low` by the live rule, then every reviewed worker's rating
recomputed the live way (`service.recompute_rating`). A low review opens its follow-up ticket with
support as the live path does (`service._follow_up`)."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.core import bulk
from anjia.orders.models import Order
from anjia.orders.state import Status
from anjia.reviews.models import Review
from anjia.reviews.service import LOW_SCORE, _follow_up, recompute_rating


@dataclass
class PastReview:
    order_id: int
    quality: int
    attitude: int
    skill: int
    text: str
    anonymous: bool
    at: datetime
    reply: str | None = None


async def insert_history(session: AsyncSession, reviews: list[PastReview]) -> int:
    """Insert the reviews (of completed orders only: anything else is refused); the reviews written."""
    if not reviews:
        return 0
    orders = {o.id: o for o in await session.scalars(select(Order).where(Order.id.in_([r.order_id for r in reviews])))}
    rows = []
    for r in reviews:
        o = orders.get(r.order_id)
        if o is None or o.status != Status.COMPLETED.value or o.worker_id is None or r.at < o.checked_out_at:
            raise ValueError(f"order {r.order_id} is not a completed order that can be reviewed then")
        rows.append({"order_id": o.id, "customer_id": o.customer_id, "worker_id": o.worker_id,
                     "service_id": o.service_id, "quality": r.quality, "attitude": r.attitude, "skill": r.skill,
                     "text": r.text, "anonymous": r.anonymous,
                     "low": min(r.quality, r.attitude, r.skill) <= LOW_SCORE, "reply": r.reply,
                     "replied_at": r.at if r.reply else None, "created_at": r.at})
    ids = await bulk.insert_rows(session, Review.__table__, rows)  # UNIQUE (order_id): one per order
    for worker_id in sorted({row["worker_id"] for row in rows}):
        await recompute_rating(session, worker_id)
    for review in await session.scalars(select(Review).where(Review.id.in_(ids), Review.low)):
        await _follow_up(session, review)
    return len(ids)
