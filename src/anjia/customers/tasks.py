import procrastinate

from anjia.core.jobs import in_transaction
from anjia.customers import segments, welcome

blueprint = procrastinate.Blueprint()


# 03:30 Beijing (cron is UTC) every night: RFM segments from the day's orders; customers whose
# segment changed get a new membership row (the history), the rest are left alone.
@blueprint.periodic(cron="30 19 * * *")
@blueprint.task(name="customers.recompute_segments", queueing_lock="customers_rfm", pass_context=False)
async def recompute_segments_job(timestamp: int) -> None:
    await in_transaction(segments.recompute)


# Every 5 minutes: the welcome coupon of customers who just signed up, and the referrer's reward once
# a referred customer has paid for an order (each once, by the coupons' source reference).
@blueprint.periodic(cron="*/5 * * * *")
@blueprint.task(name="customers.welcome_coupons", queueing_lock="customers_welcome", pass_context=False)
async def welcome_coupons_job(timestamp: int) -> None:
    await in_transaction(welcome.issue_due)
