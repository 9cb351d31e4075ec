"""Demo customers for the console: staff tags and notes on the demo customers, their RFM segments
computed, and one campaign to the largest segment (through the same service as the console, so its
coupons come from coupons.service.issue). A second run adds nothing."""
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phone_is
from anjia.customers import campaigns, schemas, segments
from anjia.customers.models import Campaign, CustomerNote, CustomerTag, SegmentMembership

TAGS = {"13800000001": ["VIP", "老客户", "有宠物"], "13800000002": ["企业客户"], "13800000003": ["老客户", "投诉敏感"],
        "13800000004": ["价格敏感"], "13800000005": ["有宠物"]}
NOTES = {"13800000001": "家里有一只金毛，上门前请先电话确认。偏好周末上午。",
         "13800000003": "上次对清洁质量有投诉，已补偿；下次优先派评分高的阿姨。"}


async def seed(session: AsyncSession) -> int:
    staff = await session.scalar(select(User).where(User.username == "marketing1")) \
        or await session.scalar(select(User).where(User.username == "admin"))
    created = 0
    for phone, tags in TAGS.items():
        customer = await session.scalar(select(User).where(User.kind == "customer", phone_is(phone)))
        if customer is None:
            continue
        for tag in tags:
            if await session.get(CustomerTag, (customer.id, tag)) is None:
                session.add(CustomerTag(customer_id=customer.id, tag=tag, created_by=staff.id if staff else None))
                created += 1
        if phone in NOTES and not await session.scalar(select(CustomerNote.id).where(
                CustomerNote.customer_id == customer.id)):
            session.add(CustomerNote(customer_id=customer.id, body=NOTES[phone], author_id=staff.id if staff else None,
                                     author_name=staff.nickname if staff else ""))
            created += 1
    await session.flush()
    created += sum((await segments.recompute(session)).values())
    if staff is not None and not await session.scalar(select(func.count()).select_from(Campaign)):
        largest = (await session.execute(
            select(SegmentMembership.segment, func.count()).where(SegmentMembership.until.is_(None))
            .group_by(SegmentMembership.segment).order_by(func.count().desc()).limit(1))).first()
        if largest is not None:
            label = schemas.SEGMENT_LABELS[largest[0]][0]
            await campaigns.create(session, staff, schemas.CampaignIn(
                name=f"{label}顾客回馈", segment=largest[0], kind="amount", value=2000, min_spend=15000,
                valid_days=14, coupon_title="回馈券 满150减20", control_percent=20), ip=None)
            created += 1
    return created
