from hypothesis import given
from hypothesis import strategies as st

from anjia.dispatch.scoring import WEIGHTS, Candidate, rank, score

cands = st.builds(Candidate, worker_id=st.integers(1, 10_000), distance_km=st.floats(0, 30),
                  radius_km=st.floats(1, 30), rating=st.floats(0, 5), acceptance_rate=st.floats(0, 1),
                  load_today=st.integers(0, 10), previous=st.booleans(), favourite=st.booleans())


@given(cands)
def test_score_is_the_sum_of_its_breakdown_and_within_bounds(c):
    s, breakdown = score(c)
    assert 0 <= s <= sum(WEIGHTS.values()) + 1e-9
    assert abs(s - sum(breakdown.values())) < 1e-3


@given(cands, st.floats(0.1, 10))
def test_nearer_is_never_worse(c, closer_by):
    nearer = Candidate(**{**c.__dict__, "distance_km": max(0.0, c.distance_km - closer_by)})
    assert score(nearer)[0] >= score(c)[0]


@given(cands)
def test_previous_worker_and_lighter_load_help(c):
    prev = Candidate(**{**c.__dict__, "previous": True})
    assert score(prev)[0] >= score(c)[0]
    favourite = Candidate(**{**c.__dict__, "favourite": True})
    assert score(favourite)[0] >= score(c)[0]
    busier = Candidate(**{**c.__dict__, "load_today": c.load_today + 1})
    assert score(busier)[0] <= score(c)[0]


@given(st.lists(cands, max_size=20, unique_by=lambda c: c.worker_id))
def test_rank_is_sorted_and_stable(cs):
    ranked = rank(cs)
    scores = [s for _, s, _ in ranked]
    assert scores == sorted(scores, reverse=True)
    assert rank(list(reversed(cs))) == ranked
