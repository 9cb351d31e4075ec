"""The ceilings of `make bench`'s HTTP rows: a bare app on the same server and framework (uvicorn,
FastAPI; same workers, same options) that does the same SQL through a plain psycopg pool and
nothing else — no middleware, no ORM, no dependencies.

    uvicorn bench.bare:app   (DATABASE_URL, BARE_POOL: connections per process)

  GET /hello         no SQL: what the framework and a JSON body cost
  GET /select1       SELECT 1 (the API's /api/v1/health)
  GET /user?id=N     the user row /api/v1/me reads (the same columns), as JSON
  POST /order        the statements POST /api/v1/orders sends, in one transaction (the customer, the
                     address, the coupons; candidates, lock, the order naming the worker, booking; the
                     timeline row and the outbox events), without the application: its ceiling

`raw` is the same /hello without the framework (a plain ASGI callable): the server's own ceiling,
printed for scale.
"""
import json
import os
import secrets
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from types import SimpleNamespace

from fastapi import Body, FastAPI, HTTPException
from fastapi.responses import JSONResponse
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from anjia.core.db import Raw  # (its psycopg form of the statements)
from anjia.realtime.relay import INSERT_SQL as EVENTS_INSERT
from anjia.scheduling import service as scheduling

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


CANDIDATES = Raw(scheduling.CANDIDATES_SQL).sql
BOOK = Raw(scheduling.BOOK_SQL).sql
BOOK_AFTER_CHECK = Raw(scheduling.INSERT_BOOKING + " ON CONFLICT DO NOTHING RETURNING id").sql
EVENTS = Raw(EVENTS_INSERT).sql
ORDER_INSERT = """
    INSERT INTO orders (number, customer_id, service_id, region_id, address_id, address, status, scheduled_start,
                        scheduled_end, timezone, request, quote, total, deposit, discount, paid_amount,
                        refunded_amount, price_difference, notes, cancel_fee, payment_due_at, source, held_worker_id)
    VALUES (%s, %s, %s, %s, %s, %s, 'pending_payment', %s, %s, 'Asia/Shanghai', %s, %s, %s, 0, 0, 0, 0, 0, '', 0,
            %s, 'unknown', %s) RETURNING id, created_at"""


@app.post("/order")
async def order(customer: int, address: int, service: int, skill: str, minutes: int, buffer: int,
                start: datetime = Body(embed=True)):
    async with _pool.connection() as conn, conn.transaction():
        user = await (await conn.execute(USER_SQL, (customer,))).fetchone()
        a = await (await conn.execute("SELECT * FROM addresses WHERE id = %s", (address,))).fetchone()
        await (await conn.execute("SELECT * FROM coupons WHERE customer_id = %s AND status = 'available' "
                                  "AND valid_until >= now() ORDER BY valid_until, id", (customer,))).fetchall()
        region = SimpleNamespace(id=a["region_id"], timezone="Asia/Shanghai", opens=480, closes=1200)
        need = scheduling.Need(region=region, skill=skill, lat=a["lat"], lng=a["lng"], minutes=minutes,
                               buffer_minutes=buffer)
        begin, end = need.period(start)
        quote = {"duration_minutes": minutes, "days": 1, "total": 12000}
        worker = row = None
        for w in await (await conn.execute(CANDIDATES, scheduling.candidate_params(need, start))).fetchall():
            if not (await (await conn.execute("SELECT pg_try_advisory_xact_lock(%s, %s) AS ok",
                                              (scheduling.BOOKING_LOCKS, w["user_id"]))).fetchone())["ok"]:
                continue
            if row is None:  # the order, naming the first worker claimed
                row = await (await conn.execute(ORDER_INSERT, (
                    f"BB{secrets.randbelow(10**12):012d}", user["id"], service, a["region_id"], a["id"],
                    json.dumps({"lat": a["lat"], "lng": a["lng"], "city": a["city"]}), begin, end,
                    json.dumps({"items": [{"code": "kitchen", "quantity": 1}]}), json.dumps(quote), 12000,
                    datetime.now().astimezone() + timedelta(minutes=30), w["user_id"]))).fetchone()
            args = {"w": w["user_id"], "o": row["id"], "r": region.id, "begin": begin, "end": end, "buffer": buffer,
                    "lat": a["lat"], "lng": a["lng"]}
            booked = await (await conn.execute(BOOK, args)).fetchone()
            if booked["near"]:  # a visit close in time: the API asks for the drive, then inserts
                booked = await (await conn.execute(BOOK_AFTER_CHECK, args)).fetchone()
            if booked is not None and booked["id"] is not None:
                worker = w["user_id"]
                break
        if worker is None:
            raise HTTPException(409)
        await conn.execute("INSERT INTO order_events (order_id, region_id, type, to_status, actor_id, actor_kind, "
                           "data) VALUES (%s, %s, 'created', 'pending_payment', %s, 'customer', %s)",
                           (row["id"], region.id, customer, json.dumps({"total": 12000})))
        await (await conn.execute(EVENTS, {"topics": [f"user:{customer}", "role:dispatcher", "role:admin"],
                                           "type": "order.created", "payload": json.dumps({"order_id": row["id"]}),
                                           "relayed": False})).fetchall()
    return JSONResponse({"id": row["id"], "worker": worker, "start": start.isoformat(), "created_at":
                         row["created_at"].isoformat()}, status_code=201)


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
