from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Query, Request, Response

from anjia.addresses import errors as address_errors
from anjia.catalog import errors as catalog_errors
from anjia.catalog.schemas import query_items, query_options
from anjia.core.auth import Customer, CustomerRow, Session, WritingSession, client_ip, staff_with
from anjia.core.errors import AppError, responses
from anjia.core.paging import Page
from anjia.core.params import ClientChannel, Id, PageNo, PageSize, Search
from anjia.core.types import Day, Text
from anjia.coupons import errors as coupon_errors
from anjia.orders import errors, schemas, service, state
from anjia.scheduling import errors as booking_errors
from anjia.scheduling.schemas import AvailabilityOut

BOOKING = (catalog_errors.SERVICE_NOT_FOUND, catalog_errors.INVALID_REQUIREMENTS, address_errors.ADDRESS_OUTSIDE_SERVICE_AREA)
COUPON = (coupon_errors.COUPON_NOT_FOUND, coupon_errors.COUPON_UNAVAILABLE, coupon_errors.COUPON_NOT_APPLICABLE,
          coupon_errors.COUPON_MIN_SPEND)
booking = APIRouter(tags=["scheduling"], responses=responses("not_found", *BOOKING, booking_errors.DATE_OUT_OF_RANGE))
preview = APIRouter(tags=["scheduling"], responses=responses("not_found", catalog_errors.SERVICE_NOT_FOUND,
                                                             booking_errors.DATE_OUT_OF_RANGE))
PREVIEW_DAYS = 7
router = APIRouter(prefix="/orders", tags=["orders"], responses=responses(
    "not_found", *BOOKING, errors.ORDER_NOT_FOUND, errors.ORDER_NOT_MODIFIABLE, errors.ORDER_NOT_CANCELLABLE,
    errors.ILLEGAL_TRANSITION, booking_errors.SLOT_UNAVAILABLE, booking_errors.START_IN_PAST,
    booking_errors.START_TOO_SOON, booking_errors.START_BEYOND_HORIZON, booking_errors.OUTSIDE_OPENING_HOURS,
    *COUPON))
admin = APIRouter(prefix="/admin/orders", tags=["admin: orders"], responses=responses(
    errors.ORDER_NOT_FOUND, errors.ORDER_NOT_CANCELLABLE, errors.ILLEGAL_TRANSITION))

Tab = Literal["unpaid", "waiting", "accepted", "in_service", "completed", "cancelled"]
StatusParam = Literal["pending_payment", "paid", "dispatch_failed", "accepted", "on_the_way", "in_service",
                      "completed", "cancelled"]


def _slots_json(slots: dict) -> Response:
    """AvailabilityOut's JSON, serialised by orjson (the same bytes as the model's, a fifth of the time)."""
    return Response(orjson.dumps(slots), media_type="application/json")


@booking.get("/availability", response_model=AvailabilityOut)
async def availability(user: Customer, session: Session, service_id: Id, address_id: Annotated[Id, Query()],
                       day_from: Annotated[Day, Query(alias="from")], day_to: Annotated[Day, Query(alias="to")],
                       hours: Annotated[int | None, Query(ge=1, le=24)] = None,
                       items: Annotated[Text(500) | None, Query()] = None,
                       options: Annotated[Text(2000) | None, Query(description="JSON object")] = None,
                       end_date: Day | None = None, worker_id: Annotated[Id | None, Query()] = None
                       ) -> Response:
    """Bookable slots for this service at this address; `items`/`hours`/`options` set the duration;
    `worker_id`: when this worker (a favourite) is free."""
    return _slots_json(await service.availability(session, user.id, service_id, address_id, day_from, day_to,
                                                  items=query_items(items), hours=hours,
                                                  options=query_options(options), end_date=end_date,
                                                  worker_id=worker_id))


@preview.get("/availability/preview", response_model=AvailabilityOut)
async def availability_preview(session: Session, service_id: Id, region_id: Annotated[Id, Query()],
                               day_from: Annotated[Day, Query(alias="from")], day_to: Annotated[Day, Query(alias="to")]
                               ) -> Response:
    """Anyone, before signing in: a service's slots in a region (at its centre, for the smallest
    request), up to 7 days at a time. Booking then asks for the customer's address."""
    if (day_to - day_from).days >= PREVIEW_DAYS:
        raise AppError("date_out_of_range", errors=[{"field": "to", "message": f"at most {PREVIEW_DAYS} days"}])
    return _slots_json(await service.availability_preview(session, service_id, region_id, day_from, day_to))


@router.post("/quote")
async def checkout_quote(body: schemas.CheckoutQuoteIn, user: Customer, session: Session) -> schemas.CheckoutQuoteOut:
    """The price as the order would have it: the coupon chosen (by default the best one the customer
    holds) applied, and every usable coupon with what it would take off. Books nothing."""
    return await service.checkout_quote(session, user, body)


@router.post("", status_code=201)
async def create_order(body: schemas.OrderRequest, user: CustomerRow, session: Session, channel: ClientChannel = None
                       ) -> schemas.OrderOut:
    """Send an `Idempotency-Key`: a retried request then returns the first order instead of a second one.
    `X-Client` is recorded as the order's source channel (`unknown` without it)."""
    return await service.order_out(session, await service.create_order(session, user, body, source=channel))


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
                       service_id: Id | None = None,
                       day_from: Annotated[Day | None, Query(alias="from")] = None,
                       day_to: Annotated[Day | None, Query(alias="to")] = None,
                       page: PageNo = 1, page_size: PageSize = 20) -> Page[schemas.AdminOrderSummary]:
    items, total = await service.admin_list(session, status=status, q=q, service_id=service_id, day_from=day_from,
                                            day_to=day_to, page=page, page_size=page_size)
    return Page[schemas.AdminOrderSummary](items=items, total=total, page=page, page_size=page_size)


@admin.get("/{order_id}")
async def admin_order(order_id: Id, request: Request, session: WritingSession, actor=staff_with("orders.read")
                      ) -> schemas.OrderOut:
    return await service.admin_order_out(session, actor, await service.get_order(session, order_id),
                                         client_ip(request))


@admin.post("/{order_id}/cancel")
async def admin_cancel(order_id: Id, body: schemas.CancelRequest, request: Request, session: Session,
                       actor=staff_with("orders.write")) -> schemas.OrderOut:
    order = await service.cancel_order(session, actor, order_id, body, None)
    return await service.admin_order_out(session, actor, order, client_ip(request))
