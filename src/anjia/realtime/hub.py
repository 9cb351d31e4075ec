"""Per-process fan-out: one LISTEN connection feeds every WebSocket of this process.

Events reach PostgreSQL's NOTIFY from the outbox trigger on commit, so any process
(API node, job worker, CLI) that commits an event reaches sockets held by any other.
"""
import asyncio
import json
from collections import defaultdict

import psycopg
import structlog

from anjia.core import background, db

log = structlog.get_logger()
CHANNEL = "anjia_events"


class Hub(background.Background):
    def __init__(self) -> None:
        self.subscribers: dict[str, set[asyncio.Queue]] = defaultdict(set)
        self.ready = asyncio.Event()

    def subscribe(self, topics: list[str]) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(maxsize=1000)
        for t in topics:
            self.subscribers[t].add(queue)
        return queue

    def unsubscribe(self, topics: list[str], queue: asyncio.Queue) -> None:
        for t in topics:
            self.subscribers[t].discard(queue)
            if not self.subscribers[t]:
                self.subscribers.pop(t, None)

    def deliver(self, event: dict) -> None:
        queues = self.subscribers.get(event["topic"])
        if not queues:
            return
        item = (event["id"], json.dumps(event, ensure_ascii=False))  # serialised once for every socket
        for queue in list(queues):
            try:
                queue.put_nowait(item)
            except asyncio.QueueFull:  # a stuck client; it resumes from its last id on reconnect
                log.warning("ws_queue_full", topic=event["topic"])

    async def run(self) -> None:
        url = db.resolve_database_url()
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.ready.set()
                    async for note in conn.notifies():
                        event = json.loads(note.payload)
                        if "type" not in event:  # too big for NOTIFY: fetch it
                            event = await self._fetch(event["id"])
                        if event:
                            self.deliver(event)
            except asyncio.CancelledError:
                raise
            except Exception:
                self.ready.clear()
                log.exception("hub_listen_failed")
                await asyncio.sleep(1)

    async def _fetch(self, event_id: int) -> dict | None:
        from anjia.realtime.models import Event

        async with db.sessionmaker()() as session:
            e = await session.get(Event, event_id)
            return event_dict(e) if e else None


def event_dict(e) -> dict:
    return {"id": e.id, "topic": e.topic, "type": e.type, "payload": e.payload,
            "created_at": e.created_at.isoformat()}


hub = Hub()
