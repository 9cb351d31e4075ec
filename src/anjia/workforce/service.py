"""The worker's file: the profile (skills, region, home, radius, review and employment status,
rating, level) is written here and nowhere else; hours and leave are scheduling's, composed here
into the worker's availability page. Staff edits are audited here."""
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phone_search
from anjia.accounts.service import mask_phone
from anjia.core import audit
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.core.types import like_pattern
from anjia.notifications import service as notifications
from anjia.scheduling import schemas as scheduling_schemas
from anjia.scheduling import service as scheduling
from anjia.workforce import certificates, hooks, schemas, state
from anjia.workforce.models import WorkerProfile, WorkerStatusEvent

DEFAULTS = dict(skills=[], declared_skills=[], radius_km=10, review_status="draft", employment_status="active",
                rating=5.0, level=1)


def _columns(fields: dict) -> dict:
    """Profile fields as stored: `verified` / `active` (generated columns) name the statuses they
    come from, and skills given by hand are both declared and eligible."""
    fields = dict(fields)
    if "verified" in fields:
        fields["review_status"] = "approved" if fields.pop("verified") else "draft"
    if "active" in fields:
        fields["employment_status"] = "active" if fields.pop("active") else "suspended"
    if "skills" in fields and "declared_skills" not in fields:
        fields["declared_skills"] = list(fields["skills"])
    return fields


async def worker(session: AsyncSession, worker_id: int) -> User:
    """A worker account (staff endpoints name workers by id: anyone else is not found)."""
    u = await session.get(User, worker_id)
    if u is None or u.kind != "worker" or u.deleted_at is not None:
        raise AppError("not_found")
    return u


async def profile(session: AsyncSession, worker_id: int) -> WorkerProfile:
    """The worker's profile, created with the defaults on the first write."""
    p = await session.get(WorkerProfile, worker_id)
    if p is None:
        p = WorkerProfile(user_id=worker_id, **DEFAULTS)
        session.add(p)
        await session.flush()
    return p


async def add_profile(session: AsyncSession, worker_id: int, **fields) -> WorkerProfile:
    """A profile as given (`verified=True` means approved, `active=False` suspended)."""
    p = WorkerProfile(user_id=worker_id, **{**DEFAULTS, **_columns(fields)})
    session.add(p)
    await session.flush()
    return p


async def list_workers(session: AsyncSession, q: str | None, page: int, page_size: int,
                       review_status: str | None = None) -> schemas.WorkerPage:
    """Workers by name or phone; with `review_status` (the review queue: `submitted`) the
    earliest submitted first."""
    where = [User.kind == "worker", User.deleted_at.is_(None)]
    if q:
        like = like_pattern(q)
        where.append(or_(User.nickname.ilike(like), phone_search(q), WorkerProfile.real_name.ilike(like)))
    order = [User.id]
    if review_status == "draft":  # no profile yet is a draft too
        where.append(or_(WorkerProfile.review_status == "draft", WorkerProfile.user_id.is_(None)))
    elif review_status:
        where.append(WorkerProfile.review_status == review_status)
        order = [WorkerProfile.submitted_at.asc().nulls_last(), User.id]
    joined = select(User, WorkerProfile).outerjoin(WorkerProfile, WorkerProfile.user_id == User.id).where(*where)
    total = await session.scalar(select(func.count()).select_from(joined.subquery())) or 0
    rows = (await session.execute(joined.order_by(*order).offset((page - 1) * page_size).limit(page_size))).all()
    return schemas.WorkerPage(items=[schemas.worker_out(u, p, mask_phone(u.phone)) for u, p in rows],
                              total=total, page=page, page_size=page_size)


async def _set(session: AsyncSession, p: WorkerProfile, changes: dict) -> None:
    for k, v in _columns(changes).items():
        if k == "region_id" and v is not None:
            await scheduling.get_region(session, v)
        setattr(p, k, v)
    await session.flush()


async def worker_view(session: AsyncSession, worker_id: int) -> schemas.WorkerOut:
    u = await worker(session, worker_id)
    return schemas.worker_out(u, await session.get(WorkerProfile, worker_id), mask_phone(u.phone))


