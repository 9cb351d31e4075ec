"""Personal data (issue 14, PIPL): a customer downloads everything held about them, deletes their
account (addresses wiped, records kept naming nobody), and retention removes what is kept no longer."""
from datetime import timedelta

from sqlalchemy import select, text

from anjia.core.security import now
from tests.conftest import auth
from tests.dispatch.helpers import paid_order
from tests.reviews.helpers import reviewed


async def test_customer_downloads_their_data(client, session, world):
    order, _, _ = await reviewed(client, session, world, quality=4, attitude=5, skill=5, text="很满意")
    await paid_order(client, session, world)
    h = auth(world["token"])
    r = await client.get("/api/v1/me/data-export", headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"].startswith(f'attachment; filename="anjia-data-{world["customer_id"]}-')
    data = r.json()
    assert data["profile"]["phone"] == "13800001000"  # their own data, unmasked
    assert [a["detail"] for a in data["addresses"]] == ["漕溪北路 88 号"]
    assert len(data["orders"]) == 2 and {o["number"] for o in data["orders"]} >= {order["number"]}
    assert len(data["payments"]) == 2 and all(p["status"] == "succeeded" for p in data["payments"])
    assert [rv["text"] for rv in data["reviews"]] == ["很满意"]
    assert data["notifications"] and "notifications" in data["retention"]
    rows = (await session.execute(text("SELECT action, target_id FROM audit_logs WHERE action = 'personal_data.export'"))).all()
    assert [tuple(x) for x in rows] == [("personal_data.export", str(world["customer_id"]))]
    assert (await client.get("/api/v1/me/data-export")).status_code == 401


async def test_deleting_the_account_wipes_addresses_and_keeps_orders_anonymous(client, session, world):
    order, _ = await paid_order(client, session, world)
    h = auth(world["token"])
    assert (await client.delete("/api/v1/me", headers=h)).status_code == 204
    assert (await client.get("/api/v1/me/data-export", headers=h)).status_code == 401
    from anjia.accounts.models import User
    from anjia.addresses.models import Address
    from anjia.orders.models import Order
    session.expire_all()
    a = await session.scalar(select(Address).where(Address.user_id == world["customer_id"]))
    assert (a.contact_name, a.contact_phone, a.detail, a.deleted_at is not None) == ("", "", "已删除", True)
    u = await session.get(User, world["customer_id"])
    assert u.phone is None and u.nickname == "已注销用户"
    kept = await session.get(Order, order["id"])
    assert kept is not None and kept.total == order["total"]  # the books keep the order


async def test_retention_removes_what_is_kept_no_longer(client, session, world):
    from anjia.notifications.models import Notification
    from anjia.privacy.tasks import apply_retention
    from anjia.sms.models import SmsMessage

    t = now()
    session.add_all([
        Notification(user_id=world["customer_id"], kind="notice", title="旧", body="旧", data={},
                     created_at=t - timedelta(days=400)),
        Notification(user_id=world["customer_id"], kind="notice", title="新", body="新", data={}),
        SmsMessage(provider="console", kind="code", phone="13800001000", template="", status="sent",
                   created_at=t - timedelta(days=200)),
        SmsMessage(provider="console", kind="code", phone="13800001000", template="", status="sent"),
    ])
    await session.execute(text("INSERT INTO worker_locations (worker_id, order_id, lat, lng, reported_at) VALUES "
                               "(:a, 0, 31.2, 121.4, now() - interval '2 days'), (:b, 0, 31.2, 121.4, now())"),
                          {"a": world["workers"][0], "b": world["workers"][1]})
    await session.commit()
    assert await apply_retention() == {"notifications": 1, "sms_messages": 1, "worker_locations": 1}
    left = (await session.execute(text("SELECT (SELECT count(*) FROM notifications), (SELECT count(*) FROM sms_messages), "
                                       "(SELECT worker_id FROM worker_locations)"))).one()
    assert tuple(left) == (1, 1, world["workers"][1])
    assert await apply_retention() == {"notifications": 0, "sms_messages": 0, "worker_locations": 0}
