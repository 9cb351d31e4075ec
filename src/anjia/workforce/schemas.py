from pydantic import BaseModel, Field

from anjia.core.paging import Page
from anjia.core.types import Code, Id, Lat, Lng, Patch


class WorkerUpdate(Patch):
    skills: list[Code] = Field(default=None, max_length=20)
    region_id: Id | None = None
    verified: bool = None
    active: bool = None
    radius_km: float = Field(default=None, gt=0, le=30)
    home_lat: Lat | None = None
    home_lng: Lng | None = None
    level: int = Field(default=None, ge=1, le=9, strict=True)


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
    level: int


class WorkerPage(Page[WorkerOut]):
    pass


def worker_out(u, p, phone) -> WorkerOut:
    return WorkerOut(id=u.id, nickname=u.nickname, phone=phone, skills=list(p.skills or []) if p else [],
                     region_id=p.region_id if p else None, verified=p.verified if p else False,
                     active=p.active if p else True, radius_km=p.radius_km if p else 10,
                     home_lat=p.home_lat if p else None, home_lng=p.home_lng if p else None,
                     rating=p.rating if p else 5.0, level=p.level if p else 1)
