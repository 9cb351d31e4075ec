"""Tickets: complaints, suggestions and follow-ups of low reviews, from opening to closing.

Every status change is a move of `support.state.TRANSITIONS` applied by `_move` under the ticket's
row lock, with its timeline row (shown to the customer) and the customer's notification in the same
transaction. Staff actions are audited. Compensation reuses the money domains: a coupon through
`coupons.service.issue`, a refund through `payments.service.operator_refund` (finance approves it
above REFUND_APPROVAL_THRESHOLD). SLA deadlines are stamped at opening; `sweep_sla` (a job) alerts
support staff once per breached step and `auto_close` closes tickets resolved long enough ago.
Functions that depend on the time take `at` (the job passes its clock; tests pass theirs).
"""
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.catalog.models import Service
from anjia.config import get_settings
from anjia.core import audit, media, rbac, storage
from anjia.core.errors import AppError
from anjia.core.paging import Page
from anjia.core.security import now, serial_number
from anjia.core.types import like_pattern
from anjia.coupons import service as coupons
from anjia.coupons.models import Coupon
from anjia.notifications.service import notify
from anjia.orders.models import Order
from anjia.payments import service as payments
from anjia.payments.models import Refund
from anjia.payments.schemas import RefundIn
from anjia.realtime.service import publish
from anjia.scheduling.models import Region
from anjia.support import schemas, state
from anjia.support.models import Ticket, TicketEvent, TicketPhoto
from anjia.support.state import IllegalTransition, Status

STAFF_TOPICS = ["role:support", "role:admin"]
NEWEST_FIRST = (Ticket.created_at.desc(), Ticket.id.desc())  # lists: by opening time (the demo is placed back in time)
COUPON_TITLE = "投诉补偿券"
PHOTO_TTL = timedelta(days=1)  # an uploaded photo not attached to a ticket within a day is removed

EVENT_LABELS = {"opened": ("已提交", "Submitted"), "assigned": ("已分派客服", "Assigned"),
                "started": ("开始处理", "Being handled"), "note": ("处理进展", "Progress"),
                "resolved": ("已给出处理结果", "Resolved"), "reopened": ("重新打开", "Reopened"),
                "confirmed": ("已确认关闭", "Confirmed"), "auto_closed": ("超时自动关闭", "Closed automatically")}
# What the customer is told at each step: (title, body); {kind} {number} {name} filled in.
MESSAGES = {
    "opened": ("已收到您的{kind}", "工单{number}已提交，客服将尽快与您联系。"),
    "follow_up": ("服务回访", "我们注意到您对本次服务不太满意，客服将尽快与您联系（工单{number}）。"),
    "assigned": ("客服已接手", "您的{kind}（工单{number}）已由客服{name}负责。"),
    "started": ("正在处理", "客服{name}正在处理您的{kind}（工单{number}）。"),
    "note": ("处理进展", "您的{kind}（工单{number}）有新的处理进展，请查看。"),
    "resolved": ("处理结果已出", "您的{kind}（工单{number}）已处理完毕，请查看处理结果并确认。"),
    "reopened": ("工单已重新打开", "您的{kind}（工单{number}）已重新打开，客服将继续跟进。"),
    "confirmed": ("工单已关闭", "感谢您的确认，工单{number}已关闭。"),
    "auto_closed": ("工单已自动关闭", "工单{number}处理完成后 {days} 天未确认，已自动关闭。"),
}


