"""Coupon campaigns: staff send a coupon to the customers of one RFM segment, holding out a
control group, and read what happened to both since launch.

Launch (in the request's transaction): the members are the segment's customers at that moment;
they are ranked by a hash of (campaign, customer) — `bucket()`, the same answer on every run — and
the lowest `control_percent` % of them (`control_group()`) get nothing; the rest get a coupon through
`coupons.service.issue` (source `campaign`, reference `campaign:<id>`, so one per customer).
The report counts, per arm: members, coupons issued and used, buyers, counted orders placed since
launch and their GMV (final totals), conversion and GMV per member, and the lift of treated
over control."""
import hashlib

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.catalog.models import Service
from anjia.core import audit
from anjia.core.errors import AppError
from anjia.core.paging import Page
from anjia.core.security import now
from anjia.coupons import service as coupons
from anjia.customers import schemas
from anjia.customers.models import Campaign, CampaignMember, SegmentMembership
from anjia.customers.segments import COUNTED


def bucket(campaign_id: int, customer_id: int) -> int:
    """The first 32 bits of sha256("<campaign>:<customer>") in 0..9999: the same on every run."""
    return int.from_bytes(hashlib.sha256(f"{campaign_id}:{customer_id}".encode()).digest()[:4], "big") % 10_000


def control_group(campaign_id: int, customer_ids: list[int], control_bp: int) -> set[int]:
    """The held-out members: the `round(n × control_bp / 10000)` customers of lowest bucket (ties by
    id), at least one when there is a control share and two members or more — so a small segment
    still gets a control group of the share asked, and the choice depends on nothing but the hash."""
    n = len(customer_ids)
    k = (n * control_bp + 5_000) // 10_000
    if control_bp > 0 and n >= 2:
        k = max(k, 1)
    ranked = sorted(customer_ids, key=lambda c: (bucket(campaign_id, c), c))
    return set(ranked[:min(k, n - 1 if n > 1 else 0)])


def source_ref(campaign_id: int) -> str:
    return f"campaign:{campaign_id}"


async def create(session: AsyncSession, actor: User, data: schemas.CampaignIn, ip: str | None) -> schemas.CampaignOut:
    if data.service_id is not None and await session.get(Service, data.service_id) is None:
        raise AppError("invalid_campaign", errors=[{"field": "service_id", "message": "unknown service"}])
    members = list(await session.scalars(
        select(SegmentMembership.customer_id).join(User, User.id == SegmentMembership.customer_id)
        .where(SegmentMembership.until.is_(None), SegmentMembership.segment == data.segment,
               User.kind == "customer", User.deleted_at.is_(None), User.is_active.is_(True))
        .order_by(SegmentMembership.customer_id)))
    if not members:
        raise AppError("campaign_empty_segment")
    c = Campaign(name=data.name.strip(), segment=data.segment, kind=data.kind, value=data.value, cap=data.cap,
                 min_spend=data.min_spend, service_id=data.service_id, valid_days=data.valid_days,
                 coupon_title=data.coupon_title.strip(), control_bp=data.control_percent * 100, created_by=actor.id,
                 created_by_name=actor.nickname or actor.username or "", launched_at=now())
    session.add(c)
    await session.flush()
    treated = control = 0
    held_out = control_group(c.id, members, c.control_bp)
    for customer_id in members:
        coupon_id = None
        if customer_id not in held_out:
            out = await coupons.issue(session, None, customer_id=customer_id, kind=c.kind, value=c.value, cap=c.cap,
                                      min_spend=c.min_spend, valid_days=c.valid_days, service_id=c.service_id,
                                      source="campaign", source_ref=source_ref(c.id), title=c.coupon_title)
            coupon_id = out.id
            treated += 1
        else:
            control += 1
        session.add(CampaignMember(campaign_id=c.id, customer_id=customer_id,
                                   arm="treated" if coupon_id else "control", coupon_id=coupon_id))
    await session.flush()
    await audit.record(session, actor, "campaign.create", "campaign", c.id, None,
                       {**data.model_dump(), "members": len(members), "treated": treated, "control": control}, ip=ip)
    return (await _outs(session, [c]))[0]


