from fastapi import APIRouter

from anjia.addresses import errors as address_errors
from anjia.catalog import errors as catalog_errors
from anjia.core.auth import Customer, Session
from anjia.core.errors import responses
from anjia.core.params import ClientChannel, Id
from anjia.plans import errors, schemas, service
from anjia.scheduling import errors as booking

router = APIRouter(prefix="/plans", tags=["plans"], responses=responses(
    "not_found", errors.PLAN_NOT_FOUND, errors.PLAN_NOT_ACTIVE, errors.INVALID_RRULE, catalog_errors.SERVICE_NOT_FOUND,
    catalog_errors.INVALID_REQUIREMENTS, address_errors.ADDRESS_OUTSIDE_SERVICE_AREA, booking.START_IN_PAST))


@router.post("", status_code=201)
async def create_plan(body: schemas.PlanRequest, user: Customer, session: Session, channel: ClientChannel = None
                      ) -> schemas.PlanOut:
    """`X-Client` is the plan's source channel, which every order it makes carries."""
    return await service.plan_out(session, await service.create_plan(session, user, body, channel))


@router.get("")
async def list_plans(user: Customer, session: Session) -> list[schemas.PlanOut]:
    return [await service.plan_out(session, p) for p in await service.list_plans(session, user.id)]


@router.get("/{plan_id}")
async def get_plan(plan_id: Id, user: Customer, session: Session) -> schemas.PlanOut:
    return await service.plan_out(session, await service.get_own(session, user.id, plan_id))


@router.patch("/{plan_id}")
async def change_plan(plan_id: Id, body: schemas.PlanChange, user: Customer, session: Session) -> schemas.PlanOut:
    """Changes apply from `from_date` on: the plan ends the day before and a successor starts."""
    return await service.plan_out(session, await service.change(session, user, plan_id, body))


@router.post("/{plan_id}/pause")
async def pause_plan(plan_id: Id, user: Customer, session: Session) -> schemas.PlanOut:
    return await service.plan_out(session, await service.pause(session, user, plan_id))


@router.post("/{plan_id}/resume")
async def resume_plan(plan_id: Id, user: Customer, session: Session) -> schemas.PlanOut:
    return await service.plan_out(session, await service.resume(session, user, plan_id))


@router.post("/{plan_id}/skip")
async def skip_once(plan_id: Id, body: schemas.SkipRequest, user: Customer, session: Session) -> schemas.PlanOut:
    return await service.plan_out(session, await service.skip(session, user, plan_id, body.date))


@router.post("/{plan_id}/end")
async def end_plan(plan_id: Id, user: Customer, session: Session) -> schemas.PlanOut:
    return await service.plan_out(session, await service.end(session, user, plan_id))