# ---------------------------------------------------------------- the interfaces other domains call
async def open_follow_up(session: AsyncSession, *, order_id: int, review_id: int, reason: str) -> Ticket:
    """A follow-up ticket for a low review of the order (reviews calls it). One per review: a second
    call for the same review returns the first ticket."""
    existing = await session.scalar(select(Ticket).where(Ticket.review_id == review_id))
    if existing is not None:
        return existing
    order = await session.get(Order, order_id)
    if order is None:
        raise AppError("ticket_order")
    at = now()
    ticket = _new_ticket("follow_up", "quality", reason.strip()[:1000] or "低分评价回访", order.customer_id, order, at)
    ticket.review_id = review_id
    try:
        async with session.begin_nested():
            session.add(ticket)
            await session.flush()
    except IntegrityError:  # the same review, concurrently
        return await session.scalar(select(Ticket).where(Ticket.review_id == review_id))
    await _event(session, ticket, "opened", None, "system", at, to_status=ticket.status, note=ticket.content)
    await _tell_customer(session, ticket, "follow_up")
    await publish(session, STAFF_TOPICS, "ticket.opened", {"ticket_id": ticket.id, "number": ticket.number,
                                                           "kind": ticket.kind})
    return ticket


async def upheld_complaints_by_worker(session: AsyncSession, start: datetime, end: datetime) -> dict[int, int]:
    """worker id -> complaints about their orders found upheld (resolved or closed) with the
    resolution in [start, end) (performance calls it)."""
    rows = await session.execute(
        select(Ticket.worker_id, func.count()).where(
            Ticket.kind == "complaint", Ticket.upheld.is_(True), Ticket.worker_id.is_not(None),
            Ticket.status.in_([Status.RESOLVED.value, Status.CLOSED.value]),
            Ticket.resolved_at >= start, Ticket.resolved_at < end)
        .group_by(Ticket.worker_id))
    return {w: n for w, n in rows.all()}


# ---------------------------------------------------------------- opening
def _new_ticket(kind: str, category: str, content: str, customer_id: int, order: Order | None, at: datetime) -> Ticket:
    s = get_settings()
    return Ticket(number=serial_number("T"), kind=kind, category=category, content=content, customer_id=customer_id,
                  order_id=order.id if order else None, worker_id=order.worker_id if order else None,
                  service_id=order.service_id if order else None, region_id=order.region_id if order else None,
                  status=Status.NEW.value, compensation=[], reopen_count=0, created_at=at,
                  assign_due_at=at + timedelta(minutes=s.support_sla_assign_minutes),
                  response_due_at=at + timedelta(minutes=s.support_sla_response_minutes),
                  resolve_due_at=at + timedelta(hours=s.support_sla_resolve_hours))


async def upload_photo(session: AsyncSession, customer: User, data: bytes) -> TicketPhoto:
    """A photo for a ticket to come: sniffed by content (a video or any other file is refused and
    nothing is stored), rebuilt from its pixels as an EXIF-free JPEG with a thumbnail."""
    try:
        kind = media.sniff(data)
    except AppError:
        kind = None
    if kind != "image":
        raise AppError("ticket_photo_not_image")
    clean, thumb = await media.clean_image_off_loop(data)
    folder = f"tickets/{customer.id}"
    photo = TicketPhoto(customer_id=customer.id, media_key=await storage.save(clean, "jpg", folder),
                        thumb_key=await storage.save(thumb, "jpg", folder))
    session.add(photo)
    await session.flush()
    return photo


async def open_ticket(session: AsyncSession, customer: User, body: schemas.TicketIn) -> Ticket:
    at = now()
    order = None
    if body.order_id is not None:
        order = await session.get(Order, body.order_id)
        if order is None or order.customer_id != customer.id:
            raise AppError("ticket_order")
    if order is not None and body.kind == "complaint" and await _open_complaint(session, order.id):
        raise AppError("ticket_open_exists")
    ids = list(dict.fromkeys(body.photo_ids))
    photos = list(await session.scalars(select(TicketPhoto).where(
        TicketPhoto.id.in_(ids), TicketPhoto.customer_id == customer.id, TicketPhoto.ticket_id.is_(None))
        .with_for_update())) if ids else []
    if len(ids) != len(body.photo_ids) or len(photos) != len(ids):
        raise AppError("ticket_photos")
    ticket = _new_ticket(body.kind, body.category, body.content.strip(), customer.id, order, at)
    try:
        async with session.begin_nested():
            session.add(ticket)
            await session.flush()
    except IntegrityError:  # a second complaint on the order, concurrently: the partial unique index
        raise AppError("ticket_open_exists") from None
    for p in photos:
        p.ticket_id = ticket.id
    await _event(session, ticket, "opened", customer, "customer", at, to_status=ticket.status,
                 data={"photos": len(photos)})
    await _tell_customer(session, ticket, "opened")
    await publish(session, STAFF_TOPICS, "ticket.opened", {"ticket_id": ticket.id, "number": ticket.number,
                                                           "kind": ticket.kind})
    return ticket


