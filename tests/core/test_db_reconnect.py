"""Connections the database closed (a restart, a failover, an idle timeout) are replaced before
use (the pool opens each checked-out connection's transaction at checkout, core.db — no pre-ping
round trip of its own): requests after the database dropped every connection just work."""
from sqlalchemy import text


async def test_dead_connections_are_replaced(client, engine):
    held = [await engine.connect() for _ in range(4)]  # the pool now keeps several connections
    for c in held:
        await c.execute(text("SELECT 1"))
    for c in held:
        await c.close()
    async with engine.connect() as conn:  # kill every other backend of this database
        await conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        await conn.commit()
    assert [(await client.get("/api/v1/services")).status_code for _ in range(4)] == [200] * 4
