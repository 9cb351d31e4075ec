from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Code = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
Money = Field(ge=0, le=100_000_000)


class Choice(BaseModel):
    code: str = Code
    label: str = Field(min_length=1, max_length=32)
    label_en: str = Field(default="", max_length=64)
    surcharge: int = Field(default=0, ge=0, le=10_000_000)
    surcharge_bp: int = Field(default=0, ge=0, le=50_000)
    extra_minutes: int = Field(default=0, ge=0, le=600)


class Option(BaseModel):
    code: str = Code
    type: Literal["single", "multi", "bool", "number", "text"]
    label: str = Field(min_length=1, max_length=32)
    label_en: str = Field(default="", max_length=64)
    required: bool = False
    choices: list[Choice] | None = None
    default: str | bool | int | list[str] | None = None
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    unit: str | None = Field(default=None, max_length=8)
    included_units: int | None = Field(default=None, ge=0)
    per_unit_surcharge: int | None = Field(default=None, ge=0, le=10_000_000)
    minutes_per_unit: int | None = Field(default=None, ge=0, le=60)
    surcharge: int | None = Field(default=None, ge=0, le=10_000_000)
    surcharge_bp: int | None = Field(default=None, ge=0, le=50_000)
    extra_minutes: int | None = Field(default=None, ge=0, le=600)
    max_length: int | None = Field(default=None, ge=1, le=500)

    @model_validator(mode="after")
    def _consistent(self):
        if self.type in ("single", "multi") and not self.choices:
            raise ValueError("single and multi options need choices")
        if self.choices and len({c.code for c in self.choices}) != len(self.choices):
            raise ValueError("choice codes must be distinct")
        if self.type == "number" and (self.min is None or self.max is None or self.min > self.max):
            raise ValueError("number options need min <= max")
        return self


class Item(BaseModel):
    code: str = Code
    name: str = Field(min_length=1, max_length=32)
    name_en: str = Field(default="", max_length=64)
    unit_price: int = Money
    duration_minutes: int = Field(default=60, ge=10, le=24 * 60)


class ServiceFields(BaseModel):
    category_id: int
    name: str = Field(min_length=1, max_length=64)
    name_en: str = Field(default="", max_length=64)
    description: str = Field(default="", max_length=2000)
    image_url: str | None = Field(default=None, max_length=500)
    skill: str = Code
    pricing_kind: Literal["fixed", "hourly", "package"]
    unit_name: str = Field(default="次", max_length=16)
    items: list[Item] = Field(min_length=1, max_length=20)
    options: list[Option] = Field(default_factory=list, max_length=20)
    min_hours: int | None = Field(default=None, ge=1, le=24)
    max_hours: int | None = Field(default=None, ge=1, le=24)
    min_days: int | None = Field(default=None, ge=1, le=365)
    max_days: int | None = Field(default=None, ge=1, le=365)
    daily_hours: int | None = Field(default=None, ge=1, le=24)
    deposit: int = Field(default=0, ge=0, le=100_000_000)
    published: bool = True

    @model_validator(mode="after")
    def _consistent(self):
        if len({i.code for i in self.items}) != len(self.items):
            raise ValueError("item codes must be distinct")
        if len({o.code for o in self.options}) != len(self.options):
            raise ValueError("option codes must be distinct")
        if self.pricing_kind in ("hourly", "package") and len(self.items) != 1:
            raise ValueError("hourly and package services have exactly one item (the hour or the day)")
        if self.min_hours and self.max_hours and self.min_hours > self.max_hours:
            raise ValueError("min_hours > max_hours")
        if self.min_days and self.max_days and self.min_days > self.max_days:
            raise ValueError("min_days > max_days")
        return self


class ServiceCreate(ServiceFields):
    pass


class ServiceUpdate(BaseModel):
    """Any subset of the fields; the merged result is validated as a whole."""

    model_config = ConfigDict(extra="forbid")
    category_id: int | None = None
    name: str | None = None
    name_en: str | None = None
    description: str | None = None
    image_url: str | None = None
    skill: str | None = None
    pricing_kind: Literal["fixed", "hourly", "package"] | None = None
    unit_name: str | None = None
    items: list[Item] | None = None
    options: list[Option] | None = None
    min_hours: int | None = None
    max_hours: int | None = None
    min_days: int | None = None
    max_days: int | None = None
    daily_hours: int | None = None
    deposit: int | None = None
    published: bool | None = None


class ServiceOut(ServiceFields):
    model_config = ConfigDict(from_attributes=True)
    id: int
    category_name: str = ""
    sort: int
    deposit: int = 0


class ServiceSummary(BaseModel):
    id: int
    name: str
    name_en: str
    image_url: str | None
    pricing_kind: str
    unit_name: str
    from_price: int
    published: bool
    sort: int


class CategoryIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    name_en: str = Field(default="", max_length=64)
    icon: str = Field(default="", max_length=64)
    published: bool = True
    sort: int = Field(default=0, ge=0, le=10_000)


class CategoryUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=64)
    name_en: str | None = Field(default=None, max_length=64)
    icon: str | None = Field(default=None, max_length=64)
    published: bool | None = None
    sort: int | None = Field(default=None, ge=0, le=10_000)


class CategoryOut(BaseModel):
    id: int
    name: str
    name_en: str
    icon: str
    sort: int
    published: bool
    services: list[ServiceSummary]


class CategoryRef(BaseModel):
    """The answer to creating or editing a category: its id (the console reloads the catalog)."""
    id: int


class Reorder(BaseModel):
    ids: list[int] = Field(min_length=1, max_length=500)


class RegionPriceIn(BaseModel):
    region_id: int
    item_code: str = Code
    unit_price: int = Money


class RegionPrices(BaseModel):
    prices: list[RegionPriceIn] = Field(max_length=200)


class QuoteItem(BaseModel):
    code: str = Field(max_length=32)
    quantity: int = Field(default=1, ge=1, le=50)


class QuoteRequest(BaseModel):
    service_id: int
    items: list[QuoteItem] = Field(default_factory=list, max_length=20)
    hours: int | None = Field(default=None, ge=1, le=24)
    start_date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    end_date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    daily_hours: int | None = Field(default=None, ge=1, le=24)
    options: dict[str, str | bool | int | list[str]] = Field(default_factory=dict, max_length=20)
    start: str | None = Field(default=None, max_length=40, description="ISO datetime with offset")
    region_id: int | None = None


class QuoteLine(BaseModel):
    kind: Literal["item", "option", "surcharge", "discount"]
    code: str
    label: str
    quantity: int
    unit_price: int
    amount: int


class QuoteOut(BaseModel):
    service_id: int
    lines: list[QuoteLine]
    subtotal: int
    surcharge_total: int
    discount_total: int
    total: int
    deposit: int
    duration_minutes: int
    days: int
    currency: Literal["CNY"] = "CNY"