async def _open_complaint(session: AsyncSession, order_id: int) -> bool:
    return await session.scalar(select(func.count()).where(
        Ticket.order_id == order_id, Ticket.kind == "complaint", Ticket.status != Status.CLOSED.value)) > 0


# ---------------------------------------------------------------- moves
async def _locked(session: AsyncSession, ticket_id: int, customer_id: int | None = None) -> Ticket:
    ticket = await session.scalar(select(Ticket).where(Ticket.id == ticket_id).with_for_update())
    if ticket is None or (customer_id is not None and ticket.customer_id != customer_id):
        raise AppError("ticket_not_found")
    return ticket


async def _move(session: AsyncSession, ticket: Ticket, action: str, actor: User | None, actor_kind: str,
                event: str, at: datetime, *, note: str | None = None, data: dict | None = None) -> None:
    try:
        to = state.next_status(ticket.status, action)
    except IllegalTransition:
        raise AppError("ticket_transition", extra={"current_status": ticket.status, "action": action}) from None
    before = ticket.status
    ticket.status = to.value
    await _event(session, ticket, event, actor, actor_kind, at, from_status=before, to_status=to.value, note=note,
                 data=data)
    await _tell_customer(session, ticket, event, name=_name(actor) if actor_kind == "staff" else "")
    await publish(session, STAFF_TOPICS, "ticket.changed", {"ticket_id": ticket.id, "status": ticket.status})


async def _event(session: AsyncSession, ticket: Ticket, type_: str, actor: User | None, actor_kind: str,
                 at: datetime, *, from_status: str | None = None, to_status: str | None = None,
                 note: str | None = None, data: dict | None = None) -> None:
    session.add(TicketEvent(ticket_id=ticket.id, type=type_, from_status=from_status, to_status=to_status,
                            actor_id=actor.id if actor else None, actor_kind=actor_kind, note=note, data=data or {},
                            at=at))
    await session.flush()


async def _tell_customer(session: AsyncSession, ticket: Ticket, event: str, name: str = "") -> None:
    title, body = MESSAGES[event]
    kind = schemas.KINDS[ticket.kind][0]
    fill = {"kind": kind, "number": ticket.number, "name": name, "days": get_settings().support_auto_close_days}
    await notify(session, ticket.customer_id, "ticket", title.format(**fill), body.format(**fill),
                 {"ticket_id": ticket.id, "number": ticket.number, "status": ticket.status})


def _name(user: User | None) -> str:
    return (user.nickname or user.username or "") if user else ""


def _snapshot(t: Ticket) -> dict:
    return {"status": t.status, "assignee_id": t.assignee_id}


async def assign(session: AsyncSession, actor: User, ticket_id: int, assignee_id: int, ip: str | None) -> Ticket:
    ticket = await _locked(session, ticket_id)
    assignee = await session.get(User, assignee_id)
    if assignee is None or assignee.kind != "staff" or not assignee.is_active or \
            not rbac.has_permission(list(assignee.roles or []), "support.write"):
        raise AppError("ticket_assignee")
    before, at = _snapshot(ticket), now()
    await _move(session, ticket, "assign", assignee, "staff", "assigned", at, data={"by": _name(actor)})
    ticket.assignee_id = assignee.id
    ticket.assigned_at = ticket.assigned_at or at
    await audit.record(session, actor, "ticket.assign", "ticket", ticket.id, before, _snapshot(ticket), ip=ip)
    return ticket


