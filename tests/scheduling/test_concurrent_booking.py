"""200 concurrent bookings at overlapping slots, over real HTTP: zero overlapping bookings."""
import asyncio
import random

import httpx
import pytest
from sqlalchemy import text

from tests.support import Server, next_weekday


@pytest.fixture
def server():
    s = Server()
    yield s
    s.stop()


async def test_200_concurrent_bookings_never_overlap(server, world, session, engine):
    from anjia.accounts.models import User
    from anjia.workforce import seed as workforce_seed

    for i in range(8):  # ten cleaners in all
        w = User(kind="worker", phone=f"1390000200{i}", nickname=f"师傅{i}", roles=[])
        session.add(w)
        await session.flush()
        await workforce_seed.seed_worker(session, w.id, world["region_id"], ["cleaning"], 31.2 + i / 1000, 121.44)
    await session.commit()

    day = next_weekday(2, 8)
    starts = [day.replace(hour=h, minute=m) for h in range(8, 17) for m in (0, 30)]
    body = {"service_id": world["services"]["厨房清洁"], "address_id": world["address_id"],
            "items": [{"code": "kitchen", "quantity": 1}], "options": {}}
    rnd = random.Random(7)
    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits,
                                 headers={"Authorization": f"Bearer {world['token']}"}) as c:
        responses = await asyncio.gather(*[
            c.post("/api/v1/orders", json={**body, "start": rnd.choice(starts).isoformat()}) for _ in range(200)])
    codes = [r.status_code for r in responses]
    assert set(codes) <= {201, 409}, [r.text for r in responses if r.status_code not in (201, 409)][:3]
    assert codes.count(201) > 10 and codes.count(409) > 10
    async with engine.connect() as conn:
        overlaps = (await conn.execute(text(
            "SELECT count(*) FROM worker_bookings a JOIN worker_bookings b ON a.worker_id = b.worker_id "
            "AND a.id < b.id AND a.active AND b.active AND a.period && b.period"))).scalar()
        orders = (await conn.execute(text("SELECT count(*) FROM orders"))).scalar()
        bookings = (await conn.execute(text("SELECT count(*) FROM worker_bookings WHERE active"))).scalar()
    assert overlaps == 0
    assert orders == bookings == codes.count(201)  # every order holds exactly one booking, no orphans
