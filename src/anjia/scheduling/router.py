from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from anjia.addresses import errors as address_errors
from anjia.addresses import service as addresses
from anjia.catalog import errors as catalog_errors
from anjia.catalog import schemas as catalog_schemas
from anjia.catalog import service as catalog
from anjia.core.auth import Customer, Session, staff_with
from anjia.core.errors import AppError, responses
from anjia.core.params import Id
from anjia.core.types import Day, Text
from anjia.scheduling import errors, schemas, service

public = APIRouter(tags=["scheduling"], responses=responses(
    "not_found", catalog_errors.SERVICE_NOT_FOUND, catalog_errors.INVALID_REQUIREMENTS,
    address_errors.ADDRESS_OUTSIDE_SERVICE_AREA, errors.DATE_OUT_OF_RANGE))
admin = APIRouter(prefix="/admin", tags=["admin: scheduling"], responses=responses("not_found"))


@public.get("/regions")
async def list_regions(session: Session) -> list[schemas.RegionOut]:
    return [service.region_out(r) for r in await service.regions(session)]


@public.get("/availability")
async def availability(user: Customer, session: Session, service_id: Id, address_id: Annotated[Id, Query()],
                       day_from: Annotated[Day, Query(alias="from")], day_to: Annotated[Day, Query(alias="to")],
                       hours: Annotated[int | None, Query(ge=1, le=24)] = None,
                       items: Annotated[Text(500) | None, Query()] = None,
                       options: Annotated[Text(2000) | None, Query(description="JSON object")] = None,
                       end_date: Day | None = None) -> schemas.AvailabilityOut:
    """Bookable slots for this service at this address; `items`/`hours`/`options` set the duration."""
    s = await catalog.get_service(session, service_id)
    address = await addresses.get_own(session, user.id, address_id)
    if address.region_id is None:
        raise AppError("address_outside_service_area")
    region = await service.get_region(session, address.region_id)
    opts = catalog_schemas.query_options(options)
    req = {"items": catalog_schemas.query_items(items) or ([{"code": s.items[0]["code"], "quantity": 1}] if s.pricing_kind == "fixed" else []),
           "hours": hours or (s.min_hours if s.pricing_kind == "hourly" else None), "options": opts,
           "start_date": day_from.isoformat() if s.pricing_kind == "package" else None,
           "end_date": (end_date or day_from).isoformat() if s.pricing_kind == "package" else None}
    if s.pricing_kind == "package" and not end_date:
        req["end_date"] = date.fromordinal(day_from.toordinal() + (s.min_days or 1) - 1).isoformat()
    q = await catalog.price(session, s, req, start=None, region_id=region.id)
    rules = await service.rules(session)
    need = service.Need.for_quote(region, s, address.lat, address.lng, q, rules.travel_buffer_minutes)
    return await service.availability(session, need, day_from, day_to)


# ---------------------------------------------------------------- operators
@admin.get("/regions", dependencies=[staff_with("rules.read")])
async def admin_regions(session: Session) -> list[schemas.RegionOut]:
    return [service.region_out(r) for r in await service.regions(session, active_only=False)]


@admin.post("/regions", status_code=201)
async def create_region(body: schemas.RegionIn, session: Session, actor=staff_with("regions.write")
                        ) -> schemas.RegionOut:
    return service.region_out(await service.create_region(session, actor, body))


@admin.patch("/regions/{region_id}")
async def update_region(region_id: Id, body: schemas.RegionUpdate, session: Session,
                        actor=staff_with("regions.write")) -> schemas.RegionOut:
    return service.region_out(await service.update_region(session, actor, region_id, body))


@admin.get("/booking-rules", dependencies=[staff_with("rules.read")])
async def get_rules(session: Session) -> schemas.RulesOut:
    return service.rules_out(await service.rules(session))


@admin.put("/booking-rules")
async def put_rules(body: schemas.RulesIn, session: Session, actor=staff_with("rules.write")) -> schemas.RulesOut:
    return service.rules_out(await service.update_rules(session, actor, body))


@admin.get("/holidays", dependencies=[staff_with("rules.read")])
async def list_holidays(session: Session) -> list[schemas.HolidayOut]:
    return [schemas.HolidayOut.model_validate(h) for h in await service.holidays(session)]


@admin.post("/holidays", status_code=201)
async def add_holiday(body: schemas.HolidayIn, session: Session, actor=staff_with("rules.write")
                      ) -> schemas.HolidayOut:
    await service.set_holiday(session, actor, body)
    return schemas.HolidayOut(day=body.day, name=body.name)


@admin.delete("/holidays/{day}", status_code=204)
async def delete_holiday(day: Day, session: Session, actor=staff_with("rules.write")) -> Response:
    await service.delete_holiday(session, actor, day)
    return Response(status_code=204)
