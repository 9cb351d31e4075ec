"""Money scenarios for the finance tests: paying through the sandbox, cancelling with a fee,
refunds sent to the sandbox, and moving everything to yesterday (only ended days reconcile)."""
from datetime import timedelta

from sqlalchemy import text

from anjia.finance import service as finance
from anjia.payments import tasks
from tests.conftest import auth, staff_token
from tests.payments.helpers import new_order, pay_sandbox
from tests.support import next_weekday


async def finance_staff(client, session, name: str = "cashier") -> dict:
    return auth(await staff_token(client, session, name, ["finance"]))


async def paid(client, world, weekday: int, hour: int) -> tuple[dict, dict]:
    order = await new_order(client, world, next_weekday(weekday, hour))
    return order, await pay_sandbox(client, world, order["id"])


async def cancel(client, session, world, order_id: int) -> dict:
    """The customer cancels; the refund (minus any fee) goes to the sandbox and comes back."""
    r = await client.post(f"/api/v1/orders/{order_id}/cancel", json={"reason_code": "change_of_plans"},
                          headers=auth(world["token"]))
    assert r.status_code == 200, r.text
    await tasks.submit_refunds()
    return r.json()


async def fee_on_cancel(session) -> None:
    """Every cancellation of a paid order is late: 20 % fee."""
    await session.execute(text("UPDATE booking_rules SET free_cancel_hours = 100000, late_cancel_fee_bp = 2000"))
    await session.commit()


async def to_yesterday(session) -> None:
    """Everything that settled today (ours and the sandbox's side) settled a day earlier."""
    day = timedelta(days=1)
    await session.execute(text("UPDATE payments SET paid_at = paid_at - :d WHERE paid_at IS NOT NULL"), {"d": day})
    await session.execute(text("UPDATE refunds SET refunded_at = refunded_at - :d WHERE refunded_at IS NOT NULL"),
                          {"d": day})
    await session.execute(text("""
        UPDATE sandbox_trades SET paid_at = paid_at - :d, refunds = (
            SELECT coalesce(jsonb_agg(r || jsonb_build_object('at', to_char(((r->>'at')::timestamptz - :d)
                   AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'))), '[]'::jsonb)
            FROM jsonb_array_elements(refunds) r)
        WHERE paid_at IS NOT NULL"""), {"d": day})
    await session.commit()


def yesterday() -> str:
    return finance.yesterday().isoformat()
