"""Plan rules: one that never occurs used to walk dateutil to the year 9999 (10-18 s of a frozen
server); now any rule outside a safe subset is a quick 422 and expansion is bounded."""
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from anjia.core.errors import AppError
from anjia.plans import recurrence
from tests.conftest import auth

SH = ZoneInfo("Asia/Shanghai")
NEVER = ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30",
         "FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31;BYDAY=MO", "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
         "FREQ=MONTHLY;BYDAY=5MO;BYSETPOS=9", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
         "FREQ=MONTHLY;BYMONTHDAY=31;INTERVAL=12"]


def body(world, start: date, rule: str) -> dict:
    return {"service_id": world["services"]["厨房清洁"], "address_id": world["address_id"],
            "items": [{"code": "kitchen", "quantity": 1}], "frequency": "custom", "rrule": rule,
            "start_date": start.isoformat(), "time": "14:00"}


@pytest.mark.parametrize("rule", NEVER)
async def test_rules_that_never_occur_are_a_quick_422(client, world, rule):
    start = datetime.now(SH).date() + timedelta(days=3)
    began = time.perf_counter()
    r = await client.post("/api/v1/plans", json=body(world, start, rule), headers=auth(world["token"]))
    assert r.status_code == 422 and r.json()["code"] == "invalid_rrule", r.text
    assert time.perf_counter() - began < 2.0


async def test_supported_custom_rules_still_work(client, world):
    start = datetime.now(SH).date() + timedelta(days=3)
    for rule in ["FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=DAILY;INTERVAL=3",
                 "RRULE:freq=monthly;bymonthday=1,15;count=6"]:
        r = await client.post("/api/v1/plans", json=body(world, start, rule), headers=auth(world["token"]))
        assert r.status_code == 201, (rule, r.text)
        assert r.json()["next_occurrences"], rule


@pytest.mark.parametrize("rule", ["FREQ=HOURLY", "FREQ=WEEKLY;BYDAY=MO;DTSTART=20260101T000000", "FREQ=WEEKLY;;",
                                  "FREQ=WEEKLY;BYDAY=XX", "FREQ=MONTHLY;BYMONTHDAY=29", "FREQ=WEEKLY;INTERVAL=99",
                                  "FREQ=WEEKLY;INTERVAL=١", "FREQ=DAILY;COUNT=5;UNTIL=20270101", "FREQ=WEEKLY;FREQ=DAILY"])
def test_check_refuses_outside_the_subset(rule):
    with pytest.raises(AppError) as e:
        recurrence.check(rule)
    assert e.value.code == "invalid_rrule"


def test_expansion_has_a_time_budget(monkeypatch):
    monkeypatch.setattr(recurrence, "TIME_BUDGET_S", 0.0)
    rule = recurrence.parse("FREQ=DAILY", date(2030, 1, 1))
    with pytest.raises(AppError):
        list(recurrence.expand(rule, date(2030, 1, 1), date(2030, 2, 1)))


def test_expansion_has_a_step_bound():
    rule = recurrence.parse("FREQ=DAILY", date(2000, 1, 1))
    assert len(list(recurrence.expand(rule, date(2099, 1, 1), date(2099, 1, 7)))) == 7  # a century: in bounds
    recurrence_steps = recurrence.MAX_STEPS
    try:
        recurrence.MAX_STEPS = 100
        with pytest.raises(AppError):
            list(recurrence.expand(rule, date(2000, 6, 1), date(2000, 6, 2)))
    finally:
        recurrence.MAX_STEPS = recurrence_steps


days = st.sampled_from(recurrence.WEEKDAYS)
rules = st.one_of(
    st.builds(lambda i, ds: f"FREQ=WEEKLY;INTERVAL={i};BYDAY={','.join(sorted(set(ds)))}",
              st.integers(1, 4), st.lists(days, min_size=1, max_size=7)),
    st.builds(lambda i, ms: f"FREQ=MONTHLY;INTERVAL={i};BYMONTHDAY={','.join(map(str, sorted(set(ms))))}",
              st.integers(1, 12), st.lists(st.integers(1, 28) | st.integers(-28, -1), min_size=1, max_size=4)),
    st.builds(lambda n, d: f"FREQ=MONTHLY;BYDAY={n}{d}", st.sampled_from([1, 2, 3, 4, -1, -2]), days),
    st.builds(lambda i: f"FREQ=DAILY;INTERVAL={i}", st.integers(1, 31)),
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(rule=rules, start=st.dates(date(2026, 1, 1), date(2030, 12, 31)), offset=st.integers(0, 400))
def test_expansion_matches_dateutil_for_the_subset(rule, start, offset):
    first = start + timedelta(days=offset)
    last = first + timedelta(days=90)
    ours = list(recurrence.expand(recurrence.parse(rule, start), first, last))
    ref = [d.date() for d in rrulestr(rule, dtstart=datetime(start.year, start.month, start.day)).between(
        datetime.combine(first, datetime.min.time()), datetime.combine(last, datetime.max.time()), inc=True)]
    assert ours == ref
