"""Hourly services end with the real time on site: a shorter visit gives the difference back,
a longer one asks the customer for it (a supplementary payment clears what is owed)."""
from sqlalchemy import text

from anjia.payments import tasks
from tests.conftest import auth
from tests.dispatch.helpers import worker_auth
from tests.payments.helpers import balances, notify, pay_sandbox, settle
from tests.support import next_weekday


async def _served(client, world, engine, minutes: int) -> dict:
    order = (await client.post("/api/v1/orders", headers=auth(world["token"]), json={
        "service_id": world["services"]["全屋清洁"], "address_id": world["address_id"], "hours": 3,
        "start": next_weekday(3, 9).isoformat()})).json()
    await pay_sandbox(client, world, order["id"])
    for worker in world["workers"]:
        wh = worker_auth(worker)
        if (await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=wh)).status_code == 200:
            break
    await client.post(f"/api/v1/worker/orders/{order['id']}/depart", headers=wh)
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/check-in", json={"lat": 31.1951, "lng": 121.4381},
                          headers=wh)
    assert r.status_code == 200, r.text
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE orders SET checked_in_at = now() - make_interval(mins => :m) WHERE id = :o"),
                           {"m": minutes, "o": order["id"]})
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/check-out", headers=wh)
    assert r.status_code == 200, r.text
    return order


async def test_a_shorter_visit_refunds_the_difference(client, world, session, engine):
    order = await _served(client, world, engine, 100)  # 2 hours billed (the minimum) instead of 3
    h = auth(world["token"])
    mine = (await client.get(f"/api/v1/orders/{order['id']}", headers=h)).json()
    assert mine["final_total"] == 2 * 5000 and mine["refunded_amount"] == 5000 and mine["price_difference"] == 0
    assert (await client.post(f"/api/v1/orders/{order['id']}/payments", headers=h,
                              json={"method": "sandbox"})).json()["code"] == "nothing_to_pay"
    await tasks.submit_refunds()
    money = (await client.get(f"/api/v1/orders/{order['id']}/payments", headers=h)).json()
    assert [(r["kind"], r["amount"], r["status"]) for r in money["refunds"]] == [("difference", 5000, "succeeded")]
    assert (await balances(session))["clearing:sandbox"] == 2 * 5000


async def test_a_longer_visit_asks_for_the_difference_and_the_supplement_clears_it(client, world, session, engine):
    order = await _served(client, world, engine, 230)  # 4 hours billed instead of 3
    h = auth(world["token"])
    mine = (await client.get(f"/api/v1/orders/{order['id']}", headers=h)).json()
    assert mine["price_difference"] == 5000 and mine["timeline"][-1]["type"] == "supplement_requested"
    assert (await balances(session))[f"receivable:{world['customer_id']}"] == 5000
    money = (await client.get(f"/api/v1/orders/{order['id']}/payments", headers=h)).json()
    assert money["amount_due"] == 5000
    r = await client.post(f"/api/v1/orders/{order['id']}/payments", headers=h, json={"method": "sandbox"})
    assert r.status_code == 201 and r.json()["purpose"] == "supplement" and r.json()["amount"] == 5000
    assert (await notify(client, *(await settle(r.json()["number"])))).status_code == 200
    mine = (await client.get(f"/api/v1/orders/{order['id']}", headers=h)).json()
    assert mine["price_difference"] == 0 and mine["paid_amount"] == 4 * 5000
    assert mine["timeline"][-1]["type"] == "supplement_paid"
    after = await balances(session)
    assert f"receivable:{world['customer_id']}" not in after and after["clearing:sandbox"] == 4 * 5000
