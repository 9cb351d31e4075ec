import procrastinate

from anjia.core.jobs import in_transaction
from anjia.support import service

blueprint = procrastinate.Blueprint()


# Every minute: the SLA steps are minutes to hours long; stamping makes reruns alert nobody twice.
@blueprint.periodic(cron="* * * * *")
@blueprint.task(name="support.sweep_sla", queueing_lock="support_sla", pass_context=False)
async def sweep_sla_job(timestamp: int) -> None:
    await in_transaction(service.sweep_sla)


# Every ten minutes: resolved tickets the customer left alone for SUPPORT_AUTO_CLOSE_DAYS close, and
# photos uploaded for a ticket never opened are removed.
@blueprint.periodic(cron="*/10 * * * *")
@blueprint.task(name="support.auto_close", queueing_lock="support_close", pass_context=False)
async def auto_close_job(timestamp: int) -> None:
    await in_transaction(service.auto_close)
    await in_transaction(service.purge_photos)
