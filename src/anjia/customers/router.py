"""Operators' customers (list, profile, tags, notes, segments, export) and coupon campaigns."""
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from anjia.core.auth import Session, WritingSession, client_ip, staff_with
from anjia.core.errors import responses
from anjia.core.paging import Page
from anjia.core.params import Id, PageNo, PageSize, Search
from anjia.coupons import errors as coupon_errors
from anjia.customers import campaigns, errors, schemas, service
from anjia.orders.schemas import OrderSummary

admin = APIRouter(prefix="/admin/customers", tags=["admin: customers"])
campaign_admin = APIRouter(prefix="/admin/campaigns", tags=["admin: campaigns"])
CSV = "text/csv"


@admin.get("", dependencies=[staff_with("customers.read")])
async def customers(session: Session, q: Search = None, segment: schemas.Segment | None = None,
                    tag: schemas.Tag | None = None, page: PageNo = 1, page_size: PageSize = 20
                    ) -> Page[schemas.CustomerRow]:
    """Newest first. `q`: a fragment of the nickname, the phone or an address (district, street);
    `segment`: the current RFM segment; `tag`: a staff tag. Phones are masked."""
    return await service.list_customers(session, q=q, segment=segment, tag=tag, page=page, page_size=page_size)


@admin.get("/export", response_class=Response, responses={200: {"content": {CSV: {}}}})
async def export(request: Request, session: WritingSession, q: Search = None, segment: schemas.Segment | None = None,
                 tag: schemas.Tag | None = None, actor=staff_with("customers.export")) -> Response:
    """The filtered list as CSV (UTF-8 with BOM, at most 10,000 rows, phones masked); audited."""
    data = await service.export_csv(session, actor, q=q, segment=segment, tag=tag, ip=client_ip(request))
    return Response(data.encode(), media_type=f"{CSV}; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=\"customers.csv\"; filename*=UTF-8''{quote('顾客.csv')}"})


@admin.get("/tags", dependencies=[staff_with("customers.read")])
async def tags(session: Session) -> list[schemas.TagCount]:
    """Every tag in use with its number of customers (most used first)."""
    return await service.all_tags(session)


@admin.get("/segments", dependencies=[staff_with("customers.read")])
async def segments(session: Session) -> schemas.SegmentsOut:
    """Customers per RFM segment now, and the thresholds."""
    return await service.segment_sizes(session)


@admin.post("/segments/recompute")
async def recompute(request: Request, session: Session, actor=staff_with("customers.write")) -> schemas.SegmentsOut:
    """Run the nightly segment job now (audited)."""
    return await service.recompute_now(session, actor, client_ip(request))


@admin.get("/{customer_id}", responses=responses(errors.CUSTOMER_NOT_FOUND))
async def customer(customer_id: Id, request: Request, session: WritingSession, actor=staff_with("customers.read")
                   ) -> schemas.CustomerProfile:
    """The profile: figures, segment and its history, tags, notes, addresses, preferences,
    favourites, coupons, the newest orders, reviews and tickets, campaigns. The phone and the
    addresses in full for `personal.read` (audited), masked otherwise."""
    return await service.profile(session, actor, customer_id, client_ip(request))


@admin.get("/{customer_id}/orders", dependencies=[staff_with("customers.read")],
           responses=responses(errors.CUSTOMER_NOT_FOUND))
async def customer_orders(customer_id: Id, session: Session, page: PageNo = 1, page_size: PageSize = 10
                          ) -> Page[OrderSummary]:
    """The customer's orders, newest first, each with its address's area (the street is in the order, audited)."""
    return await service.customer_orders(session, customer_id, page, page_size)


@admin.post("/{customer_id}/tags", responses=responses(errors.CUSTOMER_NOT_FOUND, errors.INVALID_TAG))
async def add_tag(customer_id: Id, body: schemas.CustomerTagIn, request: Request, session: Session,
                  actor=staff_with("customers.write")) -> list[schemas.CustomerTagOut]:
    """Put a tag on the customer (audited; a tag already there stays as it is)."""
    return await service.add_tag(session, actor, customer_id, body.tag, client_ip(request))


@admin.delete("/{customer_id}/tags/{tag}", responses=responses(errors.CUSTOMER_NOT_FOUND, errors.TAG_NOT_FOUND))
async def remove_tag(customer_id: Id, tag: schemas.Tag, request: Request, session: Session,
                     actor=staff_with("customers.write")) -> list[schemas.CustomerTagOut]:
    """Take a tag off the customer (audited)."""
    return await service.remove_tag(session, actor, customer_id, tag, client_ip(request))


@admin.post("/{customer_id}/notes", status_code=201, responses=responses(errors.CUSTOMER_NOT_FOUND))
async def add_note(customer_id: Id, body: schemas.CustomerNoteIn, request: Request, session: Session,
                   actor=staff_with("customers.write")) -> schemas.CustomerNoteOut:
    """A staff note on the customer (audited; the customer does not see it)."""
    return await service.add_note(session, actor, customer_id, body.body, client_ip(request))


# ---------------------------------------------------------------- campaigns
@campaign_admin.get("", dependencies=[staff_with("campaigns.read")])
async def list_campaigns(session: Session, page: PageNo = 1, page_size: PageSize = 20) -> Page[schemas.CampaignOut]:
    """Newest first, with members, coupons issued and redeemed."""
    return await campaigns.list_campaigns(session, page, page_size)


@campaign_admin.post("", status_code=201, responses=responses(errors.INVALID_CAMPAIGN, errors.CAMPAIGN_EMPTY_SEGMENT,
                                                               coupon_errors.INVALID_COUPON))
async def create_campaign(body: schemas.CampaignIn, request: Request, session: Session,
                          actor=staff_with("campaigns.write")) -> schemas.CampaignOut:
    """Launch a coupon campaign to the segment's customers now, holding out `control_percent` %
    of them (by hash) as the control group; the others get the coupon at once (audited)."""
    return await campaigns.create(session, actor, body, client_ip(request))


@campaign_admin.get("/{campaign_id}", dependencies=[staff_with("campaigns.read")],
                    responses=responses(errors.CAMPAIGN_NOT_FOUND))
async def campaign_report(campaign_id: Id, session: Session) -> schemas.CampaignReport:
    """The report: per arm (treated, control) members, coupons issued and redeemed, buyers, orders
    and GMV since launch, conversion and GMV per member; the lift of treated over control."""
    return await campaigns.report(session, campaign_id)
