"""Completed orders (through the real worker flow), statements built from them, and ledger reads."""
from datetime import date, datetime, timedelta

from sqlalchemy import text

from anjia.core.security import now
from anjia.settlement import service
from tests.conftest import auth, staff_token
from tests.dispatch.helpers import paid_order, worker_auth
from tests.support import SH, next_weekday


async def completed_order(client, session, world, *, week: int = 0, hour: int = 10, weekday: int = 2,
                          service_name="厨房深度清洁", **body) -> tuple[dict, int]:
    """A paid order accepted by a world worker, checked in and out: (order as the customer sees it, worker id)."""
    order, _ = await paid_order(client, session, world, service_name,
                                start=next_weekday(weekday, hour) + timedelta(days=7 * week), **body)
    for w in world["workers"]:
        if (await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=worker_auth(w))).status_code == 200:
            break
    else:
        raise AssertionError("nobody could accept")
    wh = worker_auth(w)
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/depart", headers=wh)).status_code == 200
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/check-in", json={"lat": 31.1951, "lng": 121.4381},
                          headers=wh)
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/v1/worker/orders/{order['id']}/check-out", headers=wh)
    assert r.status_code == 200 and r.json()["status"] == "completed", r.text
    mine = (await client.get(f"/api/v1/orders/{order['id']}", headers=auth(world["token"]))).json()
    return mine, w


def today() -> date:
    return now().astimezone(SH).date()


async def build(session, start: date, end: date | None = None) -> list[int]:
    """Statements built by the service (as the job would), committed: their ids."""
    built = await service.build(session, start, end or today())
    ids = [s.id for s in built]
    await session.commit()
    return ids


async def finance(client, session, name="fin") -> dict:
    return auth(await staff_token(client, session, name, ["finance"]))


async def statement_with_order(client, session, world, *, week: int, start: date, hour: int = 10, weekday: int = 2
                               ) -> tuple[int, int]:
    """A draft statement (id) for one newly completed order, over a period of its own; and the worker."""
    _, w = await completed_order(client, session, world, week=week, hour=hour, weekday=weekday)
    built = [s for s in await service.build(session, start, today()) if s.worker_id == w]
    await session.commit()
    assert len(built) == 1
    return built[0].id, w


async def account(session, code: str) -> int:
    await session.rollback()
    return int(await session.scalar(text(
        "SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN ledger_accounts a ON a.id = p.account_id "
        "WHERE a.code = :c"), {"c": code}))


async def unearned_of_order(session, order_id: int) -> int:
    await session.rollback()
    return int(await session.scalar(text(
        "SELECT coalesce(sum(p.amount), 0) FROM postings p JOIN journal_entries e ON e.id = p.entry_id "
        "JOIN ledger_accounts a ON a.id = p.account_id WHERE a.code = 'unearned' AND e.order_id = :o"),
        {"o": order_id}))


def at_local(d: date, hour: int = 12) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=SH)
