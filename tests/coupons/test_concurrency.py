"""One coupon, many concurrent orders over real HTTP: exactly one order gets it (the database's
row lock and conditional update decide), the others are refused with nothing stored."""
import asyncio

import httpx
import pytest
from sqlalchemy import text

from tests.coupons.helpers import give
from tests.support import KITCHEN, Server, next_weekday


@pytest.fixture
def server():
    s = Server()
    yield s
    s.stop()


async def test_one_coupon_used_once_under_concurrent_orders(server, world, session, engine):
    coupon = await give(session, world["customer_id"], value=3000, title="只能用一次")
    starts = [next_weekday(d, h) for d in range(1, 5) for h in (9, 14)]  # eight free slots
    payloads = [{"service_id": world["services"]["厨房深度清洁"], "address_id": world["address_id"],
                 "start": s.isoformat(), "coupon_id": coupon.id, **KITCHEN} for s in starts]
    async with httpx.AsyncClient(base_url=server.url, timeout=60,
                                 headers={"Authorization": f"Bearer {world['token']}"}) as c:
        responses = await asyncio.gather(*[c.post("/api/v1/orders", json=p) for p in payloads])
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 7, [r.text for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"coupon_unavailable"}
    winner = next(r.json() for r in responses if r.status_code == 201)
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM orders"))).scalar() == 1
        assert (await conn.execute(text("SELECT count(*) FROM worker_bookings WHERE active"))).scalar() == 1
        row = (await conn.execute(text("SELECT status, order_id FROM coupons"))).one()
    assert tuple(row) == ("used", winner["id"]) and winner["total"] == 42840 - 3000


async def test_automatic_choice_under_concurrency_gives_the_coupon_to_one_order(server, world, session, engine):
    from anjia.accounts.models import User
    from anjia.workforce import seed as workforce_seed

    for i in range(6):  # eight cleaners: a worker held by one request right now is skipped by the others
        w = User(kind="worker", phone=f"1390000300{i}", nickname=f"师傅{i}", roles=[])
        session.add(w)
        await session.flush()
        await workforce_seed.seed_worker(session, w.id, world["region_id"], ["cleaning"], 31.2 + i / 1000, 121.44)
    await give(session, world["customer_id"], value=3000)
    starts = [next_weekday(d, 10) for d in range(1, 5)]
    payloads = [{"service_id": world["services"]["厨房深度清洁"], "address_id": world["address_id"],
                 "start": s.isoformat(), **KITCHEN} for s in starts]
    async with httpx.AsyncClient(base_url=server.url, timeout=60,
                                 headers={"Authorization": f"Bearer {world['token']}"}) as c:
        responses = await asyncio.gather(*[c.post("/api/v1/orders", json=p) for p in payloads])
    assert [r.status_code for r in responses] == [201] * 4, [r.text for r in responses]
    assert sorted(r.json()["quote"]["discount_total"] for r in responses) == [0, 0, 0, 3000]
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM coupons WHERE status = 'used'"))).scalar() == 1
