from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phone_is
from anjia.addresses.models import Address
from anjia.scheduling.service import region_for

DEMO = {
    "13800000001": ("张女士", "徐汇区", "漕溪北路 88 号 1201 室", 31.1950, 121.4380),
    "13800000002": ("李先生", "浦东新区", "世纪大道 100 号 2503 室", 31.2355, 121.5055),
    "13800000003": ("王女士", "静安区", "南京西路 1266 号 8 楼", 31.2290, 121.4540),
}


async def seed(session: AsyncSession) -> int:
    n = 0
    for phone, (name, district, detail, lat, lng) in DEMO.items():
        user = await session.scalar(select(User).where(User.kind == "customer", phone_is(phone)))
        if user is None or await session.scalar(select(Address.id).where(Address.user_id == user.id)):
            continue
        region = await region_for(session, lat, lng)
        session.add(Address(user_id=user.id, contact_name=name, contact_phone=phone, province="上海市", city="上海市",
                            district=district, detail=detail, lat=lat, lng=lng,
                            region_id=region.id if region else None, is_default=True))
        n += 1
    await session.flush()
    return n


async def add_addresses(session: AsyncSession, rows: list[dict]) -> list[Address]:
    """Many customers' default addresses at once (the demo's city): Address columns, the region
    resolved from the point by the caller (`scheduling.region_for`)."""
    if not rows:
        return []
    ids = list((await session.execute(insert(Address).returning(Address.id, sort_by_parameter_order=True),
                                      [{"is_default": True, "province": "上海市", "city": "上海市", **r} for r in rows]
                                      )).scalars())
    return list(await session.scalars(select(Address).where(Address.id.in_(ids)).order_by(Address.id)))
