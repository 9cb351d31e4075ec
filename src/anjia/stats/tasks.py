import procrastinate

from anjia.core.jobs import in_transaction
from anjia.stats import rollup

blueprint = procrastinate.Blueprint()


async def refresh() -> int:
    """Recompute every day a change marked, each day in its own transaction; returns how many."""
    days = await in_transaction(rollup.waiting)
    for day, ids in days.items():
        await in_transaction(rollup.recompute_marked, day, ids)
    return len(days)


async def recompute_recent(days: int = 3) -> None:
    for day in rollup.recent_days(days):
        await in_transaction(rollup.recompute_day, day)


# Every minute: the days orders, payments, refunds and reviews touched (today's new orders, and a
# refund or cancellation of an order placed weeks ago alike).
@blueprint.periodic(cron="* * * * *")
@blueprint.task(name="stats.refresh", queueing_lock="stats_refresh", pass_context=False)
async def refresh_job(timestamp: int) -> None:
    await refresh()


# Nightly (02:30 Beijing): the last three days again from scratch, whatever was marked — a safety net
# for anything that changed the data outside the triggers' view (a restore, a manual fix).
@blueprint.periodic(cron="30 18 * * *")
@blueprint.task(name="stats.nightly", queueing_lock="stats_nightly", pass_context=False)
async def nightly_job(timestamp: int) -> None:
    await recompute_recent(3)
    await refresh()
