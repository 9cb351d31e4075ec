import procrastinate

from anjia.core import db
from anjia.plans import service

blueprint = procrastinate.Blueprint()


async def materialise_plans() -> int:
    async with db.sessionmaker()() as session:
        n = await service.materialise_all(session)
        await session.commit()
        return n


@blueprint.periodic(cron="17 * * * *")
@blueprint.task(name="plans.materialise", queueing_lock="materialise_plans", pass_context=False)
async def materialise_plans_job(timestamp: int) -> None:
    await materialise_plans()
