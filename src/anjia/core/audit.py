"""Audit log of staff actions: written in the caller's transaction."""
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anjia.core.models import AuditLog


async def record(session: AsyncSession, actor, action: str, target_type: str, target_id: Any,
                 before: dict | None = None, after: dict | None = None, ip: str | None = None) -> None:
    session.add(AuditLog(actor_id=actor.id if actor else None,
                         actor_name=(actor.username or actor.nickname) if actor else "system",
                         action=action, target_type=target_type,
                         target_id=str(target_id) if target_id is not None else None,
                         before=before, after=after, ip=ip))
    await session.flush()
