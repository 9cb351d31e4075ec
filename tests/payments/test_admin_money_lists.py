"""Finance's lists say which provider a refund goes back through: the console offers 确认线下退款
only for refunds of offline payments."""
from tests.conftest import auth, staff_token
from tests.dispatch.helpers import paid_order
from tests.payments.helpers import new_order, pay_sandbox
from tests.support import next_weekday


async def test_refund_lists_carry_the_payment_provider(client, world, session):
    offline, staff = await paid_order(client, session, world, start=next_weekday(3, 9))
    online = await new_order(client, world, start=next_weekday(3, 14))
    await pay_sandbox(client, world, online["id"])
    fin = auth(await staff_token(client, session, "fin-lists", ["finance"]))
    for order in (offline, online):
        r = await client.post(f"/api/v1/admin/orders/{order['id']}/refunds", headers=fin,
                              json={"amount": 100, "reason": "服务补偿"})
        assert r.status_code == 201, r.text

    listed = (await client.get("/api/v1/admin/refunds", headers=fin)).json()["items"]
    by_order = {r["order_id"]: r for r in listed}
    assert by_order[offline["id"]]["provider"] == "offline" and by_order[offline["id"]]["status"] == "pending"
    assert by_order[online["id"]]["provider"] == "sandbox"
    money = (await client.get(f"/api/v1/admin/orders/{offline['id']}/payments", headers=fin)).json()
    assert [(r["provider"], r["amount"]) for r in money["refunds"]] == [("offline", 100)]
    pending = (await client.get("/api/v1/admin/refunds", headers=fin, params={"status": "pending"})).json()
    assert sorted(r["provider"] for r in pending["items"]) == ["offline", "sandbox"]  # until the provider says so
    assert (await client.get("/api/v1/admin/refunds", headers=fin, params={"status": "succeeded"})).json()["total"] == 0
