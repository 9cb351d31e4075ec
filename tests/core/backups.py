"""What the backup tests compare between a database and its copy: every table's row count and an
md5 over the rows of each money table; and `anjia` run as a command."""
import os
import subprocess
import sys

import psycopg

from tests.conftest import ROOT

MONEY = ("payments", "refunds", "journal_entries", "postings", "ledger_accounts", "provider_notifications")


def tables(url: str) -> list[str]:
    with psycopg.connect(url) as c:
        return [r[0] for r in c.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as c:
        return {t: c.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables(url)}


def checksums(url: str) -> dict[str, str]:
    """md5 over every row of each money table, in primary-key order (the rows' text form)."""
    with psycopg.connect(url) as c:
        return {t: c.execute(f"SELECT md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x.id), '')) FROM {t} x")
                .fetchone()[0] for t in MONEY}


def anjia(*args: str, url: str, env: dict[str, str] | None = None, timeout: float = 300
          ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "anjia.cli", *args], cwd=ROOT,
                          env={**os.environ, "DATABASE_URL": url, **(env or {})}, capture_output=True, text=True,
                          timeout=timeout)
