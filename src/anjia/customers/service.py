"""Customers for operators: the list (search, segment and tag filters), the profile gathered from
the packages that own each part, staff tags and notes (audited), the segment sizes, and the
audited CSV export.

Search: `q` matches a fragment of the nickname or of an address's district with ILIKE, served by
pg_trgm GIN indexes (migration 0025), and a phone number whole (its keyed hash) or by its last four
digits — phones and streets are sealed at rest (migration 0037, docs: Personal data)."""
import csv
import io
from datetime import datetime

from sqlalchemy import delete, exists, func, select, union
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phone_search
from anjia.accounts.service import mask_phone
from anjia.addresses import service as addresses
from anjia.addresses.models import Address
from anjia.addresses.schemas import AddressOut
from anjia.core import audit, rbac
from anjia.core.errors import AppError
from anjia.core.paging import Page
from anjia.core.security import now
from anjia.core.types import like_pattern
from anjia.coupons import service as coupons
from anjia.customers import rfm, schemas, segments
from anjia.customers.models import Campaign, CampaignMember, CustomerNote, CustomerTag, SegmentMembership
from anjia.orders import service as orders
from anjia.orders.models import Order
from anjia.orders.service import masked_address
from anjia.preferences import service as preferences
from anjia.reviews import service as reviews
from anjia.support import service as support

EXPORT_LIMIT = 10_000


def _customer_filters(q: str | None, segment: str | None, tag: str | None) -> list:
    where = [User.kind == "customer", User.deleted_at.is_(None)]
    if q:
        like = like_pattern(q.strip())
        # one UNION of three index searches (an OR across the tables would scan users)
        where.append(User.id.in_(union(
            select(User.id).where(User.nickname.ilike(like)),
            select(User.id).where(phone_search(q)),
            select(Address.user_id).where(Address.deleted_at.is_(None), Address.district.ilike(like)))))
    if segment:
        where.append(exists().where(SegmentMembership.customer_id == User.id, SegmentMembership.until.is_(None),
                                    SegmentMembership.segment == segment))
    if tag:
        where.append(exists().where(CustomerTag.customer_id == User.id, CustomerTag.tag == tag.strip()))
    return where


async def _rows(session: AsyncSession, users: list[User]) -> list[schemas.CustomerRow]:
    ids = [u.id for u in users]
    if not ids:
        return []
    segments = dict((await session.execute(select(SegmentMembership.customer_id, SegmentMembership.segment).where(
        SegmentMembership.customer_id.in_(ids), SegmentMembership.until.is_(None)))).all())
    tags: dict[int, list[str]] = {}
    for cid, tag in await session.execute(select(CustomerTag.customer_id, CustomerTag.tag)
                                          .where(CustomerTag.customer_id.in_(ids)).order_by(CustomerTag.created_at)):
        tags.setdefault(cid, []).append(tag)
    counted = Order.status.not_in(("pending_payment", "cancelled"))
    figures = {r.customer_id: r for r in await session.execute(
        select(Order.customer_id, func.count().label("n"),
               func.coalesce(func.sum(func.coalesce(Order.final_total, Order.total) - Order.refunded_amount), 0)
               .label("spend"), func.max(Order.created_at).label("last"))
        .where(Order.customer_id.in_(ids), counted).group_by(Order.customer_id))}
    areas: dict[int, str] = {}
    for a in await session.scalars(select(Address).where(Address.user_id.in_(ids), Address.deleted_at.is_(None))
                                   .order_by(Address.user_id, Address.is_default.desc(), Address.id.desc())):
        areas.setdefault(a.user_id, f"{a.city}{a.district}")  # the default one, else the newest
    out = []
    for u in users:
        f = figures.get(u.id)
        out.append(schemas.CustomerRow(
            id=u.id, nickname=u.nickname, phone=mask_phone(u.phone), is_active=u.is_active, created_at=u.created_at,
            segment=segments.get(u.id), tags=tags.get(u.id, []), area=areas.get(u.id, ""),
            orders=f.n if f else 0, spend=int(f.spend) if f else 0, last_order_at=f.last if f else None))
    return out


async def list_customers(session: AsyncSession, *, q: str | None, segment: str | None, tag: str | None, page: int,
                         page_size: int) -> Page[schemas.CustomerRow]:
    """Newest customers first."""
    where = _customer_filters(q, segment, tag)
    total = await session.scalar(select(func.count()).select_from(User).where(*where)) or 0
    users = list(await session.scalars(select(User).where(*where).order_by(User.id.desc())
                                       .offset((page - 1) * page_size).limit(page_size)))
    return Page[schemas.CustomerRow](items=await _rows(session, users), total=total, page=page, page_size=page_size)


