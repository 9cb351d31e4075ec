"""Catalog: categories and services (public reads are cached by catalog version), admin edits
(audited), and turning a quote request into a priced quote with the one pricing function."""
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.catalog import pricing, schemas
from anjia.catalog.models import Category, RegionPrice, Service
from anjia.core import audit, db
from anjia.core.cache import cache
from anjia.core.errors import AppError
from anjia.scheduling import service as scheduling

SERVICE_FIELDS = list(schemas.ServiceFields.model_fields)


def service_dict(s: Service) -> dict:
    return {f: getattr(s, f) for f in SERVICE_FIELDS} | {"id": s.id, "sort": s.sort}


def service_out(s: Service, category_name: str = "", region_prices: dict[str, int] | None = None
                ) -> schemas.ServiceOut:
    data = service_dict(s)
    if region_prices:
        data["items"] = [{**i, "unit_price": region_prices.get(i["code"], i["unit_price"])} for i in data["items"]]
    return schemas.ServiceOut(**data, category_name=category_name)


def _summary(s: Service) -> schemas.ServiceSummary:
    return schemas.ServiceSummary(id=s.id, name=s.name, name_en=s.name_en, image_url=s.image_url,
                                  pricing_kind=s.pricing_kind, unit_name=s.unit_name,
                                  from_price=min(int(i["unit_price"]) for i in s.items), published=s.published,
                                  sort=s.sort)


async def version(session: AsyncSession) -> str:
    """Changes whenever any category or service changes (or one is added or removed)."""
    row = (await session.execute(select(func.max(Service.updated_at), func.count(Service.id)))).one()
    crow = (await session.execute(select(func.max(Category.updated_at), func.count(Category.id)))).one()
    return hashlib.sha1(f"{row[0]}|{row[1]}|{crow[0]}|{crow[1]}".encode()).hexdigest()[:16]


_cache: dict[tuple[str, str | None, bool], list[schemas.CategoryOut]] = {}


async def catalog(session: AsyncSession, q: str | None = None, include_unpublished: bool = False
                  ) -> tuple[str, list[schemas.CategoryOut]]:
    v = await version(session)
    key = (v, q, include_unpublished)
    if key not in _cache:
        if len(_cache) > 256:
            _cache.clear()
        cats = list(await session.scalars(select(Category).order_by(Category.sort, Category.id)))
        services = list(await session.scalars(select(Service).order_by(Service.sort, Service.id)))
        out = []
        for c in cats:
            if not include_unpublished and not c.published:
                continue
            mine = [s for s in services if s.category_id == c.id and (include_unpublished or s.published)]
            if q:
                mine = [s for s in mine if q.lower() in f"{c.name} {c.name_en} {s.name} {s.name_en}".lower()]
                if not mine:
                    continue
            out.append(schemas.CategoryOut(id=c.id, name=c.name, name_en=c.name_en, icon=c.icon, sort=c.sort,
                                           published=c.published, services=[_summary(s) for s in mine]))
        _cache[key] = out
    etag = hashlib.sha1(json.dumps([c.model_dump() for c in _cache[key]], ensure_ascii=False).encode()).hexdigest()
    return f'"{etag[:20]}"', _cache[key]


CATALOG_TABLES = frozenset({"services", "service_categories"})
_CATEGORIES = TypeAdapter(list[schemas.CategoryOut])


@dataclass(frozen=True)
class CataloguePage:
    etag: str
    body: bytes  # the JSON the route sends


async def public_catalog(q: str | None = None) -> CataloguePage:
    """The public catalogue as sent (ETag and JSON body), kept per process until staff change a
    category or service (core.cache): a cached read touches no database and serialises nothing."""
    async def build() -> CataloguePage:
        async with db.sessionmaker()() as session:
            etag, categories = await catalog(session, q)
        return CataloguePage(etag, _CATEGORIES.dump_json(categories))

    return await cache.get(("catalog.public", q), CATALOG_TABLES, build)


