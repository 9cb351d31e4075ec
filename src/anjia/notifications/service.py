"""Notify a person: inbox row + realtime event in the caller's transaction; the SMS copy is
marked pending and sent after commit by a job, so a rolled-back change never texts anybody."""
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.core.security import now
from anjia.notifications.models import Notification
from anjia.notifications.schemas import NotificationOut, NotificationPage
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
    n = Notification(user_id=user_id, kind=kind, title=title, body=body, data=data,
                     sms_status="pending" if sms else None, wechat_status="pending" if sms else None,
                     sms_params={"title": title, **(sms_params or {})} if sms else None)
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
