"""The point-in-time recovery drill (issue 14) on an embedded cluster of its own that archives its
WAL: a base backup (`anjia db basebackup`), then two batches of top-ups — payments with their
ledger entries, posted through the ledger — with the moment T between them recorded; `anjia db
recover --to T` makes a NEW cluster from the base backup and the archive, which must hold the first
batch and not the second: every table's row count and the money tables' checksums are the
primary's at T."""
import json
import time
from datetime import UTC, datetime, timedelta

import psycopg
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from anjia.accounts.models import User
from anjia.core import backup, db, migrate
from anjia.ledger import service as ledger
from anjia.payments.models import Payment
from tests.core.backups import anjia, checksums, counts
from tests.support import free_port


async def top_ups(url: str, customer_id: int, batch: str, amounts: list[int]) -> None:
    """Each top-up as the payments service records one: the payment succeeded and its entry (the
    provider's clearing account debited, the customer's balance credited), one transaction each."""
    engine = create_async_engine(db.sqlalchemy_url(url))
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            for i, amount in enumerate(amounts):
                now = datetime.now(UTC)
                payment = Payment(number=f"{batch}-{i:03d}", purpose="topup", customer_id=customer_id,
                                  provider="sandbox", amount=amount, status="succeeded", paid_at=now,
                                  expires_at=now + timedelta(minutes=15))
                session.add(payment)
                await session.flush()
                await ledger.post(session, "payment", [ledger.debit("clearing:sandbox", amount),
                                                       ledger.credit(f"customer_balance:{customer_id}", amount)],
                                  memo=f"sandbox {payment.number}", payment_id=payment.id)
                await session.commit()
    finally:
        await engine.dispose()


def numbers(url: str) -> list[str]:
    with psycopg.connect(url) as c:
        return [r[0] for r in c.execute("SELECT number FROM payments ORDER BY id")]


async def test_recovers_a_new_cluster_to_a_moment_between_two_batches(tmp_path):
    began = time.monotonic()
    archive = tmp_path / "wal-archive"
    server, url = db.start_embedded(tmp_path / "pg", database="anjia", wal_archive=archive)
    recovered = tmp_path / "recovered"
    env = {"DATA_DIR": str(tmp_path), "WAL_ARCHIVE_DIR": str(archive)}
    try:
        migrate.upgrade(url)
        engine = create_async_engine(db.sqlalchemy_url(url))
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            customer = User(kind="customer", phone="13800009999", nickname="顾客", roles=[])
            session.add(customer)
            await session.commit()
            customer_id = customer.id
        await engine.dispose()

        made = anjia("db", "basebackup", "--label", "drill", url=url, env=env)
        assert made.returncode == 0, made.stderr
        assert "does not archive" not in made.stderr and "verified" in made.stderr
        [base] = list((tmp_path / "basebackups").iterdir())
        manifest = json.loads((base / "backup.json").read_text())
        assert manifest["archive_dir"] == str(archive.resolve()) and manifest["database"] == "anjia"

        await top_ups(url, customer_id, "first", [100_00, 250_50, 3_99])
        with psycopg.connect(url) as c:
            t = c.execute("SELECT clock_timestamp()").fetchone()[0]
        at_t = counts(url), checksums(url)
        time.sleep(0.05)  # the second batch commits after T
        await top_ups(url, customer_id, "second", [500_00, 1_00])
        after = counts(url), checksums(url)
        assert after[0]["payments"] == at_t[0]["payments"] + 2 and after[1] != at_t[1]
        segment = backup.archive_now(url)  # pg_switch_wal: the second batch's segment goes to the archive
        assert (archive / segment).is_file()

        # a moment before the base backup was complete cannot be reached from it
        early = anjia("db", "recover", "--base", str(base), "--to", manifest["started_at"], "--data",
                      str(tmp_path / "too-early"), url=url, env=env)
        assert early.returncode == 1 and "before the base backup was complete" in " ".join(early.stderr.split())
        assert not (tmp_path / "too-early").exists()

        port = free_port()
        drill = time.monotonic()
        done = anjia("db", "recover", "--base", str(base), "--to", t.isoformat(), "--data", str(recovered),
                     "--port", str(port), url=url, env=env)
        restore_seconds = time.monotonic() - drill
        assert done.returncode == 0, done.stderr
        said = " ".join(done.stderr.split())
        assert "recovery stopping before commit" in said  # the second batch's first top-up
        copy = recovered / "postgresql.auto.conf"
        assert "archive_mode = off" in copy.read_text()  # its new timeline stays out of the archive

        new = f"postgresql://postgres@127.0.0.1:{port}/anjia"
        assert numbers(new) == ["first-000", "first-001", "first-002"]
        assert (counts(new), checksums(new)) == at_t
        with psycopg.connect(new) as c:
            assert c.execute("SELECT pg_is_in_recovery()").fetchone() == (False,)  # promoted: writable
            reached = c.execute("SELECT pg_last_xact_replay_timestamp()").fetchone()[0]
            assert reached <= t
            assert c.execute("SELECT count(*) FROM (SELECT entry_id FROM postings GROUP BY entry_id "
                             "HAVING sum(amount) <> 0) x").fetchone() == (0,)  # every entry still balances
            c.execute("INSERT INTO users (kind, nickname, roles) VALUES ('customer', '恢复后', '{}')")
        assert f"recovered to {reached.astimezone(UTC).isoformat()}" in said
        # the cluster recovered from was not touched
        assert (counts(url), checksums(url)) == after
        # a moment past the end of the archive is not reached: PostgreSQL says so and stops
        late = anjia("db", "recover", "--base", str(base), "--to", (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
                     "--data", str(tmp_path / "too-late"), url=url, env=env)
        assert late.returncode == 1
        assert "recovery failed: recovery ended before configured recovery target was reached" in " ".join(
            late.stderr.split())
        # the recovered directory can become the embedded server's (DATA_DIR/pg) once checked
        backup.stop(recovered)
        again, again_url = db.start_embedded(recovered, database="anjia")
        try:
            assert numbers(again_url) == ["first-000", "first-001", "first-002"]
        finally:
            again.cleanup()
        print(f"\nPITR drill: recover {restore_seconds:.1f} s (the command, copy + replay); "
              f"whole test {time.monotonic() - began:.1f} s")
    finally:
        backup.stop(recovered)
        server.cleanup()


def test_the_local_clusters_primary_archives_its_wal(tmp_path):
    from anjia.system.cluster import Cluster, Ports

    cluster = Cluster(tmp_path / "cluster", Ports(nginx=free_port(), api=(free_port(),), primary=free_port(),
                                                  replica=free_port()), demo=False)
    try:
        cluster.start_primary()
        url = cluster.database_url.rsplit("/", 1)[0] + "/postgres"
        assert backup.archived_into(url, cluster.wal_archive_dir)
        assert cluster.env()["WAL_ARCHIVE_DIR"] == str(cluster.wal_archive_dir)  # what `anjia db basebackup` reads
        segment = backup.archive_now(url)
        assert (cluster.wal_archive_dir / segment).is_file()
        assert not list(cluster.wal_archive_dir.glob("*.tmp"))
    finally:
        cluster.stop_primary()