async def get_service(session: AsyncSession, service_id: int, *, public: bool = True) -> Service:
    s = await cache.row(session, Service, service_id, CATALOG_TABLES)
    if s is None:
        raise AppError("service_not_found")
    if public:
        cat = await cache.row(session, Category, s.category_id, CATALOG_TABLES)
        if not s.published or cat is None or not cat.published:
            raise AppError("service_not_found")
    return s


async def service_names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    """The names of these services (kept: coupon lists name the service a coupon is for)."""
    if not ids:
        return {}

    async def build() -> dict[int, str]:
        return dict((await session.execute(select(Service.id, Service.name))).all())

    names = await cache.get(("service_names",), CATALOG_TABLES, build)
    return {i: names[i] for i in ids if i in names}


async def region_prices(session: AsyncSession, service_id: int, region_id: int | None) -> dict[str, int]:
    if region_id is None:
        return {}

    async def build() -> dict[str, int]:
        rows = await session.execute(select(RegionPrice.item_code, RegionPrice.unit_price).where(
            RegionPrice.service_id == service_id, RegionPrice.region_id == region_id))
        return {code: price for code, price in rows}

    return dict(await cache.get(("region_prices", service_id, region_id), REGION_PRICE_TABLES, build))


REGION_PRICE_TABLES = frozenset({"service_region_prices"})


async def service_detail(session: AsyncSession, service_id: int, region_id: int | None) -> schemas.ServiceOut:
    s = await get_service(session, service_id)
    cat = await session.get(Category, s.category_id)
    return service_out(s, cat.name if cat else "", await region_prices(session, s.id, region_id))


