"""The ceilings of `make bench`'s HTTP rows: a bare app on the same server and framework (uvicorn,
FastAPI; same workers, same options) that does the same SQL through a plain psycopg pool and
nothing else — no middleware, no ORM, no dependencies.

    uvicorn bench.bare:app   (DATABASE_URL, BARE_POOL: connections per process)

  GET /hello         no SQL: what the framework and a JSON body cost
  GET /select1       SELECT 1 (the API's /api/v1/health)
  GET /user?id=N     the user row /api/v1/me reads (the same columns), as JSON

`raw` is the same /hello without the framework (a plain ASGI callable): the server's own ceiling,
printed for scale.
"""
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

USER_SQL = "SELECT * FROM users WHERE id = %s"
_pool: AsyncConnectionPool | None = None


@asynccontextmanager
async def lifespan(_app):
    global _pool
    size = int(os.environ.get("BARE_POOL", "16"))
    _pool = AsyncConnectionPool(os.environ["DATABASE_URL"], min_size=size, max_size=size, open=False,
                                kwargs={"autocommit": True, "row_factory": dict_row})
    await _pool.open(wait=True)
    yield
    await _pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/hello")
async def hello():
    return {"hello": "world"}


@app.get("/select1")
async def select1():
    async with _pool.connection() as conn:
        await (await conn.execute("SELECT 1")).fetchone()
    return {"status": "ok", "database": "ok"}


@app.get("/user")
async def user(id: int):
    async with _pool.connection() as conn:
        row = await (await conn.execute(USER_SQL, (id,))).fetchone()
    if row is None:
        raise HTTPException(404)
    return row


@app.get("/api/v1/health")  # the harness waits for this before measuring
async def health():
    return {"status": "ok"}


async def raw(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        return await send({"type": "lifespan.shutdown.complete"})
    body = b'{"hello":"world"}'
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
