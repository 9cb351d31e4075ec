"""Reviews: the customer's review of a completed order and their photos, the worker card, the
worker's reviews and reply, operators' list and moderation."""
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile

from anjia.core.auth import Customer, Session, Worker, client_ip, staff_with
from anjia.core.errors import responses
from anjia.core.media import IMAGE_ERRORS
from anjia.core.paging import Page
from anjia.core.params import Id, PageNo, PageSize
from anjia.orders import errors as order_errors
from anjia.reviews import errors, schemas, service

customer = APIRouter(tags=["reviews"], responses=responses(
    "not_found", order_errors.ORDER_NOT_FOUND, errors.REVIEW_NOT_FOUND, errors.ORDER_NOT_REVIEWABLE,
    errors.REVIEW_EXISTS, errors.REVIEW_EDIT_CLOSED, errors.PHOTO_NOT_FOUND, *IMAGE_ERRORS))
worker = APIRouter(prefix="/worker", tags=["worker: reviews"], responses=responses(
    errors.REVIEW_NOT_FOUND, errors.REVIEW_ALREADY_REPLIED, errors.REVIEW_ALREADY_HIDDEN))
public = APIRouter(tags=["reviews"], responses=responses("not_found"))
admin = APIRouter(prefix="/admin/reviews", tags=["admin: reviews"], responses=responses(
    errors.REVIEW_NOT_FOUND, errors.REVIEW_ALREADY_HIDDEN, errors.REVIEW_NOT_HIDDEN))


# ---------------------------------------------------------------- anyone (browsing before sign-in)
@public.get("/services/{service_id}/reviews")
async def service_reviews(service_id: Id, session: Session, page: PageNo = 1, page_size: Annotated[int, Query(
        ge=1, le=50)] = 10) -> schemas.ServiceReviewsOut:
    """A service's visible reviews, newest first, and their average; no sign-in needed."""
    return await service.service_reviews(session, service_id, page, page_size)


# ---------------------------------------------------------------- the customer
@customer.post("/reviews/photos", status_code=201)
async def upload_photo(user: Customer, session: Session, file: UploadFile = File()) -> schemas.PhotoOut:
    """One photo (JPEG/PNG/WebP ≤ 10 MB; rebuilt without EXIF); name its id in the review."""
    return await service.upload_photo(session, user, await file.read())


@customer.post("/orders/{order_id}/review", status_code=201)
async def create_review(order_id: Id, body: schemas.ReviewIn, user: Customer, session: Session) -> schemas.ReviewOut:
    """Once per completed order of yours; a second (even concurrent) submit is 409 `review_exists`."""
    return await service.review_out(session, await service.create(session, user, order_id, body))


@customer.get("/orders/{order_id}/review")
async def order_review(order_id: Id, user: Customer, session: Session) -> schemas.ReviewOut | None:
    """The order's review, or null before there is one."""
    review = await service.review_for_order(session, user, order_id)
    return await service.review_out(session, review) if review else None


@customer.patch("/reviews/{review_id}")
async def edit_review(review_id: Id, body: schemas.ReviewChange, user: Customer, session: Session
                      ) -> schemas.ReviewOut:
    """Within 7 days of the review; `photo_ids` replaces the photos."""
    return await service.review_out(session, await service.edit(session, user, review_id, body))


@customer.get("/reviews/mine")
async def my_reviews(user: Customer, session: Session, page: PageNo = 1, page_size: PageSize = 20
                     ) -> Page[schemas.ReviewOut]:
    return await service.my_reviews(session, user, page, page_size)


@customer.get("/workers/{worker_id}/card")
async def worker_card(worker_id: Id, user: Customer, session: Session) -> schemas.WorkerCardOut:
    """Name, level, rating, review count, averages and the newest visible reviews (anonymous ones masked)."""
    return await service.card(session, user, worker_id)


@customer.get("/workers/{worker_id}/reviews")
async def worker_reviews(worker_id: Id, user: Customer, session: Session, page: PageNo = 1,
                         page_size: PageSize = 20) -> Page[schemas.PublicReviewOut]:
    return await service.public_reviews(session, worker_id, page, page_size)


# ---------------------------------------------------------------- the worker
@worker.get("/reviews")
async def my_received(user: Worker, session: Session, page: PageNo = 1, page_size: PageSize = 20
                      ) -> schemas.WorkerReviewsOut:
    return await service.worker_reviews(session, user, page, page_size)


@worker.post("/reviews/{review_id}/reply", status_code=204)
async def reply(review_id: Id, body: schemas.ReplyIn, user: Worker, session: Session) -> Response:
    """Once per review."""
    await service.reply(session, user, review_id, body.text)
    return Response(status_code=204)


# ---------------------------------------------------------------- operators
@admin.get("", dependencies=[staff_with("reviews.read")])
async def list_reviews(session: Session, worker_id: Id | None = None, low: bool | None = None,
                       hidden: bool | None = None,
                       max_score: Annotated[int | None, Query(ge=1, le=5, description="average at most")] = None,
                       page: PageNo = 1, page_size: PageSize = 20) -> Page[schemas.AdminReviewOut]:
    return await service.admin_list(session, worker_id=worker_id, low=low, hidden=hidden, max_score=max_score,
                                    page=page, size=page_size)


@admin.post("/{review_id}/hide")
async def hide(review_id: Id, body: schemas.HideIn, request: Request, session: Session,
               actor=staff_with("reviews.write")) -> schemas.AdminReviewOut:
    """Its text, photos and reply leave the public card; its scores keep counting."""
    return await service.hide(session, actor, review_id, body.reason, client_ip(request))


@admin.post("/{review_id}/unhide")
async def unhide(review_id: Id, body: schemas.HideIn, request: Request, session: Session,
                 actor=staff_with("reviews.write")) -> schemas.AdminReviewOut:
    return await service.unhide(session, actor, review_id, body.reason, client_ip(request))