async def start(session: AsyncSession, actor: User, ticket_id: int, ip: str | None) -> Ticket:
    ticket = await _locked(session, ticket_id)
    before, at = _snapshot(ticket), now()
    await _move(session, ticket, "start", actor, "staff", "started", at)
    ticket.started_at = ticket.started_at or at
    await audit.record(session, actor, "ticket.start", "ticket", ticket.id, before, _snapshot(ticket), ip=ip)
    return ticket


async def add_note(session: AsyncSession, actor: User, ticket_id: int, note: str, ip: str | None) -> Ticket:
    """A word to the customer on how it goes (while assigned or in progress); on the timeline."""
    ticket = await _locked(session, ticket_id)
    if ticket.status not in (Status.ASSIGNED.value, Status.IN_PROGRESS.value):
        raise AppError("ticket_transition", extra={"current_status": ticket.status, "action": "note"})
    await _event(session, ticket, "note", actor, "staff", now(), note=note.strip())
    await _tell_customer(session, ticket, "note", name=_name(actor))
    await audit.record(session, actor, "ticket.note", "ticket", ticket.id, _snapshot(ticket),
                       {**_snapshot(ticket), "note": note.strip()}, ip=ip)
    return ticket


async def resolve(session: AsyncSession, actor: User, ticket_id: int, body: schemas.TicketResolveIn, ip: str | None
                  ) -> Ticket:
    ticket = await _locked(session, ticket_id)
    before, at = {**_snapshot(ticket), "compensation": list(ticket.compensation)}, now()
    comp = body.compensation
    if comp is not None and (not body.upheld or (comp.kind == "refund" and ticket.order_id is None)):
        raise AppError("ticket_compensation")
    await _move(session, ticket, "resolve", actor, "staff", "resolved", at, note=body.result.strip(),
                data={"root_cause": body.root_cause, "upheld": body.upheld})
    ticket.result, ticket.root_cause, ticket.upheld, ticket.resolved_at = body.result.strip(), body.root_cause, \
        body.upheld, at
    if comp is not None:
        given = await _compensate(session, actor, ticket, comp, at, ip)
        ticket.compensation = [*ticket.compensation, given]
    await audit.record(session, actor, "ticket.resolve", "ticket", ticket.id, before,
                       {**_snapshot(ticket), "root_cause": ticket.root_cause, "upheld": ticket.upheld,
                        "compensation": list(ticket.compensation)}, ip=ip)
    return ticket


async def _compensate(session: AsyncSession, actor: User, ticket: Ticket, comp: schemas.TicketCompensationIn,
                      at: datetime, ip: str | None) -> dict:
    if comp.kind == "coupon":
        # one coupon per resolution: a reopened ticket resolved again may give another
        ref = f"{ticket.number}-{len(ticket.compensation) + 1}"
        coupon = await coupons.issue(session, actor, customer_id=ticket.customer_id, kind="amount", value=comp.amount,
                                     min_spend=comp.min_spend, valid_days=comp.valid_days, source="compensation",
                                     source_ref=ref, title=COUPON_TITLE)
        return {"kind": "coupon", "amount": comp.amount, "title": coupon.title, "coupon_id": coupon.id,
                "valid_until": coupon.valid_until.isoformat(), "at": at.isoformat()}
    reason = f"投诉补偿 {ticket.number}"
    refunds = await payments.operator_refund(session, actor, ticket.order_id, RefundIn(amount=comp.amount,
                                                                                       reason=reason), ip)
    return {"kind": "refund", "amount": comp.amount, "title": "订单退款", "refund_ids": [r.id for r in refunds],
            "refunds": [r.number for r in refunds], "at": at.isoformat()}


async def confirm(session: AsyncSession, customer: User, ticket_id: int) -> Ticket:
    ticket = await _locked(session, ticket_id, customer.id)
    at = now()
    await _move(session, ticket, "confirm", customer, "customer", "confirmed", at)
    ticket.closed_at, ticket.close_reason = at, "confirmed"
    return ticket


