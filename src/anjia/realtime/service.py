"""Publishing events: one outbox row per topic, in the caller's transaction."""
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.realtime.models import Event
from anjia.realtime.relay import relay


async def publish(session: AsyncSession, topics: list[str], type: str, payload: dict[str, Any]) -> None:
    """One event per topic, in one statement; listeners hear of them once the transaction commits
    (from the outbox trigger, or from this process's relay right after the commit)."""
    if topics:
        await relay.insert(session, topics, type, payload)


async def events_since(session: AsyncSession, topics: list[str], last_id: int, limit: int = 500) -> list[Event]:
    rows = await session.scalars(
        select(Event).where(Event.topic.in_(topics), Event.id > last_id).order_by(Event.id).limit(limit))
    return list(rows)


def topics_for(user_id: int, kind: str, roles: list[str]) -> list[str]:
    return [f"user:{user_id}", f"role:{kind}", *[f"role:{r}" for r in roles]]
