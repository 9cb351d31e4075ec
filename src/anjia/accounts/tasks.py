"""Periodic clean-up of expired sign-in secrets."""
from datetime import timedelta

import procrastinate
from sqlalchemy import delete, or_
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import EmailVerification, LoginAttempt, RefreshToken, SmsCode, WechatBinding
from anjia.core.jobs import in_transaction
from anjia.core.security import now

blueprint = procrastinate.Blueprint()


async def _purge(session: AsyncSession) -> dict[str, int]:
    """Delete codes and tokens nobody can use any more. Keeps a day of SMS codes:
    the daily send limit counts them."""
    t = now()
    counts = {}
    for name, stmt in {
        "sms_codes": delete(SmsCode).where(SmsCode.created_at < t - timedelta(days=1)),
        "refresh_tokens": delete(RefreshToken).where(
            or_(RefreshToken.expires_at < t, RefreshToken.revoked_at < t - timedelta(days=7))),
        "email_verifications": delete(EmailVerification).where(EmailVerification.expires_at < t),
        "wechat_bindings": delete(WechatBinding).where(WechatBinding.expires_at < t),
        "login_attempts": delete(LoginAttempt).where(LoginAttempt.created_at < t - timedelta(days=1)),
    }.items():
        counts[name] = (await session.execute(stmt)).rowcount
    return counts


async def purge_expired_secrets() -> dict[str, int]:
    return await in_transaction(_purge)


@blueprint.periodic(cron="*/10 * * * *")
@blueprint.task(name="accounts.purge_expired_secrets", queueing_lock="purge_expired_secrets", pass_context=False)
async def purge_expired_secrets_job(timestamp: int) -> None:
    await purge_expired_secrets()
