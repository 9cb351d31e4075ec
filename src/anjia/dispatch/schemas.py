from datetime import datetime

from pydantic import BaseModel

from anjia.core.types import Id


class AssignIn(BaseModel):
    worker_id: Id


class CandidateOut(BaseModel):
    worker_id: int
    nickname: str
    score: float | None
    breakdown: dict[str, float]
    distance_km: float | None
    offered: bool
    outcome: str | None


class RoundOut(BaseModel):
    round: int
    mode: str
    created_at: datetime
    candidates: list[CandidateOut]


class DispatchOut(BaseModel):
    mode: str
    rounds: list[RoundOut]
