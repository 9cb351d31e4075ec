"""A few weeks of business for the dashboard: two regions (上海 of the world and 杭州), workers and
customers in both, orders of several services placed through the API from every channel, spread over
the last four weeks (backdated), paid, completed, reviewed and cancelled; the rollups built by the job."""
import random

from sqlalchemy import text

from anjia.accounts.models import User
from anjia.addresses.models import Address
from anjia.core.security import create_access_token
from anjia.scheduling.models import Region
from anjia.stats import tasks
from anjia.workforce import seed as workforce_seed
from tests.conftest import auth
from tests.stats.test_rollups import cancel, complete, pay
from tests.support import KITCHEN, local

HANGZHOU = dict(name="杭州", city="杭州市", timezone="Asia/Shanghai", center_lat=30.2741, center_lng=120.1551,
                radius_km=40, opens=8 * 60, closes=20 * 60, active=True)
SERVICES = {"厨房深度清洁": KITCHEN, "厨房清洁": {"items": [{"code": "kitchen", "quantity": 1}], "options": {}},
            "卫生间清洁": {"items": [{"code": "bathroom", "quantity": 2}], "options": {}},
            "空调清洗": {"items": [{"code": "wall", "quantity": 2}], "options": {}},
            "冰箱清洗": {"items": [{"code": "double", "quantity": 1}], "options": {}}}
SOURCES = ["mp"] * 5 + ["h5"] * 2 + ["app"] * 2 + ["admin"]


async def build_history(client, session, world, n: int = 70, seed: int = 12) -> dict:
    rng = random.Random(seed)
    hz = Region(**HANGZHOU)
    session.add(hz)
    await session.flush()
    places = {world["region_id"]: (31.195, 121.438, "上海市", "徐汇区"), hz.id: (30.27, 120.16, "杭州市", "西湖区")}
    workers = list(world["workers"])
    for i, (region, (lat, lng, *_)) in enumerate([*places.items(), *places.items()]):
        w = User(kind="worker", phone=f"1390000300{i}", nickname=f"师傅{i}", roles=[])
        session.add(w)
        await session.flush()
        await workforce_seed.seed_worker(session, w.id, region, ["cleaning", "appliance"], lat + 0.01 * i, lng)
        workers.append(w.id)
    people = [{"id": world["customer_id"], "address_id": world["address_id"], "token": world["token"]}]
    for i in range(9):
        region = hz.id if i % 3 == 0 else world["region_id"]
        lat, lng, city, district = places[region]
        u = User(kind="customer", phone=f"1380000{3100 + i}", nickname=f"客户{i}", roles=[])
        session.add(u)
        await session.flush()
        a = Address(user_id=u.id, contact_name="客户", contact_phone=u.phone, province=city, city=city, district=district,
                    detail=f"示例路 {i + 1} 号", lat=lat + 0.002 * i, lng=lng, region_id=region, is_default=True)
        session.add(a)
        await session.flush()
        people.append({"id": u.id, "address_id": a.id, "token": create_access_token(u.id, "customer", [])})
    await session.commit()
    world = {**world, "workers": workers}

    orders = []
    for _ in range(n * 3):
        if len(orders) == n:
            break
        who = rng.choice(people)
        name = rng.choice(list(SERVICES))
        body = {"service_id": world["services"][name], "address_id": who["address_id"],
                "start": local(rng.randint(2, 13), rng.choice([8, 10, 12, 14])).isoformat(), **SERVICES[name]}
        r = await client.post("/api/v1/orders", json=body, headers={**auth(who["token"]), "X-Client": rng.choice(SOURCES)})
        if r.status_code == 409:
            continue
        assert r.status_code == 201, r.text
        orders.append({**r.json(), "who": who})
    async with _engine().begin() as conn:
        for o in orders:
            o["back"] = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 13, 16, 19, 22, 25, 27])
            await conn.execute(text("UPDATE orders SET created_at = created_at - make_interval(days => :d) WHERE id = :i"),
                               {"d": o["back"], "i": o["id"]})
    paid = [o for o in orders if rng.random() < 0.8]
    for o in paid:
        await pay(client, o)
    done = [o for o in paid if o["back"] >= 1 and rng.random() < 0.55 and await complete(client, world, o)]
    for o in done:
        if rng.random() < 0.6:
            r = await client.post(f"/api/v1/orders/{o['id']}/review", headers=auth(o["who"]["token"]),
                                  json={"quality": rng.choice([3, 4, 5, 5]), "attitude": 5, "skill": 5, "text": ""})
            assert r.status_code == 201, r.text
    for o in orders:
        if o not in done and rng.random() < (0.5 if o not in paid else 0.2):
            await cancel(client, o, rng)
    # the visits happened the day after each order was placed, as long as they were booked for (the flow above
    # checked in and out within seconds, today): time on site for the utilisation chart
    async with _engine().begin() as conn:
        await conn.execute(text(
            "UPDATE orders SET checked_in_at = created_at + interval '20 hours', checked_out_at = created_at + "
            "interval '20 hours' + make_interval(mins => (quote->>'duration_minutes')::int) WHERE id = ANY(:ids)"),
            {"ids": [o["id"] for o in done]})
    await tasks.refresh()
    return {"hangzhou": hz.id, "orders": orders, "world": world}


def _engine():
    from anjia.core import db

    return db.engine()
