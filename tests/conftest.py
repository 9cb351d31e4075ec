"""Test fixtures on a real PostgreSQL: the embedded server in var/pg-test by default,
or TEST_DATABASE_URL (e.g. the machine's own server). One fresh database per run;
tables are emptied after each test."""
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from tests.support import ROOT, Server, free_port  # noqa: F401

import httpx
import pytest

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

TABLES = ["audit_logs", "idempotency_keys", "events", "refresh_tokens", "email_verifications", "wechat_bindings",
          "sms_codes", "users"]


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