async def reopen(session: AsyncSession, customer: User, ticket_id: int, reason: str) -> Ticket:
    ticket = await _locked(session, ticket_id, customer.id)
    if ticket.status == Status.RESOLVED.value and ticket.reopen_count >= state.MAX_REOPENS:
        raise AppError("ticket_reopen_limit")
    at = now()
    await _move(session, ticket, "reopen", customer, "customer", "reopened", at, note=reason.strip())
    ticket.reopen_count += 1
    ticket.reopen_reason = reason.strip()
    ticket.resolved_at = None
    ticket.resolve_due_at = at + timedelta(hours=get_settings().support_reopen_resolve_hours)
    ticket.resolve_breached_at = None  # a new deadline: a new breach alerts again
    return ticket


# ---------------------------------------------------------------- jobs (take the clock)
async def sweep_sla(session: AsyncSession, at: datetime | None = None) -> int:
    """Stamp every step past its deadline and not done, and alert support staff: once per breach
    (the stamp is the memory; the rows are locked, SKIP LOCKED, so two runs never alert twice)."""
    at = at or now()
    alerts = 0
    staff = None
    for step, pending, due in state.SLA_STEPS:
        stamp = f"{step}_breached_at"
        rows = list(await session.scalars(select(Ticket).where(
            Ticket.status.in_([s.value for s in pending]), getattr(Ticket, due) < at,
            getattr(Ticket, stamp).is_(None)).order_by(Ticket.id).with_for_update(skip_locked=True).limit(500)))
        if rows and staff is None:
            staff = await _support_staff(session)
        for t in rows:
            setattr(t, stamp, at)
            minutes = int((at - getattr(t, due)).total_seconds() // 60)
            title = f"工单超时：{STEP_LABELS[step]}"
            body = f"工单{t.number}（{schemas.KINDS[t.kind][0]}·{schemas.CATEGORIES[t.category][0]}）已超时 {minutes} 分钟。"
            for user_id in sorted(set(staff) | ({t.assignee_id} if t.assignee_id else set())):
                await notify(session, user_id, "ticket_overdue", title, body,
                             {"ticket_id": t.id, "number": t.number, "step": step})
            await publish(session, STAFF_TOPICS, "alert.ticket_overdue",
                          {"ticket_id": t.id, "number": t.number, "step": step, "minutes_over": minutes})
            alerts += 1
    await session.flush()
    return alerts


STEP_LABELS = {"assign": "分派", "response": "首次响应", "resolve": "处理完成"}


async def _support_staff(session: AsyncSession) -> list[int]:
    """Active staff with the support role (who get the overdue alerts)."""
    return list(await session.scalars(select(User.id).where(
        User.kind == "staff", User.is_active.is_(True), User.roles.contains(["support"]))))


async def auto_close(session: AsyncSession, at: datetime | None = None) -> int:
    """Close tickets resolved SUPPORT_AUTO_CLOSE_DAYS ago that the customer neither confirmed nor reopened."""
    at = at or now()
    cutoff = at - timedelta(days=get_settings().support_auto_close_days)
    rows = list(await session.scalars(select(Ticket).where(
        Ticket.status == Status.RESOLVED.value, Ticket.resolved_at <= cutoff).order_by(Ticket.id)
        .with_for_update(skip_locked=True).limit(500)))
    for t in rows:
        await _move(session, t, "auto_close", None, "system", "auto_closed", at)
        t.closed_at, t.close_reason = at, "auto"
    return len(rows)


async def purge_photos(session: AsyncSession, at: datetime | None = None) -> int:
    """Uploaded photos never attached to a ticket (the customer gave up) are removed after a day."""
    at = at or now()
    rows = list(await session.scalars(select(TicketPhoto).where(
        TicketPhoto.ticket_id.is_(None), TicketPhoto.created_at < at - PHOTO_TTL).with_for_update(skip_locked=True)
        .limit(1000)))
    for p in rows:
        await session.delete(p)
    await session.flush()
    for p in rows:  # files after the rows: a failed delete of the rows leaves the files in place
        await storage.remove(p.media_key)
        await storage.remove(p.thumb_key)
    return len(rows)


# ---------------------------------------------------------------- reading
def sla(t: Ticket, at: datetime) -> list[schemas.TicketSlaOut]:
    done = {"assign": t.assigned_at, "response": t.started_at, "resolve": t.resolved_at}
    return [schemas.TicketSlaOut(step=step, due_at=getattr(t, due), done_at=done[step],
                           breached=(done[step] or at) > getattr(t, due)) for step, _, due in state.SLA_STEPS]


def _overdue(t: Ticket, at: datetime) -> list[str]:
    return [step for step, pending, due in state.SLA_STEPS if t.status in pending and getattr(t, due) < at]


def _due(t: Ticket) -> dict:
    """The first SLA step still to be done and its deadline (None once resolved or closed)."""
    for step, pending, due in state.SLA_STEPS:
        if t.status in pending:
            return {"due_step": step, "due_at": getattr(t, due)}
    return {"due_step": None, "due_at": None}


def overdue_clause(at: datetime):
    """SQL: a step not done and past its deadline (the console's 超时 filter and badge)."""
    return or_(*[(Ticket.status.in_([s.value for s in pending])) & (getattr(Ticket, due) < at)
                 for _, pending, due in state.SLA_STEPS])


async def _names(session: AsyncSession, model, ids: set[int], attr: str = "name") -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = await session.scalars(select(model).where(model.id.in_(ids)))
    if model is User:
        return {u.id: _name(u) or f"#{u.id}" for u in rows}
    return {r.id: getattr(r, attr) for r in rows}


class _Refs:
    """Names of the users, services, regions and orders a page of tickets mentions, loaded at once."""

    @classmethod
    async def load(cls, session: AsyncSession, tickets: list[Ticket]) -> "_Refs":
        self = cls()
        self.users = await _names(session, User, {i for t in tickets for i in (t.customer_id, t.worker_id,
                                                                              t.assignee_id)})
        self.services = await _names(session, Service, {t.service_id for t in tickets})
        self.regions = await _names(session, Region, {t.region_id for t in tickets})
        ids = {t.order_id for t in tickets if t.order_id}
        self.orders = {o.id: o for o in await session.scalars(select(Order).where(Order.id.in_(ids)))} if ids else {}
        return self

    def ref(self, table: dict[int, str], key: int | None) -> schemas.SupportRef | None:
        return schemas.SupportRef(id=key, name=table.get(key, f"#{key}")) if key else None

    def order(self, t: Ticket) -> schemas.TicketOrderRef | None:
        o = self.orders.get(t.order_id)
        if o is None:
            return None
        return schemas.TicketOrderRef(id=o.id, number=o.number, service_name=self.services.get(o.service_id, ""),
                                start=o.scheduled_start)


def _summary_fields(t: Ticket, refs: _Refs) -> dict:
    return dict(id=t.id, number=t.number, kind=t.kind, kind_label=schemas.KINDS[t.kind][0], category=t.category,
                category_label=schemas.CATEGORIES[t.category][0], content=t.content, status=t.status,
                status_label=state.LABELS[Status(t.status)][0], order=refs.order(t), created_at=t.created_at,
                resolved_at=t.resolved_at, closed_at=t.closed_at)


async def _compensation(session: AsyncSession, t: Ticket) -> list[schemas.TicketCompensationOut]:
    ids = [i for c in t.compensation for i in c.get("refund_ids", [])]
    statuses = dict((await session.execute(select(Refund.id, Refund.status).where(Refund.id.in_(ids)))).all()) \
        if ids else {}
    coupon_ids = [c["coupon_id"] for c in t.compensation if c.get("coupon_id")]
    coupon_status = dict((await session.execute(select(Coupon.id, Coupon.status).where(Coupon.id.in_(coupon_ids))))
                         .all()) if coupon_ids else {}
    out = []
    for c in t.compensation:
        if c["kind"] == "refund":
            own = sorted({statuses.get(i, "pending") for i in c.get("refund_ids", [])})
            status = own[0] if len(own) == 1 else "processing"
        else:  # the coupon as it stands: issued (not used yet), used, expired or revoked
            status = {"available": "issued"}.get(coupon_status.get(c["coupon_id"]), coupon_status.get(c["coupon_id"]))
        out.append(schemas.TicketCompensationOut(
            kind=c["kind"], amount=c["amount"], title=c["title"], coupon_id=c.get("coupon_id"),
            valid_until=datetime.fromisoformat(c["valid_until"]) if c.get("valid_until") else None,
            refunds=c.get("refunds", []), status=status or "issued", at=datetime.fromisoformat(c["at"])))
    return out


async def _timeline(session: AsyncSession, ticket_id: int) -> list[schemas.TicketEventOut]:
    rows = list(await session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
                                      .order_by(TicketEvent.at, TicketEvent.id)))
    names = await _names(session, User, {e.actor_id for e in rows if e.actor_kind == "staff"})
    return [schemas.TicketEventOut(id=e.id, type=e.type, label=EVENT_LABELS.get(e.type, (e.type,))[0],
                             from_status=e.from_status, to_status=e.to_status, actor_kind=e.actor_kind,
                             actor_name=names.get(e.actor_id) if e.actor_kind == "staff" else None, note=e.note,
                             data=e.data, at=e.at) for e in rows]


