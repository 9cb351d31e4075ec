"""Test fixtures on a real PostgreSQL: the embedded server in var/pg-test by default,
or TEST_DATABASE_URL (e.g. the machine's own server). One fresh database per run;
tables are emptied after each test."""
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import httpx
import pytest

from tests.support import ROOT, Server, free_port  # noqa: F401

warnings.filterwarnings("ignore", module="platformdirs")
DATA_DIR = Path(tempfile.mkdtemp(prefix="anjia-test-"))
os.environ["DATA_DIR"] = str(DATA_DIR)
os.environ["RUN_JOBS_IN_PROCESS"] = "false"
os.environ.setdefault("SECRET_KEY", "test-secret-key-0123456789-abcdefghijklmnop")


def _database_url() -> str:
    from anjia.core import db

    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        import psycopg

        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS anjia_test WITH (FORCE)")
            conn.execute("CREATE DATABASE anjia_test")
        head, _, query = base.partition("?")
        return head.rsplit("/", 1)[0] + "/anjia_test" + (f"?{query}" if query else "")
    server, url = db.start_embedded(ROOT / "var" / "pg-test", database="anjia_test_tmp")
    server.psql("DROP DATABASE IF EXISTS anjia_test WITH (FORCE);")
    server.psql("CREATE DATABASE anjia_test;")
    globals()["_server"] = server  # keep the handle: the server stops when the last handle goes
    return url.replace("/anjia_test_tmp", "/anjia_test")


DATABASE_URL = _database_url()
os.environ["DATABASE_URL"] = DATABASE_URL

from anjia.config import get_settings  # noqa: E402

get_settings.cache_clear()

from anjia.core import db, migrate  # noqa: E402

migrate.upgrade(DATABASE_URL)

TABLES = ["stats_dirty_days", "stats_daily_worker_hours", "stats_daily_cancellations", "stats_daily", "campaign_members", "campaigns", "customer_segments", "customer_notes", "customer_tags",
          "performance_rewards", "performance_reward_rules", "performance_scorecards", "performance_months",
          "review_reminders", "review_photos", "reviews", "favourite_workers", "favourite_services",
          "customer_preferences", "ticket_photos", "ticket_events", "tickets", "worker_status_events", "worker_certificates", "worker_trainings",
          "worker_notes", "coupons", "withdrawals", "statement_disputes", "statement_lines", "statements", "settlement_adjustments", "earnings",
          "commission_rules", "reconciliation_differences", "reconciliation_runs", "postings", "journal_entries", "ledger_accounts", "provider_notifications", "refunds", "payments",
          "sandbox_trades", "audit_logs", "login_attempts", "idempotency_keys", "events", "refresh_tokens", "email_verifications", "wechat_bindings",
          "sms_messages", "sms_codes", "users", "offers", "dispatch_rounds", "worker_locations", "service_records", "wechat_subscriptions", "notifications", "schedule_changes", "order_events", "orders", "plans", "worker_bookings", "worker_leaves", "worker_hours",
          "worker_profiles", "addresses", "service_region_prices", "services", "service_categories", "holidays",
          "booking_rules", "regions"]


@pytest.fixture(scope="session")
def database_url() -> str:
    return DATABASE_URL


@pytest.fixture(scope="session", autouse=True)
async def engine():
    db.configure(DATABASE_URL)
    yield db.engine()
    await db.dispose()


@pytest.fixture(autouse=True)
async def clean_tables(engine):
    yield
    from sqlalchemy import text

    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    (DATA_DIR / "sms-outbox.jsonl").unlink(missing_ok=True)
    (DATA_DIR / "mail-outbox.jsonl").unlink(missing_ok=True)


@pytest.fixture(scope="session")
def app():
    from anjia.app import create_app

    return create_app(run_jobs=False, serve_frontends=False)


@pytest.fixture
async def client(app):
    transport = httpx.ASGITransport(app=app, client=("10.0.0.1", 4321))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@pytest.fixture
async def session(engine):
    async with db.sessionmaker()() as s:
        yield s


def last_sms_code(phone: str) -> str:
    for line in reversed((DATA_DIR / "sms-outbox.jsonl").read_text().splitlines()):
        msg = json.loads(line)
        if msg["phone"] == phone:
            return msg["code"]
    raise AssertionError(f"no SMS sent to {phone}")


@pytest.fixture
async def world(session):
    """A booking world: 上海 region and rules, the demo catalogue, two verified cleaners
    working every day 08:00-20:00, and a signed-in customer with an address in 徐汇区."""
    from sqlalchemy import select

    from anjia.accounts.models import User
    from anjia.addresses.models import Address
    from anjia.catalog import seed as catalog_seed
    from anjia.catalog.models import Service
    from anjia.scheduling import seed as scheduling_seed
    from anjia.workforce import seed as workforce_seed

    region = await scheduling_seed.seed_region(session)
    await catalog_seed.seed(session)
    workers = []
    for i, (lat, lng) in enumerate([(31.20, 121.44), (31.21, 121.45)]):
        w = User(kind="worker", phone=f"1390000100{i}", nickname=f"阿姨{i}", roles=[])
        session.add(w)
        await session.flush()
        await workforce_seed.seed_worker(session, w.id, region.id, ["cleaning", "appliance"], lat, lng)
        workers.append(w.id)
    customer = User(kind="customer", phone="13800001000", nickname="顾客", roles=[])
    session.add(customer)
    await session.flush()
    address = Address(user_id=customer.id, contact_name="张女士", contact_phone="13800001000", province="上海市",
                      city="上海市", district="徐汇区", detail="漕溪北路 88 号", lat=31.195, lng=121.438,
                      region_id=region.id, is_default=True)
    session.add(address)
    await session.commit()
    services = {s.name: s.id for s in await session.scalars(select(Service))}
    from anjia.core.security import create_access_token

    return {"region_id": region.id, "workers": workers, "customer_id": customer.id, "address_id": address.id,
            "services": services, "token": create_access_token(customer.id, "customer", [])}


def last_mail(to: str) -> dict:
    for line in reversed((DATA_DIR / "mail-outbox.jsonl").read_text().splitlines()):
        msg = json.loads(line)
        if msg["to"] == to:
            return msg
    raise AssertionError(f"no mail sent to {to}")


async def sms_login(client: httpx.AsyncClient, phone: str, app: str = "customer") -> dict:
    r = await client.post("/api/v1/auth/sms-codes", json={"phone": phone})
    assert r.status_code == 202, r.text
    r = await client.post("/api/v1/auth/login/sms", json={"phone": phone, "code": last_sms_code(phone), "app": app,
                                                          "consent_version": "2026-11"})
    assert r.status_code == 200, r.text
    return r.json()


async def make_staff(session, username: str, roles: list[str], password: str = "staffpass1"):
    from anjia.accounts.models import User
    from anjia.core.security import hash_password

    user = User(kind="staff", username=username, nickname=username, roles=roles,
                password_hash=hash_password(password))
    session.add(user)
    await session.commit()
    return user


async def staff_token(client, session, username: str, roles: list[str]) -> str:
    await make_staff(session, username, roles)
    r = await client.post("/api/v1/auth/login/password",
                          json={"account": username, "password": "staffpass1", "app": "admin"})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def live_server():
    server = Server(serve_frontends=True)
    yield server
    server.stop()


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium not found: run `make test` (installs Debian chromium) or set CHROMIUM")
    return path
