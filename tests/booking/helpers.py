from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")


def local(days_ahead: int, hour: int, minute: int = 0) -> datetime:
    d = datetime.now(SH).date() + timedelta(days=days_ahead)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=SH)


def next_weekday(weekday: int, hour: int) -> datetime:
    """The next given weekday (Mon = 0) at least two days from now, local time."""
    today = datetime.now(SH).date()
    ahead = (weekday - today.weekday()) % 7 or 7
    if ahead < 2:
        ahead += 7
    d = today + timedelta(days=ahead)
    return datetime(d.year, d.month, d.day, hour, tzinfo=SH)


KITCHEN = {"items": [{"code": "kitchen_deep", "quantity": 1}], "options": {"focus_areas": ["stove", "hood"], "depth": "deep"}}
