import procrastinate

from anjia.core import db
from anjia.orders import service

blueprint = procrastinate.Blueprint()


async def expire_unpaid_orders() -> int:
    async with db.sessionmaker()() as session:
        n = await service.expire_unpaid(session)
        await session.commit()
        return n


@blueprint.periodic(cron="* * * * *")
@blueprint.task(name="orders.expire_unpaid", queueing_lock="expire_unpaid", pass_context=False)
async def expire_unpaid_job(timestamp: int) -> None:
    await expire_unpaid_orders()
