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
CATCH_UP = 10_000


class Hub(background.Background):
    def __init__(self) -> None:
        self.subscribers: dict[str, set[asyncio.Queue]] = defaultdict(set)
        self.ready = asyncio.Event()
        self.last_id = 0  # the newest event this process delivered
        # What the last catch-up delivered: their NOTIFYs may still be queued on the new connection and are
        # skipped. Only those: ids are not remembered for ever, since they start again after a restore.
        self._caught_up: set[int] = set()

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
        if event["id"] in self._caught_up:
            self._caught_up.discard(event["id"])
            return
        self.last_id = max(self.last_id, event["id"])
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
                    if self.last_id:  # reconnected (e.g. the database restarted): what committed meanwhile
                        await self._catch_up(conn)
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

    async def _catch_up(self, conn: psycopg.AsyncConnection) -> None:
        cur = await conn.execute("SELECT id, topic, type, payload, created_at FROM events WHERE id > %s "
                                 "ORDER BY id LIMIT %s", (self.last_id, CATCH_UP))
        self._caught_up.clear()
        for id_, topic, type_, payload, created_at in await cur.fetchall():
            self.deliver({"id": id_, "topic": topic, "type": type_, "payload": payload,
                          "created_at": created_at.isoformat()})
            self._caught_up.add(id_)

    async def _fetch(self, event_id: int) -> dict | None:
        from anjia.realtime.models import Event

        async with db.sessionmaker()() as session:
            e = await session.get(Event, event_id)
            return event_dict(e) if e else None


def event_dict(e) -> dict:
    return {"id": e.id, "topic": e.topic, "type": e.type, "payload": e.payload,
            "created_at": e.created_at.isoformat()}


hub = Hub()
