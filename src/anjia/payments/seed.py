"""Demo money, made through the real services so every row is one the product would write: a
balance topped up through the sandbox and spent, orders paid by sandbox, balance and cash, one
cancelled and refunded, one still to pay. Idempotent: nothing when any payment exists."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User, phone_is
from anjia.addresses.models import Address
from anjia.catalog.models import Service
from anjia.core.security import now
from anjia.orders import service as orders
from anjia.orders.schemas import CancelRequest, OrderRequest
from anjia.payments import schemas, service
from anjia.payments.models import Payment, Refund, SandboxTrade
from anjia.payments.sandbox import Sandbox

# customer phone: (service, items, options, days ahead, local hour, how it is paid)
ORDERS = [
    ("13800000001", "空调清洗", [{"code": "wall", "quantity": 2}], {}, 3, 10, "balance"),
    ("13800000002", "厨房深度清洁", [{"code": "kitchen_deep", "quantity": 1}],
     {"focus_areas": ["stove", "hood"], "depth": "deep"}, 4, 14, "sandbox"),
    ("13800000003", "冰箱清洗", [{"code": "double", "quantity": 1}], {}, 5, 9, "offline"),
    ("13800000001", "洗衣机清洗", [{"code": "front", "quantity": 1}], {}, 6, 15, "cancel"),
    ("13800000002", "油烟机清洗", [{"code": "european", "quantity": 1}], {}, 7, 11, None),
]


async def _settle_sandbox(session: AsyncSession, number: str) -> None:
    body, headers, _ = await Sandbox().settle(number, True)
    await service.handle_notification(session, "sandbox", headers, body, "127.0.0.1")


async def seed(session: AsyncSession) -> int:
    if await session.scalar(select(func.count()).select_from(Payment)):
        return 0
    admin = await session.scalar(select(User).where(User.kind == "staff", User.username == "admin"))
    tz = ZoneInfo("Asia/Shanghai")
    today = now().astimezone(tz).date()
    made = 0
    for phone, service_name, items, options, days, hour, paid_by in ORDERS:
        customer = await session.scalar(select(User).where(User.kind == "customer", phone_is(phone)))
        address = customer and await session.scalar(select(Address).where(Address.user_id == customer.id))
        svc = await session.scalar(select(Service).where(Service.name == service_name))
        if address is None or svc is None:
            continue
        day = today + timedelta(days=days)
        start = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
        order = await orders.create_order(session, customer, OrderRequest(
            service_id=svc.id, address_id=address.id, start=start, items=items, options=options))
        made += 1
        if paid_by == "balance":  # ¥500 topped up through the sandbox, the order paid from it
            top_up = await service.top_up(session, customer, schemas.TopUpIn(amount=50_000, method="sandbox"), None)
            await _settle_sandbox(session, top_up.number)
            await service.pay_order(session, customer, order.id, schemas.PayIn(method="balance"), None)
        elif paid_by in ("sandbox", "cancel"):
            payment = await service.pay_order(session, customer, order.id, schemas.PayIn(method="sandbox"), None)
            await _settle_sandbox(session, payment.number)
        elif paid_by == "offline" and admin is not None:
            await service.record_offline(session, admin, order.id,
                                         schemas.OfflineIn(method="transfer", reference="ICBC20261201-0458"), None)
        if paid_by == "cancel":
            await orders.cancel_order(session, customer, order.id,
                                      CancelRequest(reason_code="change_of_plans", reason="家里临时有事"), customer.id)
            for refund_id in await session.scalars(select(Refund.id).where(Refund.order_id == order.id)):
                await service.submit_refund(session, refund_id)
    await session.flush()
    return made


async def stage_bill_differences(session: AsyncSession, day: date) -> bool:
    """For the reconciliation demo: two balance top-ups paid through the sandbox (the real services),
    then dated to `day` on both sides as if paid then; the sandbox then "forgets" the second (missing
    there) and lists a trade we never heard of (missing here). False without the demo customer."""
    customer = await session.scalar(select(User).where(User.kind == "customer", phone_is("13800000002")))
    if customer is None:
        return False
    numbers = []
    for amount in (20_000, 10_000):
        top_up = await service.top_up(session, customer, schemas.TopUpIn(amount=amount, method="sandbox"), None)
        await _settle_sandbox(session, top_up.number)
        numbers.append(top_up.number)
    await session.flush()
    paid_at = datetime.combine(day, time(20, 30), ZoneInfo("Asia/Shanghai"))
    # our payment (not its ledger entry, which is append-only) and the sandbox's trade
    await session.execute(text("UPDATE payments SET paid_at = :at WHERE number = ANY(:n)"), {"at": paid_at, "n": numbers})
    await session.execute(text("UPDATE sandbox_trades SET paid_at = :at, status = CASE WHEN out_trade_no = :gone "
                               "THEN 'closed' ELSE status END WHERE out_trade_no = ANY(:n)"),
                          {"at": paid_at, "n": numbers, "gone": numbers[1]})
    session.add(SandboxTrade(out_trade_no="P" + day.strftime("%y%m%d") + "DEMO0001", amount=8_800, status="succeeded",
                             description="安家-余额充值", paid_at=paid_at + timedelta(minutes=7)))
    return True
