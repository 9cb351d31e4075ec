import procrastinate

from anjia.core.jobs import in_transaction
from anjia.dispatch import service
from anjia.orders import lifecycle

blueprint = procrastinate.Blueprint()


async def expire_offers() -> int:
    return await in_transaction(service.expire_offers)


async def watch_progress() -> int:
    return await in_transaction(lifecycle.watch_progress)


@blueprint.periodic(cron="* * * * * */20")  # every 20 seconds: offers last minutes, rounds must move on
@blueprint.task(name="dispatch.expire_offers", queueing_lock="expire_offers", pass_context=False)
async def expire_offers_job(timestamp: int) -> None:
    await expire_offers()


@blueprint.periodic(cron="* * * * *")
@blueprint.task(name="dispatch.watch_progress", queueing_lock="watch_progress", pass_context=False)
async def watch_progress_job(timestamp: int) -> None:
    await watch_progress()
