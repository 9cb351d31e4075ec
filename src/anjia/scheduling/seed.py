"""Demo region (上海), booking rules, holidays, and the demo workers' profiles and hours."""
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.scheduling.models import BookingRules, Holiday, Region, WorkerHours
from anjia.workforce.models import WorkerProfile

SHANGHAI = dict(name="上海", city="上海市", timezone="Asia/Shanghai", center_lat=31.2304, center_lng=121.4737,
                radius_km=60, opens=8 * 60, closes=20 * 60, active=True)
HOLIDAYS = [(date(2026, 12, 25), "圣诞节"), (date(2027, 1, 1), "元旦"), (date(2027, 2, 6), "春节"),
            (date(2027, 2, 7), "春节"), (date(2027, 2, 8), "春节"), (date(2027, 4, 5), "清明节"),
            (date(2027, 5, 1), "劳动节")]
# Demo workers by phone: skills and home (lat, lng) around the city.
WORKERS = {
    "13900000001": (["cleaning", "home_care"], 31.2200, 121.4500),
    "13900000002": (["cleaning", "nanny", "elderly_care"], 31.2450, 121.5000),
    "13900000003": (["appliance", "home_care"], 31.2000, 121.4300),
    "13900000004": (["cleaning", "maternity", "patient_care", "elderly_care"], 31.2600, 121.4700),
    "13900000005": (["appliance", "cleaning"], 31.1900, 121.5200),
}


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


async def seed_worker(session: AsyncSession, user_id: int, region_id: int, skills: list[str], lat: float, lng: float,
                      days: range = range(7), start: int = 8 * 60, end: int = 20 * 60) -> None:
    if await session.get(WorkerProfile, user_id) is None:
        session.add(WorkerProfile(user_id=user_id, region_id=region_id, skills=skills, home_lat=lat, home_lng=lng,
                                  radius_km=20, verified=True, active=True, rating=4.9))
        session.add_all([WorkerHours(worker_id=user_id, weekday=d, start_minute=start, end_minute=end) for d in days])
        await session.flush()


async def seed(session: AsyncSession) -> int:
    region = await seed_region(session)
    n = 0
    for phone, (skills, lat, lng) in WORKERS.items():
        user = await session.scalar(select(User).where(User.kind == "worker", User.phone == phone))
        if user is not None and await session.get(WorkerProfile, user.id) is None:
            await seed_worker(session, user.id, region.id, skills, lat, lng)
            n += 1
    return n
