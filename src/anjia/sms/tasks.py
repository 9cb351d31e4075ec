import procrastinate

from anjia.core.jobs import in_transaction
from anjia.sms import service

blueprint = procrastinate.Blueprint()


@blueprint.periodic(cron="* * * * *")
@blueprint.task(name="sms.pull_receipts", queueing_lock="sms_pull_receipts", pass_context=False)
async def pull_receipts_job(timestamp: int) -> None:
    await in_transaction(service.pull_receipts)
