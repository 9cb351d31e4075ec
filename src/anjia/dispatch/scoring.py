"""Candidate scoring: pure, explainable. Each factor is normalised to 0..1 and weighted; the
breakdown (factor -> weighted points) is stored with every dispatch decision."""
from dataclasses import dataclass

WEIGHTS = {"distance": 0.30, "rating": 0.20, "acceptance": 0.15, "load": 0.15, "previous": 0.10, "favourite": 0.10}
MAX_LOAD = 6  # bookings in a day at which the load factor reaches 0


@dataclass(frozen=True)
class Candidate:
    worker_id: int
    distance_km: float
    radius_km: float
    rating: float  # 0..5
    acceptance_rate: float  # 0..1 (offers accepted / answered or expired; 1 for newcomers)
    load_today: int  # bookings on the order's day
    previous: bool  # the customer's previous or plan worker
    favourite: bool = False  # among the customer's favourite workers (我的收藏)


def score(c: Candidate) -> tuple[float, dict[str, float]]:
    factors = {
        "distance": max(0.0, 1 - c.distance_km / max(c.radius_km, 0.1)),
        "rating": min(max(c.rating / 5, 0.0), 1.0),
        "acceptance": min(max(c.acceptance_rate, 0.0), 1.0),
        "load": max(0.0, 1 - c.load_today / MAX_LOAD),
        "previous": 1.0 if c.previous else 0.0,
        "favourite": 1.0 if c.favourite else 0.0,
    }
    breakdown = {k: round(WEIGHTS[k] * v, 4) for k, v in factors.items()}
    return round(sum(breakdown.values()), 4), breakdown


def rank(candidates: list[Candidate]) -> list[tuple[Candidate, float, dict[str, float]]]:
    """Best first; ties go to the nearer worker, then the lower id (stable, reproducible)."""
    scored = [(c, *score(c)) for c in candidates]
    return sorted(scored, key=lambda t: (-t[1], t[0].distance_km, t[0].worker_id))
