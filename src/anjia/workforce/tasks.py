import procrastinate

from anjia.core.jobs import in_transaction
from anjia.workforce import certificates

blueprint = procrastinate.Blueprint()


async def sweep_certificates() -> dict[str, int]:
    return await in_transaction(certificates.sweep)


# Daily at 00:10 Beijing (16:10 UTC): a certificate expiring that day suspends its skills as the
# day starts; reminders go out 30 days ahead. Stamps make reruns (and a missed day's catch-up) act once.
@blueprint.periodic(cron="10 16 * * *")
@blueprint.task(name="workforce.certificates", queueing_lock="worker_certificates", pass_context=False)
async def certificates_job(timestamp: int) -> None:
    await sweep_certificates()
