import procrastinate
from sqlalchemy import or_, select

from anjia.accounts.models import User
from anjia.config import get_settings
from anjia.core import db
from anjia.notifications.models import Notification
from anjia.providers import wechat
from anjia.providers.sms import get_sms_provider

blueprint = procrastinate.Blueprint()


async def send_pending(limit: int = 200) -> int:
    """Offline copies of committed notifications: SMS, and a WeChat subscribe message to users who
    signed in with WeChat. SKIP LOCKED lets several job workers share the queue."""
    settings = get_settings()
    sms = get_sms_provider()
    done = 0
    async with db.sessionmaker()() as session:
        while done < limit:  # one row per transaction: a failure later never resends what went out
            n = await session.scalar(
                select(Notification).where(or_(Notification.sms_status == "pending",
                                               Notification.wechat_status == "pending"))
                .order_by(Notification.id).limit(1).with_for_update(skip_locked=True))
            if n is None:
                break
            user = await session.get(User, n.user_id)
            active = user is not None and user.is_active
            if n.sms_status == "pending":
                if active and user.phone:
                    await sms.send_text(user.phone, f"【安家】{n.title}：{n.body}")
                    n.sms_status = "sent"
                else:
                    n.sms_status = "skipped"
            if n.wechat_status == "pending":
                if active and user.wechat_openid and wechat.configured() and settings.wechat_order_template_id:
                    await wechat.send_subscribe(user.wechat_openid, settings.wechat_order_template_id,
                                                f"booking/order/index?id={n.data.get('order_id', '')}",
                                                {"thing1": n.title, "thing2": n.body})
                    n.wechat_status = "sent"
                else:
                    n.wechat_status = "skipped"
            await session.commit()
            done += 1
    return done


@blueprint.periodic(cron="* * * * * */10")
@blueprint.task(name="notifications.send_pending", queueing_lock="send_pending_notifications", pass_context=False,
                retry=procrastinate.RetryStrategy(max_attempts=3, wait=5))
async def send_pending_job(timestamp: int) -> None:
    await send_pending()
