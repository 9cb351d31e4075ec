"""`anjia db backup` / `restore` (issue 14): a backup of a database with money in it restores into a
new PostgreSQL cluster with every table's row count and the money tables' contents unchanged."""
import os
import subprocess
import sys

import psycopg

from anjia.core import db
from tests.conftest import ROOT
from tests.core.backups import anjia, checksums, counts, tables
from tests.dispatch.helpers import paid_order, worker_auth
from tests.support import next_weekday


async def test_backup_restores_into_a_new_cluster(client, session, world, database_url, tmp_path):
    # money in the database: two paid orders (ledger entries), one cancelled with its refund
    first, staff = await paid_order(client, session, world)
    second, _ = await paid_order(client, session, world, start=next_weekday(3, 10))
    await client.post(f"/api/v1/worker/orders/{first['id']}/accept", headers=worker_auth(world["workers"][0]))
    r = await client.post(f"/api/v1/admin/orders/{second['id']}/cancel", headers=staff, json={"reason_code": "other", "reason": "客户改期"})
    assert r.status_code in (200, 204), r.text
    before_counts, before_sums = counts(database_url), checksums(database_url)
    assert before_counts["payments"] == 2 and before_counts["postings"] >= 4 and before_counts["refunds"] >= 1

    dump = tmp_path / "anjia.dump"
    made = anjia("db", "backup", str(dump), url=database_url)
    assert made.returncode == 0, made.stderr
    assert dump.stat().st_size > 10_000

    server, url = db.start_embedded(tmp_path / "pg-restore", database="anjia_restored")  # a new cluster
    try:
        assert tables(url) == []
        refused = subprocess.run([sys.executable, "-m", "anjia.cli", "db", "restore", str(dump)], cwd=ROOT,
                                 env={**os.environ, "DATABASE_URL": url}, input="n\n", capture_output=True,
                                 text=True, timeout=120)
        assert refused.returncode != 0 and tables(url) == []  # it asks first; "n" restores nothing
        restored = anjia("db", "restore", "--yes", str(dump), url=url)
        assert restored.returncode == 0, restored.stderr
        assert counts(url) == before_counts
        assert checksums(url) == before_sums
        with psycopg.connect(url) as c, psycopg.connect(database_url) as o:
            version = "SELECT version_num FROM alembic_version"
            assert c.execute(version).fetchone() == o.execute(version).fetchone()
            # the ledger's invariants came along: every entry still balances
            assert c.execute("SELECT count(*) FROM (SELECT entry_id FROM postings GROUP BY entry_id "
                             "HAVING sum(amount) <> 0) x").fetchone()[0] == 0
    finally:
        server.cleanup()
