"""Validated input types. Every request schema and every path or query parameter is built
from these, so a value the database or the code after it cannot take is a 422 problem at the
edge instead of a 500 somewhere inside:

- ids are integers within PostgreSQL's BIGINT (1 .. 2**63-1), other integers are bounded;
- dates and datetimes lie within a sane window (2000-01-01 .. 2100-12-31) and datetimes carry
  an offset, so no arithmetic on them can leave the calendar;
- text has a length cap and no NUL or other control characters (multi-line text may keep tab,
  CR and LF); lone surrogates are refused by pydantic itself;
- phone numbers are China mainland mobile numbers in ASCII digits;
- search terms are capped and turned into LIKE patterns with `%`, `_` and `\\` escaped.

The constraints are `annotated_types` metadata, so the same alias works in a pydantic model, a
FastAPI `Path`/`Query` parameter and the OpenAPI document (minimum, maximum, pattern, maxLength).
"""
from datetime import date, datetime, timedelta
from typing import Annotated

import annotated_types as at
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Strict, StringConstraints

MAX_ID = 2**63 - 1
MIN_DAY, MAX_DAY = date(2000, 1, 1), date(2100, 12, 31)
MAX_OFFSET = timedelta(hours=14)  # the widest real offset (Kiribati)

# ---------------------------------------------------------------- integers
Id = Annotated[int, at.Ge(1), at.Le(MAX_ID)]
"""A row id (path, query or body)."""
Count = Annotated[int, at.Ge(0), at.Le(2**31 - 1)]
"""A non-negative quantity that fits an INTEGER column."""
PageNo = Annotated[int, at.Ge(1), at.Le(100_000)]
PageSize = Annotated[int, at.Ge(1), at.Le(100)]
Fen = Annotated[int, Strict(), at.Gt(0), at.Le(100_000_000)]
"""A positive amount of money in fen (≤ ¥1,000,000); a float or a string is refused, never rounded."""
Lat = Annotated[float, at.Ge(-90), at.Le(90)]
Lng = Annotated[float, at.Ge(-180), at.Le(180)]


# ---------------------------------------------------------------- dates and times
def _day_in_window(value: date) -> date:
    if not MIN_DAY <= value <= MAX_DAY:
        raise ValueError(f"date must lie between {MIN_DAY} and {MAX_DAY}")
    return value


def _instant_in_window(value: datetime) -> datetime:
    _day_in_window(value.date())
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:  # PostgreSQL takes at most ±15:59
        raise ValueError("UTC offset must lie within ±14:00")
    return value


Day = Annotated[date, AfterValidator(_day_in_window)]
"""A calendar date between 2000-01-01 and 2100-12-31."""
Instant = Annotated[AwareDatetime, AfterValidator(_instant_in_window)]
"""An ISO 8601 datetime with an offset within ±14:00, between 2000 and 2100."""


# ---------------------------------------------------------------- text
_SINGLE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*$"
_MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"


def Text(max_length: int, *, min_length: int = 0, multiline: bool = False):  # noqa: N802 (a type factory)
    """A string of at most `max_length` characters without control characters."""
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length,
                                            pattern=_MULTI_LINE if multiline else _SINGLE_LINE)]


Name = Text(64, min_length=1)
Note = Text(500, multiline=True)
Reason = Text(200, multiline=True)
Url = Annotated[str, StringConstraints(max_length=500, pattern=r"^https?://[^\x00-\x20\x7f-\x9f]+$")]
Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
"""A machine code (service skill, item, option): lower-case ASCII."""
Phone = Annotated[str, StringConstraints(pattern=r"^1[3-9][0-9]{9}$")]
"""A China mainland mobile number, ASCII digits only (`\\d` would also take ١٢٣ or １２３)."""
SmsCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
HHMM = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
HHMM24 = Annotated[str, StringConstraints(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
"""A local time of day, 24:00 allowed (the end of a range)."""
Search = Text(64)
"""A search term; use `like_pattern()` to put it in a LIKE/ILIKE."""


def like_pattern(term: str) -> str:
    """`%term%` with LIKE's wildcards in the term escaped (PostgreSQL's default escape is `\\`)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# ---------------------------------------------------------------- partial updates
def _no_null_defaults(schema: dict) -> None:
    for prop in schema.get("properties", {}).values():
        if prop.get("default", ...) is None and not _nullable(prop):
            del prop["default"]


def _nullable(prop: dict) -> bool:
    return prop.get("type") == "null" or any(p.get("type") == "null" for p in prop.get("anyOf", ()))


class Patch(BaseModel):
    """A partial update (PATCH body): a field left out keeps its value. Declare fields as
    `name: Name = None`: left out it reads None, but an explicit `null` is a 422 unless the
    field is typed `| None` (a column that may be emptied, or a field whose null the service
    reads as "unchanged"). Services apply only the fields sent (`sent()`)."""

    model_config = ConfigDict(json_schema_extra=_no_null_defaults)

    def sent(self) -> dict:
        return self.model_dump(exclude_unset=True)
