"""Statistics and reports read from a real hot standby of the test cluster (pg_basebackup -R,
streaming), fall back to the primary when it is behind or down, and return to it when it is back."""
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest
from sqlalchemy import text

from anjia.config import get_settings
from anjia.core import db
from anjia.system.cluster import PG_SYSTEM_USER, pg_bin
from tests.conftest import auth, staff_token
from tests.support import free_port


class Standby:
    def __init__(self, primary_url: str):
        self.dir = Path(tempfile.mkdtemp(prefix="anjia-standby-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.user = PG_SYSTEM_USER if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.dir, self.user, self.user)
        parts = urlsplit(primary_url)
        socket_dir = parse_qs(parts.query).get("host", [parts.hostname or ""])[0]
        self._run(pg_bin("pg_basebackup"), "-h", socket_dir, "-U", "postgres", "-D", str(self.data),
                  "-R", "-X", "stream", "-c", "fast")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.dir}'\n")
        (self.data / "postmaster.pid").unlink(missing_ok=True)
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/anjia_test"
        self.start()

    def _run(self, *args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, user=self.user, cwd="/", timeout=120)

    def start(self) -> None:
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "start")

    def stop(self) -> None:
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def sql(self, query: str):
        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(query).fetchone()

    def wait_replayed(self, primary_url: str) -> None:
        with psycopg.connect(primary_url, autocommit=True) as conn:
            lsn = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + 20
        while self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")[0] is not True:
            assert time.monotonic() < deadline, "the standby did not catch up"
            time.sleep(0.05)


@pytest.fixture(scope="module")
def standby(database_url):
    s = Standby(database_url)
    yield s
    try:
        s.stop()
    finally:
        shutil.rmtree(s.dir, ignore_errors=True)


@pytest.fixture
async def replica(standby):
    settings = get_settings()
    saved = settings.replica_max_lag_seconds, settings.replica_check_seconds
    settings.replica_check_seconds = 0  # check at every session in these tests
    db.replica.configure(standby.url)
    yield db.replica
    settings.replica_max_lag_seconds, settings.replica_check_seconds = saved
    await db.replica.dispose()


async def served_by_standby() -> bool:
    gen = db.replica_session()
    session = await gen.__anext__()
    try:
        return (await session.execute(text("SELECT pg_is_in_recovery()"))).scalar()
    finally:
        await gen.aclose()


async def test_reads_go_to_the_current_standby(replica, standby, database_url, session):
    await session.execute(text("CREATE TABLE IF NOT EXISTS replica_probe (n int)"))
    await session.execute(text("INSERT INTO replica_probe VALUES (41)"))
    await session.commit()
    standby.wait_replayed(database_url)
    assert await served_by_standby() is True
    gen = db.replica_session()
    s = await gen.__anext__()
    assert (await s.execute(text("SELECT max(n) FROM replica_probe"))).scalar() == 41
    await gen.aclose()
    await session.execute(text("DROP TABLE replica_probe"))
    await session.commit()


async def test_a_standby_behind_the_bound_is_not_read(replica, standby, database_url, session):
    get_settings().replica_max_lag_seconds = 0.3
    standby.sql("SELECT pg_wal_replay_pause()")
    try:
        await session.execute(text("CREATE TABLE replica_probe (n int)"))  # WAL it will not replay
        await session.commit()
        time.sleep(0.6)
        assert await served_by_standby() is False
        assert replica.lag is not None and replica.lag > 0.3
    finally:
        standby.sql("SELECT pg_wal_replay_resume()")
    standby.wait_replayed(database_url)
    assert await served_by_standby() is True
    await session.execute(text("DROP TABLE replica_probe"))
    await session.commit()


async def test_a_stopped_standby_falls_back_then_returns(replica, standby, database_url):
    assert await served_by_standby() is True
    standby.stop()
    try:
        assert await served_by_standby() is False  # the pooled connection is gone: the primary answers
        assert await served_by_standby() is False
    finally:
        standby.start()
    standby.wait_replayed(database_url)
    assert await served_by_standby() is True


async def test_statistics_and_reports_answer_from_the_standby(replica, standby, database_url, client, session):
    """Every switched endpoint runs on the standby, which refuses any write: they only read."""
    token = await staff_token(client, session, "boss", ["admin"])
    standby.wait_replayed(database_url)
    assert await served_by_standby() is True
    span = {"from": "2026-11-01", "to": "2026-11-30"}
    for path, params in [("/api/v1/admin/stats/orders", span), ("/api/v1/admin/stats/funnel", span),
                         ("/api/v1/admin/stats/cancellations", span), ("/api/v1/admin/stats/live", {}),
                         ("/api/v1/admin/stats/utilisation", span), ("/api/v1/admin/stats/orders.xlsx", span),
                         ("/api/v1/admin/finance/overview", {}), ("/api/v1/admin/finance/reports", {}),
                         ("/api/v1/admin/finance/reports.xlsx", {})]:
        r = await client.get(path, params=params, headers=auth(token))
        assert r.status_code == 200, (path, r.text)
    standby.stop()
    try:
        r = await client.get("/api/v1/admin/stats/live", headers=auth(token))
        assert r.status_code == 200, r.text  # the primary answers instead
    finally:
        standby.start()
