from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.addresses import schemas
from anjia.addresses.models import Address
from anjia.core import db
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.scheduling import service as scheduling

MAX_ADDRESSES = 30


async def list_addresses(session: AsyncSession, user_id: int) -> list[Address]:
    return list(await session.scalars(select(Address).where(Address.user_id == user_id, Address.deleted_at.is_(None))
                                      .order_by(Address.is_default.desc(), Address.id.desc())))


async def get_own(session: AsyncSession, user_id: int, address_id: int, *, reading: bool = False) -> Address:
    """`reading`: the row's columns under the model's attribute names (what an order's snapshot and the
    booking calendar read), not a tracked model object."""
    a = await (_ADDRESS_ROW.one_or_none(session, address_id=address_id) if reading else session.get(Address, address_id))
    if a is None or a.user_id != user_id or a.deleted_at is not None:
        raise AppError("not_found")
    return a


_ADDRESS_ROW = db.HotRead.by_id(Address, "address_id")


async def _make_default(session: AsyncSession, user_id: int, address: Address) -> None:
    await session.execute(update(Address).where(Address.user_id == user_id, Address.id != address.id)
                          .values(is_default=False))
    address.is_default = True


async def create(session: AsyncSession, user_id: int, data: schemas.AddressIn) -> Address:
    count = await session.scalar(select(func.count()).where(Address.user_id == user_id, Address.deleted_at.is_(None)))
    if (count or 0) >= MAX_ADDRESSES:
        raise AppError("too_many_addresses")
    region = await scheduling.region_for(session, data.lat, data.lng)
    a = Address(user_id=user_id, **data.model_dump(exclude={"is_default"}), region_id=region.id if region else None)
    session.add(a)
    await session.flush()
    if data.is_default or not count:
        await _make_default(session, user_id, a)
    await session.flush()
    return a


async def update_address(session: AsyncSession, user_id: int, address_id: int, data: schemas.AddressUpdate) -> Address:
    a = await get_own(session, user_id, address_id)
    for k, v in data.model_dump(exclude_unset=True).items():
        if v is not None:
            setattr(a, k, v)
    region = await scheduling.region_for(session, a.lat, a.lng)
    a.region_id = region.id if region else None
    await session.flush()
    return a


async def set_default(session: AsyncSession, user_id: int, address_id: int) -> Address:
    a = await get_own(session, user_id, address_id)
    await _make_default(session, user_id, a)
    await session.flush()
    return a


async def delete(session: AsyncSession, user_id: int, address_id: int) -> None:
    """Soft delete: orders keep their own snapshot, plans keep pointing at the row."""
    a = await get_own(session, user_id, address_id)
    a.deleted_at, a.is_default = now(), False
    await session.flush()


async def erase_all(session: AsyncSession, user_id: int) -> int:
    """Account deletion: the person's addresses lose who and where exactly (the district stays for
    the company's statistics) and are deleted; orders keep their own snapshot until retention."""
    moved = await session.execute(update(Address).where(Address.user_id == user_id).values(
        contact_name="", contact_phone="", detail="已删除", is_default=False, deleted_at=func.coalesce(
            Address.deleted_at, now())))
    return moved.rowcount


def snapshot(a: Address) -> dict:
    return {"id": a.id, "contact_name": a.contact_name, "contact_phone": a.contact_phone, "province": a.province,
            "city": a.city, "district": a.district, "detail": a.detail, "lat": a.lat, "lng": a.lng}
