"""Reviews: the customer rates a completed order (quality, attitude, skill 1..5, text, up to 9
photos, anonymous or not) once; edits for 7 days; the worker replies once; operators hide abusive
content (audited). Every review change recomputes the worker's rating (workforce.set_rating).

Rating: a Bayesian average — (PRIOR_WEIGHT x PRIOR_MEAN + the sum of the reviews' scores) /
(PRIOR_WEIGHT + their number), each review's score being the mean of its three. The prior is the
rating a new worker starts with (5.0), so a first review moves it a little, never to that one
review's value (one 1-star review: 5.0 -> 4.33), and many reviews outweigh it.
Hidden reviews leave the public card (text, photos, reply) but keep counting in the rating,
the averages and the count: hiding moderates words, not scores (an operator cannot lift a
worker's rating by hiding low reviews)."""
from datetime import datetime, timedelta

from sqlalchemy import and_, func, literal, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.catalog import service as catalog
from anjia.catalog.models import Service
from anjia.core import audit, media, storage
from anjia.core.errors import AppError
from anjia.core.paging import Page
from anjia.core.security import now
from anjia.notifications import service as notifications
from anjia.orders.models import Order
from anjia.orders.state import Status
from anjia.preferences import service as preferences
from anjia.reviews import schemas
from anjia.reviews.models import Review, ReviewPhoto, ReviewReminder
from anjia.support import service as support
from anjia.workforce import service as workforce
from anjia.workforce.models import WorkerProfile

EDIT_DAYS = 7
PRIOR_MEAN = 5.0
PRIOR_WEIGHT = 5
LOW_SCORE = 2  # a review with any score at or below this opens a follow-up ticket
CARD_RECENT = 5
REMIND_AFTER = timedelta(hours=2)  # after check-out; and not past the 7th day
REVIEW_LOCKS = "reviews.worker"  # advisory lock per worker: rating recomputes never miss a concurrent review


def _avg(r: Review) -> float:
    return round((r.quality + r.attitude + r.skill) / 3, 2)


def bayesian(total: float, count: int) -> float:
    return round((PRIOR_WEIGHT * PRIOR_MEAN + total) / (PRIOR_WEIGHT + count), 2)


def author(nickname: str | None, anonymous: bool) -> str:
    if anonymous:
        return "匿名用户"
    return f"{nickname[0]}**" if nickname else "安家用户"


async def _lock_worker(session: AsyncSession, worker_id: int) -> None:
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"{REVIEW_LOCKS}:{worker_id}"})


async def recompute_rating(session: AsyncSession, worker_id: int) -> float:
    """The worker's rating from all their reviews (hidden ones included), written through workforce."""
    total, count = (await session.execute(select(
        func.coalesce(func.sum((Review.quality + Review.attitude + Review.skill) / 3.0), 0), func.count())
        .where(Review.worker_id == worker_id))).one()
    rating = bayesian(float(total), count)
    await workforce.set_rating(session, worker_id, rating)
    return rating


async def ratings_by_worker(session: AsyncSession, start: datetime, end: datetime) -> dict[int, tuple[float, int]]:
    """Per worker, the reviews written in [start, end): (average of the three scores, count)."""
    rows = await session.execute(select(
        Review.worker_id, func.avg((Review.quality + Review.attitude + Review.skill) / 3.0), func.count())
        .where(Review.created_at >= start, Review.created_at < end).group_by(Review.worker_id))
    return {w: (round(float(avg), 2), n) for w, avg, n in rows}


# ---------------------------------------------------------------- photos
async def upload_photo(session: AsyncSession, customer: User, data: bytes) -> schemas.PhotoOut:
    """Sniffed and rebuilt from its pixels (core.media); kept until a review names it."""
    if media.sniff(data) != "image":
        raise AppError("unsupported_media")
    clean, thumb = await media.clean_image_off_loop(data)
    folder = f"reviews/{customer.id}"
    photo = ReviewPhoto(customer_id=customer.id, media_key=await storage.save(clean, "jpg", folder),
                        thumb_key=await storage.save(thumb, "jpg", folder))
    session.add(photo)
    await session.flush()
    return photo_out(photo)


def photo_out(p: ReviewPhoto) -> schemas.PhotoOut:
    return schemas.PhotoOut(id=p.id, url=storage.signed_url(p.media_key), thumb_url=storage.signed_url(p.thumb_key))