async def _detail_fields(session: AsyncSession, t: Ticket, refs: _Refs) -> dict:
    photos = await session.scalars(select(TicketPhoto).where(TicketPhoto.ticket_id == t.id).order_by(TicketPhoto.id))
    auto = t.resolved_at + timedelta(days=get_settings().support_auto_close_days) \
        if t.status == Status.RESOLVED.value and t.resolved_at else None
    return dict(**_summary_fields(t, refs),
                photos=[schemas.TicketPhotoOut(id=p.id, url=storage.signed_url(p.media_key),
                                         thumb_url=storage.signed_url(p.thumb_key)) for p in photos],
                result=t.result, upheld=t.upheld, compensation=await _compensation(session, t),
                reopen_count=t.reopen_count, reopen_reason=t.reopen_reason, close_reason=t.close_reason,
                auto_close_at=auto, can_confirm=state.allows(t.status, "confirm"),
                can_reopen=state.allows(t.status, "reopen") and t.reopen_count < state.MAX_REOPENS,
                timeline=await _timeline(session, t.id))


def photo_out(p: TicketPhoto) -> schemas.TicketPhotoOut:
    return schemas.TicketPhotoOut(id=p.id, url=storage.signed_url(p.media_key), thumb_url=storage.signed_url(p.thumb_key))


