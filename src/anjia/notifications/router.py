from typing import Literal

from fastapi import APIRouter

from anjia.core.auth import CurrentUser, Session
from anjia.core.errors import responses
from anjia.core.params import Id, PageNo, PageSize
from anjia.notifications import schemas, service

router = APIRouter(prefix="/notifications", tags=["notifications"], responses=responses("not_found"))
subscriptions = APIRouter(prefix="/me/wechat-subscriptions", tags=["notifications"], responses=responses("not_found"))


@router.get("")
async def inbox(user: CurrentUser, session: Session, page: PageNo = 1, page_size: PageSize = 20
                ) -> schemas.NotificationPage:
    return await service.inbox(session, user.id, page, page_size)


@router.get("/unread-count")
async def unread_count(user: CurrentUser, session: Session) -> schemas.UnreadCount:
    return {"unread": await service.unread_count(session, user.id)}


@router.post("/{notification_id}/read")
async def mark_read(notification_id: Id, user: CurrentUser, session: Session) -> schemas.UnreadCount:
    await service.mark_read(session, user.id, notification_id)
    return {"unread": await service.unread_count(session, user.id)}


@router.post("/read-all")
async def mark_all_read(user: CurrentUser, session: Session) -> schemas.UnreadCount:
    await service.mark_read(session, user.id, None)
    return {"unread": 0}


@subscriptions.get("/templates")
async def subscribe_templates(user: CurrentUser, moment: Literal["booked", "accepted"]) -> schemas.SubscribeTemplates:
    """What the mini program asks the user to subscribe to right after booking (customers) or
    accepting an order (workers)."""
    return service.subscribe_templates(moment)


@subscriptions.post("")
async def record_subscriptions(body: schemas.SubscribeResults, user: CurrentUser, session: Session
                               ) -> schemas.SubscriptionsOut:
    """Store the answer of WeChat's subscribe dialog (each accept allows one message)."""
    return schemas.SubscriptionsOut(remaining=await service.record_subscriptions(session, user.id, body.results))
