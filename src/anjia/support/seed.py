"""Demo tickets: a month of complaints and suggestions from the demo customers in every state —
taken through the real service (opening, assignment, work, resolution with compensation, the
customer's confirmation or reopening, auto-close), then placed back in time on a plausible
schedule; the SLA sweep then stamps the ones left overdue. The follow-ups the reviews seed opened for
low reviews are worked too. Once: nothing when a complaint or suggestion exists."""
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phone_is
from anjia.config import get_settings
from anjia.core.security import now
from anjia.orders.models import Order
from anjia.support import schemas, service
from anjia.support.models import Ticket, TicketEvent

# (customer phone, kind, order: completed | cancelled | None, category, text, how far it went,
#  resolution (root cause, upheld, result, compensation fen or None), hours ago opened,
#  hours after opening for each later step)
H = 1
DAY = 24
TICKETS = [
    ("13800000001", "complaint", "completed", "quality", "厨房油烟机没有清洗干净，灶台缝隙里还有油垢，师傅走得很匆忙。",
     "confirmed", ("worker_skill", True, "已核实：师傅漏做了灶台缝隙的清洁。已安排免费返工，并退还 30 元。", 3_000),
     12 * DAY, [0.4, 1, 30, 40]),
    ("13800000002", "complaint", "completed", "damage", "擦窗时碰倒了阳台上的花盆，花盆摔碎了，师傅说会赔但后来没人联系。",
     "resolved", ("worker_conduct", True, "已与师傅核实属实，向您赠送 50 元补偿券，师傅已接受服务规范培训。", 5_000),
     2 * DAY, [0.3, 0.8, 20]),
    ("13800000003", "complaint", "completed", "attitude", "师傅服务过程中一直在打电话，问问题也爱答不理。",
     "in_progress", None, 20, [0.5, 1.5]),
    ("13800000004", "complaint", None, "punctuality", "上周预约的保洁师傅迟到了 40 分钟，也没有提前打电话告知。",
     "new", None, 3, []),
    ("13800000005", "suggestion", None, "other", "希望下单时可以指定上次服务过的阿姨，沟通起来更省心。",
     "auto_closed", ("platform", False, "感谢建议！常用阿姨功能已在规划中，上线后会第一时间通知您。", None),
     20 * DAY, [1, 2, 26]),
    ("13800000001", "suggestion", None, "other", "希望增加晚上 8 点以后的预约时段，上班族白天家里没人。",
     "assigned", None, 5, [0.7]),
    ("13800000001", "complaint", "cancelled", "pricing", "提前一天取消订单也被扣了手续费，觉得不合理。",
     "confirmed", ("customer", False, "经核实，订单在免费取消时限内未取消，按规则收取取消费，已向您解释收费标准。", None),
     6 * DAY, [0.5, 1, 5, 30]),
    ("13800000005", "complaint", None, "quality", "客服电话一直占线，在线留言也没人回复。",
     "new", None, 0.3, []),
    ("13800000002", "complaint", None, "punctuality", "约好上午 9 点上门，师傅 10 点多才到，耽误了我上班。",
     "reopened", ("scheduling", True, "已向您致歉，调度已调整该片区的排班，后续订单会预留路程时间。", None),
     4 * DAY, [0.2, 0.6, 52, 60]),
    ("13800000004", "suggestion", None, "other", "月嫂服务能不能提供试用一天的选项？",
     "confirmed", ("platform", True, "感谢建议，我们将在下月推出月嫂试用服务，届时会短信通知您。", None),
     25 * DAY, [2, 3, 20, 26]),
    ("13800000003", "complaint", None, "pricing", "订单完成后又让我补差价，事先没有说明清楚。",
     "confirmed", ("pricing", True, "已核实下单页面的时长说明不够清楚，已优化提示，并退还差价部分。", None),
     9 * DAY, [0.6, 1.2, 50, 70]),
]

# The follow-ups the reviews seed opened for its low reviews (in the order they were opened), worked on
# the same way: (how far, resolution (root cause, upheld, result, coupon fen or None)). They stay at the
# time of their reviews (which the reviews seed writes now), not placed back in time.
FOLLOW_UPS = [
    ("resolved", ("worker_skill", True, "已电话回访：师傅拖地时漏了客厅和走廊，已安排明天上午免费补做，并赠送 20 元补偿券。",
                  2_000)),
    ("in_progress", None),
    ("assigned", None),
]


async def _order(session: AsyncSession, customer_id: int, which: str | None) -> int | None:
    if which is None:
        return None
    return await session.scalar(select(Order.id).where(Order.customer_id == customer_id, Order.status == which)
                                .order_by(Order.id))


