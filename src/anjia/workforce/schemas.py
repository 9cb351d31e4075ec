from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from anjia.core.paging import Page
from anjia.core.types import Code, Id, Lat, Lng, Note, Patch
from anjia.workforce import state

ReviewStatus = Literal["draft", "submitted", "more_info", "rejected", "approved"]
EmploymentStatus = Literal["active", "suspended", "left"]
ReasonCode = Literal[tuple(state.REASONS)]  # type: ignore[valid-type]


class WorkerUpdate(Patch):
    """Operators' edits of where and what a worker works (statuses change by decisions only)."""
    skills: list[Code] = Field(default=None, max_length=20)
    region_id: Id | None = None
    radius_km: float = Field(default=None, gt=0, le=30)
    home_lat: Lat | None = None
    home_lng: Lng | None = None
    level: int = Field(default=None, ge=1, le=9, strict=True)


class WorkerOut(BaseModel):
    id: int
    nickname: str
    phone: str | None
    skills: list[str]  # eligible: declared and with the certificates they need
    declared_skills: list[str]
    region_id: int | None
    verified: bool
    active: bool
    review_status: ReviewStatus
    employment_status: EmploymentStatus
    gender: Literal["female", "male"] | None
    radius_km: float
    home_lat: float | None
    home_lng: float | None
    rating: float
    level: int


class WorkerPage(Page[WorkerOut]):
    pass


def worker_out(u, p, phone) -> WorkerOut:
    return WorkerOut(id=u.id, nickname=u.nickname, phone=phone, skills=list(p.skills or []) if p else [],
                     declared_skills=list(p.declared_skills or []) if p else [],
                     region_id=p.region_id if p else None, verified=p.verified if p else False,
                     active=p.active if p else True, review_status=p.review_status if p else "draft",
                     employment_status=p.employment_status if p else "active", gender=p.gender if p else None,
                     radius_km=p.radius_km if p else 10,
                     home_lat=p.home_lat if p else None, home_lng=p.home_lng if p else None,
                     rating=p.rating if p else 5.0, level=p.level if p else 1)


class ReasonOut(BaseModel):
    code: str
    label: str
    label_en: str


def reason(code: str) -> ReasonOut:
    zh, en = state.REASONS.get(code, (code, code))
    return ReasonOut(code=code, label=zh, label_en=en)


class ReviewDecisionIn(BaseModel):
    action: Literal["approve", "reject", "ask"]
    reasons: list[ReasonCode] = Field(default_factory=list, max_length=10)
    note: Note = ""


class EmploymentIn(BaseModel):
    action: Literal["suspend", "reinstate", "leave", "rehire"]
    reasons: list[ReasonCode] = Field(default_factory=list, max_length=10)
    note: Note = ""


class StatusEventOut(BaseModel):
    id: int
    kind: str
    from_status: str | None
    to_status: str
    reasons: list[ReasonOut]
    note: str
    actor: str | None
    at: datetime
