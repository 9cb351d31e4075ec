import procrastinate

from anjia.core.jobs import in_transaction
from anjia.plans import service

blueprint = procrastinate.Blueprint()


async def materialise_plans() -> int:
    return await in_transaction(service.materialise_all)


@blueprint.periodic(cron="17 * * * *")
@blueprint.task(name="plans.materialise", queueing_lock="materialise_plans", pass_context=False)
async def materialise_plans_job(timestamp: int) -> None:
    await materialise_plans()
