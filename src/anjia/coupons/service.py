"""Coupons: issue (once per source reference), list, expire, revoke; and, for orders, the choice of
the coupon a price uses and its use on an order (locked and marked in the order's transaction) and
its return when the order is cancelled.

Validity is inclusive: a coupon is usable from `valid_from` to `valid_until`; an available coupon
past `valid_until` reads as expired at once, and the expiry job (hourly) makes it so in the table."""
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, case, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phone_search
from anjia.accounts.service import mask_phone
from anjia.catalog import pricing
from anjia.catalog import service as catalog
from anjia.catalog.models import Service
from anjia.config import get_settings
from anjia.core import audit, db
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.core.types import like_pattern
from anjia.coupons import schemas
from anjia.coupons.models import KINDS, SOURCES, Coupon


def _tz() -> ZoneInfo:
    return ZoneInfo(get_settings().region_timezone)


def valid_until(at: datetime, days: int) -> datetime:
    """The last second of the local day `days` days after `at`'s."""
    return datetime.combine(at.astimezone(_tz()).date() + timedelta(days=days), time(23, 59, 59), tzinfo=_tz())


def status_at(c: Coupon, at: datetime) -> str:
    return "expired" if c.status == "available" and c.valid_until < at else c.status


async def _service_names(session: AsyncSession, coupons: list[Coupon]) -> dict[int, str]:
    return await catalog.service_names(session, {c.service_id for c in coupons if c.service_id})


def _out(c: Coupon, names: dict[int, str], at: datetime) -> schemas.CouponOut:
    return schemas.CouponOut(
        id=c.id, customer_id=c.customer_id, kind=c.kind, value=c.value, cap=c.cap, min_spend=c.min_spend,
        service_id=c.service_id, service_name=names.get(c.service_id) if c.service_id else None, title=c.title,
        source=c.source, source_ref=c.source_ref, valid_from=c.valid_from, valid_until=c.valid_until,
        status=status_at(c, at), order_id=c.order_id, used_at=c.used_at, created_at=c.created_at)


async def coupon_out(session: AsyncSession, c: Coupon, at: datetime | None = None) -> schemas.CouponOut:
    return _out(c, await _service_names(session, [c]), at or now())


# ---------------------------------------------------------------- issue
def _invalid(field: str, message: str) -> AppError:
    return AppError("invalid_coupon", errors=[{"field": field, "message": message}])


async def issue(session: AsyncSession, actor: User | None, *, customer_id: int, kind: str, value: int,
                cap: int | None = None, min_spend: int = 0, valid_days: int = 30, service_id: int | None = None,
                source: str, source_ref: str | None = None, title: str) -> schemas.CouponOut:
    """Give `customer_id` a coupon valid from now to the end of the local day `valid_days` days
    ahead. `kind` "amount": `value` fen off; "percent": `value` basis points off, at most `cap`
    fen. The same (customer, source, source_ref) issued again returns the first coupon and issues
    nothing. Audited when staff (`actor`) issue it."""
    if kind not in KINDS:
        raise _invalid("kind", "amount or percent")
    if not isinstance(value, int) or value <= 0 or value > 100_000_000 or (kind == "percent" and value > 10_000):
        raise _invalid("value", "amount: 1..100000000 fen; percent: 1..10000 basis points")
    if cap is not None and (kind != "percent" or cap <= 0):
        raise _invalid("cap", "a positive cap, on a percent coupon only")
    if min_spend < 0:
        raise _invalid("min_spend", ">= 0")
    if not 1 <= valid_days <= 3650:
        raise _invalid("valid_days", "1..3650")
    if source not in SOURCES:
        raise _invalid("source", "one of " + ", ".join(SOURCES))
    title = (title or "").strip()
    if not title or len(title) > 64:
        raise _invalid("title", "1..64 characters")
    if source_ref is not None and not 1 <= len(source_ref) <= 64:
        raise _invalid("source_ref", "1..64 characters")
    customer = await session.get(User, customer_id)
    if customer is None or customer.kind != "customer" or customer.deleted_at is not None:
        raise AppError("coupon_customer_not_found")
    if service_id is not None and await session.get(Service, service_id) is None:
        raise _invalid("service_id", "unknown service")
    at = now()
    values = dict(customer_id=customer_id, kind=kind, value=value, cap=cap, min_spend=min_spend, service_id=service_id,
                  title=title, source=source, source_ref=source_ref, valid_from=at,
                  valid_until=valid_until(at, valid_days), status="available", issued_by=actor.id if actor else None)
    stmt = insert(Coupon).values(**values).returning(Coupon.id)
    if source_ref is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=["customer_id", "source", "source_ref"],
                                           index_where=Coupon.source_ref.is_not(None))
    new_id = await session.scalar(stmt)
    if new_id is None:  # issued before under this reference: that one
        first = await session.scalar(select(Coupon).where(Coupon.customer_id == customer_id, Coupon.source == source,
                                                          Coupon.source_ref == source_ref))
        return await coupon_out(session, first, at)
    c = await session.get(Coupon, new_id)
    if actor is not None:
        await audit.record(session, actor, "coupon.issue", "coupon", c.id, None,
                           {k: v.isoformat() if isinstance(v, datetime) else v for k, v in values.items()})
    return await coupon_out(session, c, at)


