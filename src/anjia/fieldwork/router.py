from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from fastapi.responses import FileResponse

from anjia.core import storage
from anjia.core.auth import Customer, Session, Worker, staff_with
from anjia.core.errors import AppError, responses
from anjia.core.media import ERRORS as MEDIA_ERRORS
from anjia.core.params import Id
from anjia.dispatch import errors as dispatch_errors
from anjia.dispatch import service as dispatch
from anjia.fieldwork import errors, schedule, schemas, service
from anjia.orders import errors as order_errors
from anjia.orders import service as orders

ON_ORDERS = (order_errors.ORDER_NOT_FOUND, order_errors.ILLEGAL_TRANSITION, "not_found", errors.SCHEDULE_CHANGE_CLOSED,
             dispatch_errors.WORKER_BUSY)
worker = APIRouter(prefix="/worker", tags=["worker: orders"], responses=responses(
    *ON_ORDERS, dispatch_errors.OFFER_TAKEN, dispatch_errors.OFFER_EXPIRED, errors.CHECK_IN_TOO_FAR, errors.NOT_IN_SERVICE,
    *MEDIA_ERRORS, storage.DIRECT_UPLOAD_UNAVAILABLE, storage.UPLOAD_MISSING,
    errors.SCHEDULE_CHANGE_PENDING))
admin = APIRouter(prefix="/admin", tags=["admin: dispatch"], responses=responses(*ON_ORDERS))
public = APIRouter(tags=["media"], responses=responses(*ON_ORDERS))


@worker.get("/offers")
async def my_offers(user: Worker, session: Session) -> list[schemas.OfferOut]:
    return await service.offers_for(session, user)


@worker.get("/orders")
async def my_orders(user: Worker, session: Session, scope: Literal["upcoming", "today", "done"] = "upcoming"
                    ) -> list[schemas.WorkerOrderOut]:
    return await service.list_orders(session, user, scope)


@worker.get("/orders/{order_id}")
async def my_order(order_id: Id, user: Worker, session: Session) -> schemas.WorkerOrderOut:
    return await service.get_order(session, user, order_id)


@worker.post("/orders/{order_id}/accept")
async def accept(order_id: Id, user: Worker, session: Session) -> schemas.WorkerOrderOut:
    """Exactly one worker wins; the others get 409 `offer_taken`."""
    await dispatch.accept(session, user, order_id)
    return await service.get_order(session, user, order_id)


@worker.post("/orders/{order_id}/reject", status_code=204)
async def reject(order_id: Id, body: schemas.RejectIn, user: Worker, session: Session) -> Response:
    await dispatch.reject(session, user, order_id, body.reason_code, body.reason)
    return Response(status_code=204)


@worker.post("/orders/{order_id}/depart")
async def depart(order_id: Id, user: Worker, session: Session) -> schemas.WorkerOrderOut:
    await service.depart(session, user, order_id)
    return await service.get_order(session, user, order_id)


@worker.post("/orders/{order_id}/check-in")
async def check_in(order_id: Id, body: schemas.CheckInIn, user: Worker, session: Session) -> schemas.WorkerOrderOut:
    await service.check_in(session, user, order_id, body)
    return await service.get_order(session, user, order_id)


@worker.post("/orders/{order_id}/check-out")
async def check_out(order_id: Id, user: Worker, session: Session) -> schemas.WorkerOrderOut:
    await service.check_out(session, user, order_id)
    return await service.get_order(session, user, order_id)


@worker.post("/location")
async def report_location(body: schemas.LocationIn, user: Worker, session: Session) -> schemas.LocationOut:
    """Only while one of my orders is on the way or in service."""
    return await service.report_location(session, user, body)


@admin.get("/live/workers", dependencies=[staff_with("orders.read")])
async def live_workers(session: Session) -> list[schemas.LiveWorkerOut]:
    return await service.live_workers(session)


