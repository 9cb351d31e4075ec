"""Operators' view of workers: list, edit the profile dispatch and availability use."""
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.accounts.service import mask_phone
from anjia.core import audit
from anjia.core.errors import AppError
from anjia.core.types import like_pattern
from anjia.scheduling import service as scheduling
from anjia.workforce import schemas
from anjia.workforce.models import WorkerProfile


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


async def update_worker(session: AsyncSession, actor: User, worker_id: int, data: schemas.WorkerUpdate
                        ) -> schemas.WorkerOut:
    u = await session.get(User, worker_id)
    if u is None or u.kind != "worker":
        raise AppError("not_found")
    p = await scheduling.profile(session, worker_id)
    before = schemas.worker_out(u, p, None).model_dump()
    for k, v in data.model_dump(exclude_unset=True).items():
        if k == "region_id" and v is not None:
            await scheduling.get_region(session, v)
        setattr(p, k, v)
    await session.flush()
    after = schemas.worker_out(u, p, mask_phone(u.phone))
    await audit.record(session, actor, "worker.update", "user", worker_id, before, after.model_dump())
    return after
