"""Sending texts and keeping track of them. The real providers send approved templates only, so a
text is a kind (what it is about) with its parameters: the template id comes from SMS_TEMPLATES,
the parameter order from TEMPLATE_PARAMS. Every attempt is a row of sms_messages in the caller's
transaction; receipts pulled from the provider later say whether it arrived."""
from datetime import timedelta

import structlog
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.config import get_settings
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.providers.sms import Awaiting, Sms, SmsError, get_sms_provider
from anjia.sms import errors as e
from anjia.sms.models import SmsMessage

log = structlog.get_logger()

# The variables of each kind's template, in order ({1}, {2} for Tencent; ${name} for Aliyun).
TEMPLATE_PARAMS: dict[str, tuple[str, ...]] = {
    "code": ("code", "minutes"),
    "order.accepted": ("service", "worker"),
    "order.departed": ("worker",),
    "order.checked_in": ("worker",),
    "order.checked_out": ("service",),
    "order.supplement_requested": ("service",),
    "order.refunded": ("service",),
    "order.worker_withdrawn": ("service",),
    "order.dispatch_failed": ("service",),
}
# Every other notification goes out as the generic notice: "您有一条新消息：${title}，请打开安家查看。"
NOTICE = "notice"
NOTICE_PARAMS = ("title",)
RECEIPT_WINDOW = timedelta(days=2)  # Aliyun keeps details for 30 days, Tencent reports within hours


def template_for(kind: str) -> tuple[str, tuple[str, ...]]:
    """The template id and its variables for a kind: its own template, else the notice (for a
    notification), else "" (none configured; the console needs none)."""
    templates = get_settings().sms_templates
    if kind in templates:
        return templates[kind], TEMPLATE_PARAMS.get(kind, NOTICE_PARAMS)
    if kind != "code" and NOTICE in templates:
        return templates[NOTICE], NOTICE_PARAMS
    return "", TEMPLATE_PARAMS.get(kind, NOTICE_PARAMS)


async def send(session: AsyncSession, phone: str, kind: str, params: dict[str, str], text: str) -> SmsMessage:
    """Send one text now and record it; SmsError (recorded as `failed`, logged) when the provider
    refuses or cannot be reached. Never retried here: the caller decides what the failure means."""
    provider = get_sms_provider()
    template, names = template_for(kind)
    row = SmsMessage(provider=provider.name, kind=kind, phone=phone, template=template, status="sent")
    session.add(row)
    try:
        if not template and provider.name != "console":
            raise SmsError("template", "TemplateNotConfigured", f"SMS_TEMPLATES has no {kind!r} (nor {NOTICE!r})")
        missing = [n for n in names if n not in params]
        if missing and provider.name != "console":
            raise SmsError("template", "TemplateParamMissing", f"{kind}: {', '.join(missing)}")
        ordered = ([(n, str(v)) for n, v in params.items()] if provider.name == "console"
                   else [(n, str(params[n])) for n in names])
        sent = await provider.send(Sms(phone, kind, template, ordered, text))
    except SmsError as err:
        row.status, row.error_code, row.error_message = "failed", err.code[:64], err.message or None
        await session.flush()
        log.warning("sms_failed", provider=provider.name, kind=kind, category=err.category, code=err.code,
                    detail=err.message, sms_id=row.id)
        raise
    row.message_id = sent.message_id
    await session.flush()
    return row


def problem(err: SmsError) -> AppError:
    """What a person waiting for a code is told."""
    if err.category == "rate_limited":
        return AppError("sms_rate_limited", headers={"Retry-After": "3600"})
    if err.category == "phone_rejected":
        return AppError(e.SMS_PHONE_REJECTED, errors=[{"field": "phone", "message": "rejected"}])
    return AppError(e.SMS_UNAVAILABLE, headers={"Retry-After": "300"})


async def pull_receipts(session: AsyncSession, limit: int = 200) -> int:
    """Ask the provider what became of the texts still `sent` (sent in the last two days); returns
    how many were settled. A provider error is logged and left for the next run."""
    provider = get_sms_provider()
    if not provider.receipts_supported:
        return 0
    rows = list(await session.scalars(
        select(SmsMessage).where(SmsMessage.provider == provider.name, SmsMessage.status == "sent",
                                 SmsMessage.message_id.is_not(None), SmsMessage.created_at > now() - RECEIPT_WINDOW)
        .order_by(SmsMessage.id).limit(limit).with_for_update(skip_locked=True)))
    if not rows:
        return 0
    try:
        receipts = await provider.receipts([Awaiting(r.message_id, r.phone, r.created_at) for r in rows])
    except SmsError as err:
        log.warning("sms_receipts_failed", provider=provider.name, category=err.category, code=err.code,
                    detail=err.message)
        return 0
    by_id = {r.message_id: r for r in rows}
    settled = 0
    for receipt in receipts:
        row = by_id.get(receipt.message_id) or await session.scalar(
            select(SmsMessage).where(SmsMessage.provider == provider.name, SmsMessage.message_id == receipt.message_id,
                                     SmsMessage.status == "sent").with_for_update(skip_locked=True))
        if row is None or row.status != "sent":
            continue
        row.status = "delivered" if receipt.delivered else "undelivered"
        row.error_code = None if receipt.delivered else receipt.code[:64]
        row.reported_at = receipt.at or now()
        settled += 1
        if not receipt.delivered:
            log.info("sms_undelivered", provider=provider.name, kind=row.kind, code=receipt.code, sms_id=row.id)
    await session.flush()
    return settled


async def purge_before(session: AsyncSession, cutoff) -> int:
    """Retention: the record of texts sent before `cutoff` goes (phone numbers in it)."""
    return (await session.execute(delete(SmsMessage).where(SmsMessage.created_at < cutoff))).rowcount
