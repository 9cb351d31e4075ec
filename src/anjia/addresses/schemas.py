from pydantic import BaseModel, ConfigDict

from anjia.core.types import Lat, Lng, Patch, Phone, Text

Short = Text(32, min_length=1)
Detail = Text(200, min_length=1)


class AddressIn(BaseModel):
    contact_name: Short
    contact_phone: Phone
    province: Short
    city: Short
    district: Short
    detail: Detail
    lat: Lat
    lng: Lng
    is_default: bool = False


class AddressUpdate(Patch):
    contact_name: Short = None
    contact_phone: Phone = None
    province: Short = None
    city: Short = None
    district: Short = None
    detail: Detail = None
    lat: Lat = None
    lng: Lng = None


class AddressOut(AddressIn):
    model_config = ConfigDict(from_attributes=True)
    id: int
    region_id: int | None


class PlaceOut(BaseModel):
    """A place from the maps provider (GCJ-02), with the service region it falls in (null: outside every one)."""
    title: str
    address: str
    lat: float
    lng: float
    province: str
    city: str
    district: str
    region_id: int | None


class ReversePlaceOut(PlaceOut):
    """What is at a point: `found` false when the provider knows nothing there (or there is no provider) —
    the point is still given back, in GCJ-02 (converted when it was sent as WGS-84)."""
    found: bool
