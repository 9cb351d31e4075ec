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
