"""Reference rows (regions, booking rules, services…) come from the process's cache while its
listener is connected (core.cache.Cache.row): no round trip, an instance tracked by the request's
session as if loaded there, and a change by anyone dropped from the cache by the table's NOTIFY."""
import asyncio
import time

import pytest
from sqlalchemy import text

from anjia.core import db
from anjia.core.cache import cache
from anjia.scheduling import service as scheduling
from anjia.scheduling.models import Region
from tests.core.test_distribution import Capture


@pytest.fixture
async def listening(engine):
    cache.start()
    await asyncio.wait_for(cache.ready.wait(), 5)
    yield cache
    await cache.stop()


async def test_a_kept_row_costs_no_round_trip_and_a_change_reaches_it(listening, world, engine):
    rid = world["region_id"]
    async with db.sessionmaker()() as s:
        first = await scheduling.get_region(s, rid)  # built and kept
        name = first.name
    with Capture(engine, db.read_engine()) as cap:
        cap.path = "reference rows"
        async with db.sessionmaker()() as s:
            region = await scheduling.get_region(s, rid)
            rules = await scheduling.rules(s)
            assert region.name == name and rules.payment_window_minutes > 0
            assert await s.get(Region, rid) is region  # the session holds it as loaded
    regions_read = [q.sql for q in cap.statements if "FROM regions" in q.sql]
    assert regions_read == [], regions_read

    # a change made outside this process's code (plain SQL) reaches the cache by NOTIFY
    async with engine.connect() as conn:
        await conn.execute(text("UPDATE regions SET name = '浦东新区' WHERE id = :id"), {"id": rid})
        await conn.commit()
    changed = time.monotonic()
    while True:
        async with db.sessionmaker()() as s:
            if (await scheduling.get_region(s, rid)).name == "浦东新区":
                break
        assert time.monotonic() - changed < 1.0, "the change did not reach the cache within a second"
        await asyncio.sleep(0.02)


async def test_a_kept_row_is_tracked_like_a_loaded_one(listening, world, engine):
    rid = world["region_id"]
    async with db.sessionmaker()() as s:
        await scheduling.get_region(s, rid)
    async with db.sessionmaker()() as s:
        region = await scheduling.get_region(s, rid)
        assert not s.dirty
        region.radius_km = 42
        await s.commit()  # flushed as an UPDATE of the row
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT radius_km FROM regions WHERE id = :id"), {"id": rid})).scalar() == 42
