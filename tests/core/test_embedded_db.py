"""The embedded server: starts, survives a killed run, refuses a foreign major version."""
import os
import signal
import subprocess
import sys
import time

import pytest

from anjia.core import db
from tests.conftest import ROOT

START = """
import sys, time
from pathlib import Path
from anjia.core import db
server, url = db.start_embedded(Path(sys.argv[1]))
print(url, flush=True)
time.sleep(600)
"""


def test_refuses_data_dir_of_another_major_version(tmp_path):
    (tmp_path / "PG_VERSION").write_text("15\n")
    with pytest.raises(db.EmbeddedVersionMismatch, match="PostgreSQL 15"):
        db.start_embedded(tmp_path)


def test_cli_says_so_clearly(tmp_path):
    (tmp_path / "pg").mkdir()
    (tmp_path / "pg" / "PG_VERSION").write_text("15\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ANJIA_RESOLVED_DATABASE_URL")}
    r = subprocess.run([sys.executable, "-m", "anjia.cli", "db", "upgrade"], cwd=ROOT, capture_output=True, text=True,
                       env={**env, "DATA_DIR": str(tmp_path)}, timeout=60)
    assert r.returncode == 2
    assert "PostgreSQL 15" in r.stderr and "DATABASE_URL" in r.stderr


def test_survives_a_killed_previous_run(tmp_path):
    import psycopg

    pgdir = tmp_path / "pg"
    proc = subprocess.Popen([sys.executable, "-c", START, str(pgdir)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE kept (v int)")
        conn.execute("INSERT INTO kept VALUES (7)")
    postmaster_pid = int((pgdir / "postmaster.pid").read_text().split()[0])
    proc.send_signal(signal.SIGKILL)  # no atexit: the server is left running or its pid file stale
    proc.wait()
    os.kill(postmaster_pid, signal.SIGKILL)  # and now the server dies too: postmaster.pid is stale
    time.sleep(0.5)
    assert (pgdir / "postmaster.pid").exists()
    server, url2 = db.start_embedded(pgdir)
    try:
        with psycopg.connect(url2) as conn:
            assert conn.execute("SELECT v FROM kept").fetchone() == (7,)
    finally:
        # the library still counts the killed process as a holder, so stop the server ourselves
        pid = int((pgdir / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGINT)  # fast shutdown
        for _ in range(100):
            if not (pgdir / "postmaster.pid").exists():
                break
            time.sleep(0.1)
