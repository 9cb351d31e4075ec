"""`make bench`: start a real server on its own database and measure scenarios side by side.

Every scenario is paired with its ceiling and both run in alternating rounds in this one run,
so the ratio compares like with like on whatever machine runs it:
  1. wrk: GET /api/v1/me, /services, /health vs a bare ASGI app doing the same SQL (bench/ceilings.py)
  2. GET /api/v1/availability, 14 days    vs the same availability SQL sent straight to PostgreSQL
  3. POST /api/v1/orders (wrk)            vs a bare app sending the same statements (bench/bare.py)
with 10,000 workers in one city and 200,000 bookings (bench/world.py); then dispatch (bench/dispatch.py),
realtime (bench/realtime.py: 5,000 WebSockets held by a Node client, order events and broadcasts timed
from commit, on 1 and on BENCH_WORKERS API processes) and money (bench/money.py: WeChat Pay notifications
vs the same handler without signature checks, reconciliation of a 1,000,000-line bill).
BENCH_ONLY=money runs the money part alone (BENCH_ONLY=notify or recon: one of its two), BENCH_ONLY=http
the wrk rows alone, BENCH_ONLY=ws the realtime rows alone, BENCH_ONLY=orders availability and orders alone, BENCH_ONLY=stats the statistics at 10,000,000
orders (bench/stats.py) alone (comma-separated: several).
"""
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from rich.console import Console
from rich.table import Table

warnings.filterwarnings("ignore", module="platformdirs")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
console = Console(width=160)
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))  # API processes: one per core
SH = ZoneInfo("Asia/Shanghai")


def summarise(lat: list[float], seconds: float) -> dict:
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    return {"requests": len(lat), "rps": len(lat) / seconds, "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000,
            "p99_ms": q[98] * 1000}


