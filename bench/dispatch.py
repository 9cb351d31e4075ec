"""Dispatch scenarios (issue 5):
  1. ranking candidates among 100,000 workers (1,000 eligible near the address) vs the bare SQL
  2. 1,000 concurrent accepts of one order: exactly one 200, the rest 409, no 5xx
(Realtime delivery to 5,000 WebSockets: bench/realtime.py.)
"""
import asyncio
import json
import re
import statistics
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import psycopg

from anjia.core.security import lookup_hash
from anjia.orders.models import Order
from bench.people import address as add_address
from bench.people import insert_users

SH = ZoneInfo("Asia/Shanghai")
CITY = (30.2741, 120.1551)  # a second bench city (杭州) so the 10,000-worker city stays as it is
ADDRESS = (30.2800, 120.1600)
SNAPSHOT = Order.address.type  # the orders' address snapshot type (core.sealed.SealedJson)


def build(url: str, workers: int = 100_000, eligible: int = 1_000) -> dict:
    with psycopg.connect(url, autocommit=True) as c:
        region = c.execute("SELECT id FROM regions WHERE name = '压测二城'").fetchone()
        if region is None:
            region = c.execute("INSERT INTO regions (name, city, timezone, center_lat, center_lng, radius_km, opens, "
                               "closes, active) VALUES ('压测二城', '杭州市', 'Asia/Shanghai', %s, %s, 60, 480, 1200, "
                               "true) RETURNING id", CITY).fetchone()
        region = region[0]
        have = c.execute("SELECT count(*) FROM users WHERE kind = 'worker' AND nickname LIKE '二城师傅%%'").fetchone()[0]
        if have < workers:  # phones 171xxxxxxxx, sealed (bench.people)
            numbers = range(have + 1, workers + 1)
            insert_users(c, "worker", [f"171{g:08d}" for g in numbers], [f"二城师傅{g}" for g in numbers])
            # 1,000 cleaners within 3 km; 49,000 nannies just as near (the index must skip them);
            # 50,000 more spread over the city.
            c.execute("""INSERT INTO worker_profiles (user_id, region_id, skills, home_lat, home_lng, radius_km,
                                                      review_status, employment_status, rating)
                         SELECT u.id, %(r)s,
                                CASE WHEN n <= %(e)s THEN ARRAY['cleaning'] ELSE ARRAY['nanny'] END,
                                CASE WHEN n <= 50000 THEN %(lat)s + (random() - 0.5) * 0.05
                                     ELSE %(clat)s + (random() - 0.5) * 0.6 END,
                                CASE WHEN n <= 50000 THEN %(lng)s + (random() - 0.5) * 0.05
                                     ELSE %(clng)s + (random() - 0.5) * 0.6 END,
                                10, 'approved', 'active', 3.5 + random() * 1.5
                         FROM (SELECT id, row_number() OVER (ORDER BY id) n FROM users
                               WHERE kind = 'worker' AND nickname LIKE '二城师傅%%') u
                         WHERE NOT EXISTS (SELECT 1 FROM worker_profiles p WHERE p.user_id = u.id)""",
                      {"r": region, "e": eligible, "lat": ADDRESS[0], "lng": ADDRESS[1], "clat": CITY[0],
                       "clng": CITY[1]})
            # a health certificate each (every skill needs one: workforce's `worker_certified_until`)
            c.execute("""INSERT INTO worker_certificates (worker_id, kind, number, expires_on, photo_key, thumb_key, status)
                         SELECT p.user_id, 'health', 'BENCH', current_date + 365, '', '', 'approved'
                         FROM worker_profiles p WHERE NOT EXISTS
                           (SELECT 1 FROM worker_certificates c WHERE c.worker_id = p.user_id)""")
            c.execute("""INSERT INTO worker_hours (worker_id, weekday, start_minute, end_minute)
                         SELECT p.user_id, d, 480, 1200 FROM worker_profiles p CROSS JOIN generate_series(0, 6) d
                         WHERE p.region_id = %s AND 'cleaning' = ANY(p.skills)
                           AND NOT EXISTS (SELECT 1 FROM worker_hours h WHERE h.worker_id = p.user_id)""", (region,))
            c.execute("ANALYZE")
        customer = c.execute("SELECT id FROM users WHERE kind='customer' AND phone_hash=%s",
                             (lookup_hash("13800000001", "phone"),)).fetchone()[0]
        # the bench's address: the only one of the customer's in this city (the street is sealed)
        address = c.execute("SELECT id FROM addresses WHERE user_id=%s AND region_id=%s", (customer, region)).fetchone()
        if address is None:
            address = (add_address(c, customer, region, ("压测", "13800000001"), ("浙江省", "杭州市", "上城区"), "压测地址",
                                   ADDRESS, default=False),)
        service = c.execute("SELECT id FROM services WHERE name='厨房清洁'").fetchone()[0]
        total = c.execute("SELECT count(*) FROM worker_profiles WHERE region_id=%s", (region,)).fetchone()[0]
    return {"region": region, "customer": customer, "address": address[0], "service": service, "workers": total}


