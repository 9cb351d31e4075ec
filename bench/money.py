"""Money scenarios (issue 10), each beside its ceiling in the same run:
  1. verified, idempotent WeChat Pay notifications (RSA signature, AES-256-GCM resource) over real
     HTTP, driven by `wrk` cycling through distinct pre-signed notifications, against the same
     handler with the signature checks taken out (a bench-only app factory: `create_unsigned_app`);
  2. reconciliation of a 1,000,000-line WeChat Pay bill: download (SHA1-checked, gzip) from the
     local fake, parse, COPY, match against 1,000,000 payments and their ledger entries.
Each notification pays a pending balance top-up: verify, inbox row, payment row lock, ledger entry,
realtime event — the whole handler, without an order's dispatch (measured in bench/dispatch.py).
"""
import asyncio
import gzip
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from tests.fakes.wechatpay import BILL_HEADER, FakeWechatPay
from tests.support import Server

SH = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parent.parent
BILL_DAY = date(2026, 1, 15)  # a fixed past day: the 1,000,000 payments are generated once and reused
BILL_LINES = 1_000_000
ODD = 100  # of each kind of difference planted in the bill
LUA = """
local threads, lines, n, i = 0, {}, 0, 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
function init(args)
  for line in io.lines(args[1]) do
    local s, t, nonce, sig, body = line:match("^([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t([^\\t]*)\\t(.*)$")
    n = n + 1
    lines[n] = wrk.format("POST", wrk.path, {["Content-Type"] = "application/json", ["Wechatpay-Serial"] = s,
      ["Wechatpay-Timestamp"] = t, ["Wechatpay-Nonce"] = nonce, ["Wechatpay-Signature"] = sig,
      ["Wechatpay-Signature-Type"] = "WECHATPAY2-SHA256-RSA2048"}, body)
  end
  -- each thread starts its own stretch of the file: distinct notifications until the file wraps
  i = (tonumber(args[2]) + id * math.floor(n / tonumber(args[3]))) % n
end
function request()
  i = i % n + 1
  return lines[i]
end
"""


# ---------------------------------------------------------------- the ceiling's app
class WithoutSignatureChecks:
    """The real WeChat Pay provider whose verify_notification only decrypts (no serial, signature
    or timestamp checks): what the handler costs when trust is free. Bench only."""

    def __init__(self, real):
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    async def verify_notification(self, headers, body):
        from wechatpayv3.utils import aes_decrypt

        envelope = json.loads(body)
        r = envelope["resource"]
        wx = await self._real._sdk()
        resource = json.loads(aes_decrypt(r["nonce"], r["ciphertext"], r["associated_data"], wx._core._apiv3_key))
        return self._real._payment_event(resource, envelope.get("id"))


def create_unsigned_app():
    """`uvicorn bench.money:create_unsigned_app --factory`: the API whose WeChat Pay provider skips
    the signature checks; nothing else differs."""
    from anjia.app import create_api_app
    from anjia.providers.payments import wechatpay

    real = wechatpay.from_settings
    wechatpay.from_settings = lambda settings: WithoutSignatureChecks(real(settings))
    return create_api_app()


class FactoryServer(Server):
    def __init__(self, factory: str, env: dict[str, str], workers: int):
        self._start(lambda port: [sys.executable, "-m", "uvicorn", factory, "--factory", "--host", "127.0.0.1",
                                  "--port", str(port), "--log-level", "warning", "--workers", str(workers),
                                  "--no-proxy-headers"], {**os.environ, **env})


