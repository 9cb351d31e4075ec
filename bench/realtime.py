"""Realtime as users meet it (issue 15): thousands of WebSockets held by a client that is not Python
(bench/ws_load.mjs, Node with `ws`), order events committed by the app's own code, delivery timed
from each commit to each socket's receipt.

  1. addressed: 5,000 sockets (customers, workers, 10 staff dispatchers), 200 order events a second
     for 10 s; each event is what the app writes when a worker adds a service record
     (orders.service.record: a timeline row and the outbox rows for the order's customer, its worker,
     role:dispatcher and role:admin) in one transaction, published through the realtime relay as an
     API process does. Every event must reach its customer's and worker's sockets and every
     dispatcher's socket: delivered vs expected, p50/p95/p99 from commit.
  2. broadcast: 5,000 dispatcher sockets, 20 events on role:dispatcher (the one topic the hub gives
     them all) half a second apart: the time until the last socket had each one, and p50/p99 over
     all deliveries.
Both against one API process and against one per core (BENCH_WORKERS). The bench process commits
the events (SQLAlchemy, as an API process would), the Node client records arrival times on the same
wall clock (performance.timeOrigin + performance.now() ≈ time.time() * 1000).
"""
import asyncio
import json
import os
import resource
import shutil
import statistics
import tempfile
import threading
import time
from collections import deque
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import psycopg

from bench.people import address as add_address
from bench.people import insert_users

ROOT = Path(__file__).resolve().parent.parent
SH = ZoneInfo("Asia/Shanghai")
SOCKETS = int(os.environ.get("BENCH_SOCKETS", "5000"))
DISPATCHERS = 10
RATE = float(os.environ.get("BENCH_WS_RATE", "200"))  # order events a second
SECONDS = float(os.environ.get("BENCH_WS_SECONDS", "10"))
BROADCASTS = 20
TARGET_MS = 100.0
# bench users, told apart by their nicknames; phones sealed (bench.people): 172… customers,
# 173… workers, 174… staff (170, 171, 179 and 19… are the other bench modules')
KINDS = {"customer": ("172", "实时顾客"), "worker": ("173", "实时师傅"), "staff": ("174", "实时调度")}
ORDER_PREFIX = "RT"  # the bench's orders (numbers RT…), made afresh each run
STAMP = "bench.realtime.order"  # Session.info key: the order whose event this transaction commits


