from pydantic import BaseModel, ConfigDict, Field

PHONE = r"^1[3-9]\d{9}$"


class AddressIn(BaseModel):
    contact_name: str = Field(min_length=1, max_length=32)
    contact_phone: str = Field(pattern=PHONE)
    province: str = Field(min_length=1, max_length=32)
    city: str = Field(min_length=1, max_length=32)
    district: str = Field(min_length=1, max_length=32)
    detail: str = Field(min_length=1, max_length=200)
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    is_default: bool = False


class AddressUpdate(BaseModel):
    contact_name: str | None = Field(default=None, min_length=1, max_length=32)
    contact_phone: str | None = Field(default=None, pattern=PHONE)
    province: str | None = Field(default=None, min_length=1, max_length=32)
    city: str | None = Field(default=None, min_length=1, max_length=32)
    district: str | None = Field(default=None, min_length=1, max_length=32)
    detail: str | None = Field(default=None, min_length=1, max_length=200)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lng: float | None = Field(default=None, ge=-180, le=180)


class AddressOut(AddressIn):
    model_config = ConfigDict(from_attributes=True)
    id: int
    region_id: int | None