# ---------------------------------------------------------------- quotes
def parse_day(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise AppError("validation_error", errors=[{"field": field, "message": "YYYY-MM-DD"}]) from None


def pricing_request(req: dict) -> dict:
    """The request as the pricing function takes it (dates parsed)."""
    return {"items": req.get("items") or [], "hours": req.get("hours"),
            "start_date": parse_day(req.get("start_date"), "start_date"),
            "end_date": parse_day(req.get("end_date"), "end_date"), "daily_hours": req.get("daily_hours"),
            "options": req.get("options") or {}}


async def price(session: AsyncSession, service: Service, req: dict, *, start: datetime | None,
                region_id: int | None, timezone: str = "Asia/Shanghai", coupon: pricing.Coupon | None = None
                ) -> pricing.Quote:
    """`coupon`: the one the customer uses (orders choose it with coupons); quote() applies it."""
    rules = await scheduling.rules(session)
    local = start.astimezone(ZoneInfo(timezone)) if start else None
    ctx = pricing.Context(
        local_start_minute=local.hour * 60 + local.minute if local else None,
        is_holiday=await scheduling.is_holiday(session, local.date()) if local else False,
        evening_start=rules.evening_start, evening_surcharge_bp=rules.evening_surcharge_bp,
        holiday_surcharge_bp=rules.holiday_surcharge_bp, coupon=coupon,
        region_prices=await region_prices(session, service.id, region_id))
    try:
        return pricing.quote(service_dict(service), pricing_request(req), ctx)
    except pricing.PricingError as e:
        raise AppError("invalid_requirements", errors=[{"field": e.field, "message": e.reason}]) from None


def quote_out(service_id: int, q: pricing.Quote) -> schemas.QuoteOut:
    return schemas.QuoteOut(service_id=service_id, **q.as_dict())


# ---------------------------------------------------------------- admin edits
async def create_category(session: AsyncSession, actor, data: schemas.CategoryIn) -> Category:
    c = Category(**data.model_dump())
    session.add(c)
    await session.flush()
    await audit.record(session, actor, "catalog.category.create", "category", c.id, None, data.model_dump())
    return c


async def update_category(session: AsyncSession, actor, category_id: int, data: schemas.CategoryUpdate) -> Category:
    c = await session.get(Category, category_id)
    if c is None:
        raise AppError("not_found")
    before = {"name": c.name, "name_en": c.name_en, "icon": c.icon, "published": c.published, "sort": c.sort}
    for k, v in data.model_dump(exclude_unset=True).items():
        if v is not None:
            setattr(c, k, v)
    await session.flush()
    await audit.record(session, actor, "catalog.category.update", "category", c.id, before,
                       {k: getattr(c, k) for k in before})
    return c


async def create_service(session: AsyncSession, actor, data: schemas.ServiceCreate) -> Service:
    if await session.get(Category, data.category_id) is None:
        raise AppError("validation_error", errors=[{"field": "category_id", "message": "unknown category"}])
    top = await session.scalar(select(func.max(Service.sort)).where(Service.category_id == data.category_id))
    s = Service(**data.model_dump(mode="json"), sort=(top or 0) + 1)
    session.add(s)
    await session.flush()
    await audit.record(session, actor, "catalog.service.create", "service", s.id, None, service_dict(s))
    return s


async def update_service(session: AsyncSession, actor, service_id: int, data: schemas.ServiceUpdate) -> Service:
    s = await get_service(session, service_id, public=False)
    before = service_dict(s)
    merged = {**{k: before[k] for k in SERVICE_FIELDS}, **data.model_dump(exclude_unset=True, mode="json")}
    try:
        valid = schemas.ServiceFields.model_validate(merged)
    except ValidationError as e:
        raise AppError("validation_error", errors=[
            {"field": ".".join(str(p) for p in err["loc"]) or "body", "message": err["msg"]} for err in e.errors()
        ]) from None
    if valid.category_id != s.category_id and await session.get(Category, valid.category_id) is None:
        raise AppError("validation_error", errors=[{"field": "category_id", "message": "unknown category"}])
    for k, v in valid.model_dump(mode="json").items():
        setattr(s, k, v)
    await session.flush()
    await audit.record(session, actor, "catalog.service.update", "service", s.id, before, service_dict(s))
    return s


async def reorder(session: AsyncSession, actor, ids: list[int]) -> None:
    services = {s.id: s for s in await session.scalars(select(Service).where(Service.id.in_(ids)))}
    if len(services) != len(set(ids)):
        raise AppError("validation_error", errors=[{"field": "ids", "message": "unknown or repeated service"}])
    before = {sid: services[sid].sort for sid in ids}
    for position, sid in enumerate(ids, start=1):
        services[sid].sort = position
    await session.flush()
    await audit.record(session, actor, "catalog.service.reorder", "service", None, {"sort": before},
                       {"sort": {sid: i for i, sid in enumerate(ids, start=1)}})


async def set_region_prices(session: AsyncSession, actor, service_id: int, data: schemas.RegionPrices) -> None:
    s = await get_service(session, service_id, public=False)
    codes = {i["code"] for i in s.items}
    for p in data.prices:
        if p.item_code not in codes:
            raise AppError("validation_error", errors=[{"field": "prices", "message": f"unknown item {p.item_code}"}])
        await scheduling.get_region(session, p.region_id)
    old = await region_prices_all(session, service_id)
    await session.execute(delete(RegionPrice).where(RegionPrice.service_id == service_id))
    session.add_all([RegionPrice(service_id=service_id, **p.model_dump()) for p in data.prices])
    s.updated_at = func.now()
    await session.flush()
    await audit.record(session, actor, "catalog.service.region_prices", "service", service_id, {"prices": old},
                       {"prices": [p.model_dump() for p in data.prices]})


async def region_prices_all(session: AsyncSession, service_id: int) -> list[dict]:
    rows = await session.scalars(select(RegionPrice).where(RegionPrice.service_id == service_id))
    return [{"region_id": r.region_id, "item_code": r.item_code, "unit_price": r.unit_price} for r in rows]
