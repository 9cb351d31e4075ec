"""A person's data, read through each table's owner: the download, and deleting the account."""
from collections.abc import Awaitable, Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts import service as accounts
from anjia.accounts.models import User
from anjia.addresses import service as addresses
from anjia.addresses.models import Address
from anjia.core import audit, sealed
from anjia.core.security import now
from anjia.coupons import service as coupons
from anjia.fieldwork import service as fieldwork
from anjia.notifications import service as notifications
from anjia.orders import service as orders
from anjia.orders.models import Order
from anjia.payments import service as payments
from anjia.privacy import schemas
from anjia.reviews import service as reviews
from anjia.sms import service as sms
from anjia.sms.models import SmsMessage
from anjia.support import service as support
from anjia.workforce import signup

PAGE = 200

# What is kept how long; `tasks.apply_retention` applies the limits, the rest follows the law's
# bookkeeping periods (orders, payments and the ledger: 30 years under 会计档案管理办法).
RETENTION = {
    "orders, payments, refunds, ledger": "30 年（会计档案），账户注销后仅保留脱敏记录",
    "addresses": "账户注销时清除联系人、电话与门牌（订单中的地址快照同样清除，仅留区域）",
    "notifications": "365 天",
    "sms_messages": "180 天",
    "worker_locations": "最后一次位置，24 小时后删除",
    "sms_codes, sign-in attempts": "1 天",
}
LIMITS = {"notifications": timedelta(days=365), "sms_messages": timedelta(days=180),
          "worker_locations": timedelta(hours=24)}


async def _all(fetch: Callable[[int], Awaitable[Any]]) -> list[Any]:
    """Every page of a paged owner's list."""
    items, page = [], 1
    while True:
        p = await fetch(page)
        items += p.items
        if len(items) >= p.total or not p.items:
            return items
        page += 1


def _dump(rows: list[Any]) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in rows]


async def export(session: AsyncSession, user: User, ip: str | None) -> schemas.DataExport:
    async def order_page(page: int) -> SimpleNamespace:  # orders' list answers (rows, total)
        rows, total = await orders.list_orders(session, user.id, statuses=None, page=page, page_size=PAGE)
        return SimpleNamespace(items=await orders.summaries(session, rows), total=total)

    out = schemas.DataExport(
        exported_at=now(),
        profile=accounts.user_out(user, own=True).model_dump(mode="json"),
        addresses=[addresses.snapshot(a) for a in await addresses.list_addresses(session, user.id)],
        orders=_dump(await _all(order_page)),
        payments=_dump(await _all(lambda p: payments.receipts(session, user.id, p, PAGE))),
        reviews=_dump(await _all(lambda p: reviews.my_reviews(session, user, p, PAGE))),
        tickets=_dump(await _all(lambda p: support.customer_tickets(session, user, p, PAGE))),
        coupons=_dump([c for tab in ("available", "used", "expired")
                       for c in await _all(lambda p, tab=tab: coupons.list_mine(session, user.id, tab, p, PAGE))]),
        notifications=_dump(await _all(lambda p: notifications.inbox(session, user.id, p, PAGE))),
        retention=RETENTION)
    await audit.record(session, user, "personal_data.export", "user", user.id,
                       after={"orders": len(out.orders), "payments": len(out.payments)}, ip=ip)
    return out


async def delete_account(session: AsyncSession, user: User) -> None:
    """The person goes: the account is anonymised (records the law keeps stay, naming nobody) and
    their addresses are wiped, in the book and in their orders' snapshots."""
    await addresses.erase_all(session, user.id)
    await orders.erase_personal(session, user.id)
    await accounts.delete_account(session, user)


async def reseal(session: AsyncSession) -> dict[str, int]:
    """After a SECRET_KEY rotation (`anjia db reseal`): every sealed personal value and keyed hash moved
    to the current key, so the previous key can leave SECRET_KEYS_PREVIOUS. SMS codes (a day) expire
    under the old one."""
    return {"users": await sealed.reseal(session, User, ["phone"]),
            "addresses": await sealed.reseal(session, Address, ["contact_name", "contact_phone", "detail"]),
            "orders": await sealed.reseal(session, Order, ["address"]),
            "sms_messages": await sealed.reseal(session, SmsMessage, ["phone"]),
            "worker_profiles": await signup.reseal_identities(session)}


async def apply_retention(session: AsyncSession) -> dict[str, int]:
    t = now()
    return {"notifications": await notifications.purge_before(session, t - LIMITS["notifications"]),
            "sms_messages": await sms.purge_before(session, t - LIMITS["sms_messages"]),
            "worker_locations": await fieldwork.purge_locations_before(session, t - LIMITS["worker_locations"])}