async def update_worker(session: AsyncSession, actor: User, worker_id: int, data: schemas.WorkerUpdate
                        ) -> schemas.WorkerOut:
    u = await worker(session, worker_id)
    p = await profile(session, worker_id)
    before = schemas.worker_out(u, p, None).model_dump()
    changes = data.model_dump(exclude_unset=True)
    if "skills" in changes:  # operators set what the worker does; what they may do follows the certificates
        changes["declared_skills"] = changes.pop("skills")
    await _set(session, p, changes)
    if "declared_skills" in changes:
        await certificates.recompute_skills(session, p)
    after = schemas.worker_out(u, p, mask_phone(u.phone))
    await audit.record(session, actor, "worker.update", "user", worker_id, before, after.model_dump())
    return after


async def set_rating(session: AsyncSession, worker_id: int, rating: float) -> None:
    """The worker's rating as reviews aggregate it (dispatch scores by it); 1..5."""
    if not 1 <= rating <= 5:
        raise ValueError(f"rating {rating} is outside 1..5")
    p = await profile(session, worker_id)
    p.rating = round(float(rating), 2)
    await session.flush()


# ---------------------------------------------------------------- review and employment decisions
async def _event(session: AsyncSession, worker_id: int, kind: str, before: str | None, after: str,
                 reasons: list[str], note: str, actor: User | None) -> None:
    session.add(WorkerStatusEvent(worker_id=worker_id, kind=kind, from_status=before, to_status=after,
                                  reasons=reasons, note=note, actor_id=actor.id if actor else None))
    await session.flush()


def _check_reasons(action: str, reasons: list[str]) -> None:
    if action in state.NEED_REASONS and not reasons:
        raise AppError("reasons_required", errors=[{"field": "reasons", "message": "required"}])


REVIEW_NOTICES = {
    "approved": ("审核通过", "您的师傅资料已审核通过，可以开始接单了。"),
    "rejected": ("审核未通过", "您的师傅资料未通过审核：{reasons}。"),
    "more_info": ("请补充资料", "审核需要您补充资料：{reasons}。"),
}
EMPLOYMENT_NOTICES = {
    "suspended": ("账号已暂停接单", "您已被暂停接单：{reasons}。已接的后续订单将改派其他师傅。"),
    "active": ("已恢复接单", "您已恢复接单资格。"),
    "left": ("已离职", "您已离职：{reasons}。"),
}


def reason_labels(reasons: list[str]) -> str:
    return "、".join(state.REASONS.get(r, (r,))[0] for r in reasons)


async def decide_review(session: AsyncSession, actor: User, worker_id: int, action: str, reasons: list[str],
                        note: str = "") -> WorkerProfile:
    """An operator's review decision (approve, reject or ask for more), with reasons; the worker
    is told and sees the reasons; audited. Locks the profile so two decisions cannot cross."""
    await worker(session, worker_id)
    _check_reasons(action, reasons)
    p = await session.scalar(select(WorkerProfile).where(WorkerProfile.user_id == worker_id).with_for_update())
    if p is None:
        raise AppError("worker_transition", extra={"current_status": None, "action": action})
    before = p.review_status
    p.review_status = state.next_review(before, action)
    p.review_reasons, p.review_note, p.reviewed_at = reasons, note, now()
    await session.flush()
    if p.review_status == "approved":  # the certificates reviewed with the file count from now on
        await certificates.approve_pending(session, worker_id)
        await certificates.recompute_skills(session, p)
    await _event(session, worker_id, "review", before, p.review_status, reasons, note, actor)
    title, body = REVIEW_NOTICES[p.review_status]
    await notifications.notify(session, worker_id, "worker.review", title, body.format(reasons=reason_labels(reasons)),
                               {"status": p.review_status, "reasons": reasons}, sms=True)
    await audit.record(session, actor, f"worker.review.{action}", "user", worker_id, {"review_status": before},
                       {"review_status": p.review_status, "reasons": reasons, "note": note})
    return p


async def set_employment(session: AsyncSession, actor: User | None, worker_id: int, action: str,
                         reasons: list[str], note: str = "") -> WorkerProfile:
    """Suspend, reinstate, let go or rehire a worker (an operator; reasons required to take them
    out). Suspending or leaving runs the `withdrawn` hooks in this transaction: their accepted
    future orders go back to dispatch."""
    await worker(session, worker_id)
    _check_reasons(action, reasons)
    p = await session.scalar(select(WorkerProfile).where(WorkerProfile.user_id == worker_id).with_for_update())
    if p is None:
        p = await profile(session, worker_id)
    before = p.employment_status
    p.employment_status = state.next_employment(before, action)
    await session.flush()
    await _event(session, worker_id, "employment", before, p.employment_status, reasons, note, actor)
    if action in state.WITHDRAWING:
        await hooks.run(session, "withdrawn", worker_id, reason_labels(reasons) or action)
    title, body = EMPLOYMENT_NOTICES[p.employment_status]
    await notifications.notify(session, worker_id, "worker.employment", title,
                               body.format(reasons=reason_labels(reasons)),
                               {"status": p.employment_status, "reasons": reasons}, sms=True)
    await audit.record(session, actor, f"worker.employment.{action}", "user", worker_id, {"employment_status": before},
                       {"employment_status": p.employment_status, "reasons": reasons, "note": note})
    return p


