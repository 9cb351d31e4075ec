import procrastinate
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.config import get_settings
from anjia.core.jobs import in_transaction
from anjia.notifications.models import Notification
from anjia.providers import wechat
from anjia.providers.sms import SmsError
from anjia.sms import service as sms_service

blueprint = procrastinate.Blueprint()


async def _send_one(session: AsyncSession, settings) -> bool:
    """The oldest pending notification's offline copies; False when none is left."""
    n = await session.scalar(
        select(Notification).where(or_(Notification.sms_status == "pending", Notification.wechat_status == "pending"))
        .order_by(Notification.id).limit(1).with_for_update(skip_locked=True))
    if n is None:
        return False
    user = await session.get(User, n.user_id)
    active = user is not None and user.is_active
    if n.sms_status == "pending":
        if active and user.phone:
            try:
                await sms_service.send(session, user.phone, n.kind, n.sms_params or {"title": n.title},
                                       f"【{settings.sms_sign_name}】{n.title}：{n.body}")
                n.sms_status = "sent"
            except SmsError:  # recorded and logged by the sms package; never retried
                n.sms_status = "failed"
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
    return True


async def send_pending(limit: int = 200) -> int:
    """Offline copies of committed notifications: SMS, and a WeChat subscribe message to users who
    signed in with WeChat. One row per transaction, so a failure later never resends what went out;
    SKIP LOCKED lets several job workers share the queue."""
    settings = get_settings()
    done = 0
    while done < limit and await in_transaction(_send_one, settings):
        done += 1
    return done


@blueprint.periodic(cron="* * * * * */10")
@blueprint.task(name="notifications.send_pending", queueing_lock="send_pending_notifications", pass_context=False,
                retry=procrastinate.RetryStrategy(max_attempts=3, wait=5))
async def send_pending_job(timestamp: int) -> None:
    await send_pending()
