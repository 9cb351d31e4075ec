"""The public catalogue comes from each API process's own cache (no database read), and a staff
change made through one process reaches the cache of another within a second (the tables'
NOTIFY trigger, core.cache)."""
import asyncio
import time

import httpx
import pytest
from sqlalchemy import text

from tests.conftest import auth, staff_token
from tests.support import Server


@pytest.fixture
def two_servers():
    a, b = Server(), Server()
    yield a, b
    a.stop()
    b.stop()


def _names(r: httpx.Response) -> list[str]:
    assert r.status_code == 200, r.text
    return [s["name"] for c in r.json() for s in c["services"]]


async def test_a_staff_change_reaches_another_process_cache_within_a_second(two_servers, client, world, session):
    a, b = two_servers
    sid = world["services"]["空调清洗"]
    async with httpx.AsyncClient(base_url=b.url) as on_b, httpx.AsyncClient(base_url=a.url) as on_a:
        first = await on_b.get("/api/v1/services")
        assert "空调清洗" in _names(first)
        etag = first.headers["etag"]
        assert (await on_b.get("/api/v1/services", headers={"If-None-Match": etag})).status_code == 304

        # a change that bypasses the trigger is not seen: B answers from its cache, not the database
        await session.execute(text("SET LOCAL session_replication_role = replica"))
        await session.execute(text("UPDATE services SET name = '空调深度清洗' WHERE id = :id"), {"id": sid})
        await session.commit()
        await asyncio.sleep(0.3)
        assert "空调清洗" in _names(await on_b.get("/api/v1/services"))

        # staff unpublish the service through A: B's cache drops it within a second
        token = await staff_token(client, session, "boss", ["admin"])
        r = await on_a.patch(f"/api/v1/admin/services/{sid}", json={"published": False}, headers=auth(token))
        assert r.status_code == 200, r.text
        changed = time.monotonic()
        while True:
            names = _names(await on_b.get("/api/v1/services"))
            if "空调清洗" not in names and "空调深度清洗" not in names:
                break
            assert time.monotonic() - changed < 1.0, "the change did not reach the other process within a second"
            await asyncio.sleep(0.02)
        assert (await on_b.get("/api/v1/services", headers={"If-None-Match": etag})).status_code == 200
