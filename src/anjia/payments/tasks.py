import procrastinate
from sqlalchemy import select

from anjia.core.jobs import in_transaction
from anjia.payments import service
from anjia.payments.models import Refund

blueprint = procrastinate.Blueprint()


async def query_pending() -> int:
    """Ask providers about payments whose notification has not come; close expired ones. One
    transaction per payment: a slow provider holds one order, never the batch."""
    ids = await in_transaction(service.due_for_query)
    for payment_id in ids:
        await in_transaction(service.query_payment, payment_id)
    return len(ids)


async def _due_refunds(session) -> list[int]:
    return list(await session.scalars(select(Refund.id).where(Refund.status.in_(["pending", "processing"]))
                                      .order_by(Refund.id).limit(200)))


async def submit_refunds() -> int:
    """Send pending refunds, ask about those in flight (each in its own transaction)."""
    sent = 0
    for refund_id in await in_transaction(_due_refunds):
        sent += bool(await in_transaction(service.submit_refund, refund_id))
    return sent


@blueprint.periodic(cron="* * * * *")
@blueprint.task(name="payments.query_pending", queueing_lock="query_pending", pass_context=False)
async def query_pending_job(timestamp: int) -> None:
    await query_pending()


@blueprint.periodic(cron="* * * * *")
@blueprint.task(name="payments.submit_refunds", queueing_lock="submit_refunds", pass_context=False)
async def submit_refunds_job(timestamp: int) -> None:
    await submit_refunds()