# ---------------------------------------------------------------- the customer's coupons
def _tab_filter(tab: str, at: datetime):
    if tab == "available":
        return and_(Coupon.status == "available", Coupon.valid_until >= at)
    if tab == "used":
        return Coupon.status == "used"
    return or_(Coupon.status.in_(("expired", "revoked")), and_(Coupon.status == "available", Coupon.valid_until < at))


_TAB_ORDER = {"available": (Coupon.valid_until, Coupon.id), "used": (Coupon.used_at.desc(), Coupon.id.desc()),
              "expired": (Coupon.valid_until.desc(), Coupon.id.desc())}


async def list_mine(session: AsyncSession, customer_id: int, tab: str, page: int, page_size: int,
                    at: datetime | None = None) -> schemas.CouponPage:
    at = at or now()
    mine = Coupon.customer_id == customer_id
    counts = (await session.execute(select(
        *[func.count().filter(_tab_filter(t, at)) for t in ("available", "used", "expired")]).where(mine))).one()
    rows = list(await session.scalars(select(Coupon).where(mine, _tab_filter(tab, at)).order_by(*_TAB_ORDER[tab])
                                      .offset((page - 1) * page_size).limit(page_size)))
    names = await _service_names(session, rows)
    total = {"available": counts[0], "used": counts[1], "expired": counts[2]}[tab]
    return schemas.CouponPage(items=[_out(c, names, at) for c in rows], total=total, page=page, page_size=page_size,
                              counts=schemas.CouponCounts(available=counts[0], used=counts[1], expired=counts[2]))


# ---------------------------------------------------------------- staff
async def admin_list(session: AsyncSession, *, q: str | None, status: str | None, source: str | None,
                     customer_id: int | None, page: int, page_size: int) -> tuple[list[schemas.AdminCouponOut], int]:
    at = now()
    where = []
    if status == "available":
        where.append(_tab_filter("available", at))
    elif status == "expired":
        where.append(or_(Coupon.status == "expired", and_(Coupon.status == "available", Coupon.valid_until < at)))
    elif status:
        where.append(Coupon.status == status)
    if source:
        where.append(Coupon.source == source)
    if customer_id:
        where.append(Coupon.customer_id == customer_id)
    if q:
        like = like_pattern(q)
        where.append(or_(phone_search(q), User.nickname.ilike(like), Coupon.title.ilike(like),
                         Coupon.source_ref.ilike(like)))
    base = select(Coupon, User).join(User, User.id == Coupon.customer_id).where(*where)
    total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = (await session.execute(base.order_by(Coupon.id.desc()).offset((page - 1) * page_size).limit(page_size))).all()
    names = await _service_names(session, [c for c, _ in rows])
    return [schemas.AdminCouponOut(**_out(c, names, at).model_dump(), customer_name=u.nickname,
                                   customer_phone=mask_phone(u.phone), issued_by=c.issued_by, revoked_at=c.revoked_at,
                                   revoke_reason=c.revoke_reason) for c, u in rows], total


