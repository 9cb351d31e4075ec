"""The monthly evaluation on a known data set (tests/performance/helpers.py): every figure,
every factor's points and the score, worked out by hand."""
from decimal import Decimal

from sqlalchemy import select

from anjia.performance import scoring, service, views
from anjia.performance.models import PerformanceMonth, Scorecard
from tests.performance.helpers import MONTH, known_month

D = Decimal
FIGURES = ("reviews", "rating", "visits", "late", "late_minutes", "taken", "completed", "offered", "accepted",
           "overruns", "overrun_minutes", "complaints")
POINTS = ("rating_points", "punctuality_points", "completion_points", "acceptance_points", "overrun_points",
          "complaint_points", "score", "grade")

EXPECTED = {
    # reviews: means 5, 4.667, 4.333 -> 4.67; 30 × (4.67 − 3) / 2 = 25.05 -> 25.1. All 4 on time (10 min is
    # not late); 4 of 4 completed; 4 of 5 offers; 1 overrun of 4 -> 7.5; no complaint. 90.6: S.
    "A": ((3, D("4.67"), 4, 0, 0, 4, 4, 5, 4, 1, 20, 0),
          (D("25.1"), D("20.0"), D("15.0"), D("8.0"), D("7.5"), D("15.0"), D("90.6"), "S")),
    # reviews: means 4 and 3 -> 3.5 -> 7.5. 1 of 3 on time -> 6.7 (25 + 11 minutes late); 3 of 5 taken
    # completed (the customer's cancellation does not count) -> 9.0; 4 of 7 offers (the withdrawn one
    # does not count) -> 5.7; no overrun; 1 upheld complaint in October -> 10. 48.9: C.
    "B": ((2, D("3.50"), 3, 2, 36, 5, 3, 7, 4, 0, 0, 1),
          (D("7.5"), D("6.7"), D("9.0"), D("5.7"), D("10.0"), D("10.0"), D("48.9"), "C")),
    # no reviews and no offers: full points; 1 visit on time, completed, 45 minutes over -> 0 of 10;
    # 4 upheld complaints -> 0 of 15. The 1 November 07:00 order is November's. 75.0: B.
    "C": ((0, None, 1, 0, 0, 1, 1, 0, 0, 1, 45, 4),
          (D("30.0"), D("20.0"), D("15.0"), D("10.0"), D("0.0"), D("0.0"), D("75.0"), "B")),
}


async def test_the_known_month_scores_as_worked_out_by_hand(session, world):
    workers = dict(zip("ABC", await known_month(session, world), strict=True))
    month = await service.evaluate(session, MONTH)
    await session.commit()
    assert (month.status, month.workers, month.weights) == ("draft", 3, scoring.WEIGHTS)
    cards = {c.worker_id: c for c in await session.scalars(select(Scorecard).where(Scorecard.month == MONTH))}
    assert set(cards) == set(workers.values())
    for name, (figures, points) in EXPECTED.items():
        card = cards[workers[name]]
        assert tuple(getattr(card, f) for f in FIGURES) == figures, name
        assert tuple(getattr(card, p) for p in POINTS) == points, name
        assert card.service_ids == [world["services"]["厨房深度清洁"]]


async def test_what_would_raise_it_names_the_costliest_factors_with_figures(session, world):
    _, b, _ = await known_month(session, world)
    await service.evaluate(session, MONTH)
    await session.commit()
    card = await session.scalar(select(Scorecard).where(Scorecard.worker_id == b))
    fs = {f.key: f for f in views.factors(card)}
    assert views.tips(list(fs.values())) == ["rating", "punctuality", "completion"]
    assert (fs["rating"].lost, fs["rating"].gain, fs["rating"].rate) == (22.5, 1.5, 3.5)  # a mean of 3.6 gives 9.0
    # one late visit fewer: 2 of 3 on time = 13.3
    assert (fs["punctuality"].misses, fs["punctuality"].minutes, fs["punctuality"].gain) == (2, 36, 6.6)
    assert (fs["completion"].count, fs["completion"].misses, fs["completion"].lost) == (5, 2, 6.0)
    assert (fs["acceptance"].count, fs["acceptance"].misses, fs["acceptance"].gain) == (7, 3, 1.4)
    assert (fs["complaints"].count, fs["complaints"].lost, fs["complaints"].gain) == (1, 5.0, 5.0)
    assert sum(f.points for f in fs.values()) == float(card.score)


async def test_re_evaluating_a_draft_replaces_its_scorecards(session, world):
    a, _, _ = await known_month(session, world)
    await service.evaluate(session, MONTH)
    await session.commit()
    first = await session.scalar(select(Scorecard.id).where(Scorecard.worker_id == a))
    await service.evaluate(session, MONTH)
    await session.commit()
    rows = list(await session.scalars(select(Scorecard).where(Scorecard.worker_id == a)))
    assert len(rows) == 1 and rows[0].id != first and rows[0].score == D("90.6")


async def test_the_job_evaluates_the_previous_month_once(session, world):
    assert await service.evaluate_due(session) == service.previous_month()
    await session.commit()
    assert await service.evaluate_due(session) is None
    assert (await session.get(PerformanceMonth, service.previous_month())).status == "draft"


def test_scoring_edges():
    nothing = scoring.Figures()
    assert scoring.score(scoring.points(nothing)) == D("100.0")  # nothing counted against: rules ask for orders
    low = scoring.Figures(reviews=1, rating=D("2.5"), complaints=9)
    assert scoring.points(low)["rating"] == D("0.0") and scoring.points(low)["complaints"] == D("0.0")
    assert [scoring.grade(D(s)) for s in ("90.0", "89.9", "80.0", "60.0", "59.9")] == ["S", "A", "A", "B", "C"]
