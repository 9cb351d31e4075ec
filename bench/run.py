"""`make bench`: start a real server on its own database and measure scenarios side by side.

Each scenario is paired with its ceiling (the same server answering a bare `SELECT 1`),
run in alternating rounds so both see the same machine state; the table shows the ratio.
"""
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

warnings.filterwarnings("ignore", module="platformdirs")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
console = Console(width=150)
DURATION = float(os.environ.get("BENCH_SECONDS", "4"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


async def load(url: str, headers: dict, seconds: float) -> list[float]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        async def worker():
            while time.perf_counter() < deadline:
                t = time.perf_counter()
                r = await client.get(url, headers=headers)
                if r.status_code != 200:
                    raise RuntimeError(f"{url} answered {r.status_code}: {r.text[:200]}")
                latencies.append(time.perf_counter() - t)
        await asyncio.gather(*[worker() for _ in range(CONCURRENCY)])
    return latencies


def summarise(lat: list[float], seconds: float) -> dict:
    q = statistics.quantiles(lat, n=100)
    return {"requests": len(lat), "rps": len(lat) / seconds, "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000,
            "p99_ms": q[98] * 1000}


async def main() -> None:
    base = server.url
    async with httpx.AsyncClient(base_url=base) as c:
        r = await c.post("/api/v1/auth/login/password",
                         json={"account": "13800000001", "password": "demo1234", "app": "customer"})
        r.raise_for_status()
        token = r.json()["access_token"]
    pairs = [("GET /api/v1/me (authenticated)", f"{base}/api/v1/me", {"Authorization": f"Bearer {token}"},
              "GET /api/v1/health (bare SELECT 1)", f"{base}/api/v1/health", {})]
    results = []
    for name, url, headers, ceil_name, ceil_url, ceil_headers in pairs:
        await load(url, headers, 1)  # warm up both
        await load(ceil_url, ceil_headers, 1)
        a, b = [], []
        for i in range(ROUNDS):
            console.print(f"[dim]round {i + 1}/{ROUNDS}: {name} vs ceiling[/dim]")
            a += await load(url, headers, DURATION)
            b += await load(ceil_url, ceil_headers, DURATION)
        sa, sb = summarise(a, DURATION * ROUNDS), summarise(b, DURATION * ROUNDS)
        results.append({"scenario": name, **sa, "ceiling": ceil_name, "ceiling_rps": sb["rps"],
                        "ceiling_p95_ms": sb["p95_ms"], "ratio": sa["rps"] / sb["rps"]})
        results.append({"scenario": ceil_name, **sb, "ceiling": "", "ceiling_rps": sb["rps"],
                        "ceiling_p95_ms": sb["p95_ms"], "ratio": 1.0})
    table = Table(title=f"anjia bench — {CONCURRENCY} concurrent clients, {ROUNDS}×{DURATION:.0f}s alternating rounds")
    for col in ("scenario", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "ratio to ceiling"):
        table.add_column(col, justify="left" if col == "scenario" else "right")
    for r in results:
        table.add_row(r["scenario"], f"{r['requests']:,}", f"{r['rps']:.0f}", f"{r['p50_ms']:.1f}",
                      f"{r['p95_ms']:.1f}", f"{r['p99_ms']:.1f}", f"{r['ratio']:.2f}")
    console.print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "foundation.json").write_text(json.dumps(results, indent=2))
    console.print(f"written to {out / 'foundation.json'}")


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
    from tests.support import Server  # the same real-server harness the tests use

    server = Server()
    try:
        asyncio.run(main())
    finally:
        server.stop()
