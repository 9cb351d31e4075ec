from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from anjia.core.types import Text

Gender = Literal["any", "female", "male"]
GENDER_LABELS = {"female": "女师傅", "male": "男师傅"}


class PreferencesIn(BaseModel):
    worker_gender: Gender = "any"
    dialect: Text(32) = Field("", description="e.g. 上海话, 粤语; empty: no preference")
    pets: bool = Field(False, description="pets at home")
    eco_products: bool = Field(False, description="eco-friendly cleaning products")
    quiet_service: bool = Field(False, description="as little talk and noise as possible")
    note: Text(200, multiline=True) = ""


class PreferencesOut(PreferencesIn):
    updated_at: datetime | None


class PreferenceLine(BaseModel):
    label: str
    value: str


class FavouriteServiceOut(BaseModel):
    id: int
    name: str
    image_url: str | None
    pricing_kind: str
    unit_name: str
    from_price: int = Field(description="fen: the lowest item price")
    published: bool
    created_at: datetime


class FavouriteWorkerOut(BaseModel):
    id: int
    name: str
    level: int
    rating: float
    skills: list[str]
    created_at: datetime


class FavouritesOut(BaseModel):
    services: list[FavouriteServiceOut]
    workers: list[FavouriteWorkerOut]