async def _backdate(session: AsyncSession, ticket: Ticket, hours_ago: float, steps: list[float]) -> None:
    """Put the ticket's opening `hours_ago` and each later step of its timeline at its offset."""
    s = get_settings()
    t0 = now() - timedelta(hours=hours_ago)
    events = list(await session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
                                        .order_by(TicketEvent.id)))
    at = [t0] + [t0 + timedelta(hours=h) for h in steps]
    stamps = {}
    for i, e in enumerate(events):
        e.at = at[min(i, len(at) - 1)]
        stamps.setdefault(e.type, []).append(e.at)
    ticket.created_at = t0
    ticket.assign_due_at = t0 + timedelta(minutes=s.support_sla_assign_minutes)
    ticket.response_due_at = t0 + timedelta(minutes=s.support_sla_response_minutes)
    ticket.resolve_due_at = t0 + timedelta(hours=s.support_sla_resolve_hours)
    if "reopened" in stamps:
        ticket.resolve_due_at = stamps["reopened"][-1] + timedelta(hours=s.support_reopen_resolve_hours)
    ticket.assigned_at = stamps.get("assigned", [None])[0]
    ticket.started_at = stamps.get("started", [None])[0]
    ticket.resolved_at = stamps["resolved"][-1] if ticket.status in ("resolved", "closed") else None
    ticket.closed_at = (stamps.get("confirmed") or [None])[-1]


async def _resolve(session: AsyncSession, staff: User, t: Ticket, resolution: tuple, comp_kind: str) -> None:
    cause, upheld, result, fen = resolution
    comp = schemas.TicketCompensationIn(kind=comp_kind, amount=fen) if fen else None
    await service.resolve(session, staff, t.id, schemas.TicketResolveIn(
        result=result, root_cause=cause, upheld=upheld, compensation=comp), None)


async def _work_follow_ups(session: AsyncSession, staff: list[User]) -> int:
    """Take the follow-ups of low reviews as far as FOLLOW_UPS says (the reviews seed opened them)."""
    tickets = list(await session.scalars(select(Ticket).where(Ticket.kind == "follow_up", Ticket.status == "new")
                                         .order_by(Ticket.id)))
    for i, (t, (until, resolution)) in enumerate(zip(tickets, FOLLOW_UPS, strict=False)):
        who = staff[(i + 1) % len(staff)]
        await service.assign(session, who, t.id, who.id, None)
        if until != "assigned":
            await service.start(session, who, t.id, None)
        if resolution is not None:
            await _resolve(session, who, t, resolution, "coupon")
    return min(len(tickets), len(FOLLOW_UPS))


async def seed(session: AsyncSession) -> int:
    # the reviews seed (earlier) may have opened follow-ups already: only our own tickets mean "done"
    if await session.scalar(select(func.count()).select_from(Ticket).where(Ticket.kind != "follow_up")):
        return 0
    staff = list(await session.scalars(select(User).where(User.kind == "staff", User.roles.contains(["support"]))
                                       .order_by(User.id)))
    if not staff:
        return 0
    made = 0
    for i, (phone, kind, which, category, text, until, resolution, hours_ago, steps) in enumerate(TICKETS):
        customer = await session.scalar(select(User).where(User.kind == "customer", phone_is(phone)))
        if customer is None:
            continue
        order_id = await _order(session, customer.id, which)
        t = await service.open_ticket(session, customer, schemas.TicketIn(
            kind=kind, order_id=order_id, category=category, content=text))
        worker = staff[i % len(staff)]
        if until != "new":
            await service.assign(session, worker, t.id, worker.id, None)
        if until not in ("new", "assigned"):
            await service.start(session, worker, t.id, None)
        if resolution is not None:
            # a refund of the order, or a coupon when the complaint names no order / is about damage
            await _resolve(session, worker, t, resolution, "coupon" if category == "damage" or not order_id else "refund")
        if until == "confirmed":
            await service.confirm(session, customer, t.id)
        if until == "reopened":
            await service.reopen(session, customer, t.id, "师傅这周又迟到了，问题并没有解决。")
        await _backdate(session, t, hours_ago, steps)
        made += 1
    made += await _work_follow_ups(session, staff)
    await session.flush()
    closed = await service.auto_close(session)  # the suggestion resolved long ago
    for t in await session.scalars(select(Ticket).where(Ticket.close_reason == "auto")):
        t.closed_at = t.resolved_at + timedelta(days=get_settings().support_auto_close_days)
        last = await session.scalar(select(TicketEvent).where(TicketEvent.ticket_id == t.id)
                                    .order_by(TicketEvent.id.desc()).limit(1))
        last.at = t.closed_at
    made += closed
    await service.sweep_sla(session)  # the ones left waiting are overdue now
    return made
