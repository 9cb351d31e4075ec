from datetime import datetime
from typing import Annotated

import annotated_types as at
from pydantic import BaseModel, Field, Strict

from anjia.core.paging import Page
from anjia.core.types import Id, Patch, Text

Score = Annotated[int, Strict(), at.Ge(1), at.Le(5)]
ReviewText = Text(500, multiline=True)


class ReviewIn(BaseModel):
    quality: Score = Field(description="服务质量 1..5")
    attitude: Score = Field(description="服务态度 1..5")
    skill: Score = Field(description="专业技能 1..5")
    text: ReviewText = ""
    photo_ids: list[Id] = Field(default_factory=list, max_length=9,
                                description="ids from POST /reviews/photos, in display order (9 at most)")
    anonymous: bool = False


class ReviewChange(Patch):
    quality: Score = None
    attitude: Score = None
    skill: Score = None
    text: ReviewText = None
    photo_ids: list[Id] = Field(default=None, max_length=9)
    anonymous: bool = None


class ReplyIn(BaseModel):
    text: Text(300, min_length=1, multiline=True)


class HideIn(BaseModel):
    reason: Text(200, min_length=2, multiline=True)


class PhotoOut(BaseModel):
    id: int
    url: str | None
    thumb_url: str | None


class Scores(BaseModel):
    quality: float
    attitude: float
    skill: float


class PersonRef(BaseModel):
    id: int
    name: str


class ReviewOut(BaseModel):
    """The customer's own review."""
    id: int
    order_id: int
    order_number: str
    service_name: str
    worker: PersonRef
    quality: int
    attitude: int
    skill: int
    score: float = Field(description="the average of the three scores")
    text: str
    photos: list[PhotoOut]
    anonymous: bool
    reply: str | None
    replied_at: datetime | None
    hidden: bool = Field(description="an operator hid its text and photos from the worker's public card")
    created_at: datetime
    edited_at: datetime | None
    editable_until: datetime
    editable: bool


class PublicReviewOut(BaseModel):
    """A review as other customers (and the worker) see it: anonymous ones name nobody."""
    id: int
    author: str = Field(description="masked nickname, or 匿名用户")
    anonymous: bool
    service_name: str
    quality: int
    attitude: int
    skill: int
    score: float
    text: str
    photos: list[PhotoOut]
    reply: str | None
    replied_at: datetime | None
    created_at: datetime


class ServiceReviewsOut(Page[PublicReviewOut]):
    """A service's visible reviews, newest first, with their average score (none before the first)."""
    average: float | None = Field(description="mean of the reviews' scores (1–5), 2 decimals")


class WorkerCardOut(BaseModel):
    id: int
    name: str
    level: int
    rating: float = Field(description="the worker's rating (Bayesian average of their reviews)")
    review_count: int
    averages: Scores | None = Field(description="per dimension, over every review; none before the first")
    stars: dict[str, int] = Field(description="reviews by rounded average score, '1'..'5'")
    recent: list[PublicReviewOut] = Field(description="the newest visible reviews")
    favourite: bool = Field(description="the caller has this worker among their favourites")


class WorkerReviewOut(PublicReviewOut):
    order_number: str | None = Field(description="none on anonymous reviews")
    hidden: bool
    can_reply: bool


class WorkerReviewsOut(Page[WorkerReviewOut]):
    rating: float
    averages: Scores | None


class AdminReviewOut(BaseModel):
    id: int
    order_id: int
    order_number: str
    service_name: str
    customer: PersonRef
    worker: PersonRef
    quality: int
    attitude: int
    skill: int
    score: float
    text: str
    photos: list[PhotoOut]
    anonymous: bool
    low: bool
    follow_up_ticket_id: int | None
    reply: str | None
    replied_at: datetime | None
    hidden: bool
    hidden_reason: str | None
    hidden_at: datetime | None
    created_at: datetime
    edited_at: datetime | None
