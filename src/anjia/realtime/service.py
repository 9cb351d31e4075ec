"""Publishing events: one outbox row per topic, in the caller's transaction."""
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.realtime.models import Event


async def publish(session: AsyncSession, topics: list[str], type: str, payload: dict[str, Any]) -> list[Event]:
    events = [Event(topic=t, type=type, payload=payload) for t in topics]
    session.add_all(events)
    await session.flush()
    return events


async def events_since(session: AsyncSession, topics: list[str], last_id: int, limit: int = 500) -> list[Event]:
    rows = await session.scalars(
        select(Event).where(Event.topic.in_(topics), Event.id > last_id).order_by(Event.id).limit(limit))
    return list(rows)


def topics_for(user_id: int, kind: str, roles: list[str]) -> list[str]:
    return [f"user:{user_id}", f"role:{kind}", *[f"role:{r}" for r in roles]]
