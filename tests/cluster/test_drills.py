"""The fault drills (issue 14), on a cluster of their own (`make drill`; also part of `make test`, once):
(a) kill -9 an API node, (b) restart PostgreSQL, (c) stop the job worker for a while, (d) kill the
replica — each under load through nginx, each counting lost and duplicated rows, which must be 0."""
import asyncio
import shutil
import time
from datetime import UTC, datetime

import httpx
import psycopg
import pytest

from anjia.system.cluster import Cluster, Ports, nginx_binary
from tests.cluster import drills
from tests.fakes.wechatpay import FakeWechatPay
from tests.support import ROOT, free_port

pytestmark = pytest.mark.drill


@pytest.fixture(scope="module")
def fake():
    server = FakeWechatPay()
    yield server
    server.close()


@pytest.fixture(scope="module")
def cluster(fake):
    if nginx_binary() is None:
        pytest.skip("Debian's nginx is not installed (make nginx)")
    root = ROOT / "var" / "cluster-drill"
    shutil.rmtree(root, ignore_errors=True)
    c = Cluster(root, demo=False, ports=Ports(nginx=free_port(), api=(free_port(), free_port()), primary=free_port(),
                            replica=free_port()),
                env={"PAYMENT_PROVIDERS": "wechatpay,sandbox", **fake.settings_env(), "DB_POOL_SIZE": "8"})
    try:
        c.up()
        drills.seed(c)
        yield c
    finally:
        c.down()


def _first_job_after(cluster, at: datetime) -> float | None:
    """Seconds from `at` to the first job the worker finished after it."""
    with psycopg.connect(cluster.database_url) as db:
        return db.execute("SELECT extract(epoch FROM min(at) - %s)::float FROM procrastinate_events "
                          "WHERE type = 'succeeded' AND at > %s", (at, at)).fetchone()[0]