async def _attach(session: AsyncSession, review: Review, photo_ids: list[int]) -> None:
    """The review's photos become exactly `photo_ids` (the customer's own, unused or already this review's)."""
    if len(set(photo_ids)) != len(photo_ids):
        raise AppError("review_photo_not_found")
    await session.execute(update(ReviewPhoto).where(ReviewPhoto.review_id == review.id,
                                                    ReviewPhoto.id.not_in(photo_ids or [0])).values(review_id=None))
    for i, pid in enumerate(photo_ids):
        res = await session.execute(update(ReviewPhoto).where(
            ReviewPhoto.id == pid, ReviewPhoto.customer_id == review.customer_id,
            (ReviewPhoto.review_id.is_(None)) | (ReviewPhoto.review_id == review.id)).values(review_id=review.id,
                                                                                               position=i))
        if res.rowcount != 1:
            raise AppError("review_photo_not_found")


async def _photos(session: AsyncSession, review_ids: list[int]) -> dict[int, list[schemas.PhotoOut]]:
    out: dict[int, list[schemas.PhotoOut]] = {r: [] for r in review_ids}
    if review_ids:
        for p in await session.scalars(select(ReviewPhoto).where(ReviewPhoto.review_id.in_(review_ids))
                                       .order_by(ReviewPhoto.review_id, ReviewPhoto.position)):
            out[p.review_id].append(photo_out(p))
    return out


# ---------------------------------------------------------------- the customer
async def _reviewable(session: AsyncSession, customer: User, order_id: int) -> Order:
    order = await session.get(Order, order_id)
    if order is None or order.customer_id != customer.id:
        raise AppError("order_not_found")
    if order.status != Status.COMPLETED.value or order.worker_id is None:
        raise AppError("order_not_reviewable")
    return order


async def create(session: AsyncSession, customer: User, order_id: int, data: schemas.ReviewIn) -> Review:
    order = await _reviewable(session, customer, order_id)
    await _lock_worker(session, order.worker_id)
    at = now()
    # One per order: a concurrent second submit finds the row (or waits for it) and inserts nothing.
    review_id = await session.scalar(insert(Review).values(
        order_id=order.id, customer_id=customer.id, worker_id=order.worker_id, service_id=order.service_id,
        quality=data.quality, attitude=data.attitude, skill=data.skill, text=data.text.strip(),
        anonymous=data.anonymous, low=min(data.quality, data.attitude, data.skill) <= LOW_SCORE, created_at=at)
        .on_conflict_do_nothing(index_elements=["order_id"]).returning(Review.id))
    if review_id is None:
        raise AppError("review_exists")
    review = await session.get(Review, review_id)
    await _attach(session, review, data.photo_ids)
    await recompute_rating(session, order.worker_id)
    await _follow_up(session, review)
    await notifications.notify(session, order.worker_id, "review.created", "收到新评价",
                               f"订单 {order.number} 的顾客给了 {_avg(review):.1f} 分", {"review_id": review.id})
    return review


async def _follow_up(session: AsyncSession, review: Review) -> None:
    """A low score opens one follow-up ticket with support (the first time it is low)."""
    if not review.low or review.follow_up_ticket_id is not None:
        return
    ticket = await support.open_follow_up(session, order_id=review.order_id, review_id=review.id, reason=(
        f"低分评价（质量 {review.quality} / 态度 {review.attitude} / 技能 {review.skill}）：{review.text or '无文字'}"))
    review.follow_up_ticket_id = ticket.id
    await session.flush()


async def _own(session: AsyncSession, customer: User, review_id: int, *, lock: bool = False) -> Review:
    stmt = select(Review).where(Review.id == review_id, Review.customer_id == customer.id)
    review = await session.scalar(stmt.with_for_update() if lock else stmt)
    if review is None:
        raise AppError("review_not_found")
    return review


async def edit(session: AsyncSession, customer: User, review_id: int, change: schemas.ReviewChange) -> Review:
    review = await _own(session, customer, review_id)
    await _lock_worker(session, review.worker_id)
    await session.refresh(review, with_for_update=True)
    if now() > review.created_at + timedelta(days=EDIT_DAYS):
        raise AppError("review_edit_closed")
    fields = change.sent()
    photo_ids = fields.pop("photo_ids", None)
    for k, v in fields.items():
        setattr(review, k, v.strip() if k == "text" else v)
    review.low = min(review.quality, review.attitude, review.skill) <= LOW_SCORE
    review.edited_at = now()
    await session.flush()
    if photo_ids is not None:
        await _attach(session, review, photo_ids)
    await recompute_rating(session, review.worker_id)
    await _follow_up(session, review)
    return review


