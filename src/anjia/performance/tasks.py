import procrastinate

from anjia.core.jobs import in_transaction
from anjia.performance import service

blueprint = procrastinate.Blueprint()


# 05:00 Beijing (cron is UTC) every day: the previous month is evaluated the first time this runs
# after it ended — on the 1st, or the day a server that was down then comes back; later runs find
# it done. Operators check the draft and publish it (rewards are granted then).
@blueprint.periodic(cron="0 21 * * *")
@blueprint.task(name="performance.evaluate_month", queueing_lock="performance_evaluate", pass_context=False)
async def evaluate_month_job(timestamp: int) -> None:
    await in_transaction(service.evaluate_due)
