"""Issue 15's HTTP rows, driven by `wrk` (compiled; on the same two cores), each beside its
ceiling in the same run — bench/bare.py: the same server and framework (uvicorn, FastAPI), same
process count, the same SQL through a plain psycopg pool:

  GET /api/v1/me (authenticated)   vs  bare: the same user row through a psycopg pool
  GET /api/v1/services (catalogue) vs  bare: the same one-row read (the target: ≥ 1.0 ×)
  GET /api/v1/health (SELECT 1)    vs  bare: SELECT 1
  bare /hello (no SQL)              —  the framework's own ceiling (and a raw ASGI hello for scale)
Rounds alternate app and ceiling; requests/s, p50/p95/p99 (wrk's own histogram) and the ratio."""
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from tests.support import Server

ROOT = Path(__file__).resolve().parent.parent
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("PCTL %d %d %d\\n", latency:percentile(50), latency:percentile(95), latency:percentile(99)))
  if report then report() end
end
"""
# POST /api/v1/orders (and the bare app's POST /order): a start drawn at random from `starts` per
# request; each thread counts its 201s and 409s (slot taken), summed at the end
ORDER_LUA = """
local starts = {%(starts)s}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(os.time() * 100 + id)
  created, taken = 0, 0
end
function request()
  return wrk.format(nil, nil, nil, '%(body)s'  .. starts[math.random(#starts)] .. '"}')
end
function response(status, headers, body)
  if status == 201 then created = created + 1 elseif status == 409 then taken = taken + 1 end
end
function report()
  local c, t = 0, 0
  for _, thread in ipairs(threads) do c = c + thread:get("created"); t = t + thread:get("taken") end
  io.write(string.format("CODES %%d %%d\\n", c, t))
end
"""


class BareServer(Server):
    def __init__(self, env: dict[str, str], workers: int, app: str = "bench.bare:app"):
        self._start(lambda port: [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1",
                                  "--port", str(port), "--log-level", "warning", "--workers", str(workers),
                                  "--no-proxy-headers", "--no-access-log"], {**os.environ, **env})


def wrk(url: str, seconds: float, connections: int, headers: dict[str, str] | None = None, threads: int = 2,
        lua: str = "") -> dict:
    """`lua`: a script of requests (ORDER_LUA); its 201s and 409s are counted."""
    from bench.money import wrk_path

    script = Path(tempfile.gettempdir()) / f"anjia-bench-{os.getpid()}.lua"
    script.write_text(lua + LUA)
    args = [wrk_path(), "-t", str(threads), "-c", str(connections), "-d", f"{seconds:.0f}s", "-s", str(script)]
    for k, v in (headers or {}).items():
        args += ["-H", f"{k}: {v}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    p50, p95, p99 = (int(x) / 1000 for x in re.search(r"PCTL (\d+) (\d+) (\d+)", out).groups())
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if codes := re.search(r"CODES (\d+) (\d+)", out):
        seconds = int(re.search(r"(\d+) requests in", out).group(1)) / float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        return {"requests": int(codes.group(1)), "rps": int(codes.group(1)) / seconds, "p50_ms": p50, "p95_ms": p95,
                "p99_ms": p99, "non_2xx": int(bad.group(1)) if bad else 0, "refused": int(codes.group(2))}
    return {"requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50_ms": p50, "p95_ms": p95,
            "p99_ms": p99, "non_2xx": int(bad.group(1)) if bad else 0}


def _merge(runs: list[dict]) -> dict:
    n = len(runs)
    return {"requests": sum(r["requests"] for r in runs), "rps": sum(r["rps"] for r in runs) / n,
            "p50_ms": max(r["p50_ms"] for r in runs), "p95_ms": max(r["p95_ms"] for r in runs),
            "p99_ms": max(r["p99_ms"] for r in runs), "non_2xx": sum(r["non_2xx"] for r in runs),
            "refused": sum(r.get("refused", 0) for r in runs)}


def orders(api_url: str, db_url: str, console, rounds: int, seconds: float, workers: int, token: str, body: dict,
           starts: list[str], connections: int = 16) -> list[dict]:
    """POST /api/v1/orders against the bare app's POST /order (the same statements, bench/bare.py), wrk driving
    both with ORDER_LUA: created orders a second (201s; a 409 — every worker near taken — is not counted)."""
    import psycopg

    with psycopg.connect(db_url) as conn:
        buffer = conn.execute("SELECT travel_buffer_minutes FROM booking_rules").fetchone()[0]
        customer, = conn.execute("SELECT user_id FROM addresses WHERE id = %s", (body["address_id"],)).fetchone()
        skill, = conn.execute("SELECT skill FROM services WHERE id = %s", (body["service_id"],)).fetchone()
    first = httpx.post(api_url + "/api/v1/orders", json={**body, "start": starts[0]},
                       headers={"Authorization": f"Bearer {token}"}, timeout=30)
    if first.status_code != 201:
        raise RuntimeError(first.text[:300])
    minutes = first.json()["duration_minutes"]
    prefix = json.dumps(body, separators=(",", ":"))[:-1] + ',"start":"'
    lua = ORDER_LUA % {"starts": ", ".join(f'"{s}"' for s in starts), "body": prefix}
    bare_lua = ORDER_LUA % {"starts": ", ".join(f'"{s}"' for s in starts), "body": '{"start":"'}
    env = {"DATABASE_URL": db_url, "BARE_POOL": str(max(4, min(20, 60 // workers)))}
    bare = BareServer(env, workers)
    ceiling = (f"{bare.url}/order?customer={customer}&address={body['address_id']}&service={body['service_id']}"
               f"&skill={skill}&minutes={minutes}&buffer={buffer}")
    auth = {"Authorization": f"Bearer {token}"}
    try:
        wrk(api_url + "/api/v1/orders", 1, connections, auth, lua=lua)
        wrk(ceiling, 1, connections, lua=bare_lua)
        a, b = [], []
        for i in range(rounds):
            console.print(f"[dim]round {i + 1}/{rounds}: POST /api/v1/orders vs the bare app's same statements "
                          f"(wrk, {connections} connections)[/dim]")
            a.append(wrk(api_url + "/api/v1/orders", seconds, connections, auth, lua=lua))
            b.append(wrk(ceiling, seconds, connections, lua=bare_lua))
    finally:
        bare.stop()
    sa, sb = _merge(a), _merge(b)
    return [{"scenario": "POST /api/v1/orders (created/s; wrk)", "concurrency": connections, **sa,
             "vs": "bare: its statements", "ratio_rps": sa["rps"] / sb["rps"], "ratio_p95": sa["p95_ms"] / sb["p95_ms"]},
            {"scenario": "  ceiling: bare app, the same statements", "concurrency": connections, **sb, "vs": "",
             "ratio_rps": 1.0, "ratio_p95": 1.0}]


def run(db_url: str, console, rounds: int, seconds: float, workers: int, connections: int | None = None,
        api_url: str | None = None) -> list[dict]:
    """The rows; starts its own API (unless `api_url`) and bare servers with `workers` processes each."""
    connections = connections or int(os.environ.get("BENCH_HTTP_CONNECTIONS", "32"))
    env = {"DATABASE_URL": db_url, "RUN_JOBS_IN_PROCESS": "false", "WEB_CONCURRENCY": str(workers),
           "BARE_POOL": str(max(4, min(20, 60 // workers)))}
    api = None if api_url else Server(env=env, workers=workers)
    bare = BareServer(env, workers)
    base = api_url or api.url
    try:
        r = httpx.post(base + "/api/v1/auth/login/password", json={"account": "13800000001", "password": "demo1234",
                                                                   "app": "customer"})
        r.raise_for_status()
        token = r.json()["access_token"]
        me = httpx.get(base + "/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
        auth = {"Authorization": f"Bearer {token}"}
        pairs = [
            ("GET /api/v1/me (authenticated)", base + "/api/v1/me", auth, "bare: the same user row", f"/user?id={me['id']}"),
            ("GET /api/v1/services (catalogue)", base + "/api/v1/services", None, "bare: one-row read",
             f"/user?id={me['id']}"),
            ("GET /api/v1/health (SELECT 1)", base + "/api/v1/health", None, "bare: SELECT 1", "/select1"),
        ]
        for _, url, headers, _, ceiling in pairs:  # warm both
            wrk(url, 1, connections, headers)
            wrk(bare.url + ceiling, 1, connections)
        rows = []
        load = os.getloadavg()[0]
        for name, url, headers, ceiling_name, ceiling in pairs:
            a, b = [], []
            for i in range(rounds):
                console.print(f"[dim]round {i + 1}/{rounds}: {name} vs {ceiling_name} (wrk, {connections} "
                              f"connections)[/dim]")
                a.append(wrk(url, seconds, connections, headers))
                b.append(wrk(bare.url + ceiling, seconds, connections))
            sa, sb = _merge(a), _merge(b)
            rows.append({"scenario": name, "concurrency": connections, **sa, "vs": ceiling_name,
                         "ratio_rps": sa["rps"] / sb["rps"], "ratio_p95": sa["p95_ms"] / sb["p95_ms"]})
            rows.append({"scenario": f"  ceiling: {ceiling_name}", "concurrency": connections, **sb, "vs": "",
                         "ratio_rps": 1.0, "ratio_p95": 1.0})
        hello = _merge([wrk(bare.url + "/hello", seconds, connections) for _ in range(rounds)])
        rows.append({"scenario": "  bare FastAPI /hello (no SQL: the framework's ceiling)", "concurrency": connections,
                     **hello, "vs": "", "ratio_rps": 1.0, "ratio_p95": 1.0})
        raw = BareServer(env, workers, "bench.bare:raw")
        try:
            wrk(raw.url + "/hello", 1, connections)
            hello = _merge([wrk(raw.url + "/hello", seconds, connections) for _ in range(rounds)])
        finally:
            raw.stop()
        rows.append({"scenario": "  raw ASGI /hello (uvicorn alone, for scale)", "concurrency": connections, **hello,
                     "vs": "", "ratio_rps": 1.0, "ratio_p95": 1.0})
        for r in rows:
            r["load_before"] = load
        return rows
    finally:
        bare.stop()
        if api is not None:
            api.stop()
