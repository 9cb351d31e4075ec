import procrastinate
from sqlalchemy import select

from anjia.accounts.models import User
from anjia.core import db
from anjia.notifications.models import Notification
from anjia.providers.sms import get_sms_provider

blueprint = procrastinate.Blueprint()


async def send_pending_sms(limit: int = 200) -> int:
    """Send the SMS copies of committed notifications; SKIP LOCKED lets workers share the queue."""
    async with db.sessionmaker()() as session:
        rows = list(await session.scalars(select(Notification).where(Notification.sms_status == "pending")
                                          .order_by(Notification.id).limit(limit).with_for_update(skip_locked=True)))
        sms = get_sms_provider()
        for n in rows:
            user = await session.get(User, n.user_id)
            if user is None or not user.phone or not user.is_active:
                n.sms_status = "skipped"
                continue
            await sms.send_text(user.phone, f"【安家】{n.title}：{n.body}")
            n.sms_status = "sent"
        await session.commit()
        return len(rows)


@blueprint.periodic(cron="* * * * * */10")
@blueprint.task(name="notifications.send_pending_sms", queueing_lock="send_pending_sms", pass_context=False)
async def send_pending_sms_job(timestamp: int) -> None:
    await send_pending_sms()
