from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from anjia.addresses import service as addresses
from anjia.catalog import schemas as catalog_schemas
from anjia.catalog import service as catalog
from anjia.core import audit
from anjia.core.auth import Customer, Session, Worker, staff_with
from anjia.core.errors import AppError
from anjia.core.params import Id, PageNo, PageSize, Search
from anjia.core.types import Day, Text
from anjia.scheduling import schemas, service
from anjia.scheduling.models import Holiday
from anjia.workforce import schemas as wf_schemas
from anjia.workforce import service as workforce

public = APIRouter(tags=["scheduling"])
worker = APIRouter(prefix="/worker", tags=["worker: availability"])
admin = APIRouter(prefix="/admin", tags=["admin: scheduling"])


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


# ---------------------------------------------------------------- the worker's own hours
@worker.get("/availability")
async def my_availability(user: Worker, session: Session) -> schemas.WorkerAvailabilityOut:
    return await service.worker_availability(session, user.id)


@worker.put("/availability/weekly")
async def set_my_weekly(body: schemas.WeeklyIn, user: Worker, session: Session) -> schemas.WorkerAvailabilityOut:
    await service.set_weekly(session, user.id, body.weekly)
    return await service.worker_availability(session, user.id)


@worker.patch("/availability")
async def update_my_settings(body: schemas.WorkerSettingsIn, user: Worker, session: Session
                             ) -> schemas.WorkerAvailabilityOut:
    await service.update_worker_settings(session, user.id, body)
    return await service.worker_availability(session, user.id)


@worker.post("/leaves", status_code=201)
async def add_my_leave(body: schemas.LeaveIn, user: Worker, session: Session) -> schemas.WorkerAvailabilityOut:
    await service.add_leave(session, user.id, body)
    return await service.worker_availability(session, user.id)


@worker.delete("/leaves/{leave_id}", status_code=204)
async def delete_my_leave(leave_id: Id, user: Worker, session: Session) -> Response:
    await service.delete_leave(session, user.id, leave_id)
    return Response(status_code=204)


# ---------------------------------------------------------------- operators
@admin.get("/regions", dependencies=[staff_with("rules.read")])
async def admin_regions(session: Session) -> list[schemas.RegionOut]:
    return [service.region_out(r) for r in await service.regions(session, active_only=False)]


@admin.post("/regions", status_code=201)
async def create_region(body: schemas.RegionIn, session: Session, actor=staff_with("regions.write")
                        ) -> schemas.RegionOut:
    r = await service.create_region(session, body)
    await audit.record(session, actor, "region.create", "region", r.id, None, body.model_dump())
    return service.region_out(r)


@admin.patch("/regions/{region_id}")
async def update_region(region_id: Id, body: schemas.RegionUpdate, session: Session,
                        actor=staff_with("regions.write")) -> schemas.RegionOut:
    before = service.region_out(await service.get_region(session, region_id)).model_dump()
    r = service.region_out(await service.update_region(session, region_id, body))
    await audit.record(session, actor, "region.update", "region", region_id, before, r.model_dump())
    return r


@admin.get("/booking-rules", dependencies=[staff_with("rules.read")])
async def get_rules(session: Session) -> schemas.RulesOut:
    return service.rules_out(await service.rules(session))


@admin.put("/booking-rules")
async def put_rules(body: schemas.RulesIn, session: Session, actor=staff_with("rules.write")) -> schemas.RulesOut:
    before = service.rules_out(await service.rules(session)).model_dump()
    after = service.rules_out(await service.update_rules(session, body))
    await audit.record(session, actor, "booking_rules.update", "booking_rules", 1, before, after.model_dump())
    return after


@admin.get("/holidays", dependencies=[staff_with("rules.read")])
async def list_holidays(session: Session) -> list[schemas.HolidayOut]:
    return [schemas.HolidayOut.model_validate(h) for h in await service.holidays(session)]


@admin.post("/holidays", status_code=201)
async def add_holiday(body: schemas.HolidayIn, session: Session, actor=staff_with("rules.write")
                      ) -> schemas.HolidayOut:
    await session.merge(Holiday(day=body.day, name=body.name))
    await audit.record(session, actor, "holiday.set", "holiday", body.day.isoformat(), None,
                       body.model_dump(mode="json"))
    return schemas.HolidayOut(day=body.day, name=body.name)


@admin.delete("/holidays/{day}", status_code=204)
async def delete_holiday(day: Day, session: Session, actor=staff_with("rules.write")) -> Response:
    h = await session.get(Holiday, day)
    if h is None:
        raise AppError("not_found")
    await session.delete(h)
    await audit.record(session, actor, "holiday.delete", "holiday", day.isoformat(), {"name": h.name}, None)
    return Response(status_code=204)


@admin.get("/workers", dependencies=[staff_with("workers.read")])
async def list_workers(session: Session, q: Search = None, page: PageNo = 1, page_size: PageSize = 20
                       ) -> wf_schemas.WorkerPage:
    return await workforce.list_workers(session, q, page, page_size)


@admin.patch("/workers/{worker_id}")
async def update_worker(worker_id: Id, body: wf_schemas.WorkerUpdate, session: Session,
                        actor=staff_with("workers.write")) -> wf_schemas.WorkerOut:
    return await workforce.update_worker(session, actor, worker_id, body)


@admin.get("/workers/{worker_id}/availability", dependencies=[staff_with("workers.read")])
async def worker_availability(worker_id: Id, session: Session) -> schemas.WorkerAvailabilityOut:
    return await service.worker_availability(session, worker_id)


@admin.put("/workers/{worker_id}/weekly")
async def set_worker_weekly(worker_id: Id, body: schemas.WeeklyIn, session: Session,
                            actor=staff_with("workers.write")) -> schemas.WorkerAvailabilityOut:
    await service.set_weekly(session, worker_id, body.weekly)
    await audit.record(session, actor, "worker.weekly", "user", worker_id, None, body.model_dump())
    return await service.worker_availability(session, worker_id)


@admin.post("/workers/{worker_id}/leaves", status_code=201)
async def add_worker_leave(worker_id: Id, body: schemas.LeaveIn, session: Session,
                           actor=staff_with("workers.write")) -> schemas.WorkerAvailabilityOut:
    await service.add_leave(session, worker_id, body)
    await audit.record(session, actor, "worker.leave", "user", worker_id, None, body.model_dump(mode="json"))
    return await service.worker_availability(session, worker_id)
