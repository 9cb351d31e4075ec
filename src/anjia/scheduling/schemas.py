from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from anjia.core.types import HHMM24 as HHMM
from anjia.core.types import Day, Id, Instant, Lat, Lng, Patch, Reason, Text


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of(value: str) -> int:
    h, m = value.split(":")
    return int(h) * 60 + int(m)


class RegionIn(BaseModel):
    name: Text(64, min_length=1)
    city: Text(64, min_length=1)
    timezone: Text(64) = "Asia/Shanghai"
    center_lat: Lat
    center_lng: Lng
    radius_km: float = Field(gt=0, le=200)
    opens: HHMM
    closes: HHMM
    dispatch_mode: Literal["offer", "assign"] = "offer"
    active: bool = True

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone") from None
        return v


class RegionUpdate(Patch):
    name: Text(64, min_length=1) = None
    city: Text(64, min_length=1) = None
    center_lat: Lat = None
    center_lng: Lng = None
    radius_km: float = Field(default=None, gt=0, le=200)
    opens: HHMM | None = None  # null: unchanged (the console sends it)
    closes: HHMM | None = None
    dispatch_mode: Literal["offer", "assign"] = None
    active: bool = None


class RegionOut(BaseModel):
    id: int
    name: str
    city: str
    timezone: str
    center_lat: float
    center_lng: float
    radius_km: float
    opens: str
    closes: str
    dispatch_mode: str
    active: bool


class RulesIn(BaseModel):
    payment_window_minutes: int = Field(ge=5, le=24 * 60)
    free_cancel_hours: int = Field(ge=0, le=24 * 14)
    late_cancel_fee_bp: int = Field(ge=0, le=10_000)
    min_lead_minutes: int = Field(ge=0, le=7 * 24 * 60)
    max_horizon_days: int = Field(ge=1, le=90)
    slot_step_minutes: Literal[15, 30, 60]
    travel_buffer_minutes: int = Field(ge=0, le=240)
    evening_start: HHMM
    evening_surcharge_bp: int = Field(ge=0, le=10_000)
    holiday_surcharge_bp: int = Field(ge=0, le=10_000)


class RulesOut(RulesIn):
    slot_step_minutes: int


class HolidayIn(BaseModel):
    day: Day
    name: Text(64, min_length=1)


class HolidayOut(HolidayIn):
    model_config = ConfigDict(from_attributes=True)


class WeeklyRange(BaseModel):
    weekday: int = Field(ge=0, le=6, description="Monday = 0")
    start: HHMM
    end: HHMM


class WeeklyIn(BaseModel):
    weekly: list[WeeklyRange] = Field(max_length=50)


class LeaveIn(BaseModel):
    start: Instant
    end: Instant
    reason: Reason = ""


class LeaveOut(BaseModel):
    id: int
    start: datetime
    end: datetime
    reason: str


class WorkerAvailabilityOut(BaseModel):
    region_id: int | None
    skills: list[str]
    home_lat: float | None
    home_lng: float | None
    radius_km: float
    weekly: list[WeeklyRange]
    leaves: list[LeaveOut]


class WorkerSettingsIn(Patch):
    radius_km: float = Field(default=None, gt=0, le=30)
    home_lat: Lat | None = None
    home_lng: Lng | None = None
    region_id: Id | None = None


class Slot(BaseModel):
    start: datetime
    end: datetime
    available: bool


class Day(BaseModel):
    date: date
    slots: list[Slot]


class AvailabilityOut(BaseModel):
    timezone: str
    duration_minutes: int
    asap: Slot | None
    days: list[Day]
