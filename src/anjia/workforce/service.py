"""Workers as dispatch and availability see them: the profile (skills, region, home, radius,
verified) is written here and nowhere else; hours and leave are scheduling's, composed here
into the worker's availability page. Staff edits are audited here."""
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.accounts.service import mask_phone
from anjia.core import audit
from anjia.core.errors import AppError
from anjia.core.types import like_pattern
from anjia.scheduling import schemas as scheduling_schemas
from anjia.scheduling import service as scheduling
from anjia.workforce import schemas
from anjia.workforce.models import WorkerProfile

DEFAULTS = dict(skills=[], radius_km=10, verified=False, active=True, rating=5.0, level=1)


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
    p = WorkerProfile(user_id=worker_id, **{**DEFAULTS, **fields})
    session.add(p)
    await session.flush()
    return p


async def list_workers(session: AsyncSession, q: str | None, page: int, page_size: int) -> schemas.WorkerPage:
    where = [User.kind == "worker", User.deleted_at.is_(None)]
    if q:
        like = like_pattern(q)
        where.append(or_(User.nickname.ilike(like), User.phone.like(like)))
    total = await session.scalar(select(func.count()).select_from(User).where(*where)) or 0
    rows = (await session.execute(select(User, WorkerProfile).outerjoin(WorkerProfile, WorkerProfile.user_id == User.id)
                                  .where(*where).order_by(User.id).offset((page - 1) * page_size).limit(page_size))).all()
    return schemas.WorkerPage(items=[schemas.worker_out(u, p, mask_phone(u.phone)) for u, p in rows],
                              total=total, page=page, page_size=page_size)


async def _set(session: AsyncSession, p: WorkerProfile, changes: dict) -> None:
    for k, v in changes.items():
        if k == "region_id" and v is not None:
            await scheduling.get_region(session, v)
        setattr(p, k, v)
    await session.flush()


async def update_worker(session: AsyncSession, actor: User, worker_id: int, data: schemas.WorkerUpdate
                        ) -> schemas.WorkerOut:
    u = await worker(session, worker_id)
    p = await profile(session, worker_id)
    before = schemas.worker_out(u, p, None).model_dump()
    await _set(session, p, data.model_dump(exclude_unset=True))
    after = schemas.worker_out(u, p, mask_phone(u.phone))
    await audit.record(session, actor, "worker.update", "user", worker_id, before, after.model_dump())
    return after


async def level(session: AsyncSession, worker_id: int) -> int:
    """The worker's level (commission rules may depend on it); 1 without a profile."""
    return await session.scalar(select(WorkerProfile.level).where(WorkerProfile.user_id == worker_id)) or 1


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
