from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

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


class SubscribeTemplates(BaseModel):
    """Template ids to pass to wx.requestSubscribeMessage at this moment (none when not configured)."""
    moment: str
    template_ids: list[str]


class SubscribeResults(BaseModel):
    """wx.requestSubscribeMessage's answer: template id → accept | reject | ban | filter."""
    results: Annotated[dict[Annotated[str, Field(max_length=64)], Literal["accept", "reject", "ban", "filter"]],
                       Field(min_length=1, max_length=10)]


class SubscriptionsOut(BaseModel):
    """Messages still allowed per template."""
    remaining: dict[str, int]
