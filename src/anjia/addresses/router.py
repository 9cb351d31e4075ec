from fastapi import APIRouter, Response

from anjia.addresses import errors, schemas, service
from anjia.core.auth import Customer, Session
from anjia.core.errors import responses
from anjia.core.params import Id

router = APIRouter(prefix="/addresses", tags=["addresses"], responses=responses("not_found", errors.TOO_MANY_ADDRESSES))


@router.get("")
async def list_addresses(user: Customer, session: Session) -> list[schemas.AddressOut]:
    return [schemas.AddressOut.model_validate(a) for a in await service.list_addresses(session, user.id)]


@router.post("", status_code=201)
async def create_address(body: schemas.AddressIn, user: Customer, session: Session) -> schemas.AddressOut:
    return schemas.AddressOut.model_validate(await service.create(session, user.id, body))


@router.patch("/{address_id}")
async def update_address(address_id: Id, body: schemas.AddressUpdate, user: Customer, session: Session
                         ) -> schemas.AddressOut:
    return schemas.AddressOut.model_validate(await service.update_address(session, user.id, address_id, body))


@router.post("/{address_id}/default")
async def set_default(address_id: Id, user: Customer, session: Session) -> schemas.AddressOut:
    return schemas.AddressOut.model_validate(await service.set_default(session, user.id, address_id))


@router.delete("/{address_id}", status_code=204)
async def delete_address(address_id: Id, user: Customer, session: Session) -> Response:
    await service.delete(session, user.id, address_id)
    return Response(status_code=204)
