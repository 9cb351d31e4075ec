"""Demo coupons, issued through coupons.service.issue (each under a source reference, so a second
run issues nothing). The welcome coupons go out before the demo orders are booked, which then use
the best one each (orders choose it automatically): used coupons on paid, completed and — given
back — cancelled orders. The rest, issued after the orders, stay available; a few ran out."""
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phone_is
from anjia.catalog.models import Service
from anjia.core.security import now
from anjia.coupons import service
from anjia.coupons.models import Coupon

# (phone, title, kind, value, cap, min_spend, service name, source, days valid)
WELCOME = [
    ("13800000001", "新人专享券", "amount", 2000, None, 0, None, "signup", 30),
    ("13800000001", "全屋清洁 9 折券", "percent", 1000, 3000, 10000, "全屋清洁", "campaign", 14),
    ("13800000002", "新人专享券", "amount", 2000, None, 0, None, "signup", 30),
    ("13800000003", "新人专享券", "amount", 2000, None, 0, None, "signup", 30),
]
AVAILABLE = [
    ("13800000001", "服务补偿券", "amount", 5000, None, 20000, None, "compensation", 60),
    ("13800000001", "空调清洗满 300 减 40", "amount", 4000, None, 30000, "空调清洗", "campaign", 45),
    ("13800000002", "油烟机清洗 8.5 折", "percent", 1500, 5000, 0, "油烟机清洗", "campaign", 30),
    ("13800000003", "邀请好友奖励", "amount", 2500, None, 10000, None, "referral", 90),
    ("13800000004", "新人专享券", "amount", 2000, None, 0, None, "signup", 30),
    ("13800000004", "保洁满 200 减 30", "amount", 3000, None, 20000, None, "campaign", 20),
    ("13800000005", "新人专享券", "amount", 2000, None, 0, None, "signup", 30),
    ("13800000005", "冰箱清洗 9 折", "percent", 1000, 2000, 0, "冰箱清洗", "campaign", 3),
]
EXPIRED = [
    ("13800000001", "双十一回馈券", "amount", 3000, None, 19900, None, "campaign", 40),
    ("13800000002", "国庆保洁 9 折", "percent", 1000, 5000, 0, "全屋清洁", "campaign", 70),
    ("13800000004", "秋季家电清洗券", "amount", 1500, None, 10000, None, "campaign", 25),
]


async def _issue(session: AsyncSession, rows, tag: str) -> dict[int, int]:
    """Row index -> coupon id (rows whose customer is missing are left out)."""
    ids = {}
    for n, (phone, title, kind, value, cap, min_spend, service_name, source, days) in enumerate(rows):
        customer = await session.scalar(select(User).where(User.kind == "customer", phone_is(phone)))
        if customer is None:
            continue
        service_id = await session.scalar(select(Service.id).where(Service.name == service_name)) \
            if service_name else None
        out = await service.issue(session, None, customer_id=customer.id, kind=kind, value=value, cap=cap,
                                  min_spend=min_spend, valid_days=days, service_id=service_id, source=source,
                                  source_ref=f"demo:{tag}:{n}", title=title)
        ids[n] = out.id
    return ids


async def seed_welcome(session: AsyncSession) -> int:
    """Before the demo orders: the coupons they will use."""
    return len(await _issue(session, WELCOME, "welcome"))


async def seed(session: AsyncSession) -> int:
    """After the demo orders: coupons still to use, and some that ran out (days ago)."""
    available = await _issue(session, AVAILABLE, "available")
    expired = await _issue(session, EXPIRED, "expired")
    at = now()
    for n, coupon_id in expired.items():
        days = EXPIRED[n][-1]
        await session.execute(update(Coupon).where(Coupon.id == coupon_id, Coupon.status == "available").values(
            valid_from=at - timedelta(days=days + 5), valid_until=at - timedelta(days=5), status="expired",
            created_at=at - timedelta(days=days + 5)))
    await session.flush()
    return len(available) + len(expired)
