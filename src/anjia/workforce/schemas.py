from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from anjia.core.paging import Page
from anjia.core.types import Code, Day, Id, Lat, Lng, Name, Note, Patch
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


# ---------------------------------------------------------------- sign-up, certificates, the file
CertificateKind = Literal["health", "housekeeping", "nanny", "maternity", "elderly"]
TrainingResult = Literal["passed", "failed", "attended"]
RealName = Annotated[str, StringConstraints(min_length=2, max_length=32, pattern=r"^[^\x00-\x1f\x7f-\x9f0-9]*$")]
IdNumberText = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z ]*$")]
CertificateNumber = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")]


class IdentityIn(BaseModel):
    real_name: RealName
    id_number: IdNumberText


class WorkerFileIn(Patch):
    """The worker's own sign-up details (while the file is a draft or sent back)."""
    experience_years: int = Field(default=None, ge=0, le=50, strict=True)
    experience: Note = None
    declared_skills: list[Code] = Field(default=None, max_length=20)
    region_id: Id = None
    home_lat: Lat = None
    home_lng: Lng = None
    radius_km: float = Field(default=None, gt=0, le=30)


class CertificateOut(BaseModel):
    id: int
    kind: CertificateKind
    kind_label: str
    kind_label_en: str
    number: str
    issued_on: date | None
    expires_on: date
    status: Literal["pending", "approved", "rejected"]
    # what the worker and operators read: pending / valid / expiring (within 30 days) / expired / rejected
    standing: Literal["pending", "valid", "expiring", "expired", "rejected"]
    days_left: int
    review_note: str
    photo_url: str | None
    thumb_url: str | None
    created_at: datetime


class CertificateDecisionIn(BaseModel):
    action: Literal["approve", "reject"]
    note: Note = ""


class SkillOut(BaseModel):
    code: str
    services: list[str]  # the published services that need it (what the skill means to a worker)


class CertificateKindOut(BaseModel):
    kind: CertificateKind
    label: str
    label_en: str
    required_for: list[str]  # skills ('*': every skill)


class FaceCheckOut(BaseModel):
    provider: str | None
    status: Literal["manual", "passed", "failed", "error"] | None
    score: float | None
    detail: str
    checked_at: datetime | None


class WorkerFileOut(BaseModel):
    """The worker's file as the worker sees it (the ID number masked)."""
    review_status: ReviewStatus
    review_reasons: list[ReasonOut]
    review_note: str
    submitted_at: datetime | None
    reviewed_at: datetime | None
    editable: bool
    missing: list[str]  # what submitting still needs: identity, id_photo, selfie, skills, area, certificate:<kind>
    real_name: str | None
    id_number_masked: str | None
    gender: Literal["female", "male"] | None
    birth_date: date | None
    id_photo_url: str | None
    selfie_url: str | None
    experience_years: int
    experience: str
    declared_skills: list[str]
    skills: list[str]
    region_id: int | None
    home_lat: float | None
    home_lng: float | None
    radius_km: float
    certificates: list[CertificateOut]
    face: FaceCheckOut


class TrainingIn(BaseModel):
    course: Name
    taken_on: Day
    hours: float = Field(gt=0, le=1000)
    result: TrainingResult
    certificate_number: Annotated[str, StringConstraints(max_length=64, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")] = ""


class TrainingOut(BaseModel):
    id: int
    course: str
    taken_on: date
    hours: float
    result: TrainingResult
    certificate_number: str
    actor: str | None
    created_at: datetime


class NoteIn(BaseModel):
    text: Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$")]


class NoteOut(BaseModel):
    id: int
    text: str
    actor: str | None
    created_at: datetime


class ChangeOut(BaseModel):
    """An audited change of the file (core.audit), newest first."""
    action: str
    actor: str
    at: datetime
    after: dict | None


class AdminWorkerFileOut(WorkerFileOut):
    """The whole file for operators: the profile, documents, training, notes and history."""
    worker: WorkerOut
    trainings: list[TrainingOut]
    notes: list[NoteOut]
    history: list[StatusEventOut]
    changes: list[ChangeOut]


class ReviewQueueItem(BaseModel):
    id: int
    nickname: str
    phone: str | None
    real_name: str | None
    id_number_masked: str | None
    review_status: ReviewStatus
    submitted_at: datetime | None
    declared_skills: list[str]
    certificates: int
    face_status: str | None