async def ticket_out(session: AsyncSession, t: Ticket) -> schemas.TicketOut:
    return schemas.TicketOut(**await _detail_fields(session, t, await _Refs.load(session, [t])))


async def get_for_customer(session: AsyncSession, customer: User, ticket_id: int) -> schemas.TicketOut:
    t = await session.get(Ticket, ticket_id)
    if t is None or t.customer_id != customer.id:
        raise AppError("ticket_not_found")
    return await ticket_out(session, t)


async def customer_tickets(session: AsyncSession, customer: User, page: int, size: int, *,
                           order_id: int | None = None) -> Page[schemas.TicketSummary]:
    where = [Ticket.customer_id == customer.id]
    if order_id is not None:
        where.append(Ticket.order_id == order_id)
    total = await session.scalar(select(func.count()).select_from(Ticket).where(*where)) or 0
    rows = list(await session.scalars(select(Ticket).where(*where).order_by(*NEWEST_FIRST)
                                      .offset((page - 1) * size).limit(size)))
    refs = await _Refs.load(session, rows)
    return Page(items=[schemas.TicketSummary(**_summary_fields(t, refs)) for t in rows], total=total, page=page,
                page_size=size)


def _admin_fields(t: Ticket, refs: _Refs, at: datetime) -> dict:
    return dict(customer=refs.ref(refs.users, t.customer_id), worker=refs.ref(refs.users, t.worker_id),
                service=refs.ref(refs.services, t.service_id), region=refs.ref(refs.regions, t.region_id),
                assignee=refs.ref(refs.users, t.assignee_id), root_cause=t.root_cause, overdue=_overdue(t, at),
                **_due(t))