async def drive(call, seconds: float, concurrency: int) -> list[float]:
    """Run `call()` from `concurrency` loops for `seconds`; return the latencies."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def loop():
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - t)

    await asyncio.gather(*[loop() for _ in range(concurrency)])
    return latencies


async def paired(name: str, call, ceiling_name: str, ceiling, concurrency: int) -> list[dict]:
    await drive(call, 1, concurrency)
    await drive(ceiling, 1, concurrency)
    a, b = [], []
    for i in range(ROUNDS):
        console.print(f"[dim]round {i + 1}/{ROUNDS}: {name} vs {ceiling_name}[/dim]")
        a += await drive(call, SECONDS, concurrency)
        b += await drive(ceiling, SECONDS, concurrency)
    sa, sb = summarise(a, SECONDS * ROUNDS), summarise(b, SECONDS * ROUNDS)
    return [{"scenario": name, "concurrency": concurrency, **sa, "vs": ceiling_name, "ratio_rps": sa["rps"] / sb["rps"],
             "ratio_p95": sa["p95_ms"] / sb["p95_ms"]},
            {"scenario": f"  ceiling: {ceiling_name}", "concurrency": concurrency, **sb, "vs": "", "ratio_rps": 1.0,
             "ratio_p95": 1.0}]


async def main(server_url: str, db_url: str, world: dict, http_rows: list[dict], dispatch: bool = True
               ) -> tuple[Table | None, list[dict]]:
    """The HTTP, availability, order and dispatch figures; the dispatch & realtime table is printed once the
    realtime rows (measured on servers of their own, after this one stopped) are in."""
    from anjia.scheduling import service as scheduling

    results = list(http_rows)
    async with httpx.AsyncClient(base_url=server_url, timeout=30,
                                 limits=httpx.Limits(max_connections=64, max_keepalive_connections=64)) as c:
        r = await c.post("/api/v1/auth/login/password",
                         json={"account": "13800000001", "password": "demo1234", "app": "customer"})
        r.raise_for_status()
        h = {"Authorization": f"Bearer {r.json()['access_token']}"}
        address = (await c.get("/api/v1/addresses", headers=h)).json()[0]
        services = {s["name"]: s["id"] for cat in (await c.get("/api/v1/services")).json() for s in cat["services"]}
        kitchen = services["厨房清洁"]

        # --- availability, 14 days
        today = datetime.now(SH).date()
        params = {"service_id": kitchen, "address_id": address["id"], "from": (today + timedelta(days=1)).isoformat(),
                  "to": (today + timedelta(days=14)).isoformat(), "items": "kitchen:1"}

        async def availability():
            (await c.get("/api/v1/availability", params=params, headers=h)).raise_for_status()

        pool = await Pool.open(db_url, CONCURRENCY)
        from types import SimpleNamespace
        region = SimpleNamespace(id=address["region_id"], timezone="Asia/Shanghai", opens=480, closes=1200)
        need = scheduling.Need(region=region, skill="cleaning", lat=address["lat"], lng=address["lng"], minutes=120)
        rules = SimpleNamespace(min_lead_minutes=120, max_horizon_days=28, slot_step_minutes=30)
        from anjia.core.db import Raw

        sql = Raw(scheduling.SLOTS_SQL).sql  # the statement as the API sends it, through psycopg
        args = scheduling.bookable(need, rules, today + timedelta(days=1), today + timedelta(days=14), datetime.now(SH))

        async def availability_sql():
            async with pool.connection() as conn:
                await (await conn.execute(sql, args)).fetchall()

        results += await paired("GET /api/v1/availability (14 days)", availability, "availability SQL alone",
                                availability_sql, 4)

        # --- orders
        slot_starts = [datetime(d.year, d.month, d.day, hh, mm, tzinfo=SH)
                       for d in (today + timedelta(days=k) for k in range(1, 27)) for hh in range(8, 18) for mm in (0, 30)]
        body = {"service_id": kitchen, "address_id": address["id"], "items": [{"code": "kitchen", "quantity": 1}],
                "options": {}}
        from bench import ceilings

        rows = ceilings.orders(server_url, db_url, console, ROUNDS, SECONDS, WORKERS, h["Authorization"][7:], body,
                               [s.isoformat() for s in slot_starts])
        outcomes = {"201": rows[0]["requests"], "409": rows[0]["refused"],
                    "other": rows[0]["non_2xx"] - rows[0]["refused"]}
        results += rows
        await pool.close()
    if not dispatch:  # BENCH_ONLY=orders
        console.print(rows_table(f"availability and orders — {world['workers']:,} workers, {world['bookings']:,} "
                                 f"bookings; {WORKERS} API processes; {ROUNDS}×{SECONDS:.0f}s alternating rounds; "
                                 f"load average {os.getloadavg()[0]:.1f}", results))
        console.print(f"orders: {outcomes['201']:,} created, {outcomes['409']:,} refused (slot taken), "
                      f"{outcomes['other']:,} failed; targets: "
                      "availability p95 < 50 ms, orders ≥ 300/s and ≥ 0.6 × their SQL alone")
        return None, results

    # --- dispatch and realtime (issue 5)
    from bench import dispatch as bench_dispatch

    with console.status("building the dispatch city (100,000 workers, 1,000 eligible near the address)…"):
        d_world = bench_dispatch.build(db_url)
    console.print("[dim]ranking candidates…[/dim]")
    rank_app, rank_sql, found = await bench_dispatch.ranking(db_url, d_world)
    console.print("[dim]1,000 concurrent accepts of one order…[/dim]")
    acc = await bench_dispatch.accepts(server_url, db_url, d_world)
    table = rows_table(f"anjia bench — {world['workers']:,} workers, {world['bookings']:,} bookings; "
                       f"{WORKERS} API processes; {ROUNDS}×{SECONDS:.0f}s alternating rounds; load average "
                       f"{os.getloadavg()[0]:.1f}", results)
    console.print(table)
    console.print(f"orders: {outcomes['201']:,} created, {outcomes['409']:,} refused (slot taken), "
                  f"{outcomes['other']:,} failed")
    t2 = Table(title=f"dispatch & realtime — {d_world['workers']:,} workers in the second city, 1,000 eligible")
    for col in ("scenario", "result", "ceiling / target", "ratio"):
        t2.add_column(col)
    t2.add_row("rank candidates (app: SQL + features + scoring)",
               f"p95 {rank_app['p95_ms']:.1f} ms (p50 {rank_app['p50_ms']:.1f}), {found} ranked",
               f"bare candidate SQL p95 {rank_sql['p95_ms']:.1f} ms; target < 20 ms",
               f"{rank_app['p95_ms'] / rank_sql['p95_ms']:.2f}")
    t2.add_row("1,000 concurrent accepts of one order", ", ".join(f"{k}: {v}" for k, v in sorted(acc["codes"].items())),
               "exactly one 200, the rest 409, no 5xx", f"{acc['seconds']:.1f} s")
    results.append({"scenario": "rank candidates", "app": rank_app, "sql": rank_sql})
    results.append({"scenario": "concurrent accepts", **acc})
    return t2, results


def rows_table(title: str, results: list[dict]) -> Table:
    table = Table(title=title)
    for col in ("scenario", "clients", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "req/s ratio", "p95 ratio"):
        table.add_column(col, justify="left" if col == "scenario" else "right")
    for r in results:
        table.add_row(r["scenario"], str(r["concurrency"]), f"{r['requests']:,}", f"{r['rps']:.0f}",
                      f"{r['p50_ms']:.1f}", f"{r['p95_ms']:.1f}", f"{r['p99_ms']:.1f}",
                      f"{r['ratio_rps']:.2f}", f"{r['ratio_p95']:.2f}")
    return table


def http_figures(url: str, api_url: str | None = None) -> list[dict]:
    """Issue 15's rows (wrk against the API and bench/bare.py); BENCH_ONLY=http runs them alone."""
    from bench import ceilings

    load = os.getloadavg()
    rows = ceilings.run(url, console, ROUNDS, SECONDS, WORKERS, api_url=api_url)
    if api_url is None:
        console.print(rows_table(f"HTTP rows — {WORKERS} API processes, wrk; {ROUNDS}×{SECONDS:.0f}s alternating "
                                 f"rounds; load average before {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}, after "
                                 f"{os.getloadavg()[0]:.1f}", rows))
        console.print("targets: /me ≥ 0.6 × its bare row; /services ≥ 1.0 × the bare one-row read")
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / "http.json").write_text(json.dumps({"load_before": load, "rows": rows}, indent=2))
    return rows


