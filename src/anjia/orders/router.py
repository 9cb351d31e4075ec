import json
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from anjia.core.auth import Customer, Session, client_ip, staff_with
from anjia.core.errors import AppError
from anjia.core.paging import Page
from anjia.core.params import Id, PageNo, PageSize, Search
from anjia.orders import schemas, service, state
from anjia.scheduling.schemas import AvailabilityOut

booking = APIRouter(tags=["scheduling"])
router = APIRouter(prefix="/orders", tags=["orders"])
admin = APIRouter(prefix="/admin/orders", tags=["admin: orders"])

Tab = Literal["unpaid", "waiting", "accepted", "in_service", "completed", "cancelled"]
StatusParam = Literal["pending_payment", "paid", "dispatch_failed", "accepted", "on_the_way", "in_service",
                      "completed", "cancelled"]


def _parse_items(items: str | None) -> list[dict]:
    out = []
    for part in filter(None, (items or "").split(",")):
        code, _, qty = part.partition(":")
        if not qty.isdigit():
            raise AppError("validation_error", errors=[{"field": "items", "message": "code:quantity,…"}])
        out.append({"code": code, "quantity": int(qty)})
    return out


@booking.get("/availability")
async def availability(user: Customer, session: Session, service_id: Annotated[int, Query(ge=1)],
                       address_id: Annotated[int, Query(ge=1)], day_from: Annotated[date, Query(alias="from")],
                       day_to: Annotated[date, Query(alias="to")], hours: Annotated[int | None, Query(ge=1, le=24)] = None,
                       items: Annotated[str | None, Query(max_length=500)] = None,
                       options: Annotated[str | None, Query(max_length=2000, description="JSON object")] = None,
                       end_date: Annotated[date | None, Query()] = None) -> AvailabilityOut:
    """Bookable slots for this service at this address; `items`/`hours`/`options` set the duration."""
    try:
        opts = json.loads(options) if options else {}
        assert isinstance(opts, dict)
    except (ValueError, AssertionError):
        raise AppError("validation_error", errors=[{"field": "options", "message": "a JSON object"}]) from None
    return await service.availability(session, user.id, service_id, address_id, day_from, day_to,
                                      items=_parse_items(items), hours=hours, options=opts, end_date=end_date)


@router.post("", status_code=201)
async def create_order(body: schemas.OrderRequest, user: Customer, session: Session) -> schemas.OrderOut:
    """Send an `Idempotency-Key`: a retried request then returns the first order instead of a second one."""
    return await service.order_out(session, await service.create_order(session, user, body))


@router.get("")
async def list_orders(user: Customer, session: Session, tab: Tab | None = None, status: StatusParam | None = None,
                      page: PageNo = 1, page_size: PageSize = 20) -> Page[schemas.OrderSummary]:
    statuses = [status] if status else ([s.value for s in state.TABS[tab]] if tab else None)
    rows, total = await service.list_orders(session, user.id, statuses=statuses, page=page, page_size=page_size)
    return Page[schemas.OrderSummary](items=await service.summaries(session, rows), total=total, page=page,
                                      page_size=page_size)


@router.get("/{order_id}")
async def get_order(order_id: Id, user: Customer, session: Session) -> schemas.OrderOut:
    return await service.order_out(session, await service.get_for_customer(session, user.id, order_id))


@router.patch("/{order_id}")
async def modify_order(order_id: Id, body: schemas.OrderChange, user: Customer, session: Session
                       ) -> schemas.OrderOut:
    return await service.order_out(session, await service.modify_order(session, user, order_id, body))


@router.post("/{order_id}/cancel")
async def cancel_order(order_id: Id, body: schemas.CancelRequest, user: Customer, session: Session
                       ) -> schemas.OrderOut:
    return await service.order_out(session, await service.cancel_order(session, user, order_id, body, user.id))


@router.get("/{order_id}/rebook")
async def rebook(order_id: Id, user: Customer, session: Session) -> schemas.RebookOut:
    return await service.rebook(session, user.id, order_id)


@admin.get("", dependencies=[staff_with("orders.read")])
async def admin_orders(session: Session, status: StatusParam | None = None, q: Search = None,
                       service_id: Annotated[int | None, Query(ge=1)] = None,
                       day_from: Annotated[date | None, Query(alias="from")] = None,
                       day_to: Annotated[date | None, Query(alias="to")] = None,
                       page: PageNo = 1, page_size: PageSize = 20) -> Page[schemas.AdminOrderSummary]:
    items, total = await service.admin_list(session, status=status, q=q, service_id=service_id, day_from=day_from,
                                            day_to=day_to, page=page, page_size=page_size)
    return Page[schemas.AdminOrderSummary](items=items, total=total, page=page, page_size=page_size)


@admin.get("/{order_id}")
async def admin_order(order_id: Id, request: Request, session: Session, actor=staff_with("orders.read")
                      ) -> schemas.OrderOut:
    return await service.admin_order_out(session, actor, await service.get_order(session, order_id),
                                         client_ip(request))


@admin.post("/{order_id}/cancel")
async def admin_cancel(order_id: Id, body: schemas.CancelRequest, session: Session,
                       actor=staff_with("orders.write")) -> schemas.OrderOut:
    return await service.order_out(session, await service.cancel_order(session, actor, order_id, body, None))