def raise_nofile(need: int) -> tuple[int, int]:
    """Sockets are files: lift this process's soft limit (inherited by the servers and the Node client)
    to `need`, and the hard limit too when it is lower and we may (root, e.g. a fresh CI machine)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < need:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (need, need))
            return need, need
        except (ValueError, OSError):
            need = hard
    if soft != resource.RLIM_INFINITY and soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
        soft = need
    return soft, hard


def users(c, kind: str, n: int) -> list[int]:
    """The first `n` bench users of a kind (created when missing), in a stable order."""
    prefix, name = KINDS[kind]
    mine = f"nickname LIKE '{name}%%'"
    have = c.execute(f"SELECT count(*) FROM users WHERE kind = %s AND {mine}", (kind,)).fetchone()[0]
    if have < n:
        numbers = range(have + 1, n + 1)
        insert_users(c, kind, [f"{prefix}{g:08d}" for g in numbers], [f"{name}{g}" for g in numbers])
    if kind == "staff":
        c.execute(f"UPDATE users SET roles = '{{dispatcher}}' WHERE kind = 'staff' AND {mine} "
                  "AND roles <> '{dispatcher}'")
    return [r[0] for r in c.execute(f"SELECT id FROM users WHERE kind = %s AND {mine} ORDER BY id LIMIT %s",
                                    (kind, n))]


def build(url: str, sockets: int, orders: int) -> dict:
    """Users for `sockets` sockets (half customers, half workers, DISPATCHERS staff dispatchers), staff
    dispatchers for the broadcast, and `orders` orders in service (order k: customer k, worker k, both
    modulo their numbers), those of an earlier run removed first."""
    from bench.dispatch import SNAPSHOT

    n_customers = (sockets - DISPATCHERS + 1) // 2
    n_workers = sockets - DISPATCHERS - n_customers
    with psycopg.connect(url, autocommit=True) as c:
        customers = users(c, "customer", n_customers)
        workers = users(c, "worker", n_workers)
        staff = users(c, "staff", sockets)
        region = c.execute("SELECT id FROM regions ORDER BY id LIMIT 1").fetchone()[0]
        service = c.execute("SELECT id FROM services ORDER BY id LIMIT 1").fetchone()[0]
        # one address for all (the realtime path never reads it), its contact and street sealed
        address = c.execute("SELECT id FROM addresses WHERE user_id = %s", (customers[0],)).fetchone()
        point = (31.2304, 121.4737)
        address = address[0] if address else add_address(c, customers[0], region, ("实时", "17200000001"),
                                                         ("上海市", "上海市", "黄浦区"), "实时压测地址", point)
        snapshot = json.dumps(SNAPSHOT.process_bind_param(
            {"lat": point[0], "lng": point[1], "district": "黄浦区", "city": "上海市", "detail": "实时压测地址",
             "contact_phone": "17200000001"}, None), ensure_ascii=False)
        with c.transaction():
            c.execute("DELETE FROM order_events WHERE order_id IN (SELECT id FROM orders WHERE number LIKE %s)",
                      (ORDER_PREFIX + "%",))
            c.execute("DELETE FROM orders WHERE number LIKE %s", (ORDER_PREFIX + "%",))
            d = datetime.now(SH).date()
            start = datetime(d.year, d.month, d.day, 10, tzinfo=SH)
            rows = c.execute(
                """INSERT INTO orders (number, customer_id, worker_id, service_id, region_id, address_id, address,
                       status, scheduled_start, scheduled_end, timezone, request, quote, total, deposit, paid_amount,
                       price_difference, notes, cancel_fee, accepted_at)
                   SELECT %(p)s || lpad(k::text, 10, '0'), cu, wo, %(s)s, %(r)s, %(a)s, %(snap)s, 'in_service',
                          %(start)s, %(end)s, 'Asia/Shanghai', '{"items": [{"code": "kitchen", "quantity": 1}]}',
                          '{"duration_minutes": 120, "lines": [], "total": 12000}', 12000, 0, 12000, 0, '', 0, now()
                   FROM unnest(%(cu)s::bigint[], %(wo)s::bigint[]) WITH ORDINALITY AS v(cu, wo, k)
                   ORDER BY k
                   RETURNING id, number, customer_id, worker_id, region_id""",
                {"p": ORDER_PREFIX, "s": service, "r": region, "a": address, "snap": snapshot, "start": start,
                 "end": start + timedelta(hours=2),
                 "cu": [customers[k % len(customers)] for k in range(orders)],
                 "wo": [workers[k % len(workers)] for k in range(orders)]}).fetchall()
    return {"customers": customers, "workers": workers, "staff": staff,
            "orders": [SimpleNamespace(id=i, number=num, customer_id=cu, worker_id=wo, region_id=r, status="in_service", written=())
                       for i, num, cu, wo, r in rows]}


class Load:
    """The Node client (bench/ws_load.mjs) holding `tokens`' sockets."""

    def __init__(self, ws_url: str, tokens: list[str]):
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("the realtime bench needs Node (with web/node_modules installed: make deps)")
        self.dir = tempfile.TemporaryDirectory(prefix="anjia-ws-")
        self.out = Path(self.dir.name) / "result.json"
        plan = Path(self.dir.name) / "plan.json"
        plan.write_text(json.dumps({"urls": [ws_url], "tokens": tokens, "in_flight": 100, "out": str(self.out)}))
        self.node, self.plan = node, plan

    async def __aenter__(self) -> dict:
        self.proc = await asyncio.create_subprocess_exec(self.node, str(ROOT / "bench" / "ws_load.mjs"),
                                                         str(self.plan), stdin=asyncio.subprocess.PIPE,
                                                         stdout=asyncio.subprocess.PIPE, cwd=ROOT, limit=1 << 20)
        line = await asyncio.wait_for(self.proc.stdout.readline(), 900)
        if not line:
            raise RuntimeError(f"the Node client exited ({await self.proc.wait()}) before connecting")
        return json.loads(line)

    async def received(self) -> int:
        self.proc.stdin.write(b"count\n")
        await self.proc.stdin.drain()
        return json.loads(await asyncio.wait_for(self.proc.stdout.readline(), 30))["received"]

    async def settle(self, expected: int, quiet: float = 3.0, limit: float = 60.0) -> None:
        """Until every expected message arrived, or none came for `quiet` seconds."""
        last, since, deadline = -1, time.monotonic(), time.monotonic() + limit
        while time.monotonic() < deadline:
            n = await self.received()
            if n >= expected:
                return
            if n != last:
                last, since = n, time.monotonic()
            elif time.monotonic() - since > quiet:
                return
            await asyncio.sleep(0.25)

    async def stop(self) -> dict:
        self.proc.stdin.write(b"stop\n")
        await self.proc.stdin.drain()
        code = await asyncio.wait_for(self.proc.wait(), 60)
        if code != 0 or not self.out.exists():
            raise RuntimeError(f"the Node client failed (exit {code})")
        return json.loads(self.out.read_text())

    async def __aexit__(self, *exc) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        self.dir.cleanup()