def ws_figures(url: str, table: Table | None = None) -> dict:
    """Issue 15's realtime rows (bench/realtime.py: a Node client's 5,000 sockets, on API servers of their own),
    added to `table` (the dispatch & realtime table) or printed in one of their own; BENCH_ONLY=ws runs them alone."""
    from bench import realtime

    figures = asyncio.run(realtime.measure(url, console, WORKERS))
    alone = table is None
    if alone:
        table = Table(title=f"realtime — {realtime.SOCKETS:,} sockets held by Node (ws); load average before "
                            f"{figures['load_before'][0]:.1f}, after {figures['load_after'][0]:.1f}")
        for col in ("scenario", "result", "ceiling / target", "ratio"):
            table.add_column(col)
    for row in realtime.rows(figures):
        table.add_row(*row)
    if alone:
        console.print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ws.json").write_text(json.dumps(figures, indent=2, default=str))
    console.print(f"written to {out / 'ws.json'}")
    return figures


def stats_figures(url: str) -> None:
    """Issue 12: rollups and dashboard queries over 10,000,000 generated orders (bench/stats.py)."""
    from bench import stats

    figures = asyncio.run(stats.run(url, console))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "stats.json").write_text(json.dumps(figures, indent=2, default=str))
    console.print(f"written to {out / 'stats.json'}")


def money_figures(url: str, only: set[str] | None = None) -> None:
    """Issue 10: notifications and reconciliation (their own servers; outside any event loop).
    `only`: {"notify"} or {"recon"} for one of the two ("money" or nothing: both)."""
    from bench import money

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    only = only or {"money"}
    figures = money.run(url, console, ROUNDS, SECONDS, WORKERS, notify="money" in only or "notify" in only,
                        recon="money" in only or "recon" in only)
    (out / "money.json").write_text(json.dumps(figures, indent=2, default=str))
    console.print(f"written to {out / 'money.json'}")


