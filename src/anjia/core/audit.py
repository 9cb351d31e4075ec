"""Audit log of staff actions: written in the caller's transaction."""
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anjia.core import db
from anjia.core.errors import AppError
from anjia.core.models import AuditLog


async def record(session: AsyncSession, actor, action: str, target_type: str, target_id: Any,
                 before: dict | None = None, after: dict | None = None, ip: str | None = None) -> None:
    session.add(AuditLog(actor_id=actor.id if actor else None,
                         actor_name=(actor.username or actor.nickname) if actor else "system",
                         action=action, target_type=target_type,
                         target_id=str(target_id) if target_id is not None else None,
                         before=before, after=after, ip=ip))
    await session.flush()


async def refused(actor, action: str, target_type: str, target_id: Any, before: dict | None, code: str,
                  ip: str | None = None, **extra) -> AppError:
    """A refused staff action (a second approval, a refund above what was paid) is audited in its
    own committed transaction — the request's rolls back with the error — and the error returned."""
    async with db.sessionmaker()() as own:
        await record(own, actor, action, target_type, target_id, before, {"refused": code, **extra}, ip=ip)
        await own.commit()
    return AppError(code)
