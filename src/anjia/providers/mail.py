"""Mail: `console` (development: log + var/mail-outbox.jsonl) or `smtp`."""
import asyncio
import json
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage

import structlog

from anjia.config import get_settings

log = structlog.get_logger()


async def send_mail(to: str, subject: str, body: str) -> None:
    settings = get_settings()
    if settings.mail_provider == "smtp":
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = settings.mail_from, to, subject
        msg.set_content(body)
        await asyncio.to_thread(_smtp_send, msg)
        return
    log.info("mail_sent", provider="console", to=to, subject=subject)
    outbox = settings.data_dir / "mail-outbox.jsonl"
    outbox.parent.mkdir(parents=True, exist_ok=True)
    with outbox.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"to": to, "subject": subject, "body": body,
                            "sent_at": datetime.now(UTC).isoformat()}, ensure_ascii=False) + "\n")


def _smtp_send(msg: EmailMessage) -> None:
    settings = get_settings()
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        if settings.smtp_user:
            smtp.starttls()
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(msg)
