import json

from tests.conftest import DATA_DIR, auth
from tests.dispatch.helpers import paid_order, worker_auth
from tests.support import next_weekday


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


TEMPLATES = {
    "order.accepted": {"template_id": "TPL-ACCEPTED", "page": "booking/order/index?id={order_id}",
                       "fields": {"thing1": "{service}", "thing2": "{worker}", "thing3": "{title}"}},
    "order.departed": {"template_id": "TPL-DEPARTED", "page": "booking/order/index?id={order_id}",
                       "fields": {"thing1": "{worker}", "thing4": "{nothing}"}},
}


def sms_texts(phone: str) -> list[str]:
    path = DATA_DIR / "sms-outbox.jsonl"
    lines = path.read_text().splitlines() if path.exists() else []
    return [json.loads(line)["text"] for line in lines if json.loads(line)["phone"] == phone]


async def test_wechat_subscribe_messages_then_sms_when_none_is_left(client, session, world, monkeypatch):
    """Issue 13: what the mini program user allowed goes out as subscribe messages (one per accept);
    a refused or used-up subscription falls back to SMS."""
    from sqlalchemy import select, update

    from anjia.accounts.models import User
    from anjia.config import get_settings
    from anjia.notifications.models import Notification
    from anjia.notifications.tasks import send_pending
    from anjia.providers import wechat
    from tests.fakes.wechat import FakeWechat

    fake = FakeWechat()
    settings = get_settings()
    for k, v in {"wechat_appid": fake.appid, "wechat_secret": fake.secret, "wechat_api_base": fake.url,
                 "wechat_subscribe": TEMPLATES}.items():
        monkeypatch.setattr(settings, k, v)
    monkeypatch.setattr(wechat, "_token", None)
    await session.execute(update(User).where(User.id == world["customer_id"]).values(wechat_openid="o-customer"))
    await session.commit()
    h, wh = auth(world["token"]), worker_auth(world["workers"][0])
    try:
        # after booking the app asks for these; the user allows "accepted" and refuses "departed"
        asked = (await client.get("/api/v1/me/wechat-subscriptions/templates", params={"moment": "booked"},
                                  headers=h)).json()
        assert asked["template_ids"] == ["TPL-ACCEPTED", "TPL-DEPARTED"]  # order.checked_out has no template
        fake.allow("o-customer", "TPL-ACCEPTED")
        r = await client.post("/api/v1/me/wechat-subscriptions", headers=h,
                              json={"results": {"TPL-ACCEPTED": "accept", "TPL-DEPARTED": "reject"}})
        assert r.status_code == 200 and r.json()["remaining"] == {"TPL-ACCEPTED": 1, "TPL-DEPARTED": 0}
        before = len(sms_texts("13800001000"))

        order, _ = await paid_order(client, session, world)
        await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=wh)
        await client.post(f"/api/v1/worker/orders/{order['id']}/depart", headers=wh)
        assert await send_pending() == 2
        # accepted: a subscribe message with the template's fields, and no SMS
        assert [(m["touser"], m["template_id"]) for m in fake.messages] == [("o-customer", "TPL-ACCEPTED")]
        msg = fake.messages[0]
        assert msg["page"] == f"booking/order/index?id={order['id']}"
        assert msg["data"] == {"thing1": {"value": "厨房深度清洁"}, "thing2": {"value": "阿姨0"},
                               "thing3": {"value": "师傅已接单"}}
        # departed: refused in the dialog, so by SMS
        texts = sms_texts("13800001000")[before:]
        assert len(texts) == 1 and texts[0].startswith("【安家】师傅已出发")
        statuses = (await session.execute(select(Notification.kind, Notification.wechat_status, Notification.sms_status)
                                          .where(Notification.user_id == world["customer_id"])
                                          .order_by(Notification.id))).all()
        assert [tuple(s) for s in statuses] == [("order.accepted", "sent", "skipped"),
                                                ("order.departed", "unsubscribed", "sent")]
        assert fake.token_requests == 1

        # our count says one is left but WeChat says none (the user's one was used elsewhere): SMS
        await client.post("/api/v1/me/wechat-subscriptions", headers=h, json={"results": {"TPL-ACCEPTED": "accept"}})
        order2, _ = await paid_order(client, session, world, start=next_weekday(3, 10))  # worker 0 free then
        await client.post(f"/api/v1/worker/orders/{order2['id']}/accept", headers=wh)
        assert await send_pending() == 1
        assert len(fake.messages) == 1 and len(sms_texts("13800001000")[before:]) == 2
        left = (await client.post("/api/v1/me/wechat-subscriptions", headers=h,
                                  json={"results": {"TPL-DEPARTED": "reject"}})).json()["remaining"]
        assert left["TPL-ACCEPTED"] == 0  # WeChat's 43101 believed
    finally:
        fake.close()


async def test_wechat_subscriptions_bad_input(client, world, monkeypatch):
    from anjia.config import get_settings

    monkeypatch.setattr(get_settings(), "wechat_subscribe", TEMPLATES)
    h = auth(world["token"])
    url = "/api/v1/me/wechat-subscriptions"
    for body in ({"results": {"TPL-NOPE": "accept"}}, {"results": {"TPL-ACCEPTED": "maybe"}}, {"results": {}},
                 {"results": {"TPL-ACCEPTED": 1}}, {}):
        r = await client.post(url, headers=h, json=body)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), body
    assert (await client.post(url, json={"results": {"TPL-ACCEPTED": "accept"}})).status_code == 401
    assert (await client.get(url + "/templates", params={"moment": "whenever"}, headers=h)).status_code == 422
    none = await client.get(url + "/templates", params={"moment": "accepted"}, headers=h)
    assert none.json() == {"moment": "accepted", "template_ids": []}  # nothing configured for workers' kinds
