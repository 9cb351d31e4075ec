"""The one pricing function. Pure: same input, same quote; integer fen throughout.

quote() turns a service definition, what the customer asked for and the pricing context
(time-of-day, holiday, coupon) into line items whose amounts add up to the total.
"""
from dataclasses import dataclass, field
from datetime import date
from typing import Any

BP = 10_000  # basis points in 100 %
MAX_UNITS = 50


class PricingError(ValueError):
    """The request does not fit the service: `field` names the input, `reason` says why."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


@dataclass(frozen=True)
class Coupon:
    kind: str  # "amount" (fen off) | "percent" (basis points off)
    value: int
    min_spend: int = 0
    code: str = ""
    cap: int | None = None  # percent: at most this many fen off
    service_id: int | None = None  # scope: only this service (None: any)
    label: str = "优惠券"


def coupon_discount(coupon: Coupon, service_id: int | None, before: int) -> int:
    """What `coupon` takes off a price of `before` fen (before the coupon) for `service_id`: 0 when
    out of scope or below the minimum spend; never more than the price."""
    if coupon.service_id is not None and coupon.service_id != service_id:
        return 0
    if before < coupon.min_spend or before <= 0:
        return 0
    if coupon.kind == "amount":
        off = coupon.value
    else:
        off = before * min(coupon.value, BP) // BP
        if coupon.cap is not None:
            off = min(off, coupon.cap)
    return max(0, min(off, before))


@dataclass(frozen=True)
class Context:
    local_start_minute: int | None = None  # minutes after local midnight of the start, if known
    is_holiday: bool = False
    evening_start: int = 18 * 60
    evening_surcharge_bp: int = 0
    holiday_surcharge_bp: int = 0
    coupon: Coupon | None = None
    region_prices: dict[str, int] = field(default_factory=dict)  # item code -> unit price override


@dataclass(frozen=True)
class Line:
    kind: str  # item | option | surcharge | discount
    code: str
    label: str
    quantity: int
    unit_price: int
    amount: int


@dataclass(frozen=True)
class Quote:
    lines: tuple[Line, ...]
    subtotal: int
    surcharge_total: int
    discount_total: int
    total: int
    deposit: int
    duration_minutes: int
    days: int = 1

    def as_dict(self) -> dict[str, Any]:
        return {"lines": [line.__dict__ for line in self.lines], "subtotal": self.subtotal,
                "surcharge_total": self.surcharge_total, "discount_total": self.discount_total,
                "total": self.total, "deposit": self.deposit, "duration_minutes": self.duration_minutes,
                "days": self.days, "currency": "CNY"}


def quote(service: dict[str, Any], request: dict[str, Any], ctx: Context = Context()) -> Quote:
    """Price `request` ({items, hours, start_date, end_date, daily_hours, options}) for `service`
    (the catalog row as a dict: pricing_kind, items, options, min/max hours and days, deposit)."""
    kind = service["pricing_kind"]
    items = {i["code"]: i for i in service["items"]}
    lines: list[Line] = []
    minutes = 0
    days = 1

    def price_of(code: str) -> int:
        return int(ctx.region_prices.get(code, items[code]["unit_price"]))

    if kind == "fixed":
        asked = request.get("items") or []
        if not asked:
            raise PricingError("items", "at least one item")
        seen = set()
        for entry in asked:
            code, qty = entry.get("code"), entry.get("quantity", 1)
            if code not in items:
                raise PricingError("items", f"unknown item {code!r}")
            if code in seen:
                raise PricingError("items", f"item {code!r} twice")
            if not isinstance(qty, int) or isinstance(qty, bool) or not 1 <= qty <= MAX_UNITS:
                raise PricingError("items", f"quantity of {code!r} must be 1..{MAX_UNITS}")
            seen.add(code)
            unit = price_of(code)
            lines.append(Line("item", code, items[code]["name"], qty, unit, unit * qty))
            minutes += int(items[code].get("duration_minutes", 60)) * qty
    elif kind == "hourly":
        hours = request.get("hours")
        lo, hi = service.get("min_hours") or 1, service.get("max_hours") or 12
        if not isinstance(hours, int) or isinstance(hours, bool) or not lo <= hours <= hi:
            raise PricingError("hours", f"hours must be {lo}..{hi}")
        code = service["items"][0]["code"]
        unit = price_of(code)
        lines.append(Line("item", code, service["items"][0]["name"], hours, unit, unit * hours))
        minutes = hours * 60
    elif kind == "package":
        start, end = request.get("start_date"), request.get("end_date")
        if not isinstance(start, date) or not isinstance(end, date) or end < start:
            raise PricingError("end_date", "a start and an end date, end not before start")
        days = (end - start).days + 1
        lo, hi = service.get("min_days") or 1, service.get("max_days") or 365
        if not lo <= days <= hi:
            raise PricingError("end_date", f"between {lo} and {hi} days")
        base_hours = service.get("daily_hours") or 8
        daily = request.get("daily_hours") or base_hours
        if not isinstance(daily, int) or isinstance(daily, bool) or not 1 <= daily <= 24:
            raise PricingError("daily_hours", "1..24")
        code = service["items"][0]["code"]
        unit = price_of(code) * daily // base_hours
        lines.append(Line("item", code, service["items"][0]["name"], days, unit, unit * days))
        minutes = daily * 60
    else:
        raise PricingError("service", f"unknown pricing kind {kind!r}")

    item_subtotal = sum(line.amount for line in lines)
    option_lines, extra_minutes = _options(service.get("options") or [], request.get("options") or {}, item_subtotal)
    lines += option_lines
    if kind == "fixed":
        minutes += extra_minutes
    subtotal = sum(line.amount for line in lines)

    surcharge = 0
    if ctx.is_holiday and ctx.holiday_surcharge_bp:
        surcharge = subtotal * ctx.holiday_surcharge_bp // BP
        lines.append(Line("surcharge", "holiday", "节假日加价", 1, surcharge, surcharge))
    elif (ctx.local_start_minute is not None and ctx.local_start_minute >= ctx.evening_start
          and ctx.evening_surcharge_bp):
        surcharge = subtotal * ctx.evening_surcharge_bp // BP
        lines.append(Line("surcharge", "evening", "夜间加价", 1, surcharge, surcharge))

    discount = 0
    before = subtotal + surcharge
    coupon = ctx.coupon
    if coupon is not None:
        discount = coupon_discount(coupon, service.get("id"), before)
        if discount:
            lines.append(Line("discount", coupon.code or "coupon", coupon.label, 1, -discount, -discount))

    total = before - discount
    deposit = int(service.get("deposit") or 0) if kind == "package" else 0
    return Quote(tuple(lines), subtotal, surcharge, discount, total, deposit, max(minutes, 30), days)


def _options(defs: list[dict[str, Any]], values: dict[str, Any], base: int) -> tuple[list[Line], int]:
    by_code = {d["code"]: d for d in defs}
    unknown = set(values) - set(by_code)
    if unknown:
        raise PricingError(f"options.{sorted(unknown)[0]}", "unknown option")
    lines: list[Line] = []
    minutes = 0

    def effect(code: str, label: str, spec: dict[str, Any]) -> None:
        nonlocal minutes
        amount = int(spec.get("surcharge") or 0) + base * int(spec.get("surcharge_bp") or 0) // BP
        minutes += int(spec.get("extra_minutes") or 0)
        if amount:
            lines.append(Line("option", code, label, 1, amount, amount))

    for d in defs:
        code, typ = d["code"], d["type"]
        field_name = f"options.{code}"
        value = values.get(code, d.get("default"))
        if value is None or value == [] or value == "":
            if d.get("required"):
                raise PricingError(field_name, "required")
            continue
        choices = {c["code"]: c for c in d.get("choices") or []}
        if typ == "single":
            if value not in choices:
                raise PricingError(field_name, "not one of the choices")
            effect(f"{code}.{value}", f"{d['label']}：{choices[value]['label']}", choices[value])
        elif typ == "multi":
            if not isinstance(value, list) or len(set(value)) != len(value) or any(v not in choices for v in value):
                raise PricingError(field_name, "distinct choices only")
            for v in value:
                effect(f"{code}.{v}", f"{d['label']}：{choices[v]['label']}", choices[v])
        elif typ == "bool":
            if not isinstance(value, bool):
                raise PricingError(field_name, "true or false")
            if value:
                effect(code, d["label"], d)
        elif typ == "number":
            if not isinstance(value, int) or isinstance(value, bool):
                raise PricingError(field_name, "a whole number")
            lo, hi = d.get("min", 0), d.get("max", 10_000)
            if not lo <= value <= hi:
                raise PricingError(field_name, f"{lo}..{hi}")
            extra_units = max(0, value - int(d.get("included_units") or 0))
            per_unit = int(d.get("per_unit_surcharge") or 0)
            minutes += extra_units * int(d.get("minutes_per_unit") or 0)
            if per_unit and extra_units:
                lines.append(Line("option", code, f"{d['label']}（超出 {extra_units}{d.get('unit', '')}）",
                                  extra_units, per_unit, per_unit * extra_units))
        elif typ == "text":
            if not isinstance(value, str) or len(value) > int(d.get("max_length") or 200):
                raise PricingError(field_name, "text too long")
        else:
            raise PricingError(field_name, f"unknown option type {typ!r}")
    return lines, minutes
