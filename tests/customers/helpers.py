"""Customers and their order history for the customers tests: orders placed in the past are
written straight to the table (the RFM job only reads status, totals and dates)."""
from datetime import timedelta

from anjia.accounts.models import User
from anjia.addresses.models import Address
from anjia.core.security import now
from anjia.orders.models import Order

_n = 0


async def customer(session, phone: str, nickname: str, *, days_ago: int = 0, district: str = "徐汇区",
                   detail: str = "漕溪北路 88 号", region_id: int | None = None) -> User:
    u = User(kind="customer", phone=phone, nickname=nickname, roles=[], created_at=now() - timedelta(days=days_ago))
    session.add(u)
    await session.flush()
    session.add(Address(user_id=u.id, contact_name="李先生", contact_phone=phone, province="上海市", city="上海市",
                        district=district, detail=detail, lat=31.19, lng=121.43, region_id=region_id,
                        is_default=True))
    await session.flush()
    return u


async def past_order(session, world, customer_id: int, *, days_ago: int, total: int, status: str = "completed",
                     refunded: int = 0) -> Order:
    global _n
    _n += 1
    at = now() - timedelta(days=days_ago)
    address_id = world["address_id"]
    o = Order(number=f"T{_n:010d}{customer_id}"[:24], customer_id=customer_id,
              service_id=world["services"]["厨房深度清洁"], region_id=world["region_id"], address_id=address_id,
              address={"city": "上海市", "district": "徐汇区", "detail": "漕溪北路 88 号"}, status=status,
              scheduled_start=at + timedelta(days=1), scheduled_end=at + timedelta(days=1, hours=3),
              timezone="Asia/Shanghai", request={}, quote={}, total=total, deposit=0, paid_amount=total,
              refunded_amount=refunded, price_difference=0, notes="", cancel_fee=0, created_at=at,
              final_total=total if status == "completed" else None)
    session.add(o)
    await session.flush()
    return o
