import procrastinate
from sqlalchemy import select

from anjia.core.jobs import in_transaction
from anjia.finance import service
from anjia.finance.models import ReconciliationRun
from anjia.payments import registry

blueprint = procrastinate.Blueprint()


async def _failed(session, day) -> set[str]:
    return set(await session.scalars(select(ReconciliationRun.provider).where(
        ReconciliationRun.day == day, ReconciliationRun.status == "failed")))


async def reconcile_yesterday(only_failed: bool = False) -> list[str]:
    """Yesterday's bill of every enabled provider, one transaction each: one provider's failure
    is recorded on its run and does not stop the others."""
    day = service.yesterday()
    providers = registry.enabled()
    if only_failed:
        failed = await in_transaction(_failed, day)
        providers = [p for p in providers if p in failed]
    statuses = []
    for provider in providers:
        run = await in_transaction(service.reconcile, provider, day)
        statuses.append(f"{provider}:{run.status}")
    return statuses


# Cron times are UTC: 20:00 UTC is 04:00 Beijing time.
@blueprint.periodic(cron="0 20 * * *")
@blueprint.task(name="finance.reconcile", queueing_lock="reconcile", pass_context=False)
async def reconcile_job(timestamp: int) -> None:
    await reconcile_yesterday()


# 10:30 Beijing: a bill that was not ready at 04:00 (WeChat Pay advises fetching after 10:00) is
# fetched again.
@blueprint.periodic(cron="30 2 * * *")
@blueprint.task(name="finance.reconcile_retry", queueing_lock="reconcile", pass_context=False)
async def reconcile_retry_job(timestamp: int) -> None:
    await reconcile_yesterday(only_failed=True)
