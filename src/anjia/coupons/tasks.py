import procrastinate

from anjia.core.jobs import in_transaction
from anjia.coupons import service

blueprint = procrastinate.Blueprint()


async def expire_coupons() -> int:
    return await in_transaction(service.expire_due)


# Hourly: a coupon past its validity already reads as expired and cannot be used; the job makes
# the table say so (idempotent, a rerun finds nothing).
@blueprint.periodic(cron="7 * * * *")
@blueprint.task(name="coupons.expire", queueing_lock="expire_coupons", pass_context=False)
async def expire_coupons_job(timestamp: int) -> None:
    await expire_coupons()