async def test_drills(cluster, fake):
    world = drills.world(cluster, fake)
    results = []
    print()

    def check(name: str, did: str, load: drills.Load, since: dict, notes: str) -> None:
        counts = drills.count(cluster, load, since)
        results.append((name, did, counts, notes))
        print(f"[{name}] {did} — {notes}; " + ", ".join(f"{k}: {n} told, {lost} lost, {dup} duplicated"
                                                       for k, (n, lost, dup) in counts.items()), flush=True)
        assert not load.tally.errors, load.tally.errors[:5]
        assert load.tally.not_problem_503 == 0

    # (a) kill -9 one API node in the middle of the load; nginx sends the retries to the other
    since, load = drills.begin(cluster, fake, world)

    async def kill_node():
        await asyncio.to_thread(cluster.kill_node, 0)
        return "kill -9 api1"

    did = await load.run(kill_node, 9)
    await asyncio.to_thread(cluster.start_node, 0)
    check("a. API node", did, load, since, f"{load.tally.retries} client retries; api1 restarted")

    # (b) restart PostgreSQL: 503 problem+json while it is down, recovery without restarting anything
    since, load = drills.begin(cluster, fake, world)
    restarted = {}

    async def restart_db():
        await asyncio.to_thread(cluster.stop_primary, "fast")
        await asyncio.sleep(3)
        await asyncio.to_thread(cluster.start_primary)
        restarted["at"] = datetime.now(UTC)
        return "PostgreSQL primary stopped (fast) for 3 s, started"

    did = await load.run(restart_db, 12)
    assert load.tally.unavailable > 0, "no 503 database_unavailable seen while the database was down"
    await drills.wait_for(lambda: _first_job_after(cluster, restarted["at"]) is not None, 30,
                          "jobs after the restart")
    jobs_back = _first_job_after(cluster, restarted["at"])
    assert cluster.status()[3]["running"], "the job worker died with the database"
    check("b. PostgreSQL restart", did, load, since,
          f"{load.tally.unavailable} answers 503 problem+json with Retry-After; first job done "
          f"{jobs_back:.0f} s after; sockets resumed")

    # (c) stop the job worker: expiries, payment queries and notifications wait, then catch up
    since, load = drills.begin(cluster, fake, world)
    customer = world["customers"][0]
    backlog = {}

    state = {}

    def caught_up() -> bool:
        with psycopg.connect(cluster.database_url) as db:
            state["order"] = "{}/{}".format(*db.execute(
                "SELECT status, cancel_reason_code FROM orders WHERE id = %s", (backlog["expire"],)).fetchone())
            state["payment"] = db.execute("SELECT status FROM payments WHERE order_id = %s",
                                          (backlog["query"],)).fetchone()[0]
            state["notifications still pending"] = db.execute(
                "SELECT count(*) FROM notifications WHERE sms_status = 'pending' AND id = ANY(%s)",
                (backlog["notifications"],)).fetchone()[0]
        return state["order"] == "cancelled/payment_timeout" and state["payment"] == "succeeded" and \
            not state["notifications still pending"]

    async def stop_jobs_for_a_while():
        cluster.pause_jobs()
        paused = time.monotonic()
        async with httpx.AsyncClient(base_url=cluster.base_url) as client:
            # an order whose payment window closes, and a payment made without its notification
            body = {"service_id": world["service_id"], "address_id": customer["address_id"], "hours": 2,
                    "options": {}}
            for purpose in ("expire", "query"):
                key = f"backlog-{purpose}-{since['order']}"
                r = await load.call(client, "POST", "/api/v1/orders", key=key, token=customer["token"],
                                    json_body={**body, "start": load.next_start().isoformat()})
                assert r.status_code == 201, r.text
                backlog[purpose] = load.tally.orders[key] = r.json()["id"]
            r = await load.call(client, "POST", f"/api/v1/orders/{backlog['query']}/payments",
                                token=customer["token"], json_body={"method": "wechatpay", "channel": "h5"})
            assert r.status_code == 201, r.text
            fake.pay(r.json()["number"])
        with psycopg.connect(cluster.database_url) as db:  # as if their time had come meanwhile
            db.execute("UPDATE orders SET payment_due_at = now() - interval '1 minute' WHERE id = %s",
                       (backlog["expire"],))
            db.execute("UPDATE payments SET created_at = now() - interval '1 hour' WHERE order_id = %s",
                       (backlog["query"],))
        await asyncio.sleep(8)
        with psycopg.connect(cluster.database_url) as db:
            backlog["notifications"] = [r[0] for r in db.execute(
                "SELECT id FROM notifications WHERE sms_status = 'pending'").fetchall()]
        stopped = time.monotonic() - paused
        cluster.resume_jobs()
        backlog["took"] = await drills.wait_for(caught_up, 75, lambda: f"the job worker's backlog ({state})")
        load.tally.paid.add(backlog["query"])  # the payment query told the order it is paid
        return f"job worker SIGSTOP for {stopped:.0f} s, SIGCONT"

    did = await load.run(stop_jobs_for_a_while, 6)
    check("c. job worker stopped", did, load, since,
          f"backlog of {len(backlog['notifications'])} notifications, 1 expiry, 1 payment query: all done "
          f"{backlog['took']:.0f} s after SIGCONT (expiry and payment query are per-minute jobs)")

    # (d) kill -9 the replica: statistics read from the primary meanwhile
    since, load = drills.begin(cluster, fake, world)
    stats = {"ok": 0, "failed": 0}
    async with httpx.AsyncClient(base_url=cluster.base_url) as client:
        r = await client.post("/api/v1/auth/login/password",
                              json={"account": "admin", "password": "admin123", "app": "admin"})
        admin = {"Authorization": f"Bearer {r.json()['access_token']}"}

        async def read_stats():
            while not load.stop.is_set():
                r = await client.get("/api/v1/admin/stats/live", headers=admin)
                stats["ok" if r.status_code == 200 else "failed"] += 1
                r = await client.get("/api/v1/admin/finance/overview", headers=admin)
                stats["ok" if r.status_code == 200 else "failed"] += 1
                await asyncio.sleep(0.1)

        reader = asyncio.create_task(read_stats())

        async def kill_replica():
            await asyncio.to_thread(cluster.kill_replica)
            return "kill -9 the replica's postmaster"

        did = await load.run(kill_replica, 9)
        await reader
    await asyncio.to_thread(cluster.start_replica)
    assert stats["failed"] == 0 and stats["ok"] > 0, stats
    check("d. replica", did, load, since, f"{stats['ok']} statistics/report reads, all 200 (primary while it "
                                          f"was down); replica restarted, "
                                          f"{cluster.replication_state()['state']}")

    print("\n" + drills.table(results), flush=True)
    for name, _, counts, _ in results:
        for kind, (n, lost, dup) in counts.items():
            assert (lost, dup) == (0, 0), f"{name}: {kind}: {lost} lost, {dup} duplicated"
        assert counts["orders"][0] > 0 and counts["payments"][0] > 0, f"{name}: no load went through"
