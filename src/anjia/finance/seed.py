"""Demo reconciliation: yesterday's sandbox bill against our records, with the differences the
payments demo staged there (payments.seed.stage_bill_differences) for the console to resolve.
Once: nothing when a run exists."""
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.finance import service
from anjia.finance.models import ReconciliationRun
from anjia.payments import registry
from anjia.payments import seed as payments


async def seed(session: AsyncSession) -> int:
    if "sandbox" not in registry.enabled() or await session.scalar(select(func.count()).select_from(ReconciliationRun)):
        return 0
    day = service.yesterday()
    if not await payments.stage_bill_differences(session, day):
        return 0
    await session.commit()  # the sandbox reads its own side in its own session
    run = await service.reconcile(session, "sandbox", day)
    return 1 + run.missing_here + run.missing_there
