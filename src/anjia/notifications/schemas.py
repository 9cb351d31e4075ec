from datetime import datetime

from pydantic import BaseModel, ConfigDict

from anjia.core.paging import Page


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    title: str
    body: str
    data: dict
    read_at: datetime | None
    created_at: datetime


class UnreadCount(BaseModel):
    unread: int


class NotificationPage(Page[NotificationOut]):
    unread: int
