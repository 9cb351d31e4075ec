from fastapi import APIRouter, Request, Response

from anjia.catalog import errors, schemas, service
from anjia.core.auth import Session, staff_with
from anjia.core.errors import responses
from anjia.core.params import Id, Search

public = APIRouter(tags=["catalog"], responses=responses(errors.SERVICE_NOT_FOUND, errors.INVALID_REQUIREMENTS))
admin = APIRouter(prefix="/admin", tags=["admin: catalog"], responses=responses("not_found", errors.SERVICE_NOT_FOUND))


@public.get("/services", responses={304: {"description": "Not modified"}})
async def list_services(request: Request, q: Search = None) -> list[schemas.CategoryOut]:
    # the published catalogue from this process's cache; If-None-Match: 304 while it is unchanged
    page = await service.public_catalog(q)
    if request.headers.get("if-none-match") == page.etag:
        return Response(status_code=304, headers={"ETag": page.etag})
    return Response(page.body, media_type="application/json",
                    headers={"ETag": page.etag, "Cache-Control": "no-cache"})  # revalidate with the ETag each time


@public.get("/services/{service_id}")
async def get_service(service_id: Id, session: Session, region_id: Id | None = None
                      ) -> schemas.ServiceOut:
    return await service.service_detail(session, service_id, region_id)


@public.post("/quotes")
async def create_quote(body: schemas.QuoteRequest, session: Session) -> schemas.QuoteOut:
    s = await service.get_service(session, body.service_id)
    q = await service.price(session, s, body.model_dump(mode="json"), start=body.start, region_id=body.region_id)
    return service.quote_out(s.id, q)


@admin.get("/catalog", dependencies=[staff_with("catalog.read")])
async def admin_catalog(session: Session) -> list[schemas.CategoryOut]:
    return (await service.catalog(session, include_unpublished=True))[1]


@admin.get("/services/{service_id}", dependencies=[staff_with("catalog.read")])
async def admin_service(service_id: Id, session: Session) -> schemas.ServiceOut:
    return service.service_out(await service.get_service(session, service_id, public=False))


@admin.post("/categories", status_code=201)
async def create_category(body: schemas.CategoryIn, session: Session, actor=staff_with("catalog.write")
                          ) -> schemas.CategoryRef:
    c = await service.create_category(session, actor, body)
    return {"id": c.id}


@admin.patch("/categories/{category_id}")
async def update_category(category_id: Id, body: schemas.CategoryUpdate, session: Session,
                          actor=staff_with("catalog.write")) -> schemas.CategoryRef:
    c = await service.update_category(session, actor, category_id, body)
    return {"id": c.id}


@admin.post("/services", status_code=201)
async def create_service(body: schemas.ServiceCreate, session: Session, actor=staff_with("catalog.write")
                         ) -> schemas.ServiceOut:
    return service.service_out(await service.create_service(session, actor, body))


@admin.patch("/services/{service_id}")
async def update_service(service_id: Id, body: schemas.ServiceUpdate, session: Session,
                         actor=staff_with("catalog.write")) -> schemas.ServiceOut:
    return service.service_out(await service.update_service(session, actor, service_id, body))


@admin.post("/services/reorder", status_code=204)
async def reorder_services(body: schemas.Reorder, session: Session, actor=staff_with("catalog.write")) -> Response:
    await service.reorder(session, actor, body.ids)
    return Response(status_code=204)


@admin.get("/services/{service_id}/region-prices", dependencies=[staff_with("catalog.read")])
async def get_region_prices(service_id: Id, session: Session) -> schemas.RegionPrices:
    return schemas.RegionPrices(prices=await service.region_prices_all(session, service_id))


@admin.put("/services/{service_id}/region-prices", status_code=204)
async def put_region_prices(service_id: Id, body: schemas.RegionPrices, session: Session,
                            actor=staff_with("catalog.write")) -> Response:
    await service.set_region_prices(session, actor, service_id, body)
    return Response(status_code=204)