async def produce(orders: list, rate: float, gap: float | None = None) -> tuple[dict[int, float], float]:
    """Commit one order event for each of `orders`, `rate` a second (or one every `gap` seconds, each
    after the previous committed): orders.service.record in its own transaction, published by this
    process's relay after the commit as an API process does. Returns {order id: commit time, ms} and
    the seconds it took. The commit time is taken when PostgreSQL has answered the COMMIT (the session's
    after_commit, before the relay hears of it), not when session.commit() returns: handing the
    connection back to the pool comes after, and by then the relay may have sent the NOTIFY."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from anjia.core import db
    from anjia.orders import service as order_service

    sm = db.sessionmaker()
    committed: dict[int, float] = {}

    def stamp(session: Session) -> None:
        order_id = session.info.pop(STAMP, None)
        if order_id is not None:
            committed[order_id] = time.time() * 1000

    async def one(order):
        actor = SimpleNamespace(id=order.worker_id, kind="worker")
        async with sm() as session:
            await order_service.record(session, order, "record_added", actor, data={"stage": "during"})
            session.info[STAMP] = order.id
            await session.commit()

    event.listen(Session, "after_commit", stamp, insert=True)  # before the relay's own listener
    try:
        t0 = time.perf_counter()
        if gap is not None:
            for order in orders:
                await one(order)
                await asyncio.sleep(gap)
            return committed, time.perf_counter() - t0
        tasks = []
        for k, order in enumerate(orders):
            delay = t0 + k / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(order)))
        await asyncio.gather(*tasks)
        return committed, time.perf_counter() - t0
    finally:
        event.remove(Session, "after_commit", stamp)


def q(values: list[float]) -> dict:
    if not values:
        return {"p50_ms": float("nan"), "p95_ms": float("nan"), "p99_ms": float("nan"), "max_ms": float("nan")}
    qs = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else [values[0]] * 99
    return {"p50_ms": qs[49], "p95_ms": qs[94], "p99_ms": qs[98], "max_ms": max(values)}


def latencies(url: str, since: int, committed: dict[int, float], result: dict, owner: list[int],
              dispatcher: list[bool]) -> dict:
    """Match each received message to its outbox row and its commit: (socket, event) pairs that belong
    (the socket's user's topic, or role:dispatcher on a dispatcher's socket), counted once each."""
    with psycopg.connect(url) as c:
        rows = c.execute("SELECT id, topic, (payload->>'order_id')::bigint FROM events WHERE id > %s "
                         "AND type = 'order.record_added'", (since,)).fetchall()
    event = {i: (topic, order) for i, topic, order in rows}
    seen: set[tuple[int, int]] = set()
    lat: list[float] = []
    per_event: dict[int, list[float]] = {}
    stray = duplicate = 0
    for sock, eid, at in zip(result["socket"], result["event"], result["at"], strict=True):
        topic, order = event.get(eid, (None, None))
        if order not in committed or not (topic == f"user:{owner[sock]}" or
                                          (topic == "role:dispatcher" and dispatcher[sock])):
            stray += 1
            continue
        if (sock, eid) in seen:
            duplicate += 1
            continue
        seen.add((sock, eid))
        ms = at - committed[order]
        lat.append(ms)
        per_event.setdefault(eid, []).append(ms)
    return {"lat": lat, "per_event": per_event, "stray": stray, "duplicate": duplicate}


async def addressed(url: str, ws_url: str, world: dict, sockets: int, rate: float, seconds: float) -> dict:
    from anjia.core.security import create_access_token

    customers = world["customers"][:(sockets - DISPATCHERS + 1) // 2]
    workers = world["workers"][:sockets - DISPATCHERS - len(customers)]
    staff = world["staff"][:DISPATCHERS]
    owner = customers + workers + staff
    dispatcher = [False] * (len(customers) + len(workers)) + [True] * len(staff)
    tokens = ([create_access_token(u, "customer", []) for u in customers]
              + [create_access_token(u, "worker", []) for u in workers]
              + [create_access_token(u, "staff", ["dispatcher"]) for u in staff])
    orders = world["orders"][:int(rate * seconds)]
    held = set(owner)
    with psycopg.connect(url) as c:
        since = c.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
    load = Load(ws_url, tokens)
    async with load as opened:
        committed, took = await produce(orders, rate)
        expected = sum((o.customer_id in held) + (o.worker_id in held) + len(staff) for o in orders
                       if o.id in committed)
        await load.settle(expected)
        result = await load.stop()
    m = latencies(url, since, committed, result, owner, dispatcher)
    return {"sockets": sockets, "connected": opened["connected"], "failed": opened["failed"],
            "connect_s": opened["seconds"], "errors": result["errors"], "closed_early": result["closed_early"],
            "events": len(committed), "events_per_s": len(committed) / took, "expected": expected,
            "delivered": len(m["lat"]), "stray": m["stray"], "duplicate": m["duplicate"], **q(m["lat"])}


async def broadcast(url: str, ws_url: str, world: dict, sockets: int, n: int = BROADCASTS) -> dict:
    from anjia.core.security import create_access_token

    staff = world["staff"][:sockets]
    tokens = [create_access_token(u, "staff", ["dispatcher"]) for u in staff]
    with psycopg.connect(url) as c:
        since = c.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
    load = Load(ws_url, tokens)
    async with load as opened:
        committed, _ = await produce(world["orders"][:n], 0, gap=0.5)  # each on its own
        expected = len(committed) * len(staff)
        await load.settle(expected)
        result = await load.stop()
    m = latencies(url, since, committed, result, staff, [True] * len(staff))
    # the last socket's time for each event; an event some socket never got has no last time: it counts as missed
    last = [max(v) for v in m["per_event"].values() if len(v) == len(staff)]
    lq = q(last)
    return {"sockets": sockets, "connected": opened["connected"], "failed": opened["failed"],
            "connect_s": opened["seconds"], "errors": result["errors"], "closed_early": result["closed_early"],
            "events": len(committed), "expected": expected, "delivered": len(m["lat"]), "stray": m["stray"],
            "duplicate": m["duplicate"], "complete_events": len(last), "last_p50_ms": lq["p50_ms"],
            "last_p99_ms": lq["p99_ms"], "last_max_ms": lq["max_ms"], **q(m["lat"])}


def _drain(proc, tail: deque) -> None:
    """Read a server's stderr (a full pipe would stop it), keeping the last lines."""
    for line in proc.stderr:
        tail.append(line.decode(errors="replace").rstrip())


async def measure(url: str, console, workers: int) -> dict:
    """The figures against one API process and against `workers` (one per core)."""
    from tests.support import Server

    from anjia.core import db
    from anjia.realtime.relay import relay

    soft, hard = raise_nofile(2 * SOCKETS + 4096)
    events = int(RATE * SECONDS)
    console.print(f"[dim]realtime: {SOCKETS:,} sockets, {RATE:.0f} order events/s for {SECONDS:.0f} s, then "
                  f"{BROADCASTS} broadcasts; open files {soft} (hard {hard})[/dim]")
    world = build(url, SOCKETS, max(events, BROADCASTS))
    env = {"DATABASE_URL": url, "RUN_JOBS_IN_PROCESS": "false"}
    db.configure(url)
    relay.start()  # this process publishes as an API process does: relayed after the commit
    figures: dict = {"load_before": os.getloadavg(), "sockets": SOCKETS, "rate": RATE, "seconds": SECONDS}
    try:
        for processes in sorted({1, workers}):
            server = await asyncio.to_thread(Server, env={**env, "WEB_CONCURRENCY": str(processes)},
                                             workers=processes)
            tail: deque = deque(maxlen=20)
            threading.Thread(target=_drain, args=(server.proc, tail), daemon=True).start()
            ws_url = server.url.replace("http", "ws") + "/api/v1/ws"
            try:
                console.print(f"[dim]  {processes} API process(es): {SOCKETS:,} sockets, addressed events…[/dim]")
                a = await addressed(url, ws_url, world, SOCKETS, RATE, SECONDS)
                figures[f"addressed_{processes}"] = a
                console.print(f"[dim]  {processes} API process(es): {SOCKETS:,} dispatcher sockets, "
                              f"broadcasts…[/dim]")
                figures[f"broadcast_{processes}"] = await broadcast(url, ws_url, world, SOCKETS)
            finally:
                await asyncio.to_thread(server.stop)
                if tail:
                    figures[f"server_stderr_{processes}"] = list(tail)
                    console.print(f"[yellow]server stderr ({processes} processes), last lines:[/yellow]\n"
                                  + "\n".join(tail))
    finally:
        await relay.stop()
        await db.dispose()
    figures["load_after"] = os.getloadavg()
    return figures


def rows(figures: dict) -> list[tuple[str, str, str, str]]:
    """Rows for the "dispatch & realtime" table: (scenario, result, target, verdict)."""
    out = []
    for key in sorted(k for k in figures if k.startswith("addressed_")):
        p, a = key.split("_")[1], figures[key]
        out.append((f"order events to customer, worker and {DISPATCHERS} dispatchers: {a['connected']:,}/"
                    f"{a['sockets']:,} sockets (Node ws), {p} API process{'es' if p != '1' else ''}",
                    f"p99 {a['p99_ms']:.1f} ms (p50 {a['p50_ms']:.1f}, p95 {a['p95_ms']:.1f}, max "
                    f"{a['max_ms']:.0f}); {a['delivered']:,}/{a['expected']:,} delivered; {a['events']:,} events at "
                    f"{a['events_per_s']:.0f}/s; connect {a['connect_s']:.1f} s",
                    f"p99 < {TARGET_MS:.0f} ms from commit, all delivered",
                    "met" if a["p99_ms"] < TARGET_MS and a["delivered"] == a["expected"] else "missed"))
    for key in sorted(k for k in figures if k.startswith("broadcast_")):
        p, b = key.split("_")[1], figures[key]
        out.append((f"broadcast: one event to all {b['connected']:,}/{b['sockets']:,} sockets (role:dispatcher), "
                    f"×{b['events']}, {p} API process{'es' if p != '1' else ''}",
                    f"last socket p99 {b['last_p99_ms']:.0f} ms (p50 {b['last_p50_ms']:.0f}); all deliveries p50 "
                    f"{b['p50_ms']:.0f}, p99 {b['p99_ms']:.0f} ms; {b['delivered']:,}/{b['expected']:,} delivered; "
                    f"connect {b['connect_s']:.1f} s", "second figure (no target)", ""))
    return out
