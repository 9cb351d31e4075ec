from fastapi import APIRouter, Request

from anjia.core.auth import Customer, Session, client_ip, staff_with
from anjia.core.errors import responses
from anjia.core.paging import Page
from anjia.core.params import Id, PageNo, PageSize, Search
from anjia.coupons import errors, schemas, service

me = APIRouter(prefix="/me/coupons", tags=["coupons"])
admin = APIRouter(prefix="/admin/coupons", tags=["admin: coupons"], responses=responses(errors.COUPON_NOT_FOUND))


@me.get("")
async def my_coupons(user: Customer, session: Session, status: schemas.Tab = "available", page: PageNo = 1,
                     page_size: PageSize = 20) -> schemas.CouponPage:
    """The customer's coupons by tab (usable ones soonest-expiring first), with the count of each tab."""
    return await service.list_mine(session, user.id, status, page, page_size)


@admin.get("", dependencies=[staff_with("coupons.read")])
async def list_coupons(session: Session, q: Search = None, status: schemas.Status | None = None,
                       source: schemas.Source | None = None, customer_id: Id | None = None, page: PageNo = 1,
                       page_size: PageSize = 20) -> Page[schemas.AdminCouponOut]:
    """Search by the customer's phone or name, the title or the source reference."""
    items, total = await service.admin_list(session, q=q, status=status, source=source, customer_id=customer_id,
                                            page=page, page_size=page_size)
    return Page[schemas.AdminCouponOut](items=items, total=total, page=page, page_size=page_size)


@admin.post("", status_code=201, responses=responses(errors.INVALID_COUPON, errors.CUSTOMER_NOT_FOUND))
async def issue_coupon(body: schemas.CouponIssueIn, session: Session, actor=staff_with("coupons.write")
                       ) -> schemas.AdminCouponOut:
    """Issue a coupon to one customer (audited). The same `source_ref` for a customer issues once."""
    return await service.admin_issue(session, actor, body)


@admin.post("/{coupon_id}/revoke", responses=responses(errors.COUPON_NOT_REVOCABLE))
async def revoke_coupon(coupon_id: Id, body: schemas.RevokeIn, request: Request, session: Session,
                        actor=staff_with("coupons.write")) -> schemas.AdminCouponOut:
    """Withdraw an unused coupon (audited)."""
    return await service.revoke(session, actor, coupon_id, body.reason, client_ip(request))