async def review_for_order(session: AsyncSession, customer: User, order_id: int) -> Review | None:
    order = await session.get(Order, order_id)
    if order is None or order.customer_id != customer.id:
        raise AppError("order_not_found")
    return await session.scalar(select(Review).where(Review.order_id == order_id))


async def review_out(session: AsyncSession, review: Review) -> schemas.ReviewOut:
    return (await reviews_out(session, [review]))[0]


async def reviews_out(session: AsyncSession, reviews: list[Review]) -> list[schemas.ReviewOut]:
    photos = await _photos(session, [r.id for r in reviews])
    orders = {o.id: o for o in await session.scalars(select(Order).where(Order.id.in_([r.order_id for r in reviews])))}
    names = await _names(session, {r.worker_id for r in reviews})
    services = await _service_names(session, {r.service_id for r in reviews})
    at = now()
    out = []
    for r in reviews:
        until = r.created_at + timedelta(days=EDIT_DAYS)
        out.append(schemas.ReviewOut(
            id=r.id, order_id=r.order_id, order_number=orders[r.order_id].number, service_name=services[r.service_id],
            worker=schemas.PersonRef(id=r.worker_id, name=names.get(r.worker_id, "")), quality=r.quality,
            attitude=r.attitude, skill=r.skill, score=_avg(r), text=r.text, photos=photos[r.id], anonymous=r.anonymous,
            reply=r.reply, replied_at=r.replied_at, hidden=r.hidden_at is not None, created_at=r.created_at,
            edited_at=r.edited_at, editable_until=until, editable=at <= until))
    return out


async def my_reviews(session: AsyncSession, customer: User, page: int, size: int) -> Page[schemas.ReviewOut]:
    where = Review.customer_id == customer.id
    total = await session.scalar(select(func.count()).select_from(Review).where(where)) or 0
    rows = list(await session.scalars(select(Review).where(where).order_by(Review.id.desc())
                                      .offset((page - 1) * size).limit(size)))
    return Page[schemas.ReviewOut](items=await reviews_out(session, rows), total=total, page=page, page_size=size)


async def _names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u: n or "" for u, n in await session.execute(select(User.id, User.nickname).where(User.id.in_(ids)))}


async def _service_names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict((await session.execute(select(Service.id, Service.name).where(Service.id.in_(ids)))).all())


# ---------------------------------------------------------------- public: the worker card
async def _public(session: AsyncSession, reviews: list[Review]) -> list[schemas.PublicReviewOut]:
    photos = await _photos(session, [r.id for r in reviews])
    names = await _names(session, {r.customer_id for r in reviews if not r.anonymous})
    services = await _service_names(session, {r.service_id for r in reviews})
    return [schemas.PublicReviewOut(
        id=r.id, author=author(names.get(r.customer_id), r.anonymous), anonymous=r.anonymous,
        service_name=services[r.service_id], quality=r.quality, attitude=r.attitude, skill=r.skill, score=_avg(r),
        text=r.text, photos=photos[r.id], reply=r.reply, replied_at=r.replied_at, created_at=r.created_at)
        for r in reviews]


async def _averages(session: AsyncSession, worker_id: int) -> tuple[schemas.Scores | None, int, dict[str, int]]:
    q, a, s, n = (await session.execute(select(func.avg(Review.quality), func.avg(Review.attitude),
                                               func.avg(Review.skill), func.count())
                                        .where(Review.worker_id == worker_id))).one()
    stars = {str(k): 0 for k in range(1, 6)}
    rounded = func.round((Review.quality + Review.attitude + Review.skill) / 3.0)
    for star, count in await session.execute(select(rounded, func.count()).where(Review.worker_id == worker_id)
                                             .group_by(rounded)):
        stars[str(int(star))] = count
    averages = schemas.Scores(quality=round(float(q), 2), attitude=round(float(a), 2),
                              skill=round(float(s), 2)) if n else None
    return averages, n, stars


async def card(session: AsyncSession, viewer: User, worker_id: int) -> schemas.WorkerCardOut:
    w = await workforce.worker(session, worker_id)
    profile = await session.get(WorkerProfile, worker_id)
    averages, count, stars = await _averages(session, worker_id)
    recent = list(await session.scalars(select(Review).where(Review.worker_id == worker_id, Review.hidden_at.is_(None))
                                        .order_by(Review.created_at.desc(), Review.id.desc()).limit(CARD_RECENT)))
    return schemas.WorkerCardOut(
        id=w.id, name=w.nickname or "", level=profile.level if profile else 1,
        rating=profile.rating if profile else workforce.DEFAULTS["rating"], review_count=count, averages=averages,
        stars=stars, recent=await _public(session, recent),
        favourite=await preferences.is_favourite_worker(session, viewer.id, worker_id))