async def admin_ticket_out(session: AsyncSession, t: Ticket) -> schemas.AdminTicketOut:
    at = now()
    refs = await _Refs.load(session, [t])
    customer = await session.get(User, t.customer_id)
    actions = sorted({a for a in state.allowed_actions(t.status) if a in ("assign", "start", "resolve")} |
                     ({"note"} if t.status in (Status.ASSIGNED.value, Status.IN_PROGRESS.value) else set()))
    return schemas.AdminTicketOut(
        **await _detail_fields(session, t, refs), **_admin_fields(t, refs, at),
        customer_phone=_masked(customer.phone if customer else None),
        root_cause_label=schemas.ROOT_CAUSES[t.root_cause][0] if t.root_cause else None, sla=sla(t, at),
        actions=actions)


def _masked(phone: str | None) -> str | None:
    return f"{phone[:3]}****{phone[-4:]}" if phone and len(phone) >= 7 else phone


async def admin_get(session: AsyncSession, ticket_id: int) -> schemas.AdminTicketOut:
    t = await session.get(Ticket, ticket_id)
    if t is None:
        raise AppError("ticket_not_found")
    return await admin_ticket_out(session, t)


async def admin_list(session: AsyncSession, *, status: str | None, kind: str | None, category: str | None,
                     overdue: bool | None, assignee_id: int | None, worker_id: int | None, q: str | None,
                     page: int, size: int) -> Page[schemas.AdminTicketSummary]:
    at = now()
    where = []
    if status:
        where.append(Ticket.status == status)
    if kind:
        where.append(Ticket.kind == kind)
    if category:
        where.append(Ticket.category == category)
    if assignee_id:
        where.append(Ticket.assignee_id == assignee_id)
    if worker_id:
        where.append(Ticket.worker_id == worker_id)
    if overdue is not None:
        clause = overdue_clause(at)
        where.append(clause if overdue else ~clause)
    if q:
        where.append(or_(Ticket.number == q.strip(), Ticket.content.ilike(like_pattern(q.strip()))))
    total = await session.scalar(select(func.count()).select_from(Ticket).where(*where)) or 0
    rows = list(await session.scalars(select(Ticket).where(*where).order_by(*NEWEST_FIRST)
                                      .offset((page - 1) * size).limit(size)))
    refs = await _Refs.load(session, rows)
    return Page(items=[schemas.AdminTicketSummary(**_summary_fields(t, refs), **_admin_fields(t, refs, at),
                                                  upheld=t.upheld) for t in rows],
                total=total, page=page, page_size=size)


async def assignees(session: AsyncSession) -> list[schemas.SupportAssigneeOut]:
    """Staff who may work tickets (support.write), with how many open tickets each holds."""
    staff = [u for u in await session.scalars(select(User).where(User.kind == "staff", User.is_active.is_(True))
                                              .order_by(User.id))
             if rbac.has_permission(list(u.roles or []), "support.write")]
    counts = dict((await session.execute(select(Ticket.assignee_id, func.count()).where(
        Ticket.status.in_([Status.ASSIGNED.value, Status.IN_PROGRESS.value])).group_by(Ticket.assignee_id))).all())
    return [schemas.SupportAssigneeOut(id=u.id, name=_name(u) or f"#{u.id}", roles=list(u.roles or []),
                                open_tickets=counts.get(u.id, 0)) for u in staff]

