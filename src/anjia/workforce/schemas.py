from pydantic import BaseModel, Field

from anjia.core.paging import Page


class WorkerUpdate(BaseModel):
    skills: list[str] | None = Field(default=None, max_length=20)
    region_id: int | None = None
    verified: bool | None = None
    active: bool | None = None
    radius_km: float | None = Field(default=None, gt=0, le=30)
    home_lat: float | None = Field(default=None, ge=-90, le=90)
    home_lng: float | None = Field(default=None, ge=-180, le=180)


class WorkerOut(BaseModel):
    id: int
    nickname: str
    phone: str | None
    skills: list[str]
    region_id: int | None
    verified: bool
    active: bool
    radius_km: float
    home_lat: float | None
    home_lng: float | None
    rating: float


class WorkerPage(Page[WorkerOut]):
    pass


def worker_out(u, p, phone) -> WorkerOut:
    return WorkerOut(id=u.id, nickname=u.nickname, phone=phone, skills=list(p.skills or []) if p else [],
                     region_id=p.region_id if p else None, verified=p.verified if p else False,
                     active=p.active if p else True, radius_km=p.radius_km if p else 10,
                     home_lat=p.home_lat if p else None, home_lng=p.home_lng if p else None,
                     rating=p.rating if p else 5.0)