async def export_csv(session: AsyncSession, actor: User, *, q: str | None, segment: str | None, tag: str | None,
                     ip: str | None) -> str:
    """The filtered list as CSV (at most EXPORT_LIMIT rows, phones masked), the export audited
    with its filters and row count."""
    where = _customer_filters(q, segment, tag)
    users = list(await session.scalars(select(User).where(*where).order_by(User.id.desc()).limit(EXPORT_LIMIT)))
    rows = await _rows(session, users)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["ID", "昵称", "手机号", "分群", "标签", "地区", "订单数", "消费(元)", "最近下单", "注册时间"])
    for r in rows:
        w.writerow([r.id, r.nickname, r.phone or "", schemas.SEGMENT_LABELS[r.segment][0] if r.segment else "",
                    " ".join(r.tags), r.area, r.orders, f"{r.spend / 100:.2f}",
                    r.last_order_at.isoformat() if r.last_order_at else "", r.created_at.isoformat()])
    await audit.record(session, actor, "customers.export", "customer", None, None,
                       {"q": q, "segment": segment, "tag": tag, "rows": len(rows)}, ip=ip)
    return "\ufeff" + buf.getvalue()  # BOM: Excel opens UTF-8 CSV as such


async def _customer(session: AsyncSession, customer_id: int) -> User:
    u = await session.get(User, customer_id)
    if u is None or u.kind != "customer":
        raise AppError("customer_not_found")
    return u


def _period(m: SegmentMembership) -> schemas.SegmentPeriod:
    return schemas.SegmentPeriod(segment=m.segment, since=m.since, until=m.until, recency_days=m.recency_days,
                                 frequency=m.frequency, monetary=m.monetary)