_TOTALS = """
SELECT m.campaign_id, count(*) AS members, count(m.coupon_id) AS issued,
       count(cp.id) FILTER (WHERE cp.status = 'used') AS redeemed
FROM campaign_members m LEFT JOIN coupons cp ON cp.id = m.coupon_id
WHERE m.campaign_id = ANY(:ids) GROUP BY m.campaign_id
"""


async def _outs(session: AsyncSession, rows: list[Campaign]) -> list[schemas.CampaignOut]:
    ids = [c.id for c in rows]
    totals = {r.campaign_id: r for r in await session.execute(text(_TOTALS), {"ids": ids})} if ids else {}
    sids = {c.service_id for c in rows if c.service_id}
    names = dict((await session.execute(select(Service.id, Service.name).where(Service.id.in_(sids)))).all()) \
        if sids else {}
    out = []
    for c in rows:
        t = totals.get(c.id)
        out.append(schemas.CampaignOut(
            id=c.id, name=c.name, segment=c.segment, kind=c.kind, value=c.value, cap=c.cap, min_spend=c.min_spend,
            service_id=c.service_id, service_name=names.get(c.service_id), valid_days=c.valid_days,
            coupon_title=c.coupon_title, control_percent=c.control_bp // 100, created_by_name=c.created_by_name,
            launched_at=c.launched_at, members=t.members if t else 0, issued=t.issued if t else 0,
            redeemed=t.redeemed if t else 0))
    return out


async def list_campaigns(session: AsyncSession, page: int, page_size: int) -> Page[schemas.CampaignOut]:
    total = await session.scalar(select(func.count()).select_from(Campaign)) or 0
    rows = list(await session.scalars(select(Campaign).order_by(Campaign.id.desc())
                                      .offset((page - 1) * page_size).limit(page_size)))
    return Page[schemas.CampaignOut](items=await _outs(session, rows), total=total, page=page, page_size=page_size)


_REPORT = f"""
SELECT m.arm, count(*) AS members, count(m.coupon_id) AS issued,
       count(cp.id) FILTER (WHERE cp.status = 'used') AS redeemed,
       count(*) FILTER (WHERE b.orders > 0) AS buyers,
       coalesce(sum(b.orders), 0)::bigint AS orders, coalesce(sum(b.gmv), 0)::bigint AS gmv
FROM campaign_members m
LEFT JOIN coupons cp ON cp.id = m.coupon_id
CROSS JOIN LATERAL (SELECT count(*) AS orders, sum(coalesce(o.final_total, o.total)) AS gmv
                    FROM orders o WHERE o.customer_id = m.customer_id AND o.created_at >= :launched
                    AND {COUNTED}) b
WHERE m.campaign_id = :id
GROUP BY m.arm
"""


def _arm(name: str, r) -> schemas.ArmResult:
    members = r.members if r else 0
    buyers, gmv = (r.buyers, r.gmv) if r else (0, 0)
    return schemas.ArmResult(arm=name, members=members, issued=r.issued if r else 0,
                             redeemed=r.redeemed if r else 0, buyers=buyers, orders=r.orders if r else 0, gmv=gmv,
                             conversion_bp=buyers * 10_000 // members if members else 0,
                             gmv_per_member=gmv // members if members else 0)


async def report(session: AsyncSession, campaign_id: int) -> schemas.CampaignReport:
    c = await session.get(Campaign, campaign_id)
    if c is None:
        raise AppError("campaign_not_found")
    rows = {r.arm: r for r in await session.execute(text(_REPORT), {"id": c.id, "launched": c.launched_at})}
    treated, control = _arm("treated", rows.get("treated")), _arm("control", rows.get("control"))
    has_control = control.members > 0
    return schemas.CampaignReport(
        campaign=(await _outs(session, [c]))[0], arms=[treated, control],
        lift_conversion_bp=treated.conversion_bp - control.conversion_bp if has_control else None,
        lift_gmv_per_member=treated.gmv_per_member - control.gmv_per_member if has_control else None,
        computed_at=now())
