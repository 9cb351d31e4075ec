"""Retention: what `service.LIMITS` says is kept no longer goes, daily."""
import procrastinate

from anjia.core.jobs import in_transaction
from anjia.privacy import service

blueprint = procrastinate.Blueprint()


async def apply_retention() -> dict[str, int]:
    return await in_transaction(service.apply_retention)


@blueprint.periodic(cron="40 18 * * *")  # 02:40 in China
@blueprint.task(name="privacy.apply_retention", queueing_lock="apply_retention", pass_context=False)
async def apply_retention_job(timestamp: int) -> None:
    await apply_retention()
