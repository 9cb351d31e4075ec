"""The source channel: every order records the client it was placed from (`X-Client`), a plan's
orders carry the plan's, and a customer keeps their first channel and referrer."""
from sqlalchemy import text

from anjia.core.security import lookup_hash
from tests.conftest import auth, last_sms_code
from tests.orders.test_orders import order_body
from tests.plans.test_plans import plan_body
from tests.support import next_weekday


async def _scalar(engine, sql: str, **params):
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


async def test_orders_record_the_client_channel(client, world, engine):
    h = auth(world["token"])
    r = await client.post("/api/v1/orders", json=order_body(world, next_weekday(1, 10)), headers={**h, "X-Client": "mp"})
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "mp"
    assert await _scalar(engine, "SELECT source FROM orders WHERE id = :i", i=r.json()["id"]) == "mp"
    # the customer had no first channel (made before channels were recorded): the first order names it
    assert await _scalar(engine, "SELECT source_channel FROM users WHERE id = :i", i=world["customer_id"]) == "mp"

    r = await client.post("/api/v1/orders", json=order_body(world, next_weekday(1, 14)), headers={**h, "X-Client": "app"})
    assert r.status_code == 201 and r.json()["source"] == "app"
    # the first channel stays the first
    assert await _scalar(engine, "SELECT source_channel FROM users WHERE id = :i", i=world["customer_id"]) == "mp"

    r = await client.post("/api/v1/orders", json=order_body(world, next_weekday(2, 10)), headers=h)
    assert r.status_code == 201 and r.json()["source"] == "unknown"


async def test_an_unknown_client_is_refused_and_nothing_is_stored(client, world, engine):
    r = await client.post("/api/v1/orders", json=order_body(world, next_weekday(1, 10)),
                          headers={**auth(world["token"]), "X-Client": "pc"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert await _scalar(engine, "SELECT count(*) FROM orders") == 0


async def test_plan_orders_carry_the_plan_channel(client, world, engine):
    from anjia.plans.tasks import materialise_plans

    h = {**auth(world["token"]), "X-Client": "h5"}
    r = await client.post("/api/v1/plans", json=plan_body(world, next_weekday(1, 14).date()), headers=h)
    assert r.status_code == 201, r.text
    await materialise_plans()  # the job makes the later ones without any request
    sources = await _scalar(engine, "SELECT array_agg(DISTINCT source) FROM orders WHERE plan_id = :p", p=r.json()["id"])
    assert sources == ["h5"]
    assert await _scalar(engine, "SELECT source FROM plans WHERE id = :p", p=r.json()["id"]) == "h5"


async def test_a_new_customer_keeps_the_first_channel_and_referrer(client, world, engine):
    referrer = world["customer_id"]
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13800002001"})
    assert r.status_code == 202
    r = await client.post("/api/v1/auth/login/sms", headers={"X-Client": "mp"},
                          json={"phone": "13800002001", "code": last_sms_code("13800002001"), "app": "customer",
                                "consent_version": "2026-11", "referrer_id": referrer})
    assert r.status_code == 200, r.text
    async with engine.connect() as conn:
        row = (await conn.execute(text(
            f"SELECT source_channel, referrer_id FROM users WHERE phone_hash = '{_h('13800002001')}'"))).one()
    assert tuple(row) == ("mp", referrer)

    # a referrer who is not a customer (or does not exist) is ignored, not an error
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": "13800002002"})
    r = await client.post("/api/v1/auth/login/sms", headers={"X-Client": "h5"},
                          json={"phone": "13800002002", "code": last_sms_code("13800002002"), "app": "customer",
                                "consent_version": "2026-11", "referrer_id": world["workers"][0]})
    assert r.status_code == 200, r.text
    assert await _scalar(engine, f"SELECT referrer_id FROM users WHERE phone_hash = '{_h('13800002002')}'") is None
    # an order from another client does not move the first channel
    from anjia.accounts.service import note_channel
    from anjia.core import db

    async with db.sessionmaker()() as s:
        uid = await s.scalar(text(f"SELECT id FROM users WHERE phone_hash = '{_h('13800002001')}'"))
        await note_channel(s, uid, "app")
        await s.commit()
    assert await _scalar(engine, f"SELECT source_channel FROM users WHERE phone_hash = '{_h('13800002001')}'") == "mp"


def _h(phone: str) -> str:
    """A phone's keyed hash: raw SQL finds users by it (the number is sealed)."""
    return lookup_hash(phone, "phone")
