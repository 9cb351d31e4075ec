import json

from tests.conftest import DATA_DIR, auth
from tests.dispatch.test_dispatch_flow import paid_order, worker_auth


async def test_customer_is_told_each_step_in_app_and_by_sms(client, session, world):
    from anjia.notifications.tasks import send_pending_sms

    order, _ = await paid_order(client, session, world)
    wh = worker_auth(world["workers"][0])
    h = auth(world["token"])
    await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=wh)
    await client.post(f"/api/v1/worker/orders/{order['id']}/depart", headers=wh)
    await client.post(f"/api/v1/worker/orders/{order['id']}/check-in", json={"lat": 31.195, "lng": 121.438}, headers=wh)
    await client.post(f"/api/v1/worker/orders/{order['id']}/check-out", headers=wh)
    inbox = (await client.get("/api/v1/notifications", headers=h)).json()
    assert [n["title"] for n in reversed(inbox["items"])] == ["师傅已接单", "师傅已出发", "师傅已到达", "服务已完成"]
    assert inbox["unread"] == 4
    assert await send_pending_sms() == 4
    assert await send_pending_sms() == 0  # sent once
    texts = [json.loads(line)["text"] for line in (DATA_DIR / "sms-outbox.jsonl").read_text().splitlines()
             if json.loads(line)["phone"] == "13800001000"]
    assert texts[-4:][0].startswith("【安家】师傅已接单") and "阿姨0" in texts[-4]
    first = inbox["items"][-1]["id"]
    assert (await client.post(f"/api/v1/notifications/{first}/read", headers=h)).json() == {"unread": 3}
    assert (await client.post("/api/v1/notifications/read-all", headers=h)).json() == {"unread": 0}
    assert (await client.get("/api/v1/notifications/unread-count", headers=h)).json() == {"unread": 0}
    # a worker sees none of the customer's notifications
    assert (await client.get("/api/v1/notifications", headers=wh)).json()["total"] == 0
