
from fastapi import APIRouter, Response

from anjia.core.auth import Session, staff_with
from anjia.core.errors import responses
from anjia.core.params import Id
from anjia.core.types import Day
from anjia.scheduling import schemas, service

public = APIRouter(tags=["scheduling"])  # the booking calendar (/availability) is orders'
admin = APIRouter(prefix="/admin", tags=["admin: scheduling"], responses=responses("not_found"))


@public.get("/regions")
async def list_regions(session: Session) -> list[schemas.RegionOut]:
    return [service.region_out(r) for r in await service.regions(session)]


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
