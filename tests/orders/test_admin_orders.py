from tests.conftest import auth, staff_token


async def test_mark_paid_and_admin_order_list(client, world, session):
    from tests.support import KITCHEN, next_weekday

    h = auth(world["token"])
    order = (await client.post("/api/v1/orders", headers=h, json={
        "service_id": world["services"]["厨房深度清洁"], "address_id": world["address_id"],
        "start": next_weekday(2, 10).isoformat(), **KITCHEN})).json()
    staff = auth(await staff_token(client, session, "disp", ["dispatcher"]))
    listed = (await client.get("/api/v1/admin/orders", params={"status": "pending_payment"}, headers=staff)).json()
    assert listed["total"] == 1 and listed["items"][0]["customer_phone"] == "138****1000"
    assert (await client.get("/api/v1/admin/orders", params={"q": order["number"]}, headers=staff)).json()["total"] == 1
    r = await client.post(f"/api/v1/admin/orders/{order['id']}/payments/offline", headers=staff,
                            json={"method": "cash"})
    assert r.status_code == 201 and r.json()["status"] == "succeeded"
    assert (await client.post(f"/api/v1/admin/orders/{order['id']}/payments/offline", headers=staff,
                            json={"method": "cash"})).status_code == 409
    mine = (await client.get(f"/api/v1/orders/{order['id']}", headers=h)).json()
    assert mine["status_label"] == "待接单" and [e["type"] for e in mine["timeline"]] == ["created", "paid"]