class Pool:
    """A fixed set of connections handed out in turn: the ceiling has no pool logic to pay for."""

    def __init__(self, conns):
        self.queue: asyncio.Queue = asyncio.Queue()
        for c in conns:
            self.queue.put_nowait(c)
        self.conns = conns

    @classmethod
    async def open(cls, url: str, size: int) -> "Pool":
        import psycopg

        return cls([await psycopg.AsyncConnection.connect(url, autocommit=True) for _ in range(size)])

    def connection(self):
        pool = self

        class _Lease:
            async def __aenter__(self):
                self.conn = await pool.queue.get()
                return self.conn

            async def __aexit__(self, *exc):
                pool.queue.put_nowait(self.conn)

        return _Lease()

    async def close(self) -> None:
        for c in self.conns:
            await c.close()


if __name__ == "__main__":
    os.environ.setdefault("DATA_DIR", str(ROOT / "var" / "bench"))
    os.environ["RUN_JOBS_IN_PROCESS"] = "false"
    from anjia.core import db, migrate

    _server, url = db.start_embedded(Path(os.environ["DATA_DIR"]) / "pg")
    os.environ["DATABASE_URL"] = url
    from anjia.config import get_settings

    get_settings.cache_clear()
    migrate.upgrade(url)
    subprocess.run([sys.executable, "-m", "anjia.cli", "seed", "demo"], check=True, cwd=ROOT)
    only = {part.strip() for part in os.environ.get("BENCH_ONLY", "").split(",") if part.strip()}
    if only & {"money", "notify", "recon"}:  # `make bench-money`: the money figures alone
        money_figures(url, only)
    if "http" in only:  # issue 15's wrk rows alone: BENCH_ONLY=http
        http_figures(url)
    if "stats" in only:  # issue 12's statistics at 10,000,000 orders alone: BENCH_ONLY=stats
        stats_figures(url)
    if "ws" in only:  # issue 15's realtime rows alone (Node client, 5,000 sockets): BENCH_ONLY=ws
        ws_figures(url)
    if only - {"orders"}:
        raise SystemExit(0)
    from bench import world as bench_world

    with console.status("building the bench city (10,000 workers, 200,000 bookings)…"):
        world = bench_world.build(url)
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:  # each run starts from the same bookings
        conn.execute("DELETE FROM worker_bookings WHERE order_id > 0")
        conn.execute("DELETE FROM order_events; DELETE FROM events; DELETE FROM idempotency_keys")
        # orders with money attached (the demo's paid orders: payments, earnings, append-only ledger) stay
        refs = conn.execute("""SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c
                               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
                               WHERE c.confrelid = 'orders'::regclass AND c.contype = 'f' AND c.confdeltype IN ('a', 'r')
                                 AND c.conrelid::regclass::text NOT IN ('order_events', 'worker_bookings')""").fetchall()
        conn.execute("DELETE FROM orders o" + "".join(f" {'WHERE' if i == 0 else 'AND'} NOT EXISTS "
                                                      f"(SELECT 1 FROM {t} x WHERE x.{col} = o.id)"
                                                      for i, (t, col) in enumerate(refs)))
    from tests.support import Server  # the same real-server harness the tests use

    server = Server(workers=WORKERS)
    try:
        if only:  # BENCH_ONLY=orders: availability and orders alone, in the bench city
            asyncio.run(main(server.url, url, world, [], dispatch=False))
            raise SystemExit(0)
        http_rows = http_figures(url, api_url=server.url)
        dispatch_table, results = asyncio.run(main(server.url, url, world, http_rows))
    finally:
        server.stop()
    results.append({"scenario": "realtime", **ws_figures(url, dispatch_table)})  # servers of its own
    console.print(dispatch_table)
    console.print("targets: availability p95 < 50 ms; orders ≥ 300/s (see docs/architecture.md § Performance)")
    out = ROOT / "bench" / "results"
    (out / "latest.json").write_text(json.dumps({"world": world, "results": results}, indent=2, default=str))
    console.print(f"written to {out / 'latest.json'}")
    money_figures(url)
    stats_figures(url)
