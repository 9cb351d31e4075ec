"""A known month (October 2026, Beijing time) for three workers, written straight into the tables
the figures come from, with every figure and point worked out by hand in test_evaluation.py.

阿姨0 (A): 4 orders offered and accepted, all completed; check-ins 5 min early, on time, exactly 10 min
  late (still on time: late is *more* than 10) and 3 min late; one check-out 20 min past the end.
  Offers: those 4 accepted + 1 rejected. Reviews (5,5,5), (5,5,4), (5,4,4). No complaints.
阿姨1 (B): accepted 6 orders — 3 completed (check-ins on time, 25 and 11 min late), 1 cancelled for a
  worker issue while hers, 1 cancelled by the customer's change of plans (does not count), 1 taken
  away and completed by C. Offers: 4 accepted, 2 rejected, 1 expired, 1 withdrawn (does not count).
  Reviews (4,4,4), (3,4,2). Complaints: 1 upheld in October; 1 upheld in November and 1 not upheld (do
  not count).
师傅2 (C): completed B's old order (assigned, no offer), checked in 10 min early, out 45 min over;
  an order at 07:00 on 1 November Beijing time (still 31 October in UTC) does not count. No reviews;
  4 upheld complaints."""
from datetime import date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from anjia.accounts.models import User
from anjia.dispatch.models import Offer
from anjia.orders.models import Order, OrderEvent
from anjia.reviews.models import Review
from anjia.support.models import Ticket
from anjia.workforce import seed as workforce_seed

SH = ZoneInfo("Asia/Shanghai")
MONTH = date(2026, 10, 1)
_n = count(1)


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


async def _order(session, world, *, worker: int | None, start: datetime, status: str, accepted_by: list[int],
                 check_in: int | None = None, check_out: int | None = None, cancel: str | None = None,
                 hours: int = 2) -> Order:
    """An order scheduled at `start` for `hours`; `check_in` / `check_out`: minutes after the
    scheduled start / end."""
    end = start + timedelta(hours=hours)
    o = Order(number=f"AJTEST{next(_n):08d}", customer_id=world["customer_id"],
              service_id=world["services"]["厨房深度清洁"], region_id=world["region_id"], address_id=world["address_id"],
              address={}, status=status, scheduled_start=start, scheduled_end=end, timezone="Asia/Shanghai",
              request={}, quote={}, total=10_000, worker_id=worker,
              checked_in_at=start + timedelta(minutes=check_in) if check_in is not None else None,
              checked_out_at=end + timedelta(minutes=check_out) if check_out is not None else None,
              cancel_reason_code=cancel, final_total=10_000 if status == "completed" else None)
    session.add(o)
    await session.flush()
    for w in accepted_by:
        session.add(OrderEvent(order_id=o.id, region_id=o.region_id, type="accepted", from_status="paid",
                               to_status="accepted", actor_kind="worker", data={"worker_id": w}, created_at=start - timedelta(days=2)))
    await session.flush()
    return o


def _offer(order: Order, worker: int, status: str, day: int = 5) -> Offer:
    return Offer(order_id=order.id, worker_id=worker, region_id=order.region_id, round=1, status=status, score=0.8, distance_km=3.0,
                 expires_at=at(day, 9, 3), created_at=at(day, 9))


def _review(order: Order, world, worker: int, q: int, a: int, s: int, day: int = 20) -> Review:
    return Review(order_id=order.id, customer_id=world["customer_id"], worker_id=worker, service_id=order.service_id,
                  quality=q, attitude=a, skill=s, created_at=at(day, 12))


def _complaint(world, worker: int, upheld: bool, resolved: datetime) -> Ticket:
    return Ticket(number=f"TTEST{next(_n):08d}", kind="complaint", category="quality", content="不满意",
                  customer_id=world["customer_id"], worker_id=worker, region_id=world["region_id"], status="resolved",
                  upheld=upheld, compensation=[], reopen_count=0, created_at=resolved - timedelta(days=1),
                  assign_due_at=resolved, response_due_at=resolved, resolve_due_at=resolved, resolved_at=resolved)


async def third_worker(session, world) -> int:
    w = User(kind="worker", phone="13900001009", nickname="师傅2", roles=[])
    session.add(w)
    await session.flush()
    await workforce_seed.seed_worker(session, w.id, world["region_id"], ["cleaning"], 31.22, 121.46)
    return w.id


async def known_month(session, world) -> tuple[int, int, int]:
    a, b = world["workers"]
    c = await third_worker(session, world)
    # A
    a_orders = [await _order(session, world, worker=a, start=at(d, 9), status="completed", accepted_by=[a],
                             check_in=ci, check_out=co)
                for d, ci, co in [(3, -5, -10), (8, 0, 0), (15, 10, 20), (22, 3, -30)]]
    spare = await _order(session, world, worker=None, start=at(6, 14), status="cancelled", accepted_by=[],
                         cancel="change_of_plans")
    session.add_all([_offer(o, a, "accepted") for o in a_orders] + [_offer(spare, a, "rejected")])
    session.add_all([_review(a_orders[0], world, a, 5, 5, 5), _review(a_orders[1], world, a, 5, 5, 4),
                     _review(a_orders[2], world, a, 5, 4, 4)])
    # B
    b_done = [await _order(session, world, worker=b, start=at(d, 14), status="completed", accepted_by=[b],
                           check_in=ci, check_out=co) for d, ci, co in [(4, 0, -5), (9, 25, 0), (16, 11, -15)]]
    b_issue = await _order(session, world, worker=b, start=at(12, 10), status="cancelled", accepted_by=[b],
                           cancel="worker_issue")
    await _order(session, world, worker=b, start=at(13, 10), status="cancelled", accepted_by=[b],  # the customer's
                 cancel="change_of_plans")
    moved = await _order(session, world, worker=c, start=at(18, 10), status="completed", accepted_by=[b, c],
                         check_in=-10, check_out=45)
    session.add_all([_offer(o, b, "accepted") for o in [*b_done, b_issue]])
    session.add_all([_offer(a_orders[0], b, "rejected"), _offer(a_orders[1], b, "rejected"),
                     _offer(a_orders[2], b, "expired"), _offer(a_orders[3], b, "withdrawn")])
    session.add_all([_review(b_done[0], world, b, 4, 4, 4), _review(b_done[1], world, b, 3, 4, 2)])
    session.add_all([_complaint(world, b, True, at(20, 15)), _complaint(world, b, True, at(2, 10, month=11)),
                     _complaint(world, b, False, at(21, 15))])
    # C
    await _order(session, world, worker=c, start=at(1, 7, month=11), status="completed", accepted_by=[c],
                 check_in=30, check_out=60)
    session.add_all([_complaint(world, c, True, at(d, 11)) for d in (5, 10, 15, 25)])
    assert moved.worker_id == c
    await session.commit()
    return a, b, c