async def _admin_out(session: AsyncSession, c: Coupon) -> schemas.AdminCouponOut:
    u = await session.get(User, c.customer_id)
    return schemas.AdminCouponOut(**(await coupon_out(session, c)).model_dump(), customer_name=u.nickname,
                                  customer_phone=mask_phone(u.phone), issued_by=c.issued_by, revoked_at=c.revoked_at,
                                  revoke_reason=c.revoke_reason)


async def admin_issue(session: AsyncSession, actor: User, data: schemas.CouponIssueIn) -> schemas.AdminCouponOut:
    out = await issue(session, actor, **data.model_dump())
    return await _admin_out(session, await session.get(Coupon, out.id))


async def revoke(session: AsyncSession, actor: User, coupon_id: int, reason: str, ip: str | None = None
                 ) -> schemas.AdminCouponOut:
    """An unused coupon withdrawn (issued by mistake): never one that is used, expired or revoked."""
    c = await session.scalar(select(Coupon).where(Coupon.id == coupon_id).with_for_update()
                             .execution_options(populate_existing=True))
    if c is None:
        raise AppError("coupon_not_found")
    at = now()
    if status_at(c, at) != "available":
        raise AppError("coupon_not_revocable")
    c.status, c.revoked_at, c.revoke_reason = "revoked", at, reason
    await session.flush()
    await audit.record(session, actor, "coupon.revoke", "coupon", c.id, {"status": "available"},
                       {"status": "revoked", "reason": reason}, ip=ip)
    return await _admin_out(session, c)


# ---------------------------------------------------------------- expiry (job)
async def expire_due(session: AsyncSession, at: datetime | None = None) -> int:
    """Mark available coupons past their validity expired. Idempotent: a second run finds none."""
    result = await session.execute(update(Coupon).where(Coupon.status == "available", Coupon.valid_until < (at or now()))
                                   .values(status="expired"))
    return result.rowcount


# ---------------------------------------------------------------- for orders: choose, use, give back
def as_pricing(c: Coupon) -> pricing.Coupon:
    return pricing.Coupon(kind=c.kind, value=c.value, min_spend=c.min_spend, code=f"coupon_{c.id}", cap=c.cap,
                          service_id=c.service_id, label=c.title)


def as_booked(quote: dict, discount: int) -> pricing.Coupon | None:
    """An order's coupon as it was taken off at booking (its quote's discount line): the same fen off
    a re-priced total (an hourly check-out), never more than that total."""
    line = next((x for x in (quote or {}).get("lines", []) if x["kind"] == "discount"), None)
    if not discount or line is None:
        return None
    return pricing.Coupon("amount", discount, code=line["code"], label=line["label"])


@dataclass(frozen=True)
class Choice:
    coupon: Coupon | None
    options: list[schemas.CouponOption]


def _option(c: Coupon, names: dict[int, str], service_id: int, before: int, at: datetime) -> schemas.CouponOption:
    discount = pricing.coupon_discount(as_pricing(c), service_id, before)
    reason = ("not_started" if c.valid_from > at else "other_service" if c.service_id not in (None, service_id)
              else "min_spend" if not discount else "ok")
    return schemas.CouponOption(coupon=_out(c, names, at), discount=discount if reason == "ok" else 0,
                                applicable=reason == "ok", reason=reason)


