import procrastinate

from anjia.core.jobs import in_transaction
from anjia.settlement import service

blueprint = procrastinate.Blueprint()


# Hourly, though statements are weekly (or monthly): the service builds only once the period has
# closed SETTLEMENT_HOUR local time (Monday 03:00 Asia/Shanghai by default), and a second run
# finds nothing left to build, so a server that was down at 03:00 catches up within the hour.
@blueprint.periodic(cron="5 * * * *")
@blueprint.task(name="settlement.build_statements", queueing_lock="build_statements", pass_context=False)
async def build_statements_job(timestamp: int) -> None:
    await in_transaction(service.build_due)
