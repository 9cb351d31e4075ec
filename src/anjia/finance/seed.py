"""Demo reconciliation: yesterday's sandbox bill against our records, with differences for the
finance console to resolve. Two balance top-ups are paid through the sandbox (the real services)
and then dated to yesterday on both sides, as if paid then; the sandbox then "forgets" the second
(missing there) and lists a trade we never heard of (missing here). Once: nothing when a run exists."""
from datetime import datetime, time, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.finance import service
from anjia.finance.models import ReconciliationRun
from anjia.payments import registry, schemas
from anjia.payments import service as payments
from anjia.payments.models import SandboxTrade
from anjia.payments.sandbox import Sandbox


async def seed(session: AsyncSession) -> int:
    if "sandbox" not in registry.enabled() or await session.scalar(select(func.count()).select_from(ReconciliationRun)):
        return 0
    customer = await session.scalar(select(User).where(User.kind == "customer", User.phone == "13800000002"))
    if customer is None:
        return 0
    day = service.yesterday()
    numbers = []
    for amount in (20_000, 10_000):
        top_up = await payments.top_up(session, customer, schemas.TopUpIn(amount=amount, method="sandbox"), None)
        body, headers, _ = await Sandbox().settle(top_up.number, True)
        await payments.handle_notification(session, "sandbox", headers, body, "127.0.0.1")
        numbers.append(top_up.number)
    await session.flush()
    paid_at = datetime.combine(day, time(20, 30), service.SH)
    # Dated to yesterday: our payment (not its ledger entry, which is append-only) and the sandbox's trade.
    await session.execute(text("UPDATE payments SET paid_at = :at WHERE number = ANY(:n)"), {"at": paid_at, "n": numbers})
    await session.execute(text("UPDATE sandbox_trades SET paid_at = :at, status = CASE WHEN out_trade_no = :gone "
                               "THEN 'closed' ELSE status END WHERE out_trade_no = ANY(:n)"),
                          {"at": paid_at, "n": numbers, "gone": numbers[1]})
    session.add(SandboxTrade(out_trade_no="P" + day.strftime("%y%m%d") + "DEMO0001", amount=8_800, status="succeeded",
                             description="安家-余额充值", paid_at=paid_at + timedelta(minutes=7)))
    await session.commit()  # the sandbox reads its own side in its own session
    run = await service.reconcile(session, "sandbox", day)
    return 1 + run.missing_here + run.missing_there
