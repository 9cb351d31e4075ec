from datetime import date, datetime
from typing import Annotated, Literal

import annotated_types as at
from pydantic import BaseModel, StringConstraints, model_validator

from anjia.core.types import Fen, Name, Patch, Text

Month = Annotated[str, StringConstraints(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$")]
"""A calendar month, YYYY-MM (2000-01 .. 2099-12)."""
Factor = Literal["rating", "punctuality", "completion", "acceptance", "overruns", "complaints"]
Grade = Literal["S", "A", "B", "C"]
RuleKind = Literal["bonus", "level_up", "level_down", "badge"]
Score = Annotated[float, at.Ge(0), at.Le(100)]
Sort = Literal["score", "-score", "rating", "-rating", "punctuality", "-punctuality", "completion", "-completion",
               "acceptance", "-acceptance", "overruns", "-overruns", "complaints", "-complaints"]


class FactorOut(BaseModel):
    """One factor of the score with the figures behind it. `rate`: the share that counts for the
    worker (on time, completed, accepted, without overrun), or the mean review score for `rating`;
    None when there was nothing to count (full points). `count`: what was counted (reviews, visits,
    orders taken, offers, completed orders, upheld complaints); `misses`: what cost points (late
    visits, orders lost, offers refused or left, overruns, complaints); `minutes`: late or over, in
    all. `lost`: weight − points; `gain`: what one miss fewer (for the rating, a mean 0.1 higher)
    would have given."""

    key: Factor
    weight: int
    points: float
    lost: float
    gain: float
    rate: float | None
    count: int
    misses: int
    minutes: int | None = None


class RewardOut(BaseModel):
    kind: Literal["bonus", "level", "badge"]
    amount: int | None = None  # bonus, fen
    badge: str | None = None
    level_from: int | None = None
    level_to: int | None = None


class ScorecardOut(BaseModel):
    month: str  # YYYY-MM
    status: Literal["draft", "published"]
    worker_id: int
    worker_name: str
    region: str | None
    level: int  # the worker's level when computed
    score: float
    grade: Grade
    rank: int  # in the month, among every scorecard (1 = best)
    workers: int  # scorecards in the month
    factors: list[FactorOut]
    tips: list[Factor]  # the factors that lost most points, worst first (at most 3)
    rewards: list[RewardOut]


class RewardRuleBrief(BaseModel):
    """A reward rule as the worker sees it."""

    name: str
    kind: RuleKind
    min_score: float | None
    below_score: float | None
    min_completed: int
    amount: int | None
    badge: str | None


class WorkerPerformanceOut(BaseModel):
    """The worker's published months, newest first, and what the weights and rules are."""

    months: list[ScorecardOut]
    weights: dict[str, int]
    late_minutes: int  # a check-in later than this after the start is late
    rules: list[RewardRuleBrief]


class MonthOut(BaseModel):
    month: str
    status: Literal["none", "draft", "published"]  # none: not evaluated yet
    workers: int
    average: float | None
    bonuses: int  # fen given by the month's bonuses
    computed_at: datetime | None
    published_at: datetime | None
    published_by: str | None


class RankingRow(BaseModel):
    rank: int
    worker_id: int
    worker_name: str
    region: str | None
    level: int
    score: float
    grade: Grade
    rating: float | None
    reviews: int
    punctuality: float  # points of each factor
    completion: float
    acceptance: float
    overruns: float
    complaints: float
    rating_points: float
    late: int
    taken: int
    completed: int
    offered: int
    accepted: int
    overrun_count: int
    complaint_count: int
    bonus: int | None  # fen, once published


class RankingPage(BaseModel):
    month: MonthOut
    items: list[RankingRow]
    total: int
    page: int
    page_size: int


class TrendOut(BaseModel):
    """A worker's months, oldest first, with ECharts-ready series."""

    worker_id: int
    worker_name: str
    months: list[ScorecardOut]
    categories: list[str]
    series: dict[str, list[float]]  # score and each factor's points, by month


class RewardRuleIn(BaseModel):
    """A reward rule: applies when score ≥ `min_score` and < `below_score` (either may be left out,
    not both) and the worker completed at least `min_completed` orders in the month. A bonus needs
    `amount` (fen), a badge rule `badge`."""

    name: Name
    kind: RuleKind
    min_score: Score | None = None
    below_score: Score | None = None
    min_completed: Annotated[int, at.Ge(0), at.Le(10_000)] = 0
    amount: Fen | None = None
    badge: Text(16, min_length=1) | None = None  # type: ignore[valid-type]
    active: bool = True

    @model_validator(mode="after")
    def _consistent(self):
        if self.min_score is None and self.below_score is None:
            raise ValueError("give min_score, below_score or both")
        if self.min_score is not None and self.below_score is not None and self.min_score >= self.below_score:
            raise ValueError("min_score must be below below_score")
        if (self.kind == "bonus") != (self.amount is not None):
            raise ValueError("a bonus rule, and only a bonus rule, has an amount")
        if (self.kind == "badge") != (self.badge is not None):
            raise ValueError("a badge rule, and only a badge rule, has a badge")
        return self


class RewardRulePatch(Patch):
    name: Name = None
    min_score: Score | None = None
    below_score: Score | None = None
    min_completed: Annotated[int, at.Ge(0), at.Le(10_000)] = None
    amount: Fen | None = None
    badge: Text(16, min_length=1) | None = None  # type: ignore[valid-type]
    active: bool = None


class RewardRuleOut(RewardRuleBrief):
    id: int
    active: bool
    updated_at: datetime


def month_str(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"
