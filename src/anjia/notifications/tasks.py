from datetime import timedelta

import procrastinate
import structlog
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.config import get_settings
from anjia.core.jobs import in_transaction
from anjia.core.security import now
from anjia.notifications import service
from anjia.notifications.models import Notification
from anjia.providers import wechat
from anjia.providers.sms import SmsError
from anjia.sms import service as sms_service

blueprint = procrastinate.Blueprint()
log = structlog.get_logger()

WECHAT_ATTEMPTS = 5  # a subscribe message failing for passing reasons this often goes by SMS instead
RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 30, 1800


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first failure, doubling, at most half an hour."""
    return timedelta(seconds=min(RETRY_MAX_SECONDS, RETRY_FIRST_SECONDS * 2 ** (attempts - 1)))


async def _send_one(session: AsyncSession, settings) -> bool:
    """The oldest pending notification's offline copy; False when none is left. A WeChat subscribe
    message when the user allowed one for the kind's template, else (refused, used up, no WeChat)
    the SMS copy."""
    n = await session.scalar(
        select(Notification).where(or_(Notification.sms_status == "pending", Notification.wechat_status == "pending"),
                                   or_(Notification.retry_at.is_(None), Notification.retry_at <= now()))
        .order_by(Notification.id).limit(1).with_for_update(skip_locked=True))
    if n is None:
        return False
    user = await session.get(User, n.user_id)
    active = user is not None and user.is_active
    delivered = False
    if n.wechat_status == "pending":
        n.wechat_status = await _wechat(session, settings, n, user) if active else "skipped"
        if n.wechat_status == "pending":
            return True  # to be tried again at retry_at; the SMS copy waits for the answer
        n.retry_at = None
        delivered = n.wechat_status == "sent"
    if n.sms_status == "pending":
        if delivered:
            n.sms_status = "skipped"  # the subscribe message said it
        elif active and user.phone:
            try:
                await sms_service.send(session, user.phone, n.kind, n.sms_params or {"title": n.title},
                                       f"【{settings.sms_sign_name}】{n.title}：{n.body}")
                n.sms_status = "sent"
            except SmsError:  # recorded and logged by the sms package; never retried
                n.sms_status = "failed"
        else:
            n.sms_status = "skipped"
    return True


class _Values(dict):
    def __missing__(self, key: str) -> str:  # a field naming a variable this notification lacks
        return ""


async def _wechat(session: AsyncSession, settings, n: Notification, user: User) -> str:
    """sent | unsubscribed (nothing allowed: SMS instead) | skipped (no WeChat for this user or kind) |
    failed (WeChat refused the message for good, e.g. an invalid template, or kept failing: SMS instead) |
    pending (a passing failure: tried again after a back-off). The used subscription is given back
    whenever the message did not go out. Nothing raises, so one bad message never holds up the rest."""
    template = settings.wechat_subscribe.get(n.kind)
    if not (template and user.wechat_openid and wechat.configured()):
        return "skipped"
    values = _Values({**{k: str(v) for k, v in (n.data or {}).items()}, **(n.sms_params or {}),
                      "title": n.title, "body": n.body})
    fields = {name: str(spec).format_map(values) for name, spec in template.get("fields", {}).items()}
    page = str(template.get("page", "")).format_map(values)
    try:
        async with session.begin_nested():  # a savepoint: rolled back when WeChat refuses
            if not await service.use_subscription(session, user.id, template["template_id"]):
                return "unsubscribed"
            sent = await wechat.send_subscribe(user.wechat_openid, template["template_id"], page, fields)
    except wechat.WechatError as e:  # not sent: the subscription is still the user's
        attempts = n.wechat_attempts + 1
        n.wechat_attempts = attempts
        if e.transient and attempts < WECHAT_ATTEMPTS:
            n.retry_at = now() + retry_delay(attempts)
            log.warning("wechat_subscribe_retry", notification_id=n.id, errcode=e.errcode, errmsg=e.errmsg,
                        attempts=attempts, retry_at=n.retry_at.isoformat())
            return "pending"
        log.warning("wechat_subscribe_failed", notification_id=n.id, kind=n.kind, errcode=e.errcode,
                    errmsg=e.errmsg, attempts=attempts, permanent=not e.transient)
        return "failed"
    if not sent:
        await service.subscription_gone(session, user.id, template["template_id"])
        return "unsubscribed"
    return "sent"


async def send_pending(limit: int = 200) -> int:
    """Offline copies of committed notifications: a WeChat subscribe message, else SMS. One row per transaction, so a failure later never resends what went out;
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
