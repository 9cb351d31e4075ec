import procrastinate

from anjia.core.jobs import in_transaction
from anjia.reviews import service

blueprint = procrastinate.Blueprint()


# Every 15 minutes: orders completed 2 hours ago or more (and under 7 days) that have no review get
# one reminder each; the reminders table's key makes reruns and overlaps harmless.
@blueprint.periodic(cron="*/15 * * * *")
@blueprint.task(name="reviews.remind", queueing_lock="review_reminders", pass_context=False)
async def remind_job(timestamp: int) -> None:
    await in_transaction(service.remind)