def _best(options: list[schemas.CouponOption]) -> schemas.CouponOption | None:
    """The most off; among equals the one that expires first, then the oldest."""
    usable = [o for o in options if o.applicable]
    return min(usable, key=lambda o: (-o.discount, o.coupon.valid_until, o.coupon.id)) if usable else None


# a customer's available coupons, as rows (core.db.HotRead): every order and checkout price reads them
_AVAILABLE = db.HotRead(db.HotRead.columns(Coupon).where(
    Coupon.customer_id == bindparam("customer_id"), Coupon.status == "available", Coupon.valid_until >= bindparam("at"))
    .order_by(Coupon.valid_until, Coupon.id))


async def choose(session: AsyncSession, customer_id: int, service_id: int, before: int, *,
                 coupon_id: int | None = None, none: bool = False, lock: bool = False,
                 at: datetime | None = None) -> Choice:
    """The coupon a price of `before` fen (before any coupon) for `service_id` uses: `coupon_id`
    (checked: the customer's own, available, in scope, minimum spend reached), none, or by default
    the best of the customer's. `options` lists every available coupon with what it would take off.
    With `lock` the chosen coupon's row is locked for the caller's transaction (orders use it next);
    a coupon another order is taking right now is skipped by the automatic choice."""
    at = at or now()
    mine = await _AVAILABLE.all(session, customer_id=customer_id, at=at)  # rows: the chosen one is locked below
    names = await _service_names(session, mine)
    options = [_option(c, names, service_id, before, at) for c in mine]
    if none:
        return Choice(None, options)
    by_id = {c.id: c for c in mine}
    if coupon_id is not None:
        c = await session.scalar(select(Coupon).where(Coupon.id == coupon_id).with_for_update()
                                 .execution_options(populate_existing=True)) if lock \
            else await session.get(Coupon, coupon_id)
        if c is None or c.customer_id != customer_id:
            raise AppError("coupon_not_found")
        if c.status != "available" or not c.valid_from <= at <= c.valid_until:
            raise AppError("coupon_unavailable")
        option = _option(c, names, service_id, before, at)
        if option.reason == "other_service":
            raise AppError("coupon_not_applicable")
        if option.reason == "min_spend":
            raise AppError("coupon_min_spend", errors=[{"field": "coupon_id", "message": f"min spend {c.min_spend}"}])
        return Choice(c, options)
    while True:
        best = _best(options)
        if best is None:
            return Choice(None, options)
        if not lock:
            return Choice(by_id[best.coupon.id], options)
        c = await session.scalar(select(Coupon).where(Coupon.id == best.coupon.id, Coupon.status == "available")
                                 .with_for_update(skip_locked=True).execution_options(populate_existing=True))
        if c is not None:
            return Choice(c, options)
        options = [o for o in options if o.coupon.id != best.coupon.id]  # being used by another order: the next


async def use(session: AsyncSession, coupon: Coupon, order_id: int, at: datetime | None = None) -> None:
    """Mark `coupon` used on `order_id` (in the order's transaction). The UPDATE only takes an
    available coupon, so of two orders racing for one, the second finds it used: 409."""
    result = await session.execute(update(Coupon).where(Coupon.id == coupon.id, Coupon.status == "available")
                                   .values(status="used", order_id=order_id, used_at=at or now()))
    if result.rowcount != 1:
        raise AppError("coupon_unavailable")


async def for_order(session: AsyncSession, order_id: int) -> Coupon | None:
    return await session.scalar(select(Coupon).where(Coupon.order_id == order_id))


async def give_back(session: AsyncSession, order_id: int, at: datetime | None = None) -> int | None:
    """The coupon of a cancelled order returns to its customer (expired when past its validity).
    Returns its id, or None when the order had none."""
    at = at or now()
    return await session.scalar(
        update(Coupon).where(Coupon.order_id == order_id, Coupon.status == "used")
        .values(status=case((Coupon.valid_until >= at, "available"), else_="expired"), order_id=None, used_at=None)
        .returning(Coupon.id))
