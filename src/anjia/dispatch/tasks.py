import procrastinate

from anjia.core import db
from anjia.dispatch import service

blueprint = procrastinate.Blueprint()


async def expire_offers() -> int:
    async with db.sessionmaker()() as session:
        n = await service.expire_offers(session)
        await session.commit()
        return n


@blueprint.periodic(cron="* * * * * */20")  # every 20 seconds: offers last minutes, rounds must move on
@blueprint.task(name="dispatch.expire_offers", queueing_lock="expire_offers", pass_context=False)
async def expire_offers_job(timestamp: int) -> None:
    await expire_offers()


async def watch_progress() -> int:
    async with db.sessionmaker()() as session:
        n = await service.watch_progress(session)
        await session.commit()
        return n


@blueprint.periodic(cron="* * * * *")
@blueprint.task(name="dispatch.watch_progress", queueing_lock="watch_progress", pass_context=False)
async def watch_progress_job(timestamp: int) -> None:
    await watch_progress()
