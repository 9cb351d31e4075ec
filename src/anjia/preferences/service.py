"""The customer's preferences (shown to the worker on each of their orders) and favourites:
services (quick re-book) and workers (book with them when free; dispatch scores them higher)."""
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.catalog import service as catalog
from anjia.catalog.models import Service
from anjia.core.security import now
from anjia.preferences import schemas
from anjia.preferences.models import CustomerPreference, FavouriteService, FavouriteWorker
from anjia.workforce import service as workforce
from anjia.workforce.models import WorkerProfile

FIELDS = ("worker_gender", "dialect", "pets", "eco_products", "quiet_service", "note")


async def get(session: AsyncSession, customer_id: int) -> schemas.PreferencesOut:
    p = await session.get(CustomerPreference, customer_id)
    if p is None:
        return schemas.PreferencesOut(updated_at=None)
    return schemas.PreferencesOut(**{f: getattr(p, f) for f in FIELDS}, updated_at=p.updated_at)


async def put(session: AsyncSession, customer: User, data: schemas.PreferencesIn) -> schemas.PreferencesOut:
    values = {**data.model_dump(), "dialect": data.dialect.strip(), "note": data.note.strip(), "updated_at": now()}
    await session.execute(insert(CustomerPreference).values(customer_id=customer.id, **values)
                          .on_conflict_do_update(index_elements=["customer_id"], set_=values))
    p = await session.get(CustomerPreference, customer.id, populate_existing=True)
    return schemas.PreferencesOut(**{f: getattr(p, f) for f in FIELDS}, updated_at=p.updated_at)


def lines(p: schemas.PreferencesOut) -> list[schemas.PreferenceLine]:
    """What the worker reads on the order, in words; nothing when nothing is asked for."""
    out = []
    if p.worker_gender != "any":
        out.append(schemas.PreferenceLine(label="师傅性别", value=schemas.GENDER_LABELS[p.worker_gender]))
    if p.dialect:
        out.append(schemas.PreferenceLine(label="方言", value=p.dialect))
    if p.pets:
        out.append(schemas.PreferenceLine(label="家有宠物", value="是，请注意门窗和清洁剂"))
    if p.eco_products:
        out.append(schemas.PreferenceLine(label="环保用品", value="请使用环保清洁用品"))
    if p.quiet_service:
        out.append(schemas.PreferenceLine(label="安静服务", value="请尽量少打扰、轻声作业"))
    if p.note:
        out.append(schemas.PreferenceLine(label="其他偏好", value=p.note))
    return out


async def lines_for(session: AsyncSession, customer_id: int) -> list[schemas.PreferenceLine]:
    return lines(await get(session, customer_id))


# ---------------------------------------------------------------- favourites
async def add_service(session: AsyncSession, customer: User, service_id: int) -> None:
    await catalog.get_service(session, service_id)  # published services only
    await session.execute(insert(FavouriteService).values(customer_id=customer.id, service_id=service_id)
                          .on_conflict_do_nothing())


async def remove_service(session: AsyncSession, customer: User, service_id: int) -> None:
    await session.execute(delete(FavouriteService).where(FavouriteService.customer_id == customer.id,
                                                         FavouriteService.service_id == service_id))


async def add_worker(session: AsyncSession, customer: User, worker_id: int) -> None:
    await workforce.worker(session, worker_id)
    await session.execute(insert(FavouriteWorker).values(customer_id=customer.id, worker_id=worker_id)
                          .on_conflict_do_nothing())


async def remove_worker(session: AsyncSession, customer: User, worker_id: int) -> None:
    await session.execute(delete(FavouriteWorker).where(FavouriteWorker.customer_id == customer.id,
                                                        FavouriteWorker.worker_id == worker_id))


async def is_favourite_worker(session: AsyncSession, customer_id: int, worker_id: int) -> bool:
    return await session.scalar(select(FavouriteWorker.worker_id).where(
        FavouriteWorker.customer_id == customer_id, FavouriteWorker.worker_id == worker_id)) is not None


async def favourite_worker_ids(session: AsyncSession, customer_id: int) -> set[int]:
    """Dispatch asks this: the customer's favourite workers score higher."""
    return set(await session.scalars(select(FavouriteWorker.worker_id).where(FavouriteWorker.customer_id == customer_id)))


async def favourite_service_ids(session: AsyncSession, customer_id: int) -> set[int]:
    return set(await session.scalars(select(FavouriteService.service_id).where(
        FavouriteService.customer_id == customer_id)))


async def favourites(session: AsyncSession, customer: User) -> schemas.FavouritesOut:
    services = (await session.execute(select(FavouriteService, Service).join(
        Service, Service.id == FavouriteService.service_id).where(FavouriteService.customer_id == customer.id)
        .order_by(FavouriteService.created_at.desc()))).all()
    workers = (await session.execute(select(FavouriteWorker, User, WorkerProfile).join(
        User, User.id == FavouriteWorker.worker_id).outerjoin(WorkerProfile, WorkerProfile.user_id == User.id)
        .where(FavouriteWorker.customer_id == customer.id, User.deleted_at.is_(None))
        .order_by(FavouriteWorker.created_at.desc()))).all()
    return schemas.FavouritesOut(
        services=[schemas.FavouriteServiceOut(
            id=s.id, name=s.name, image_url=s.image_url, pricing_kind=s.pricing_kind, unit_name=s.unit_name,
            from_price=min((int(i["unit_price"]) for i in s.items or []), default=0), published=s.published,
            created_at=f.created_at) for f, s in services],
        workers=[schemas.FavouriteWorkerOut(
            id=u.id, name=u.nickname or "", level=p.level if p else 1,
            rating=p.rating if p else workforce.DEFAULTS["rating"], skills=list(p.skills or []) if p else [],
            created_at=f.created_at) for f, u, p in workers])
