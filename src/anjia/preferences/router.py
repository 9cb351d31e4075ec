"""The customer's preferences and favourites (我的 → 偏好设置, 我的收藏)."""
from fastapi import APIRouter, Response

from anjia.catalog import errors as catalog_errors
from anjia.core.auth import Customer, Session
from anjia.core.errors import responses
from anjia.core.params import Id
from anjia.preferences import schemas, service

router = APIRouter(prefix="/me", tags=["preferences"], responses=responses("not_found",
                                                                          catalog_errors.SERVICE_NOT_FOUND))


@router.get("/preferences")
async def get_preferences(user: Customer, session: Session) -> schemas.PreferencesOut:
    return await service.get(session, user.id)


@router.put("/preferences")
async def put_preferences(body: schemas.PreferencesIn, user: Customer, session: Session) -> schemas.PreferencesOut:
    """Shown to the worker on each of your orders."""
    return await service.put(session, user, body)


@router.get("/favourites")
async def get_favourites(user: Customer, session: Session) -> schemas.FavouritesOut:
    return await service.favourites(session, user)


@router.put("/favourites/services/{service_id}", status_code=204)
async def add_service(service_id: Id, user: Customer, session: Session) -> Response:
    await service.add_service(session, user, service_id)
    return Response(status_code=204)


@router.delete("/favourites/services/{service_id}", status_code=204)
async def remove_service(service_id: Id, user: Customer, session: Session) -> Response:
    await service.remove_service(session, user, service_id)
    return Response(status_code=204)


@router.put("/favourites/workers/{worker_id}", status_code=204)
async def add_worker(worker_id: Id, user: Customer, session: Session) -> Response:
    """Dispatch prefers your favourite workers; book one directly with `worker_id` on the order."""
    await service.add_worker(session, user, worker_id)
    return Response(status_code=204)


@router.delete("/favourites/workers/{worker_id}", status_code=204)
async def remove_worker(worker_id: Id, user: Customer, session: Session) -> Response:
    await service.remove_worker(session, user, worker_id)
    return Response(status_code=204)
