"""Notify a person: inbox row + realtime event in the caller's transaction; the offline copy (a
WeChat subscribe message, else SMS) is marked pending and sent after commit by a job, so a
rolled-back change never texts anybody. Also what mini program users allowed to be sent."""
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.config import get_settings
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.notifications.models import Notification, WechatSubscription
from anjia.notifications.schemas import NotificationOut, NotificationPage, SubscribeTemplates
from anjia.realtime.service import publish

# Order timeline events that the customer hears about, in app and by SMS.
CUSTOMER_MESSAGES = {
    "accepted": ("师傅已接单", "您的{service}订单已由{worker}接单，将按时上门。"),
    "departed": ("师傅已出发", "{worker}已出发前往服务地址，请保持电话畅通。"),
    "checked_in": ("师傅已到达", "{worker}已到达，服务开始。"),
    "checked_out": ("服务已完成", "您的{service}服务已完成，欢迎评价。"),
    "supplement_requested": ("请补缴差价", "您的{service}服务时长超出预估，请在订单页补缴差价。"),
    "refunded": ("退款已到账", "您的{service}订单退款已原路退回，请注意查收。"),
    "worker_withdrawn": ("正在为您重新安排师傅", "您的{service}订单原定师傅暂时无法服务，平台正在为您重新安排，请留意通知。"),
    "dispatch_failed": ("暂未匹配到师傅", "您的{service}订单暂未匹配到师傅，客服将尽快为您安排。"),
}


async def notify(session: AsyncSession, user_id: int, kind: str, title: str, body: str, data: dict,
                 sms: bool = False, sms_params: dict[str, str] | None = None) -> Notification:
    """`sms_params`: the variables of the kind's SMS template beyond `title` (anjia.sms.service)."""
    wechat = kind in get_settings().wechat_subscribe
    n = Notification(user_id=user_id, kind=kind, title=title, body=body, data=data,
                     sms_status="pending" if sms else None, wechat_status="pending" if sms or wechat else None,
                     sms_params={"title": title, **(sms_params or {})} if sms or wechat else None)
    session.add(n)
    await session.flush()
    await publish(session, [f"user:{user_id}"], "notification.created",
                  {"id": n.id, "kind": kind, "title": title, "body": body, **data})
    return n


async def inbox(session: AsyncSession, user_id: int, page: int, page_size: int) -> NotificationPage:
    where = Notification.user_id == user_id
    total = await session.scalar(select(func.count()).where(where)) or 0
    unread = await unread_count(session, user_id)
    rows = await session.scalars(select(Notification).where(where).order_by(Notification.id.desc())
                                 .offset((page - 1) * page_size).limit(page_size))
    return NotificationPage(items=[NotificationOut.model_validate(r) for r in rows], total=total, unread=unread,
                            page=page, page_size=page_size)


async def unread_count(session: AsyncSession, user_id: int) -> int:
    return await session.scalar(select(func.count()).where(Notification.user_id == user_id,
                                                           Notification.read_at.is_(None))) or 0


async def mark_read(session: AsyncSession, user_id: int, notification_id: int | None) -> int:
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return (await session.execute(stmt.values(read_at=now()))).rowcount


# ---------------------------------------------------------------- WeChat subscribe messages
def subscribe_templates(moment: str) -> SubscribeTemplates:
    """The template ids the mini program asks for at this moment (after booking, after accepting)."""
    settings = get_settings()
    kinds = settings.wechat_subscribe_moments.get(moment)
    if kinds is None:
        raise AppError("not_found")
    ids = [settings.wechat_subscribe[k]["template_id"] for k in kinds if k in settings.wechat_subscribe]
    return SubscribeTemplates(moment=moment, template_ids=list(dict.fromkeys(ids))[:3])


async def record_subscriptions(session: AsyncSession, user_id: int, results: dict[str, str]) -> dict[str, int]:
    """What the user answered in WeChat's dialog: each accept allows one more message of that
    template; a refusal is remembered (messages of that kind then go by SMS)."""
    known = {t["template_id"] for t in get_settings().wechat_subscribe.values()}
    unknown = [t for t in results if t not in known]
    if unknown:
        raise AppError("validation_error", errors=[{"field": "results", "message": f"unknown template {unknown[0]}"}])
    for template_id, result in results.items():
        add = 1 if result == "accept" else 0
        stmt = insert(WechatSubscription).values(user_id=user_id, template_id=template_id, remaining=add,
                                                 last_result=result)
        await session.execute(stmt.on_conflict_do_update(
            index_elements=["user_id", "template_id"],
            set_={"remaining": WechatSubscription.remaining + add, "last_result": result, "updated_at": func.now()}))
    rows = await session.execute(select(WechatSubscription.template_id, WechatSubscription.remaining)
                                 .where(WechatSubscription.user_id == user_id))
    return dict(rows.all())


async def use_subscription(session: AsyncSession, user_id: int, template_id: str) -> bool:
    """Take one allowed message (False when none is left): one statement, so two senders never
    use the same one."""
    taken = await session.scalar(update(WechatSubscription).where(
        WechatSubscription.user_id == user_id, WechatSubscription.template_id == template_id,
        WechatSubscription.remaining > 0).values(remaining=WechatSubscription.remaining - 1)
        .returning(WechatSubscription.remaining))
    return taken is not None


async def subscription_gone(session: AsyncSession, user_id: int, template_id: str) -> None:
    """WeChat says the user has no subscription left (43101): believe it."""
    await session.execute(update(WechatSubscription).where(
        WechatSubscription.user_id == user_id, WechatSubscription.template_id == template_id)
        .values(remaining=0, last_result="used_up"))


async def purge_before(session: AsyncSession, cutoff) -> int:
    """Retention: inbox rows older than `cutoff` go (their offline copies went long ago)."""
    return (await session.execute(delete(Notification).where(Notification.created_at < cutoff))).rowcount