async def public_reviews(session: AsyncSession, worker_id: int, page: int, size: int
                         ) -> Page[schemas.PublicReviewOut]:
    await workforce.worker(session, worker_id)
    where = and_(Review.worker_id == worker_id, Review.hidden_at.is_(None))
    total = await session.scalar(select(func.count()).select_from(Review).where(where)) or 0
    rows = list(await session.scalars(select(Review).where(where).order_by(Review.created_at.desc(), Review.id.desc())
                                      .offset((page - 1) * size).limit(size)))
    return Page[schemas.PublicReviewOut](items=await _public(session, rows), total=total, page=page, page_size=size)


# ---------------------------------------------------------------- public: a service's reviews
async def service_reviews(session: AsyncSession, service_id: int, page: int, size: int) -> schemas.ServiceReviewsOut:
    """What anyone browsing a service sees, signed in or not: how it is rated and the newest
    visible reviews (authors masked as everywhere else)."""
    await catalog.get_service(session, service_id)
    where = and_(Review.service_id == service_id, Review.hidden_at.is_(None))
    score = (Review.quality + Review.attitude + Review.skill) / 3.0
    total, average = (await session.execute(select(func.count(), func.avg(score)).where(where))).one()
    rows = list(await session.scalars(select(Review).where(where).order_by(Review.created_at.desc(), Review.id.desc())
                                      .offset((page - 1) * size).limit(size)))
    return schemas.ServiceReviewsOut(items=await _public(session, rows), total=total, page=page, page_size=size,
                                     average=round(float(average), 2) if total else None)


# ---------------------------------------------------------------- the worker
async def worker_reviews(session: AsyncSession, worker: User, page: int, size: int) -> schemas.WorkerReviewsOut:
    where = Review.worker_id == worker.id
    total = await session.scalar(select(func.count()).select_from(Review).where(where)) or 0
    rows = list(await session.scalars(select(Review).where(where).order_by(Review.created_at.desc(), Review.id.desc())
                                      .offset((page - 1) * size).limit(size)))
    public = await _public(session, rows)
    numbers = dict((await session.execute(select(Order.id, Order.number).where(
        Order.id.in_([r.order_id for r in rows])))).all()) if rows else {}
    averages, _, _ = await _averages(session, worker.id)
    profile = await session.get(WorkerProfile, worker.id)
    items = []
    for r, p in zip(rows, public, strict=True):
        hidden = r.hidden_at is not None
        items.append(schemas.WorkerReviewOut(
            **p.model_dump(exclude={"text", "photos"}), text="" if hidden else p.text,
            photos=[] if hidden else p.photos, order_number=None if r.anonymous else numbers.get(r.order_id),
            hidden=hidden, can_reply=r.reply is None and not hidden))
    return schemas.WorkerReviewsOut(items=items, total=total, page=page, page_size=size, averages=averages,
                                    rating=profile.rating if profile else workforce.DEFAULTS["rating"])


async def reply(session: AsyncSession, worker: User, review_id: int, body: str) -> None:
    """Once: a conditional UPDATE, so two concurrent replies store one."""
    review = await session.scalar(select(Review).where(Review.id == review_id, Review.worker_id == worker.id))
    if review is None:
        raise AppError("review_not_found")
    if review.hidden_at is not None:
        raise AppError("review_already_hidden")
    res = await session.execute(update(Review).where(Review.id == review_id, Review.reply.is_(None))
                                .values(reply=body.strip(), replied_at=now()))
    if res.rowcount != 1:
        raise AppError("review_already_replied")
    await notifications.notify(session, review.customer_id, "review.replied", "师傅回复了您的评价",
                               body.strip()[:60], {"review_id": review.id, "order_id": review.order_id})


# ---------------------------------------------------------------- operators
def _admin_filters(worker_id: int | None, low: bool | None, hidden: bool | None, max_score: int | None) -> list:
    where = []
    if worker_id:
        where.append(Review.worker_id == worker_id)
    if low is not None:
        where.append(Review.low.is_(low))
    if hidden is not None:
        where.append(Review.hidden_at.is_not(None) if hidden else Review.hidden_at.is_(None))
    if max_score is not None:
        where.append((Review.quality + Review.attitude + Review.skill) <= max_score * 3)
    return where


