"""Per-process caches of reference data that staff change rarely (the catalogue; regions, booking
rules and holidays have the same invalidation), invalidated through PostgreSQL.

A statement-level trigger on each such table sends `NOTIFY anjia_cache, '<table>'` when a
statement changes it (migration 0018) — whoever writes: an API process, the job worker, the CLI,
plain SQL — and PostgreSQL delivers it on commit to every process's listener here, which drops
what was built from that table. Values are kept only while the listener is connected; until it
is (and in processes without one: tests on the ASGI app, the CLI) every read is built afresh.
A value built while a change was arriving is returned but not kept (the generation moved on), so
a notification can never be overtaken by the stale value it was meant to remove."""
import asyncio
import copy
from asyncio import Event as Flag  # (not to be mistaken for the events model)
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import psycopg
import structlog
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from anjia.core import background, db

log = structlog.get_logger()
CHANNEL = "anjia_cache"
MAX_ENTRIES = 512


def _copied(value: Any) -> Any:
    if not isinstance(value, (dict, list)):
        return value
    try:
        return orjson.loads(orjson.dumps(value))
    except TypeError:  # not plain JSON
        return copy.deepcopy(value)


class Cache(background.Background):
    def __init__(self) -> None:
        self._entries: dict[Any, tuple[frozenset[str], Any]] = {}
        self._generation = 0
        self._connected = False
        self.ready = Flag()  # set while the listener is connected

    async def get(self, key: Any, tables: frozenset[str], build: Callable[[], Awaitable[Any]]) -> Any:
        """The value for `key`, built by `build()` from `tables` when not kept."""
        if self._connected and (hit := self._entries.get(key)) is not None:
            return hit[1]
        generation = self._generation
        value = await build()
        if self._connected and generation == self._generation:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (tables, value)
        return value

    async def row(self, session: AsyncSession, model: type, key: Any, tables: frozenset[str] | None = None) -> Any:
        """`session.get(model, key)` without a round trip when the row is kept: the row's columns are
        kept (built on a connection of its own), and an instance made of them joins the session as if
        loaded there (tracked as usual: a change flushes as an UPDATE). One the
        session already holds is returned as it is; a missing row is not kept. Without the
        listener connected: a plain `session.get`."""
        if not self._connected:
            return await session.get(model, key)
        mapper = sa_inspect(model)
        held = session.identity_map.get(mapper.identity_key_from_primary_key(key if isinstance(key, tuple) else (key,)))
        if held is not None:
            return held

        async def build() -> dict[str, Any] | None:
            async with db.readers()() as own:
                obj = await own.get(model, key)
                return None if obj is None else {a.key: getattr(obj, a.key) for a in mapper.column_attrs}

        values = await self.get((mapper.local_table.name, key), tables or frozenset({mapper.local_table.name}), build)
        if values is None:
            self.invalidate_key((mapper.local_table.name, key))
            return await session.get(model, key)
        # as if loaded: the columns set in the instance's dict (no attribute events, no pending
        # changes) — its own copy of each JSON or array value (orjson's round trip: a fifth of deepcopy)
        obj = mapper.class_manager.new_instance()
        obj.__dict__.update({k: _copied(v) for k, v in values.items()})
        make_transient_to_detached(obj)
        session.add(obj)
        return obj

    def start(self) -> None:
        if not self.running_here():
            self.ready = Flag()  # an asyncio event belongs to the loop that first waits on it
        super().start()

    def invalidate_key(self, key: Any) -> None:
        self._entries.pop(key, None)

    def invalidate(self, table: str) -> None:
        self._generation += 1
        for key in [k for k, (tables, _) in self._entries.items() if table in tables]:
            del self._entries[key]

    def _reset(self, connected: bool) -> None:
        self._generation += 1
        self._entries.clear()
        self._connected = connected

    async def run(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(db.resolve_database_url(), autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self._reset(connected=True)  # anything may have changed while nobody listened
                    self.ready.set()
                    async for note in conn.notifies():
                        self.invalidate(note.payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("cache_listen_failed")
            finally:
                self.ready.clear()
                self._reset(connected=False)
            await asyncio.sleep(1)


cache = Cache()