async def _figures(session: AsyncSession, customer_id: int) -> schemas.CustomerFigures:
    counted = Order.status.not_in(("pending_payment", "cancelled"))
    r = (await session.execute(select(
        func.count(), func.count().filter(counted), func.count().filter(Order.status == "completed"),
        func.count().filter(Order.status == "cancelled"),
        func.coalesce(func.sum(func.coalesce(Order.final_total, Order.total) - Order.refunded_amount)
                      .filter(counted), 0),
        func.min(Order.created_at).filter(counted), func.max(Order.created_at).filter(counted))
        .where(Order.customer_id == customer_id))).one()
    spend = int(r[4])
    return schemas.CustomerFigures(orders=r[0], counted=r[1], completed=r[2], cancelled=r[3], spend=spend,
                                   average=spend // r[1] if r[1] else 0, first_order_at=r[5], last_order_at=r[6])


async def tags_of(session: AsyncSession, customer_id: int) -> list[schemas.CustomerTagOut]:
    return [schemas.CustomerTagOut(tag=t.tag, created_at=t.created_at) for t in await session.scalars(
        select(CustomerTag).where(CustomerTag.customer_id == customer_id).order_by(CustomerTag.created_at))]


def _note_out(n: CustomerNote) -> schemas.CustomerNoteOut:
    return schemas.CustomerNoteOut(id=n.id, body=n.body, author_name=n.author_name, created_at=n.created_at)


async def profile(session: AsyncSession, actor: User, customer_id: int, ip: str | None) -> schemas.CustomerProfile:
    """The profile; with `personal.read` the phone and the addresses in full, the read audited
    (`personal_data.read`); otherwise the phone masked and the addresses as their area."""
    u = await _customer(session, customer_id)
    full = rbac.has_permission(list(actor.roles or []), "personal.read")
    history = list(await session.scalars(select(SegmentMembership).where(SegmentMembership.customer_id == u.id)
                                         .order_by(SegmentMembership.since.desc())))
    notes = list(await session.scalars(select(CustomerNote).where(CustomerNote.customer_id == u.id)
                                       .order_by(CustomerNote.id.desc()).limit(50)))
    books = [AddressOut.model_validate(a) for a in await addresses.list_addresses(session, u.id)]
    if not full:
        for a in books:
            m = masked_address(a.model_dump())
            a.contact_name, a.contact_phone, a.detail = m["contact_name"], m["contact_phone"] or "", "****"
    prefs = await preferences.get(session, u.id)
    order_rows, _ = await orders.list_orders(session, u.id, statuses=None, page=1, page_size=10)
    review_page = await reviews.my_reviews(session, u, 1, 10)
    ticket_page = await support.customer_tickets(session, u, 1, 10)
    coupon_counts = (await coupons.list_mine(session, u.id, "available", 1, 1)).counts
    memberships = [schemas.CampaignMembership(campaign_id=c.id, name=c.name, arm=m.arm, coupon_id=m.coupon_id,
                                              launched_at=c.launched_at)
                   for m, c in await session.execute(
                       select(CampaignMember, Campaign).join(Campaign, Campaign.id == CampaignMember.campaign_id)
                       .where(CampaignMember.customer_id == u.id).order_by(Campaign.id.desc()))]
    if full:
        await audit.record(session, actor, "personal_data.read", "customer", u.id,
                           after={"fields": ["phone", "addresses", "orders.address"], "customer_id": u.id}, ip=ip)
    current = next((m for m in history if m.until is None), None)
    return schemas.CustomerProfile(
        id=u.id, nickname=u.nickname, phone=u.phone if full else mask_phone(u.phone), phone_masked=not full,
        email=u.email if full else (u.email and u.email[:1] + "***@" + u.email.split("@")[-1]),
        is_active=u.is_active, deleted=u.deleted_at is not None, created_at=u.created_at,
        figures=await _figures(session, u.id), segment=_period(current) if current else None,
        segment_history=[_period(m) for m in history], tags=await tags_of(session, u.id),
        notes=[_note_out(n) for n in notes], addresses=books, preferences=preferences.lines(prefs),
        preference_note=prefs.note, favourites=await preferences.favourites(session, u), coupons=coupon_counts,
        orders=await orders.summaries(session, order_rows, full=full), reviews=review_page.items, reviews_total=review_page.total,
        tickets=ticket_page.items, tickets_total=ticket_page.total, campaigns=memberships)


async def customer_orders(session: AsyncSession, customer_id: int, page: int, page_size: int):
    await _customer(session, customer_id)
    rows, total = await orders.list_orders(session, customer_id, statuses=None, page=page, page_size=page_size)
    return Page(items=await orders.summaries(session, rows, full=False), total=total, page=page, page_size=page_size)


# ---------------------------------------------------------------- tags and notes (staff, audited)
async def add_tag(session: AsyncSession, actor: User, customer_id: int, tag: str, ip: str | None
                  ) -> list[schemas.CustomerTagOut]:
    u = await _customer(session, customer_id)
    tag = tag.strip()
    if not tag:
        raise AppError("invalid_customer_tag", errors=[{"field": "tag", "message": "blank"}])
    before = [t.tag for t in await tags_of(session, u.id)]
    await session.execute(insert(CustomerTag).values(customer_id=u.id, tag=tag, created_by=actor.id)
                          .on_conflict_do_nothing(index_elements=["customer_id", "tag"]))
    after = await tags_of(session, u.id)
    await audit.record(session, actor, "customer.tag.add", "customer", u.id, {"tags": before},
                       {"tags": [t.tag for t in after], "tag": tag}, ip=ip)
    return after


async def remove_tag(session: AsyncSession, actor: User, customer_id: int, tag: str, ip: str | None
                     ) -> list[schemas.CustomerTagOut]:
    u = await _customer(session, customer_id)
    before = [t.tag for t in await tags_of(session, u.id)]
    result = await session.execute(delete(CustomerTag).where(CustomerTag.customer_id == u.id,
                                                             CustomerTag.tag == tag.strip()))
    if result.rowcount != 1:
        raise AppError("customer_tag_not_found")
    after = await tags_of(session, u.id)
    await audit.record(session, actor, "customer.tag.remove", "customer", u.id, {"tags": before},
                       {"tags": [t.tag for t in after], "tag": tag}, ip=ip)
    return after


async def all_tags(session: AsyncSession) -> list[schemas.TagCount]:
    rows = await session.execute(select(CustomerTag.tag, func.count()).join(User, User.id == CustomerTag.customer_id)
                                 .where(User.deleted_at.is_(None)).group_by(CustomerTag.tag)
                                 .order_by(func.count().desc(), CustomerTag.tag))
    return [schemas.TagCount(tag=t, customers=n) for t, n in rows]


async def add_note(session: AsyncSession, actor: User, customer_id: int, body: str, ip: str | None
                   ) -> schemas.CustomerNoteOut:
    u = await _customer(session, customer_id)
    note = CustomerNote(customer_id=u.id, body=body.strip(), author_id=actor.id,
                        author_name=actor.nickname or actor.username or "")
    session.add(note)
    await session.flush()
    await session.refresh(note)
    await audit.record(session, actor, "customer.note.add", "customer", u.id, None,
                       {"note_id": note.id, "body": note.body}, ip=ip)
    return _note_out(note)


# ---------------------------------------------------------------- segments
async def segment_sizes(session: AsyncSession) -> schemas.SegmentsOut:
    counts = dict((await session.execute(
        select(SegmentMembership.segment, func.count()).join(User, User.id == SegmentMembership.customer_id)
        .where(SegmentMembership.until.is_(None), User.deleted_at.is_(None)).group_by(SegmentMembership.segment))).all())
    latest = await session.scalar(select(func.max(SegmentMembership.since)))
    return schemas.SegmentsOut(sizes=[schemas.SegmentSize(segment=s, customers=counts.get(s, 0)) for s in rfm.ORDER],
                               thresholds=rfm.thresholds(), computed_at=latest)


async def recompute_now(session: AsyncSession, actor: User, ip: str | None, at: datetime | None = None
                        ) -> schemas.SegmentsOut:
    """Operators run the nightly job now (audited)."""
    before = {s.segment: s.customers for s in (await segment_sizes(session)).sizes}
    moved = await segments.recompute(session, at or now())
    out = await segment_sizes(session)
    await audit.record(session, actor, "customers.segments.recompute", "segments", None, before,
                       {"moved": moved, "sizes": {s.segment: s.customers for s in out.sizes}}, ip=ip)
    return out

