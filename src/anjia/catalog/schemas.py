from typing import Annotated, Literal

import annotated_types as at
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from anjia.core.errors import AppError
from anjia.core.types import Code, Day, Id, Instant, Patch, Text

Money = Annotated[int, at.Ge(0), at.Le(100_000_000)]
Label = Text(32, min_length=1)
LabelEn = Text(64)
SmallInt = Annotated[int, at.Ge(-1_000_000_000), at.Le(1_000_000_000)]
OptionValue = Text(500, multiline=True) | bool | SmallInt | Annotated[list[Text(64)], at.MaxLen(50)]
"""What a customer picks for an option: a choice code or text, a yes/no, a number, several choices."""


class Choice(BaseModel):
    code: Code
    label: Label
    label_en: LabelEn = ""
    surcharge: int = Field(default=0, ge=0, le=10_000_000)
    surcharge_bp: int = Field(default=0, ge=0, le=50_000)
    extra_minutes: int = Field(default=0, ge=0, le=600)


class Option(BaseModel):
    code: Code
    type: Literal["single", "multi", "bool", "number", "text"]
    label: Label
    label_en: LabelEn = ""
    required: bool = False
    choices: list[Choice] | None = Field(default=None, max_length=50)
    default: OptionValue | None = None
    min: int | None = Field(default=None, ge=0, le=1_000_000)
    max: int | None = Field(default=None, ge=0, le=1_000_000)
    unit: Text(8) | None = None
    included_units: int | None = Field(default=None, ge=0, le=1_000_000)
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
    code: Code
    name: Label
    name_en: LabelEn = ""
    unit_price: Money
    duration_minutes: int = Field(default=60, ge=10, le=24 * 60)


class ServiceFields(BaseModel):
    category_id: Id
    name: Text(64, min_length=1)
    name_en: LabelEn = ""
    description: Text(2000, multiline=True) = ""
    image_url: Text(500) | None = None
    skill: Code
    pricing_kind: Literal["fixed", "hourly", "package"]
    unit_name: Text(16) = "次"
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


class ServiceUpdate(Patch):
    """Any subset of the fields; the merged result is validated as a whole (ServiceFields)."""

    model_config = ConfigDict(extra="forbid")
    category_id: Id = None
    name: Text(64, min_length=1) = None
    name_en: LabelEn = None
    description: Text(2000, multiline=True) = None
    image_url: Text(500) | None = None
    skill: Code = None
    pricing_kind: Literal["fixed", "hourly", "package"] = None
    unit_name: Text(16) = None
    items: list[Item] = Field(default=None, min_length=1, max_length=20)
    options: list[Option] = Field(default=None, max_length=20)
    min_hours: int | None = Field(default=None, ge=1, le=24)
    max_hours: int | None = Field(default=None, ge=1, le=24)
    min_days: int | None = Field(default=None, ge=1, le=365)
    max_days: int | None = Field(default=None, ge=1, le=365)
    daily_hours: int | None = Field(default=None, ge=1, le=24)
    deposit: Money = None
    published: bool = None


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
    name: Text(64, min_length=1)
    name_en: LabelEn = ""
    icon: Text(64) = ""
    published: bool = True
    sort: int = Field(default=0, ge=0, le=10_000)


class CategoryUpdate(Patch):
    name: Text(64, min_length=1) = None
    name_en: LabelEn = None
    icon: Text(64) = None
    published: bool = None
    sort: int = Field(default=None, ge=0, le=10_000)


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
    ids: list[Id] = Field(min_length=1, max_length=500)


class RegionPriceIn(BaseModel):
    region_id: Id
    item_code: Code
    unit_price: Money


class RegionPrices(BaseModel):
    prices: list[RegionPriceIn] = Field(max_length=200)


class QuoteItem(BaseModel):
    code: Code
    quantity: int = Field(default=1, ge=1, le=50)


class ServiceRequest(BaseModel):
    """What the customer asks of a service: the part of a request that quote() prices."""
    service_id: Id
    items: list[QuoteItem] = Field(default_factory=list, max_length=20)
    hours: int | None = Field(default=None, ge=1, le=24)
    start_date: Day | None = None
    end_date: Day | None = None
    daily_hours: int | None = Field(default=None, ge=1, le=24)
    options: dict[Code, OptionValue] = Field(default_factory=dict, max_length=20)


class QuoteRequest(ServiceRequest):
    start: Instant | None = Field(default=None, description="ISO datetime with offset")
    region_id: Id | None = None


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


_ITEMS = TypeAdapter(list[QuoteItem])
_OPTIONS = TypeAdapter(dict[Code, OptionValue])


def query_items(text: str | None) -> list[dict]:
    """`code:quantity,…` from a query string, validated like a request body's items."""
    try:
        pairs = [part.split(":") for part in filter(None, (text or "").split(","))]
        return [i.model_dump() for i in _ITEMS.validate_python([{"code": c, "quantity": q} for c, q in pairs])]
    except (ValueError, ValidationError):
        raise AppError("validation_error", errors=[{"field": "items", "message": "code:quantity,…"}]) from None


def query_options(text: str | None) -> dict:
    """A JSON object of option values from a query string, validated like a request body's options."""
    try:
        return _OPTIONS.validate_json(text) if text else {}
    except ValidationError:
        raise AppError("validation_error", errors=[{"field": "options", "message": "a JSON object"}]) from None
