"""The ceilings of `make bench`'s HTTP rows: a bare ASGI app on the same server (uvicorn, same
workers, same options) that does the same SQL through a plain psycopg pool and nothing else —
no framework, no middleware, no ORM.

    uvicorn bench.bare:app   (DATABASE_URL, BARE_POOL: connections per process)

  GET /hello         no SQL: what the server and a JSON body cost
  GET /select1       SELECT 1 (the API's /api/v1/health)
  GET /user?id=N     the user row /api/v1/me reads (the same columns), as JSON
"""
import os

import orjson
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

USER_SQL = "SELECT * FROM users WHERE id = %s"
_pool: AsyncConnectionPool | None = None


async def _reply(send, body: bytes, status: int = 200) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def app(scope, receive, send) -> None:
    global _pool
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                size = int(os.environ.get("BARE_POOL", "16"))
                _pool = AsyncConnectionPool(os.environ["DATABASE_URL"], min_size=size, max_size=size, open=False,
                                            kwargs={"autocommit": True, "row_factory": dict_row})
                await _pool.open(wait=True)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await _pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
    path = scope["path"]
    if path == "/hello":
        return await _reply(send, b'{"hello":"world"}')
    if path == "/select1":
        async with _pool.connection() as conn:
            await (await conn.execute("SELECT 1")).fetchone()
        return await _reply(send, b'{"status":"ok","database":"ok"}')
    if path == "/user":
        user_id = int(scope["query_string"].decode().partition("id=")[2] or 0)
        async with _pool.connection() as conn:
            row = await (await conn.execute(USER_SQL, (user_id,))).fetchone()
        if row is None:
            return await _reply(send, b'{"code":"not_found"}', 404)
        return await _reply(send, orjson.dumps(row, default=str))
    if path == "/api/v1/health":  # the harness waits for this before measuring
        return await _reply(send, b'{"status":"ok"}')
    await _reply(send, b'{"code":"not_found"}', 404)
