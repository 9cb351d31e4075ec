"""Complaints and suggestions: the customer's tickets, and support staff's console (tickets,
assignment, resolution with compensation, analysis and its xlsx)."""
from datetime import timedelta
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response

from anjia.core.auth import Customer, Session, client_ip, staff_with
from anjia.core.errors import responses
from anjia.core.paging import Page
from anjia.core.params import Id, PageNo, PageSize, Search
from anjia.core.types import Day
from anjia.coupons import errors as coupon_errors
from anjia.payments import errors as payment_errors
from anjia.support import analysis, errors, schemas, service

customer = APIRouter(prefix="/support", tags=["support"], responses=responses(errors.TICKET_NOT_FOUND))
admin = APIRouter(prefix="/admin/support", tags=["admin: support"], responses=responses(errors.TICKET_NOT_FOUND))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------- the customer
@customer.post("/photos", status_code=201, responses=responses(errors.TICKET_PHOTO_NOT_IMAGE, "upload_too_large",
                                                                 "unsupported_media"))
async def upload_photo(user: Customer, session: Session, file: UploadFile = File()) -> schemas.TicketPhotoOut:
    """One photo (JPG/PNG/WebP ≤ 10 MB) for a ticket to come, cleaned of EXIF; pass its id in
    `photo_ids` when opening the ticket (unused uploads are removed after a day)."""
    return service.photo_out(await service.upload_photo(session, user, await file.read()))


@customer.post("/tickets", status_code=201, responses=responses(errors.TICKET_ORDER, errors.TICKET_OPEN_EXISTS,
                                                                  errors.TICKET_PHOTOS))
async def open_ticket(body: schemas.TicketIn, user: Customer, session: Session) -> schemas.TicketOut:
    """A complaint about one of your orders (its worker, service and region are noted) or a general
    one, or a suggestion. One open complaint per order."""
    return await service.ticket_out(session, await service.open_ticket(session, user, body))


@customer.get("/tickets")
async def my_tickets(user: Customer, session: Session, order_id: Id | None = None, page: PageNo = 1,
                     page_size: PageSize = 20) -> Page[schemas.TicketSummary]:
    """Newest first; `order_id`: only the tickets about that order (the order page's 投诉 card)."""
    return await service.customer_tickets(session, user, page, page_size, order_id=order_id)


@customer.get("/tickets/{ticket_id}")
async def my_ticket(ticket_id: Id, user: Customer, session: Session) -> schemas.TicketOut:
    """The ticket with its timeline, the result and any compensation."""
    return await service.get_for_customer(session, user, ticket_id)


@customer.post("/tickets/{ticket_id}/confirm", responses=responses(errors.TICKET_TRANSITION))
async def confirm(ticket_id: Id, user: Customer, session: Session) -> schemas.TicketOut:
    """Accept the result: the ticket closes."""
    return await service.ticket_out(session, await service.confirm(session, user, ticket_id))


@customer.post("/tickets/{ticket_id}/reopen", responses=responses(errors.TICKET_TRANSITION,
                                                                    errors.TICKET_REOPEN_LIMIT))
async def reopen(ticket_id: Id, body: schemas.TicketReopenIn, user: Customer, session: Session) -> schemas.TicketOut:
    """Not satisfied with the result: back to support, once, with a reason."""
    return await service.ticket_out(session, await service.reopen(session, user, ticket_id, body.reason))


# ---------------------------------------------------------------- support staff
@admin.get("/tickets", dependencies=[staff_with("support.read")])
async def tickets(session: Session, status: schemas.StatusName | None = None, kind: schemas.Kind | None = None,
                  category: schemas.Category | None = None, overdue: bool | None = None,
                  assignee_id: Id | None = None, worker_id: Id | None = None, q: Search = None, page: PageNo = 1,
                  page_size: PageSize = 20) -> Page[schemas.AdminTicketSummary]:
    """Newest first (by opening time); `overdue=true`: a step past its SLA deadline and not done; `q`: a ticket number
    or words of the text."""
    return await service.admin_list(session, status=status, kind=kind, category=category, overdue=overdue,
                                    assignee_id=assignee_id, worker_id=worker_id, q=q, page=page, size=page_size)


