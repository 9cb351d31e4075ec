"""A worker's bookings leave room to drive between visits (issue 13 item 2): besides the fixed travel buffer of
the exclusion constraint, a booking is refused when maps.travel — the provider's route (here the Tencent LBS fake),
else the straight line at 25 km/h — says the drive from the worker's previous visit, or on to the next one, takes
longer than the time between them. Gaps of three hours and more are not asked about; bulk loads carry no point."""
import pytest
from sqlalchemy import text

from anjia.config import get_settings
from anjia.providers import maps
from anjia.scheduling import service as scheduling
from anjia.scheduling.service import book
from tests.fakes.tencent_lbs import FakeTencentLbs
from tests.support import local

A = (31.195, 121.438)  # the first visit
NEAR = (31.20, 121.44)  # 0.6 km
FAR = (31.33, 121.438)  # 15 km north: 36 min by the straight line
DIAGONAL = (31.267, 121.522)  # 11 km by the straight line (27 min), 16 km by the fake's roads (32 min)
BUFFER = 30


@pytest.fixture
def at():
    day = local(3, 10)
    return lambda h, m=0: day.replace(hour=h, minute=m)


async def first_visit(session, world, at) -> int:
    worker = world["workers"][0]
    assert await book(session, worker, 1, world["region_id"], at(10), at(12), BUFFER, A)  # 10:00-12:00, free again at 12:30
    return worker


async def test_too_far_to_drive_in_the_time_between(session, world, at):
    maps.reset()
    assert maps.straight_minutes(A, FAR) > BUFFER >= maps.straight_minutes(A, DIAGONAL)
    worker = await first_visit(session, world, at)
    assert not await book(session, worker, 2, world["region_id"], at(12, 30), at(14), BUFFER, FAR)  # 36 min drive, 30 min gap
    assert await book(session, worker, 3, world["region_id"], at(12, 30), at(14), BUFFER, NEAR)
    await session.rollback()
    worker = await first_visit(session, world, at)
    assert await book(session, worker, 4, world["region_id"], at(13), at(14), BUFFER, FAR)  # an hour between: time enough
    # the next visit counts too: ending 09:30 far away leaves 30 minutes to reach the 10:00 one
    assert not await book(session, worker, 5, world["region_id"], at(7, 30), at(9, 30), BUFFER, FAR)
    assert await book(session, worker, 6, world["region_id"], at(7, 30), at(9, 30), BUFFER, NEAR)
    # a booking without a point (bulk loads) is not checked
    assert await book(session, worker, 7, world["region_id"], at(15, 30), at(16), BUFFER, None)


async def test_the_providers_road_time_decides(session, world, at, monkeypatch):
    fake = FakeTencentLbs()
    s = get_settings()
    for k, v in {"maps_provider": "tencent", "tencent_lbs_key": fake.key, "tencent_lbs_sk": fake.sk,
                 "tencent_lbs_base": fake.base}.items():
        monkeypatch.setattr(s, k, v)
    maps.reset()
    try:
        worker = await first_visit(session, world, at)
        assert fake.calls == []  # nothing before or after the first visit: nothing asked
        # the straight line would allow it (27 min); the road takes 32
        assert not await book(session, worker, 2, world["region_id"], at(12, 30), at(14), BUFFER, DIAGONAL)
        assert [c["path"] for c in fake.calls] == ["/ws/direction/v1/driving"]
        assert await book(session, worker, 3, world["region_id"], at(12, 45), at(14), BUFFER, DIAGONAL)  # 45 min: enough
        assert len(fake.calls) == 1  # the same cells: from the cache
        # three hours and more between visits: not asked
        assert await book(session, worker, 4, world["region_id"], at(17, 30), at(18), BUFFER, FAR)
        assert len(fake.calls) == 1
        fake.fail_with = 120  # the provider failing: the straight line decides
        maps.reset()
        await session.rollback()
        worker = await first_visit(session, world, at)
        assert await book(session, worker, 5, world["region_id"], at(12, 30), at(14), BUFFER, DIAGONAL)
        assert not await book(session, worker, 6, world["region_id"], at(12, 30), at(14), BUFFER, FAR)
    finally:
        maps.reset()
        fake.close()


async def test_a_new_order_names_the_worker_booked_when_the_first_claimed_cannot_make_it(session, world, at,
                                                                                           monkeypatch):
    """hold() with a new order's writer: called once, with the first worker claimed (the order's INSERT names
    them); when that worker's drive is too long the next is booked, and hold() answers the one booked."""
    maps.reset()
    first, second = world["workers"][0], world["workers"][1]
    assert await book(session, first, 1, world["region_id"], at(10), at(12), BUFFER, FAR)  # far away until 12:00
    region = await scheduling.get_region(session, world["region_id"])
    need = scheduling.Need(region=region, skill="cleaning", lat=A[0], lng=A[1], minutes=90, buffer_minutes=BUFFER)

    async def nearest_first(*_args, **_kw):
        return [first, second]

    monkeypatch.setattr(scheduling, "free_workers", nearest_first)
    written = []

    async def write(worker: int) -> int:
        written.append(worker)
        return 2

    assert await scheduling.hold(session, need, at(12, 30), write) == second
    assert written == [first]
    booked = (await session.execute(text("SELECT worker_id FROM worker_bookings WHERE order_id = 2"))).scalars().all()
    assert booked == [second]
