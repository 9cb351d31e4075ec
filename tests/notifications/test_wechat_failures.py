"""The notification outbox against the WeChat fake when WeChat refuses: a permanent error (an invalid
template, 40037; wrong keys) sends the SMS copy at once and is logged; a passing one (system busy -1,
the daily quota 45009, the network) is tried again after a back-off and goes by SMS only once the
attempts are used up. Either way the notifications behind it go out: nothing jams the outbox, and a
subscription is used only by a message that went out."""
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from anjia.accounts.models import User
from anjia.config import get_settings
from anjia.core.security import now
from anjia.notifications.models import Notification
from anjia.notifications.service import notify
from anjia.notifications.tasks import WECHAT_ATTEMPTS, send_pending
from anjia.providers import wechat
from tests.fakes.wechat import FakeWechat
from tests.notifications.test_order_notifications import TEMPLATES, sms_texts

PHONE = "13800001000"  # the world's customer


@pytest.fixture
async def fake(session, world, monkeypatch):
    fake = FakeWechat()
    settings = get_settings()
    for k, v in {"wechat_appid": fake.appid, "wechat_secret": fake.secret, "wechat_api_base": fake.url,
                 "wechat_subscribe": TEMPLATES}.items():
        monkeypatch.setattr(settings, k, v)
    monkeypatch.setattr(wechat, "_token", None)
    await session.execute(update(User).where(User.id == world["customer_id"]).values(wechat_openid="o-customer"))
    await session.execute(text("INSERT INTO wechat_subscriptions (user_id, template_id, remaining, last_result) "
                               "VALUES (:u, 'TPL-ACCEPTED', 1, 'accept'), (:u, 'TPL-DEPARTED', 1, 'accept')"),
                          {"u": world["customer_id"]})
    await session.commit()
    yield fake
    fake.close()


async def two_notices(session, world) -> None:
    """The order accepted (TPL-ACCEPTED), then the worker departed (TPL-DEPARTED), both with an SMS copy."""
    for kind, title in (("order.accepted", "师傅已接单"), ("order.departed", "师傅已出发")):
        await notify(session, world["customer_id"], kind, title, "订单 A1", {"order_id": 1}, sms=True,
                     sms_params={"service": "厨房深度清洁", "worker": "阿姨0"})
    await session.commit()


async def remaining(session, world) -> dict[str, int]:
    rows = await session.execute(text("SELECT template_id, remaining FROM wechat_subscriptions WHERE user_id = :u"),
                                 {"u": world["customer_id"]})
    return dict(rows.all())


async def states(session) -> list[tuple]:
    session.expire_all()
    return [tuple(r) for r in (await session.execute(
        select(Notification.kind, Notification.wechat_status, Notification.sms_status, Notification.wechat_attempts)
        .order_by(Notification.id))).all()]


async def due_now(session) -> None:
    """The back-off has passed."""
    await session.execute(update(Notification).where(Notification.retry_at.is_not(None))
                          .values(retry_at=now() - timedelta(seconds=1)))
    await session.commit()


async def test_a_permanent_error_goes_by_sms_and_the_rest_go_on(session, world, fake, capsys):
    fake.refuse_template["TPL-ACCEPTED"] = 40037  # invalid template id
    before = len(sms_texts(PHONE))
    await two_notices(session, world)
    assert await send_pending() == 2
    assert await states(session) == [("order.accepted", "failed", "sent", 1), ("order.departed", "sent", "skipped", 0)]
    texts = sms_texts(PHONE)[before:]
    assert len(texts) == 1 and texts[0].startswith("【安家】师傅已接单")
    assert [m["template_id"] for m in fake.messages] == ["TPL-DEPARTED"] and fake.failed == [40037]
    # the refused message used nothing: the user's subscription is still there
    assert (await remaining(session, world)) == {"TPL-ACCEPTED": 1, "TPL-DEPARTED": 0}
    assert "wechat_subscribe_failed" in capsys.readouterr().out
    assert await send_pending() == 0  # done, not retried


async def test_wrong_keys_are_permanent_too(session, world, fake, monkeypatch):
    monkeypatch.setattr(get_settings(), "wechat_secret", "not-the-secret")  # the token request fails: 40013
    await two_notices(session, world)
    assert await send_pending() == 2
    assert [s[1:3] for s in await states(session)] == [("failed", "sent"), ("failed", "sent")]


async def test_a_passing_error_is_retried_with_back_off(session, world, fake):
    fake.next_errors = [-1]  # system busy, once
    before = len(sms_texts(PHONE))
    await two_notices(session, world)
    assert await send_pending() == 2  # the busy one waits; the one behind it goes out
    assert await states(session) == [("order.accepted", "pending", "pending", 1), ("order.departed", "sent", "skipped", 0)]
    retry = await session.scalar(select(Notification.retry_at).where(Notification.kind == "order.accepted"))
    assert timedelta(seconds=25) < retry - now() <= timedelta(seconds=30)
    assert await send_pending() == 0  # not due yet
    await due_now(session)
    fake.next_errors = [45009]  # then the daily quota: twice as long
    assert await send_pending() == 1
    assert (await states(session))[0] == ("order.accepted", "pending", "pending", 2)
    retry = await session.scalar(select(Notification.retry_at).where(Notification.kind == "order.accepted"))
    assert timedelta(seconds=55) < retry - now() <= timedelta(seconds=60)
    await due_now(session)
    assert await send_pending() == 1
    assert await states(session) == [("order.accepted", "sent", "skipped", 2), ("order.departed", "sent", "skipped", 0)]
    assert [m["template_id"] for m in fake.messages] == ["TPL-DEPARTED", "TPL-ACCEPTED"]
    assert sms_texts(PHONE)[before:] == [] and fake.failed == [-1, 45009]
    assert await remaining(session, world) == {"TPL-ACCEPTED": 0, "TPL-DEPARTED": 0}  # each used once, by its message


async def test_a_passing_error_that_lasts_goes_by_sms(session, world, fake):
    fake.next_errors = [-1] * WECHAT_ATTEMPTS
    before = len(sms_texts(PHONE))
    await notify(session, world["customer_id"], "order.accepted", "师傅已接单", "订单 A1", {"order_id": 1}, sms=True,
                 sms_params={"service": "厨房深度清洁", "worker": "阿姨0"})
    await session.commit()
    delays = []
    for attempt in range(1, WECHAT_ATTEMPTS):
        assert await send_pending() == 1
        assert await states(session) == [("order.accepted", "pending", "pending", attempt)]
        delays.append(round((await session.scalar(select(Notification.retry_at)) - now()).total_seconds() / 30))
        await due_now(session)
    assert delays == [1, 2, 4, 8]  # 30 s doubling
    assert await send_pending() == 1
    assert await states(session) == [("order.accepted", "failed", "sent", WECHAT_ATTEMPTS)]
    assert len(sms_texts(PHONE)[before:]) == 1 and fake.messages == []
    assert (await remaining(session, world))["TPL-ACCEPTED"] == 1


async def test_an_unreachable_wechat_is_a_passing_error(session, world, fake, monkeypatch):
    monkeypatch.setattr(get_settings(), "wechat_api_base", "http://127.0.0.1:9")
    await two_notices(session, world)
    assert await send_pending() == 2
    assert [s[1:] for s in await states(session)] == [("pending", "pending", 1), ("pending", "pending", 1)]