@worker.post("/orders/{order_id}/records", status_code=201)
async def add_record(order_id: Id, user: Worker, session: Session,
                     stage: Annotated[Literal["before", "during", "after"], Form()],
                     note: Annotated[str, Form(max_length=500)] = "",
                     file: UploadFile | None = File(default=None),
                     upload_key: Annotated[str | None, Form(max_length=200)] = None) -> schemas.RecordOut:
    """A note and/or one photo (JPEG/PNG/WebP ≤ 10 MB, EXIF removed) or video (MP4/MOV ≤ 60 s, ≤ 30 MB):
    the `file` itself, or the `upload_key` of a direct upload (`POST .../records/uploads`)."""
    data = await file.read() if file is not None else None
    return service.record_out(await service.add_record(session, user, order_id, stage, note, data, upload_key))


@worker.post("/orders/{order_id}/records/uploads", status_code=201)
async def record_upload(order_id: Id, user: Worker, session: Session) -> schemas.RecordUploadOut:
    """With the s3 storage backend: a presigned POST to put one photo or video straight into the
    bucket (10 minutes); then `POST .../records` with its `upload_key`. 409 `direct_upload_unavailable`
    with local storage."""
    return await service.record_upload(session, user, order_id)


@worker.get("/orders/{order_id}/records")
async def my_records(order_id: Id, user: Worker, session: Session) -> list[schemas.RecordOut]:
    return await service.records_for_worker(session, user, order_id)


@public.get("/orders/{order_id}/records", tags=["orders"])
async def order_records(order_id: Id, user: Customer, session: Session) -> list[schemas.RecordOut]:
    await orders.get_for_customer(session, user.id, order_id)
    return await service.records(session, order_id)


@admin.get("/orders/{order_id}/records", dependencies=[staff_with("orders.read")])
async def admin_records(order_id: Id, session: Session) -> list[schemas.RecordOut]:
    await orders.get_order(session, order_id)
    return await service.records(session, order_id)


@public.get("/media/{key:path}", include_in_schema=False)
async def media(key: str, exp: Annotated[int, Query()], sig: Annotated[str, Query(max_length=64)]) -> FileResponse:
    """Signed, expiring links (from the record lists): no token needed, nothing guessable."""
    path = storage.path_of(key) if storage.verify(key, exp, sig) else None
    if path is None:
        raise AppError("not_found")
    return storage.file_response(path)


@worker.post("/schedule-changes", status_code=201)
async def request_schedule_change(body: schemas.ScheduleChangeIn, user: Worker, session: Session
                                  ) -> schemas.ScheduleChangeOut:
    """Ask to move an accepted order (≥ 12 h before it, within 7 days); operators approve, then the customer."""
    return schedule.out(await schedule.request(session, user, body))


@admin.get("/schedule-changes", dependencies=[staff_with("orders.read")])
async def pending_schedule_changes(session: Session) -> list[schemas.ScheduleChangeOut]:
    return await schedule.pending_for_operators(session)


@admin.post("/schedule-changes/{change_id}/{decision}")
async def decide_schedule_change(change_id: Id, decision: Literal["approve", "decline"], session: Session,
                                 actor=staff_with("orders.write")) -> schemas.ScheduleChangeOut:
    return schedule.out(await schedule.operator_decides(session, actor, change_id, decision == "approve"))


@public.get("/orders/{order_id}/schedule-changes", tags=["orders"])
async def order_schedule_changes(order_id: Id, user: Customer, session: Session) -> list[schemas.ScheduleChangeOut]:
    await orders.get_for_customer(session, user.id, order_id)
    return await schedule.for_order(session, order_id)


@public.post("/schedule-changes/{change_id}/{decision}", tags=["orders"])
async def consent_schedule_change(change_id: Id, decision: Literal["consent", "decline"], user: Customer,
                                  session: Session) -> schemas.ScheduleChangeOut:
    return schedule.out(await schedule.customer_decides(session, user, change_id, decision == "consent"))