# ---------------------------------------------------------------- notifications
def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise RuntimeError("wrk is missing: `make bench` installs Debian's wrk (as root), or put wrk on PATH")
    return path


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children so far."""
    import psutil

    total = 0.0
    root = psutil.Process(pid)
    for p in [root, *root.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def postgres_cpu_seconds(url: str) -> float:
    """CPU time of the database server's processes (the embedded one's postmaster and backends)."""
    with psycopg.connect(url) as c:
        data_dir = c.execute("SHOW data_directory").fetchone()[0]
    try:
        return cpu_seconds(int((Path(data_dir) / "postmaster.pid").read_text().split()[0]))
    except (OSError, ValueError):
        return 0.0


def pending_top_ups(url: str, n: int, amount: int = 10_000) -> list[tuple[str, int]]:
    """n pending WeChat Pay top-ups of the demo customer (bench data, inserted directly)."""
    tag = secrets.token_hex(3).upper()
    with psycopg.connect(url, autocommit=True) as c:
        customer = c.execute("SELECT id FROM users WHERE kind = 'customer' ORDER BY id LIMIT 1").fetchone()[0]
        rows = c.execute("""
            INSERT INTO payments (number, purpose, customer_id, provider, channel, amount, refunded_amount, status,
                                  checkout, note, late, expires_at)
            SELECT 'BN' || %s || lpad(g::text, 8, '0'), 'topup', %s, 'wechatpay', 'h5', %s, 0, 'pending', '{}', '',
                   false, now() + interval '1 hour'
            FROM generate_series(1, %s) g RETURNING number""", (tag, customer, amount, n)).fetchall()
    return [(r[0], amount) for r in rows]


def notifications(fake: FakeWechatPay, payments: list[tuple[str, int]], path: Path) -> None:
    """One genuine TRANSACTION.SUCCESS notification per payment, as lines for the Lua script."""
    now = datetime.now(SH).isoformat(timespec="seconds")
    with path.open("w") as f:
        for number, amount in payments:
            resource = {"mchid": fake.mchid, "appid": fake.appid, "out_trade_no": number,
                        "transaction_id": "42000" + secrets.token_hex(11), "trade_type": "MWEB",
                        "trade_state": "SUCCESS", "trade_state_desc": "支付成功", "bank_type": "OTHERS",
                        "success_time": now, "payer": {"openid": "o-bench"},
                        "amount": {"total": amount, "payer_total": amount, "currency": "CNY", "payer_currency": "CNY"}}
            headers, body = fake._notification("TRANSACTION.SUCCESS", "支付成功", "transaction", number, resource,
                                               forge=False, serial=None, age=0, bad_resource=False)
            f.write("\t".join([headers["Wechatpay-Serial"], headers["Wechatpay-Timestamp"], headers["Wechatpay-Nonce"],
                               headers["Wechatpay-Signature"], body.decode()]) + "\n")


def drive_wrk(server_url: str, data: Path, seconds: float, connections: int, threads: int = 2) -> dict:
    script = data.with_suffix(".lua")
    script.write_text(LUA)
    out = subprocess.run([wrk_path(), "-t", str(threads), "-c", str(connections), "-d", f"{seconds:.0f}s",
                          "--latency", "-s", str(script), f"{server_url}/api/v1/payments/notify/wechatpay", "--",
                          str(data), str(secrets.randbelow(1000)), str(threads)], capture_output=True, text=True,
                         check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)

    def ms(label: str) -> float:
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)] if m else float("nan")

    return {"requests": requests, "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "non_2xx": int(bad.group(1)) if bad else 0, "socket_errors": errors.group(1) if errors else "",
            "p50_ms": ms("50"), "p99_ms": ms("99")}


def applied(url: str, numbers: list[str]) -> int:
    with psycopg.connect(url) as c:
        return c.execute("SELECT count(*) FROM payments WHERE number = ANY(%s) AND status = 'succeeded'",
                         (numbers,)).fetchone()[0]


def bench_notifications(url: str, rounds: int, seconds: float, connections: int, workers: int) -> list[dict]:
    fake = FakeWechatPay()
    env = {**fake.settings_env(), "PAYMENT_PROVIDERS": "wechatpay,sandbox", "DATABASE_URL": url,
           "RUN_JOBS_IN_PROCESS": "false"}
    servers = {"signed": FactoryServer("anjia.app:create_api_app", env, workers),
               "unsigned": FactoryServer("bench.money:create_unsigned_app", env, workers)}
    work = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    per_round = int(os.environ.get("BENCH_NOTIFICATIONS", "4000"))
    totals = {k: {"requests": 0, "seconds": 0.0, "non_2xx": 0, "first": 0, "p50": [], "p99": [], "api_cpu": 0.0,
                  "pg_cpu": 0.0} for k in servers}
    try:
        for side, server in servers.items():  # warm both (connections, SDK clients, caches)
            batch = pending_top_ups(url, 200)
            notifications(fake, batch, work / f"warm-{side}.tsv")
            drive_wrk(server.url, work / f"warm-{side}.tsv", 1, connections)
        for i in range(rounds):
            for side, server in servers.items():
                batch = pending_top_ups(url, per_round)
                data = work / f"{side}-{i}.tsv"
                notifications(fake, batch, data)  # signed just before: inside the 5-minute window
                api0, pg0 = cpu_seconds(server.proc.pid), postgres_cpu_seconds(url)
                r = drive_wrk(server.url, data, seconds, connections)
                api1, pg1 = cpu_seconds(server.proc.pid), postgres_cpu_seconds(url)
                t = totals[side]
                t["api_cpu"] += api1 - api0
                t["pg_cpu"] += pg1 - pg0
                t["requests"] += r["requests"]
                t["seconds"] += seconds
                t["non_2xx"] += r["non_2xx"]
                t["first"] += applied(url, [n for n, _ in batch])
                t["p50"].append(r["p50_ms"])
                t["p99"].append(r["p99_ms"])
                print(f"  round {i + 1}/{rounds} {side}: {r['rps']:.0f} req/s, {r['non_2xx']} non-2xx "
                      f"{r['socket_errors']}", flush=True)
    finally:
        for s in servers.values():
            s.stop()
        fake.close()
        shutil.rmtree(work, ignore_errors=True)
    out = []
    for side, t in totals.items():
        out.append({"scenario": "WeChat Pay notifications, verified" if side == "signed"
                    else "  ceiling: same handler, no signature checks", "side": side,
                    "requests": t["requests"], "rps": t["requests"] / t["seconds"], "non_2xx": t["non_2xx"],
                    "first_applications": t["first"], "replays": max(0, t["requests"] - t["first"]),
                    "p50_ms": max(t["p50"]), "p99_ms": max(t["p99"]), "connections": connections,
                    # CPU per request (API processes; all PostgreSQL backends): comparable under load
                    "api_cpu_ms": 1000 * t["api_cpu"] / max(1, t["requests"]),
                    "pg_cpu_ms": 1000 * t["pg_cpu"] / max(1, t["requests"])})
    out[0]["ratio_rps"] = out[0]["rps"] / out[1]["rps"]
    out[1]["ratio_rps"] = 1.0
    return out


# ---------------------------------------------------------------- reconciliation
class BigBillFake(FakeWechatPay):
    """The fake WeChat Pay serving one pre-built 1,000,000-line SUCCESS bill (compressed once, not
    per download: the provider's cost is not ours) and no refund bill."""

    def __init__(self, bill: bytes, day: date):
        super().__init__()
        self._raw, self._gz, self._day = bill, gzip.compress(bill, compresslevel=6), day.isoformat()

    def _trade_bill(self, h, q: dict) -> None:
        if q.get("bill_type") != "SUCCESS" or q.get("bill_date") != self._day:
            return self._answer(h, 400, {"code": "NO_STATEMENT_EXIST", "message": "账单文件不存在"})
        token = secrets.token_urlsafe(16)
        self.bills[token] = self._gz
        self._answer(h, 200, {"hash_type": "SHA1", "hash_value": hashlib.sha1(self._raw).hexdigest(),
                              "download_url": f"{self.url}/v3/billdownload/file?token={token}"})


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def bill_text(appid: str, mchid: str) -> bytes:
    """WeChat's SUCCESS bill for BILL_DAY: payments 1..N, except ODD left out (missing there), ODD
    listed 1 fen dearer (amount differs) and ODD we never made (missing here)."""
    start = datetime(BILL_DAY.year, BILL_DAY.month, BILL_DAY.day, tzinfo=SH)
    rows = []
    for g in range(ODD + 1, BILL_LINES + 1):
        amount = 1_000 + g % 50_000 + (1 if g <= 2 * ODD else 0)
        at = (start + timedelta(seconds=g * 86_000 // BILL_LINES)).strftime("%Y-%m-%d %H:%M:%S")
        rows.append(f"`{at},`{appid},`{mchid},`0,`,`4200{g:024d},`BR{g:010d},`o-bench,`MWEB,`SUCCESS,`OTHERS,`CNY,"
                    f"`{_yuan(amount)},`0.00,`安家-余额充值,`,`{_yuan(amount * 6 // 1000)}000,`0.60%,`{_yuan(amount)},`")
    for g in range(ODD):
        rows.append(f"`{BILL_DAY} 12:00:00,`{appid},`{mchid},`0,`,`4299{g:024d},`BX{g:010d},`o-bench,`MWEB,`SUCCESS,"
                    f"`OTHERS,`CNY,`88.00,`0.00,`安家-余额充值,`,`0.53000,`0.60%,`88.00,`")
    summary = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
    return (BILL_HEADER["SUCCESS"] + "\r\n" + "\r\n".join(rows) + "\r\n" + summary + "\r\n`" + str(len(rows))
            + ",`0.00,`0.00,`0.00,`0.00000,`0.00,`0.00\r\n").encode()


def million_payments(url: str) -> float:
    """1,000,000 succeeded WeChat Pay top-ups on BILL_DAY with their ledger entries, generated in the
    database (once; reused by later runs). Triggers are off for the load (session_replication_role):
    every generated entry is balanced by construction."""
    with psycopg.connect(url, autocommit=True) as c:
        have = c.execute("SELECT count(*) FROM payments WHERE number LIKE 'BR%%'").fetchone()[0]
        if have == BILL_LINES:
            return 0.0
        t = time.perf_counter()
        c.execute("SET session_replication_role = replica")
        with c.transaction():
            if have:
                c.execute("DELETE FROM postings WHERE entry_id IN (SELECT e.id FROM journal_entries e JOIN payments p "
                          "ON p.id = e.payment_id WHERE p.number LIKE 'BR%%')")
                c.execute("DELETE FROM journal_entries WHERE payment_id IN (SELECT id FROM payments "
                          "WHERE number LIKE 'BR%%')")
                c.execute("DELETE FROM payments WHERE number LIKE 'BR%%'")
            customer = c.execute("SELECT id FROM users WHERE kind = 'customer' ORDER BY id LIMIT 1").fetchone()[0]
            for code, kind in (("clearing:wechatpay", "clearing"), (f"customer_balance:{customer}", "customer_balance")):
                c.execute("INSERT INTO ledger_accounts (code, kind, owner_id, currency) VALUES (%s, %s, %s, 'CNY') "
                          "ON CONFLICT (code) DO NOTHING", (code, kind, customer if kind != "clearing" else None))
            clearing, balance = (c.execute("SELECT id FROM ledger_accounts WHERE code = %s", (code,)).fetchone()[0]
                                 for code in ("clearing:wechatpay", f"customer_balance:{customer}"))
            day = datetime(BILL_DAY.year, BILL_DAY.month, BILL_DAY.day, tzinfo=SH)
            c.execute("""
                INSERT INTO payments (number, purpose, customer_id, provider, channel, amount, refunded_amount, status,
                                      external_id, checkout, note, late, expires_at, paid_at, created_at)
                SELECT 'BR' || lpad(g::text, 10, '0'), 'topup', %(c)s, 'wechatpay', 'h5', 1000 + g %% 50000, 0,
                       'succeeded', '4200' || lpad(g::text, 24, '0'), '{}', '', false, %(d)s,
                       %(d)s + make_interval(secs => g * 86000.0 / %(n)s), %(d)s
                FROM generate_series(1, %(n)s) g""", {"c": customer, "d": day, "n": BILL_LINES})
            c.execute("""
                INSERT INTO journal_entries (kind, memo, payment_id, created_at)
                SELECT 'payment', 'wechatpay ' || number, id, paid_at FROM payments WHERE number LIKE 'BR%%'""")
            c.execute("""
                INSERT INTO postings (entry_id, account_id, amount, currency)
                SELECT e.id, a.account, a.sign * p.amount, 'CNY'
                FROM journal_entries e JOIN payments p ON p.id = e.payment_id
                CROSS JOIN (VALUES (%s::bigint, 1), (%s::bigint, -1)) a(account, sign)
                WHERE p.number LIKE 'BR%%'""", (clearing, balance))
        c.execute("SET session_replication_role = DEFAULT")
        c.execute("ANALYZE payments; ANALYZE journal_entries; ANALYZE postings")
        return time.perf_counter() - t


def bench_reconciliation(url: str) -> dict:
    generated = million_payments(url)
    t = time.perf_counter()
    fake = BigBillFake(bill_text("wx-test-appid", "1900000109"), BILL_DAY)
    prepare = time.perf_counter() - t
    os.environ.update({**fake.settings_env(), "PAYMENT_PROVIDERS": "wechatpay,sandbox", "DATABASE_URL": url})
    try:
        return asyncio.run(_reconcile(url)) | {"generated_s": generated, "bill_build_s": prepare}
    finally:
        fake.close()


async def _reconcile(url: str) -> dict:
    from anjia.config import get_settings
    from anjia.core import db
    from anjia.finance import service
    from anjia.payments import registry

    get_settings.cache_clear()
    registry.reset()
    db.configure(url)
    try:
        provider = registry.get("wechatpay")
        t = time.perf_counter()
        lines = await provider.bill(BILL_DAY)  # download + SHA1 + parse alone, for the breakdown
        bill_s = time.perf_counter() - t
        del lines
        async with db.sessionmaker()() as session:
            t = time.perf_counter()
            run = await service.reconcile(session, "wechatpay", BILL_DAY)
            await session.commit()
            total_s = time.perf_counter() - t
        return {"scenario": "reconcile 1,000,000 WeChat Pay bill lines", "seconds": total_s,
                "bill_download_parse_s": bill_s, "copy_match_s": total_s - bill_s, "bill_lines": run.bill_lines,
                "matched": run.matched, "missing_here": run.missing_here, "missing_there": run.missing_there,
                "amount_differs": run.amount_differs, "status": run.status}
    finally:
        await db.dispose()


def run(url: str, console, rounds: int, seconds: float, workers: int, *, notify: bool = True,
        recon: bool = True) -> dict:
    """The money figures (both, or one), printed as a table and returned for bench/results/money.json."""
    from rich.table import Table

    connections = int(os.environ.get("BENCH_NOTIFY_CONNECTIONS", "32"))
    load = os.getloadavg()
    table = Table(title=f"money — {workers} API processes, wrk {connections} connections; "
                        f"{rounds}×{seconds:.0f}s alternating rounds; load average before "
                        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    for col in ("scenario", "result", "ceiling / target", "ratio"):
        table.add_column(col)
    figures: dict = {"load_before": load}
    if notify:
        console.print("[dim]WeChat Pay notifications: verified vs without signature checks (wrk)…[/dim]")
        figures["notifications"] = bench_notifications(url, rounds, seconds, connections, workers)
        _notify_row(table, *figures["notifications"])
    if recon:
        console.print("[dim]reconciliation: 1,000,000 payments and a 1,000,000-line bill…[/dim]")
        figures["reconciliation"] = recon_figures = bench_reconciliation(url)
        _recon_row(table, recon_figures)
    figures["load_after"] = os.getloadavg()
    console.print(table)
    console.print(f"load average after: {figures['load_after'][0]:.1f}")
    return figures


def _notify_row(table, signed: dict, unsigned: dict) -> None:
    table.add_row("WeChat Pay notifications (RSA-verified, AES-GCM, idempotent)",
                  f"{signed['rps']:.0f}/s, p50 {signed['p50_ms']:.1f} ms, p99 {signed['p99_ms']:.1f} ms; "
                  f"{signed['first_applications']:,} payments applied, {signed['replays']:,} replays, "
                  f"{signed['non_2xx']} non-2xx; CPU per request: API {signed['api_cpu_ms']:.2f} ms, "
                  f"PostgreSQL {signed['pg_cpu_ms']:.2f} ms",
                  f"no signature checks {unsigned['rps']:.0f}/s (p99 {unsigned['p99_ms']:.1f} ms); target ≥ 500/s",
                  f"{signed['ratio_rps']:.2f}")


def _recon_row(table, recon: dict) -> None:
    table.add_row(f"reconcile {recon['bill_lines']:,} bill lines vs 1,000,000 payments",
                  f"{recon['seconds']:.1f} s (download+SHA1+parse {recon['bill_download_parse_s']:.1f} s, "
                  f"COPY+match {recon['copy_match_s']:.1f} s); {recon['matched']:,} matched, "
                  f"{recon['missing_here']} / {recon['missing_there']} / {recon['amount_differs']} "
                  "missing here / there / amount", "target < 60 s", "")