@admin.get("/tickets/{ticket_id}", dependencies=[staff_with("support.read")])
async def ticket(ticket_id: Id, session: Session) -> schemas.AdminTicketOut:
    return await service.admin_get(session, ticket_id)


@admin.get("/assignees", dependencies=[staff_with("support.read")])
async def assignees(session: Session) -> list[schemas.SupportAssigneeOut]:
    """Staff who may work tickets, with their open tickets."""
    return await service.assignees(session)


@admin.post("/tickets/{ticket_id}/assign", responses=responses(errors.TICKET_TRANSITION, errors.TICKET_ASSIGNEE))
async def assign(ticket_id: Id, body: schemas.TicketAssignIn, request: Request, session: Session,
                 actor=staff_with("support.write")) -> schemas.AdminTicketOut:
    """Give the ticket to a support staff member (again, to hand it over). Audited."""
    t = await service.assign(session, actor, ticket_id, body.assignee_id, client_ip(request))
    return await service.admin_ticket_out(session, t)


@admin.post("/tickets/{ticket_id}/start", responses=responses(errors.TICKET_TRANSITION))
async def start(ticket_id: Id, request: Request, session: Session, actor=staff_with("support.write")
                ) -> schemas.AdminTicketOut:
    """Work starts (the first response the customer sees). Audited."""
    return await service.admin_ticket_out(session, await service.start(session, actor, ticket_id, client_ip(request)))


@admin.post("/tickets/{ticket_id}/notes", responses=responses(errors.TICKET_TRANSITION))
async def note(ticket_id: Id, body: schemas.TicketNoteIn, request: Request, session: Session,
               actor=staff_with("support.write")) -> schemas.AdminTicketOut:
    """A progress note the customer sees on the timeline. Audited."""
    t = await service.add_note(session, actor, ticket_id, body.note, client_ip(request))
    return await service.admin_ticket_out(session, t)


@admin.post("/tickets/{ticket_id}/resolve", responses=responses(
    errors.TICKET_TRANSITION, errors.TICKET_COMPENSATION, payment_errors.REFUND_EXCEEDS_PAID,
    coupon_errors.INVALID_COUPON))
async def resolve(ticket_id: Id, body: schemas.TicketResolveIn, request: Request, session: Session,
                  actor=staff_with("support.write")) -> schemas.AdminTicketOut:
    """The result, root cause and whether the complaint is upheld; an upheld one may be compensated
    with a coupon (amount off, `valid_days`, `min_spend`) or a refund of its order (above the approval threshold the refund waits for
    finance). Audited."""
    t = await service.resolve(session, actor, ticket_id, body, client_ip(request))
    return await service.admin_ticket_out(session, t)


def _range(day_from, day_to):
    end = day_to or service.now().astimezone(analysis.SH).date()
    return (day_from or end - timedelta(days=29)), end


@admin.get("/analysis", dependencies=[staff_with("support.read")], responses=responses(errors.ANALYSIS_RANGE))
async def analyse(session: Session, day_from: Annotated[Day | None, Query(alias="from")] = None,
                  day_to: Annotated[Day | None, Query(alias="to")] = None,
                  kind: Literal["complaint", "suggestion", "follow_up"] | None = None) -> schemas.SupportAnalysisOut:
    """Tickets opened in the range (Beijing days, default the last 30) by status, category, root
    cause, worker, service and region, with a daily trend."""
    return await analysis.analyse(session, *_range(day_from, day_to), kind)


@admin.get("/analysis.xlsx", dependencies=[staff_with("support.read")], response_class=Response,
           responses={**responses(errors.ANALYSIS_RANGE), 200: {"content": {XLSX: {}}}})
async def analyse_xlsx(session: Session, day_from: Annotated[Day | None, Query(alias="from")] = None,
                       day_to: Annotated[Day | None, Query(alias="to")] = None,
                       kind: Literal["complaint", "suggestion", "follow_up"] | None = None) -> Response:
    """The same analysis as an Excel workbook (one sheet per dimension, the trend and the tickets)."""
    start, end = _range(day_from, day_to)
    data = await analysis.workbook(session, start, end, kind)
    name = quote(f"投诉建议分析_{start}_{end}.xlsx")
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"support-analysis.xlsx\"; filename*=UTF-8''{name}"})