def paid_order(url: str, world: dict, day_offset: int) -> int:
    d = datetime.now(SH).date() + timedelta(days=day_offset)
    start = datetime(d.year, d.month, d.day, 10, tzinfo=SH)
    with psycopg.connect(url, autocommit=True) as c:
        return c.execute("""
            INSERT INTO orders (number, customer_id, service_id, region_id, address_id, address, status,
                scheduled_start, scheduled_end, timezone, request, quote, total, deposit, paid_amount,
                price_difference, notes, cancel_fee)
            VALUES ('BD' || floor(random() * 1e12)::bigint, %s, %s, %s, %s, %s, 'paid', %s, %s, 'Asia/Shanghai',
                    '{"items": [{"code": "kitchen", "quantity": 1}], "options": {}}',
                    '{"duration_minutes": 120, "lines": [], "total": 12000}', 12000, 0, 12000, 0, '', 0)
            RETURNING id""", (world["customer"], world["service"], world["region"], world["address"],
                              json.dumps(SNAPSHOT.process_bind_param(  # contact and street sealed, as the app writes
                                  {"lat": ADDRESS[0], "lng": ADDRESS[1], "district": "上城区", "city": "杭州市",
                                   "detail": "压测地址", "contact_phone": "13800000001"}, None), ensure_ascii=False),
                              start, start + timedelta(hours=2))).fetchone()[0]


def q(values: list[float]) -> dict:
    qs = statistics.quantiles(values, n=100)
    return {"n": len(values), "p50_ms": qs[49] * 1000, "p95_ms": qs[94] * 1000, "p99_ms": qs[98] * 1000}


async def ranking(url: str, world: dict, rounds: int = 200) -> tuple[dict, dict, int]:
    from anjia.core import db
    from anjia.dispatch import service as dispatch
    from anjia.orders import service as orders
    from anjia.orders.models import Order
    from anjia.scheduling import service as scheduling

    order_id = paid_order(url, world, 3)
    db.configure(url)
    app_lat, sql_lat = [], []
    async with db.sessionmaker()() as session:
        order = await session.get(Order, order_id)
        need = await orders.need_for(session, order)
        params = scheduling.candidate_params(need, order.scheduled_start, None, dispatch.CANDIDATES,
                                             exclude_order=order.id)
        sql = re.sub(r"(?<!:):([a-z_]+)", r"%(\1)s", scheduling.CANDIDATES_SQL)
        found = len(await dispatch.rank_candidates(session, order, set()))
        async with await psycopg.AsyncConnection.connect(url) as conn:
            for _ in range(rounds):
                t = time.perf_counter()
                await dispatch.rank_candidates(session, order, set())
                app_lat.append(time.perf_counter() - t)
                t = time.perf_counter()
                await (await conn.execute(sql, params)).fetchall()
                sql_lat.append(time.perf_counter() - t)
    await db.dispose()
    return q(app_lat), q(sql_lat), found


async def accepts(server_url: str, url: str, world: dict, n: int = 1_000) -> dict:
    from anjia.core.security import create_access_token

    order_id = paid_order(url, world, 4)
    with psycopg.connect(url, autocommit=True) as c:
        workers = [r[0] for r in c.execute(
            "SELECT user_id FROM worker_profiles WHERE region_id=%s AND 'cleaning' = ANY(skills) ORDER BY user_id "
            "LIMIT %s", (world["region"], n))]
        c.execute("INSERT INTO offers (order_id, worker_id, region_id, round, status, score, distance_km, expires_at) "
                  "SELECT %s, w, %s, 1, 'offered', 0.5, 1, now() + interval '10 minutes' FROM unnest(%s::bigint[]) w",
                  (order_id, world["region"], workers))
    tokens = [create_access_token(w, "worker", []) for w in workers]
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx.AsyncClient(base_url=server_url, timeout=120, limits=limits) as client:
        t = time.perf_counter()
        rs = await asyncio.gather(*[client.post(f"/api/v1/worker/orders/{order_id}/accept",
                                                headers={"Authorization": f"Bearer {tok}"}) for tok in tokens],
                                  return_exceptions=True)
        elapsed = time.perf_counter() - t
    codes: dict[str, int] = {}
    for r in rs:
        key = type(r).__name__ if isinstance(r, Exception) else str(r.status_code)
        codes[key] = codes.get(key, 0) + 1
    return {"n": n, "codes": codes, "seconds": elapsed}
