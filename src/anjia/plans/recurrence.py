"""Recurrence rules of plans: a safe subset of RFC 5545 RRULE, validated before dateutil sees it
and expanded with a bounded number of steps and a time budget.

dateutil walks a rule period by period until the next occurrence; a rule that never occurs
(`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31`) makes it walk to the year 9999, which froze the server
for 10-18 s. The subset below occurs in every period of its frequency, so every walk between two
occurrences is short; the expansion still counts its steps and watches the clock.

- `FREQ=DAILY`: `INTERVAL` 1..31, optionally `BYDAY` (plain weekdays) when `INTERVAL` is 1;
- `FREQ=WEEKLY`: `INTERVAL` 1..4, `BYDAY` plain weekdays, `WKST`;
- `FREQ=MONTHLY`: `INTERVAL` 1..12 and either `BYMONTHDAY` 1..28 / -28..-1 or `BYDAY` with an
  ordinal -4..-1, 1..4 (`2TU`, `-1FR`);
- any of them `COUNT` 1..1000 or `UNTIL` (a date or UTC date-time).
"""
import re
import time
from collections.abc import Iterator
from datetime import date, datetime

from dateutil.rrule import rrule, rrulestr

from anjia.core.errors import AppError

MAX_STEPS = 40_000  # occurrences walked per expansion: a daily rule over a century
TIME_BUDGET_S = 0.5
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PLAIN_DAYS = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU)){0,6}$")
_ORDINAL_DAYS = re.compile(r"^-?[1-4](MO|TU|WE|TH|FR|SA|SU)(,-?[1-4](MO|TU|WE|TH|FR|SA|SU)){0,27}$")
_MONTHDAYS = re.compile(r"^-?([1-9]|1[0-9]|2[0-8])(,-?([1-9]|1[0-9]|2[0-8])){0,55}$")
_UNTIL = re.compile(r"^\d{8}(T\d{6}Z?)?$")
_ALLOWED = {
    "DAILY": {"INTERVAL", "BYDAY", "COUNT", "UNTIL"},
    "WEEKLY": {"INTERVAL", "BYDAY", "WKST", "COUNT", "UNTIL"},
    "MONTHLY": {"INTERVAL", "BYMONTHDAY", "BYDAY", "COUNT", "UNTIL"},
}
_MAX_INTERVAL = {"DAILY": 31, "WEEKLY": 4, "MONTHLY": 12}


def invalid(message: str) -> AppError:
    return AppError("invalid_rrule", errors=[{"field": "rrule", "message": message}])


def check(rule: str) -> str:
    """The rule, normalised (upper case, no `RRULE:`), if it is in the safe subset; else 422."""
    text = rule.strip().upper().removeprefix("RRULE:")
    parts: dict[str, str] = {}
    for part in text.split(";"):
        key, eq, value = part.partition("=")
        if not eq or not value or key in parts:
            raise invalid("KEY=VALUE pairs separated by ';', each key once")
        parts[key] = value
    freq = parts.pop("FREQ", None)
    if freq not in _ALLOWED:
        raise invalid("FREQ is DAILY, WEEKLY or MONTHLY")
    if unknown := set(parts) - _ALLOWED[freq]:
        raise invalid(f"not supported with FREQ={freq}: {', '.join(sorted(unknown))}")
    interval = parts.get("INTERVAL", "1")
    if not interval.isascii() or not interval.isdigit() or not 1 <= int(interval) <= _MAX_INTERVAL[freq]:
        raise invalid(f"INTERVAL is 1..{_MAX_INTERVAL[freq]} with FREQ={freq}")
    byday = parts.get("BYDAY")
    if freq == "MONTHLY":
        if ("BYDAY" in parts) == ("BYMONTHDAY" in parts):
            raise invalid("FREQ=MONTHLY takes either BYMONTHDAY (1..28, -28..-1) or BYDAY with an ordinal (2TU)")
        if byday is not None and not _ORDINAL_DAYS.match(byday):
            raise invalid("BYDAY with an ordinal -4..4, e.g. 2TU or -1FR")
        if "BYMONTHDAY" in parts and not _MONTHDAYS.match(parts["BYMONTHDAY"]):
            raise invalid("BYMONTHDAY is 1..28 or -28..-1")
    elif byday is not None:
        if not _PLAIN_DAYS.match(byday):
            raise invalid("BYDAY lists weekdays, e.g. MO,TH")
        if freq == "DAILY" and interval != "1":
            raise invalid("FREQ=DAILY takes BYDAY only with INTERVAL=1")
    if "WKST" in parts and parts["WKST"] not in WEEKDAYS:
        raise invalid("WKST is a weekday")
    if "COUNT" in parts and "UNTIL" in parts:
        raise invalid("COUNT or UNTIL, not both")
    count = parts.get("COUNT")
    if count is not None and (not count.isascii() or not count.isdigit() or not 1 <= int(count) <= 1000):
        raise invalid("COUNT is 1..1000")
    if "UNTIL" in parts and not _UNTIL.match(parts["UNTIL"]):
        raise invalid("UNTIL is YYYYMMDD or YYYYMMDDTHHMMSSZ")
    return text


def parse(rule: str, start: date) -> rrule:
    """A checked rule as dateutil's rrule starting on `start` (naive local midnight)."""
    try:
        return rrulestr(check(rule), dtstart=datetime(start.year, start.month, start.day))
    except (ValueError, TypeError, OverflowError):
        raise invalid("RFC 5545 RRULE") from None


def expand(rule: rrule, first: date, last: date) -> Iterator[date]:
    """Occurrence dates in [first, last]: at most MAX_STEPS occurrences walked (from the rule's
    start) and TIME_BUDGET_S spent, else 422 `invalid_rrule`."""
    deadline = time.monotonic() + TIME_BUDGET_S
    for steps, at in enumerate(rule):
        if steps >= MAX_STEPS or time.monotonic() > deadline:
            raise invalid("the rule is too expensive to expand")
        day = at.date()
        if day > last:
            return
        if day >= first:
            yield day
