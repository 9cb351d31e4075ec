"""Demo region (上海), booking rules and holidays."""
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.scheduling.models import BookingRules, Holiday, Region

SHANGHAI = dict(name="上海", city="上海市", timezone="Asia/Shanghai", center_lat=31.2304, center_lng=121.4737,
                radius_km=60, opens=8 * 60, closes=20 * 60, active=True)
HOLIDAYS = [(date(2026, 12, 25), "圣诞节"), (date(2027, 1, 1), "元旦"), (date(2027, 2, 6), "春节"),
            (date(2027, 2, 7), "春节"), (date(2027, 2, 8), "春节"), (date(2027, 4, 5), "清明节"),
            (date(2027, 5, 1), "劳动节")]


async def seed_region(session: AsyncSession) -> Region:
    region = await session.scalar(select(Region).where(Region.name == SHANGHAI["name"]))
    if region is None:
        region = Region(**SHANGHAI)
        session.add(region)
        await session.flush()
    if await session.get(BookingRules, 1) is None:
        session.add(BookingRules(id=1))
    for day, name in HOLIDAYS:
        if await session.get(Holiday, day) is None:
            session.add(Holiday(day=day, name=name))
    await session.flush()
    return region


async def seed(session: AsyncSession) -> int:
    """The demo region with its rules and holidays (the workers are workforce's seed)."""
    new = await session.scalar(select(Region.id).where(Region.name == SHANGHAI["name"])) is None
    await seed_region(session)
    return int(new)
