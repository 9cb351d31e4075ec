"""A few demo orders taken through the real services to completion (paid by
transfer, accepted, checked in and out) so the 收入 page and the finance console have earnings,
one paid statement and one draft."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phone_is
from anjia.addresses.models import Address
from anjia.catalog.models import Service
from anjia.config import get_settings
from anjia.core.security import now
from anjia.dispatch import service as dispatch
from anjia.dispatch.models import Offer
from anjia.fieldwork import schemas as fieldwork_schemas
from anjia.fieldwork import service as fieldwork
from anjia.orders import schemas as order_schemas
from anjia.orders import service as orders
from anjia.orders.models import Order
from anjia.payments import schemas as payment_schemas
from anjia.payments import service as payments
from anjia.settlement import schemas, service
from anjia.settlement.models import Earning, Statement

# (customer phone, service, request, local hour tomorrow) — booked for tomorrow and, for the demo,
# done at once (the other demo orders are booked from the third day on)
ORDERS = [("13800000001", "全屋清洁", {"hours": 2}, 9), ("13800000002", "厨房清洁",
          {"items": [{"code": "kitchen", "quantity": 1}], "options": {"focus_areas": ["stove", "hood"]}}, 13),
          ("13800000003", "全屋清洁", {"hours": 2, "options": {"focus_areas": ["kitchen", "windows"]}}, 16)]


async def complete_demo_order(session: AsyncSession, finance: User, phone: str, service_name: str, request: dict,
                              hour: int, days: int = 1) -> Order | None:
    """A demo customer's order `days` ahead at `hour` (local), paid by transfer, accepted by the best
    offered worker, checked in and out at once; None when the customer, address or a worker is missing.
    (The reviews seed completes its orders the same way.)"""
    customer = await session.scalar(select(User).where(User.kind == "customer", phone_is(phone)))
    address = customer and await session.scalar(select(Address).where(Address.user_id == customer.id))
    service_id = await session.scalar(select(Service.id).where(Service.name == service_name))
    if address is None or service_id is None:
        return None
    tz = get_settings().region_timezone
    day = now().astimezone(ZoneInfo(tz)).date() + timedelta(days=days)
    start = datetime.combine(day, time(hour), tzinfo=ZoneInfo(tz))
    body = order_schemas.OrderRequest.model_validate({"service_id": service_id, "address_id": address.id,
                                                      "start": start, **request})
    order = await orders.create_order(session, customer, body)
    await payments.record_offline(session, finance, order.id, payment_schemas.OfflineIn(
        method="transfer", reference=f"DEMO{order.id:06d}"), None)
    offer = await session.scalar(select(Offer).where(Offer.order_id == order.id, Offer.status == "offered")
                                 .order_by(Offer.score.desc()))
    if offer is None:
        return None
    worker = await session.get(User, offer.worker_id)
    await dispatch.accept(session, worker, order.id)
    await fieldwork.depart(session, worker, order.id)
    await fieldwork.check_in(session, worker, order.id, fieldwork_schemas.CheckInIn(
        lat=order.address["lat"], lng=order.address["lng"]))
    await fieldwork.check_out(session, worker, order.id)
    return order


async def seed(session: AsyncSession) -> int:
    """Once, the completed demo orders and their statements (under the commission rules seeded
    before): the first worker's is approved and paid, the others stay drafts for finance to review."""
    n = 0
    if await session.scalar(select(Earning.id).limit(1)) or await session.scalar(select(Statement.id).limit(1)):
        return n
    finance = await session.scalar(select(User).where(User.kind == "staff", User.username == "finance1"))
    if finance is None:
        return n
    for phone, service_name, request, hour in ORDERS:
        n += await complete_demo_order(session, finance, phone, service_name, request, hour) is not None
    today = now().astimezone(ZoneInfo(get_settings().region_timezone)).date()
    built = await service.build(session, today - timedelta(days=today.weekday()), today)
    if built:
        first = built[0]
        await service.approve(session, finance, first.id, None)
        await service.pay(session, finance, first.id, schemas.PayoutIn(bank_reference="DEMO-BANK-0001"), None)
    return n + len(built)
