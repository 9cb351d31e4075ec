"""The demo workers' profiles and hours (verified, every day 08:00-20:00)."""
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.scheduling import schemas as sched
from anjia.scheduling import service as scheduling
from anjia.scheduling.seed import seed_region
from anjia.workforce import service
from anjia.workforce.models import WorkerProfile

# Demo workers by phone: skills and home (lat, lng) around the city.
WORKERS = {
    "13900000001": (["cleaning", "home_care"], 31.2200, 121.4500),
    "13900000002": (["cleaning", "nanny", "elderly_care"], 31.2450, 121.5000),
    "13900000003": (["appliance", "home_care"], 31.2000, 121.4300),
    "13900000004": (["cleaning", "maternity", "patient_care", "elderly_care"], 31.2600, 121.4700),
    "13900000005": (["appliance", "cleaning"], 31.1900, 121.5200),
}



async def seed_worker(session: AsyncSession, user_id: int, region_id: int, skills: list[str], lat: float, lng: float,
                      days: range = range(7), start: int = 8 * 60, end: int = 20 * 60) -> None:
    if await session.get(WorkerProfile, user_id) is None:
        await service.add_profile(session, user_id, region_id=region_id, skills=skills, home_lat=lat, home_lng=lng,
                                  radius_km=20, verified=True, active=True, rating=4.9)
        await scheduling.set_weekly(session, user_id, [sched.WeeklyRange(weekday=d, start=sched.hhmm(start),
                                                                         end=sched.hhmm(end)) for d in days])


async def seed(session: AsyncSession) -> int:
    region = await seed_region(session)
    n = 0
    for phone, (skills, lat, lng) in WORKERS.items():
        user = await session.scalar(select(User).where(User.kind == "worker", User.phone == phone))
        if user is not None and await session.get(WorkerProfile, user.id) is None:
            await seed_worker(session, user.id, region.id, skills, lat, lng)
            n += 1
    return n