async def status_history(session: AsyncSession, worker_id: int) -> list[schemas.StatusEventOut]:
    rows = (await session.execute(
        select(WorkerStatusEvent, User.username, User.nickname).outerjoin(User, User.id == WorkerStatusEvent.actor_id)
        .where(WorkerStatusEvent.worker_id == worker_id).order_by(WorkerStatusEvent.id.desc()))).all()
    return [schemas.StatusEventOut(id=e.id, kind=e.kind, from_status=e.from_status, to_status=e.to_status,
                                   reasons=[schemas.reason(r) for r in e.reasons], note=e.note,
                                   actor=username or nickname, at=e.created_at) for e, username, nickname in rows]


async def level(session: AsyncSession, worker_id: int) -> int:
    """The worker's level (commission rules may depend on it); 1 without a profile."""
    return await session.scalar(select(WorkerProfile.level).where(WorkerProfile.user_id == worker_id)) or 1


MIN_LEVEL, MAX_LEVEL = 1, 9


async def set_level(session: AsyncSession, actor: User | None, worker_id: int, level: int, note: str) -> int:
    """Move the worker to `level` (kept within 1..9; performance rewards call it): the change is in
    the status history with its note, and audited. Returns the level now."""
    p = await session.scalar(select(WorkerProfile).where(WorkerProfile.user_id == worker_id).with_for_update())
    if p is None:
        p = await profile(session, worker_id)
    before, p.level = p.level, max(MIN_LEVEL, min(MAX_LEVEL, level))
    await session.flush()
    if p.level != before:
        await _event(session, worker_id, "level", str(before), str(p.level), [], note, actor)
        await audit.record(session, actor, "worker.level", "user", worker_id, {"level": before},
                           {"level": p.level, "note": note})
    return p.level


# ---------------------------------------------------------------- availability: profile + hours + leave
async def availability(session: AsyncSession, worker_id: int) -> scheduling_schemas.WorkerAvailabilityOut:
    """Reading never creates anything: a worker without a profile reads the defaults."""
    p = await session.get(WorkerProfile, worker_id)
    return scheduling_schemas.WorkerAvailabilityOut(
        region_id=p.region_id if p else None, skills=list(p.skills or []) if p else [],
        home_lat=p.home_lat if p else None, home_lng=p.home_lng if p else None,
        radius_km=p.radius_km if p else DEFAULTS["radius_km"],
        weekly=await scheduling.weekly(session, worker_id), leaves=await scheduling.leaves(session, worker_id))


async def update_settings(session: AsyncSession, worker_id: int, data: scheduling_schemas.WorkerSettingsIn) -> None:
    """The worker's own edits of where they work."""
    await _set(session, await profile(session, worker_id), data.model_dump(exclude_unset=True))


async def set_weekly(session: AsyncSession, actor: User | None, worker_id: int,
                     weekly: list[scheduling_schemas.WeeklyRange]) -> None:
    """The worker's own hours, or a staff member's edit of them (`actor`, audited)."""
    before = [w.model_dump() for w in await scheduling.weekly(session, worker_id)]
    await profile(session, worker_id)
    await scheduling.set_weekly(session, worker_id, weekly)
    if actor is not None:
        await audit.record(session, actor, "worker.weekly", "user", worker_id, {"weekly": before},
                           {"weekly": [w.model_dump() for w in weekly]})


async def add_leave(session: AsyncSession, actor: User | None, worker_id: int,
                    data: scheduling_schemas.LeaveIn) -> None:
    leave = await scheduling.add_leave(session, worker_id, data)
    if actor is not None:
        await audit.record(session, actor, "worker.leave", "user", worker_id, None,
                           {"leave_id": leave.id, **data.model_dump(mode="json")})


async def delete_leave(session: AsyncSession, worker_id: int, leave_id: int) -> None:
    await scheduling.delete_leave(session, worker_id, leave_id)

