"""An order to pay, paying it through the sandbox, and reading the ledger."""
import os
from contextlib import contextmanager

from sqlalchemy import text

from anjia.config import get_settings
from anjia.ledger import service as ledger
from anjia.payments import registry
from anjia.payments.sandbox import Sandbox, sign
from tests.conftest import auth
from tests.support import KITCHEN, next_weekday


async def new_order(client, world, start=None) -> dict:
    r = await client.post("/api/v1/orders", headers=auth(world["token"]), json={
        "service_id": world["services"]["厨房深度清洁"], "address_id": world["address_id"],
        "start": (start or next_weekday(2, 10)).isoformat(), **KITCHEN})
    assert r.status_code == 201, r.text
    return r.json()


async def start_sandbox(client, world, order_id: int, **body) -> dict:
    r = await client.post(f"/api/v1/orders/{order_id}/payments", headers=auth(world["token"]),
                          json={"method": "sandbox", "channel": "h5", **body})
    assert r.status_code == 201, r.text
    return r.json()


async def settle(number: str, succeed: bool = True) -> tuple[bytes, dict]:
    """The sandbox decides the trade (its side) and hands back the notification it would send."""
    body, headers, _ = await Sandbox().settle(number, succeed)
    return body, headers


async def notify(client, body: bytes, headers: dict):
    return await client.post("/api/v1/payments/notify/sandbox", content=body,
                             headers={**headers, "content-type": "application/json"})


def signed(body: bytes, timestamp: str) -> dict:
    return {"x-sandbox-timestamp": timestamp, "x-sandbox-signature": sign(body, timestamp)}


async def pay_sandbox(client, world, order_id: int) -> dict:
    payment = await start_sandbox(client, world, order_id)
    r = await notify(client, *(await settle(payment["number"])))
    assert r.status_code == 200, r.text
    return payment


async def balances(session) -> dict[str, int]:
    await session.rollback()  # a fresh snapshot
    return {k: v for k, v in (await ledger.balances(session)).items() if v}


async def count(session, sql: str, **params) -> int:
    await session.rollback()
    return await session.scalar(text(sql), params)


@contextmanager
def providers_at(servers: dict):
    """Our app configured (environment, settings, provider registry) to pay through these local
    fakes — {"wechatpay": FakeWechatPay(), ...} — plus the sandbox; closed and restored after."""
    env = {"PAYMENT_PROVIDERS": ",".join([*servers, "sandbox"])}
    for server in servers.values():
        env |= server.settings_env()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    registry.reset()
    try:
        yield servers
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()
        registry.reset()
        for server in servers.values():
            server.close()
