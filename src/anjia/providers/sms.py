"""SMS providers. `console` (development) logs the message and appends it to
var/sms-outbox.jsonl so developers and tests can read the code."""
import json
from datetime import UTC, datetime
from typing import Protocol

import structlog

from anjia.config import get_settings

log = structlog.get_logger()


class SmsProvider(Protocol):
    async def send_code(self, phone: str, code: str, ttl_minutes: int) -> None: ...

    async def send_text(self, phone: str, text: str) -> None: ...


class ConsoleSms:
    async def send_code(self, phone: str, code: str, ttl_minutes: int) -> None:
        await self._write(phone, f"【安家】验证码 {code}，{ttl_minutes} 分钟内有效。请勿告诉他人。", code=code)

    async def send_text(self, phone: str, text: str) -> None:
        await self._write(phone, text)

    async def _write(self, phone: str, text: str, code: str | None = None) -> None:
        log.info("sms_sent", provider="console", phone=phone, text=text)
        outbox = get_settings().data_dir / "sms-outbox.jsonl"
        outbox.parent.mkdir(parents=True, exist_ok=True)
        with outbox.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"phone": phone, "code": code, "text": text,
                                "sent_at": datetime.now(UTC).isoformat()}, ensure_ascii=False) + "\n")


def get_sms_provider() -> SmsProvider:
    name = get_settings().sms_provider
    if name == "console":
        return ConsoleSms()
    raise RuntimeError(f"unknown SMS provider {name!r}")
