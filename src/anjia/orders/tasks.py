import procrastinate

from anjia.core.jobs import in_transaction
from anjia.orders import service

blueprint = procrastinate.Blueprint()


async def expire_unpaid_orders() -> int:
    return await in_transaction(service.expire_unpaid)


@blueprint.periodic(cron="* * * * *")
@blueprint.task(name="orders.expire_unpaid", queueing_lock="expire_unpaid", pass_context=False)
async def expire_unpaid_job(timestamp: int) -> None:
    await expire_unpaid_orders()