async def admin_list(session: AsyncSession, *, worker_id: int | None, low: bool | None, hidden: bool | None,
                     max_score: int | None, page: int, size: int) -> Page[schemas.AdminReviewOut]:
    where = _admin_filters(worker_id, low, hidden, max_score)
    total = await session.scalar(select(func.count()).select_from(Review).where(*where)) or 0
    rows = list(await session.scalars(select(Review).where(*where).order_by(Review.id.desc())
                                      .offset((page - 1) * size).limit(size)))
    return Page[schemas.AdminReviewOut](items=await admin_out(session, rows), total=total, page=page, page_size=size)


async def admin_out(session: AsyncSession, reviews: list[Review]) -> list[schemas.AdminReviewOut]:
    photos = await _photos(session, [r.id for r in reviews])
    names = await _names(session, {r.worker_id for r in reviews} | {r.customer_id for r in reviews})
    services = await _service_names(session, {r.service_id for r in reviews})
    numbers = dict((await session.execute(select(Order.id, Order.number).where(
        Order.id.in_([r.order_id for r in reviews])))).all()) if reviews else {}
    return [schemas.AdminReviewOut(
        id=r.id, order_id=r.order_id, order_number=numbers[r.order_id], service_name=services[r.service_id],
        customer=schemas.PersonRef(id=r.customer_id, name=names.get(r.customer_id, "")),
        worker=schemas.PersonRef(id=r.worker_id, name=names.get(r.worker_id, "")), quality=r.quality,
        attitude=r.attitude, skill=r.skill, score=_avg(r), text=r.text, photos=photos[r.id], anonymous=r.anonymous,
        low=r.low, follow_up_ticket_id=r.follow_up_ticket_id, reply=r.reply, replied_at=r.replied_at,
        hidden=r.hidden_at is not None, hidden_reason=r.hidden_reason, hidden_at=r.hidden_at, created_at=r.created_at,
        edited_at=r.edited_at) for r in reviews]


def _moderation(r: Review) -> dict:
    return {"hidden": r.hidden_at is not None, "hidden_reason": r.hidden_reason}


async def hide(session: AsyncSession, actor: User, review_id: int, reason: str, ip: str | None
               ) -> schemas.AdminReviewOut:
    review = await session.scalar(select(Review).where(Review.id == review_id).with_for_update())
    if review is None:
        raise AppError("review_not_found")
    if review.hidden_at is not None:
        raise AppError("review_already_hidden")
    before = _moderation(review)
    review.hidden_at, review.hidden_reason, review.hidden_by = now(), reason.strip(), actor.id
    await session.flush()
    await audit.record(session, actor, "review.hide", "review", review.id, before, _moderation(review), ip=ip)
    return (await admin_out(session, [review]))[0]


async def unhide(session: AsyncSession, actor: User, review_id: int, reason: str, ip: str | None
                 ) -> schemas.AdminReviewOut:
    review = await session.scalar(select(Review).where(Review.id == review_id).with_for_update())
    if review is None:
        raise AppError("review_not_found")
    if review.hidden_at is None:
        raise AppError("review_not_hidden")
    before = _moderation(review)
    review.hidden_at, review.hidden_reason, review.hidden_by = None, None, None
    await session.flush()
    await audit.record(session, actor, "review.unhide", "review", review.id, before,
                       {**_moderation(review), "reason": reason.strip()}, ip=ip)
    return (await admin_out(session, [review]))[0]


# ---------------------------------------------------------------- the reminder job
async def remind(session: AsyncSession, at: datetime | None = None) -> int:
    """Job step: each order completed between 7 days and 2 hours ago and not reviewed gets one
    reminder (the reminders table's key makes it once per order, whatever runs overlap)."""
    at = at or now()
    table = ReviewReminder.__table__
    rows = (await session.execute(
        insert(table).from_select(["order_id", "sent_at"], select(Order.id, literal(at)).where(
            Order.status == Status.COMPLETED.value, Order.checked_out_at <= at - REMIND_AFTER,
            Order.checked_out_at > at - timedelta(days=EDIT_DAYS),
            ~select(Review.id).where(Review.order_id == Order.id).exists()))
        .on_conflict_do_nothing().returning(table.c.order_id))).scalars().all()
    if not rows:
        return 0
    for order, service_name in await session.execute(select(Order, Service.name).join(
            Service, Service.id == Order.service_id).where(Order.id.in_(rows))):
        await notifications.notify(session, order.customer_id, "review.reminder", "邀请您评价本次服务",
                                   f"{service_name}（订单 {order.number}）已完成，说说您的感受吧",
                                   {"order_id": order.id})
    return len(rows)
