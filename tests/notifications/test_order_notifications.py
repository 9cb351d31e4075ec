import json

from tests.conftest import DATA_DIR, auth
from tests.dispatch.helpers import paid_order, worker_auth


async def test_customer_is_told_each_step_in_app_and_by_sms(client, session, world):
    from anjia.notifications.tasks import send_pending

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
    assert await send_pending() == 4
    assert await send_pending() == 0  # sent once
    texts = [json.loads(line)["text"] for line in (DATA_DIR / "sms-outbox.jsonl").read_text().splitlines()
             if json.loads(line)["phone"] == "13800001000"]
    assert texts[-4:][0].startswith("【安家】师傅已接单") and "阿姨0" in texts[-4]
    first = inbox["items"][-1]["id"]
    assert (await client.post(f"/api/v1/notifications/{first}/read", headers=h)).json() == {"unread": 3}
    assert (await client.post("/api/v1/notifications/read-all", headers=h)).json() == {"unread": 0}
    assert (await client.get("/api/v1/notifications/unread-count", headers=h)).json() == {"unread": 0}
    # a worker sees none of the customer's notifications
    assert (await client.get("/api/v1/notifications", headers=wh)).json()["total"] == 0


async def test_wechat_users_also_get_a_subscribe_message(client, session, world, monkeypatch):
    from sqlalchemy import update

    from anjia.accounts.models import User
    from anjia.config import get_settings
    from anjia.notifications.tasks import send_pending
    from anjia.providers import wechat
    from tests.fakes.wechat import FakeWechat

    fake = FakeWechat()
    settings = get_settings()
    for k, v in {"wechat_appid": fake.appid, "wechat_secret": fake.secret, "wechat_api_base": fake.url,
                 "wechat_order_template_id": "TPL-ORDER"}.items():
        monkeypatch.setattr(settings, k, v)
    monkeypatch.setattr(wechat, "_token", None)
    await session.execute(update(User).where(User.id == world["customer_id"]).values(wechat_openid="o-customer"))
    await session.commit()
    try:
        order, _ = await paid_order(client, session, world)
        await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=worker_auth(world["workers"][0]))
        assert await send_pending() == 1
        assert [m["touser"] for m in fake.messages] == ["o-customer"]
        assert fake.messages[0]["template_id"] == "TPL-ORDER"
        assert fake.messages[0]["data"]["thing1"]["value"] == "师傅已接单"
        assert fake.token_requests == 1
    finally:
        fake.close()
