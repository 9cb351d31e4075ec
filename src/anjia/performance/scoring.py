"""The monthly score: pure and published (the worker app and the console show these weights and
rules). Each factor gives up to its weight in points, rounded to 0.1 half up; the score is their
sum, so the points shown always add up to the score. A factor with nothing to count (no reviews,
no visits, no offers) gives its full weight: nothing counted against the worker — reward rules
ask for a minimum of completed orders so an idle month earns nothing.

  rating       30 × (mean review score − 3) / 2, within 0..1  (3.0 or less: 0; 5.0: 30)
  punctuality  20 × visits on time / visits   (late: check-in more than 10 minutes after the start)
  completion   15 × completed / taken         (taken: completed, or lost for a worker issue or a reassignment)
  acceptance   10 × accepted / offers answered or expired
  overruns     10 × (1 − overruns / completed) (overrun: checked out after the scheduled end)
  complaints   15 − 5 per upheld complaint, at least 0
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WEIGHTS: dict[str, int] = {"rating": 30, "punctuality": 20, "completion": 15, "acceptance": 10, "overruns": 10,
                           "complaints": 15}
FACTORS = list(WEIGHTS)
COMPLAINT_PENALTY = 5
GRADES = [(Decimal(90), "S"), (Decimal(80), "A"), (Decimal(60), "B"), (Decimal(0), "C")]
GRADE_LABELS = {"S": ("优秀", "Excellent"), "A": ("良好", "Good"), "B": ("合格", "Fair"), "C": ("待改进", "Needs work")}
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Figures:
    """A worker's month as counted from data."""

    reviews: int = 0
    rating: Decimal | None = None  # mean of the three scores over the month's reviews
    visits: int = 0
    late: int = 0
    late_minutes: int = 0
    taken: int = 0
    completed: int = 0
    offered: int = 0
    accepted: int = 0
    overruns: int = 0
    overrun_minutes: int = 0
    complaints: int = 0


def _points(weight: int, share: Decimal) -> Decimal:
    share = min(max(share, Decimal(0)), Decimal(1))
    return (weight * share).quantize(TENTH, rounding=ROUND_HALF_UP)


def _ratio(part: int, whole: int) -> Decimal:
    return Decimal(1) if whole == 0 else Decimal(part) / Decimal(whole)


def rating_share(rating: Decimal | None) -> Decimal:
    return Decimal(1) if rating is None else (Decimal(rating) - 3) / 2


def points(f: Figures) -> dict[str, Decimal]:
    """Each factor's points (0.1 steps)."""
    return {
        "rating": _points(WEIGHTS["rating"], rating_share(f.rating)),
        "punctuality": _points(WEIGHTS["punctuality"], _ratio(f.visits - f.late, f.visits)),
        "completion": _points(WEIGHTS["completion"], _ratio(f.completed, f.taken)),
        "acceptance": _points(WEIGHTS["acceptance"], _ratio(f.accepted, f.offered)),
        "overruns": _points(WEIGHTS["overruns"], _ratio(f.completed - f.overruns, f.completed)),
        "complaints": Decimal(max(0, WEIGHTS["complaints"] - COMPLAINT_PENALTY * f.complaints)).quantize(TENTH),
    }


def score(p: dict[str, Decimal]) -> Decimal:
    return sum(p.values(), Decimal(0)).quantize(TENTH)


def grade(s: Decimal) -> str:
    return next(g for floor, g in GRADES if s >= floor)


def gain(f: Figures, factor: str) -> Decimal:
    """Points one step better would have given: one late visit, lost order, refused offer, overrun or
    complaint fewer; for the rating, a mean 0.1 higher."""
    better = {
        "rating": lambda: Figures(**{**f.__dict__, "rating": min(Decimal(5), (f.rating or Decimal(5)) + TENTH)}),
        "punctuality": lambda: Figures(**{**f.__dict__, "late": max(0, f.late - 1)}),
        "completion": lambda: Figures(**{**f.__dict__, "completed": min(f.taken, f.completed + 1)}),
        "acceptance": lambda: Figures(**{**f.__dict__, "accepted": min(f.offered, f.accepted + 1)}),
        "overruns": lambda: Figures(**{**f.__dict__, "overruns": max(0, f.overruns - 1)}),
        "complaints": lambda: Figures(**{**f.__dict__, "complaints": max(0, f.complaints - 1)}),
    }[factor]()
    return points(better)[factor] - points(f)[factor]


# ---------------------------------------------------------------- reward rules
@dataclass(frozen=True)
class Rule:
    id: int
    kind: str  # bonus | level_up | level_down | badge
    min_score: Decimal | None
    below_score: Decimal | None
    min_completed: int
    amount: int | None
    badge: str | None


@dataclass(frozen=True)
class Rewards:
    bonus: Rule | None
    level: Rule | None  # level_up wins over level_down
    badges: list[Rule]


def matches(rule: Rule, s: Decimal, completed: int) -> bool:
    return ((rule.min_score is None or s >= rule.min_score) and (rule.below_score is None or s < rule.below_score)
            and completed >= rule.min_completed)


def rewards(rules: list[Rule], s: Decimal, completed: int) -> Rewards:
    """What the active rules give this score: the largest matching bonus (one per month), one level
    step (up before down) and every matching badge (each once)."""
    hit = [r for r in rules if matches(r, s, completed)]
    bonuses = sorted((r for r in hit if r.kind == "bonus"), key=lambda r: (-(r.amount or 0), r.id))
    ups = [r for r in hit if r.kind == "level_up"]
    downs = [r for r in hit if r.kind == "level_down"]
    badges, seen = [], set()
    for r in sorted((r for r in hit if r.kind == "badge"), key=lambda r: r.id):
        if r.badge not in seen:
            seen.add(r.badge)
            badges.append(r)
    return Rewards(bonus=bonuses[0] if bonuses else None, level=(ups or downs or [None])[0], badges=badges)
