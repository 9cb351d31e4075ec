from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from anjia.core.types import Id, Instant, Lat, Lng, Reason, Text
from anjia.orders.schemas import ServiceRef, TimelineEntry
from anjia.preferences.schemas import PreferenceLine


class Requirement(BaseModel):
    label: str
    value: str


class OfferOut(BaseModel):
    id: int
    order_id: int
    number: str
    service: ServiceRef
    start: datetime
    end: datetime
    duration_minutes: int
    address_text: str
    district: str
    distance_km: float
    lat: float | None = Field(None, description="never given before acceptance (kept for older apps)")
    lng: float | None = Field(None, description="never given before acceptance (kept for older apps)")
    requirements: list[Requirement]
    preferences: list[PreferenceLine] = Field(description="the customer's preferences (偏好设置), in words")
    notes: str
    expected_pay: int
    expires_at: datetime
    round: int


class CustomerContact(BaseModel):
    nickname: str
    phone: str | None


class WorkerOrderOut(BaseModel):
    id: int
    number: str
    status: str
    status_label: str
    service: ServiceRef
    start: datetime
    end: datetime
    duration_minutes: int
    address: dict
    customer: CustomerContact
    requirements: list[Requirement]
    preferences: list[PreferenceLine] = Field(description="the customer's preferences (偏好设置), in words")
    notes: str
    expected_pay: int
    final_total: int | None
    offer_status: str | None
    offer_expires_at: datetime | None
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    timeline: list[TimelineEntry]
    navigation: dict[str, str] = Field(description="deep links to the address: empty unless the address is open")
    distance_km: float | None = Field(None, description="from the worker's home point, when offered")
    address_open: bool = Field(False, description="street, coordinates, contact and navigation are shown")


class RejectIn(BaseModel):
    reason_code: Literal["too_far", "busy", "skill", "price", "other"]
    reason: Reason = ""


class CheckInIn(BaseModel):
    lat: Lat
    lng: Lng
    explanation: Text(300, multiline=True) | None = None


class LocationIn(BaseModel):
    lat: Lat
    lng: Lng


class LocationOut(BaseModel):
    """The reported position as customers and operators receive it (`worker.location`)."""
    order_id: int
    worker_id: int
    lat: float
    lng: float
    eta_minutes: int  # driving minutes to the address while on the way (0 on site)
    eta_source: Literal["route", "cache", "straight_line", "on_site"]  # the provider's route or the 25 km/h line
    route: list[list[float]]  # the provider's driving route as [lat, lng] pairs (GCJ-02), empty without one


class LiveWorkerOut(BaseModel):
    """A worker on the way or in service, at their last reported position."""
    worker_id: int
    nickname: str
    lat: float
    lng: float
    reported_at: datetime
    order_id: int
    order_number: str
    status: str
    address_lat: float | None
    address_lng: float | None
    # while on the way: driving minutes to the address by providers.maps.travel (the provider's route,
    # cached per cell, or the straight line) and the route as [lat, lng] pairs; none in service
    eta_minutes: int | None = None
    eta_source: Literal["route", "cache", "straight_line"] | None = None
    route: list[list[float]] = []


class RecordOut(BaseModel):
    id: int
    stage: Literal["before", "during", "after"]
    note: str
    media_type: Literal["image", "video"] | None
    url: str | None
    thumb_url: str | None
    created_at: datetime


class RecordUploadOut(BaseModel):
    """A presigned POST: send `fields` and then the `file` as multipart/form-data to `url`, then add
    the record with `upload_key` = `key` within `expires_in` seconds."""
    url: str
    fields: dict[str, str]
    key: str
    expires_in: int


class ScheduleChangeIn(BaseModel):
    order_id: Id
    new_start: Instant
    reason: Text(200, min_length=1, multiline=True)


class ScheduleChangeOut(BaseModel):
    id: int
    order_id: int
    worker_id: int
    from_start: datetime
    to_start: datetime
    reason: str
    status: str
    created_at: datetime
