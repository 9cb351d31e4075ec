"""Secrets: a per-install generated secret in development, refusal of weak secrets elsewhere,
and key rotation by key id (`kid`) for access tokens and media links."""
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from anjia.config import LEGACY_DEFAULT_SECRET, InsecureSecret, get_settings
from anjia.core import security, storage
from tests.conftest import ROOT, auth, free_port, make_staff
from tests.support import CliServer

ENV_KEYS = ("SECRET_KEY", "SECRET_KEYS_PREVIOUS", "ANJIA_ENV", "ENV", "PAYMENT_PROVIDERS", "SMS_PROVIDER")
REAL_PROVIDERS = {"PAYMENT_PROVIDERS": "wechatpay,alipay", "SMS_PROVIDER": "aliyun"}


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_KEYS}
    return {**env, **extra}


def _forged(user_id: int, secret: str, **headers) -> str:
    now = datetime.now(UTC)
    return jwt.encode({"sub": str(user_id), "kind": "staff", "roles": ["admin"], "typ": "access", "iat": now,
                       "exp": now + timedelta(minutes=15)}, secret, algorithm="HS256", headers=headers or None)


async def test_make_run_signs_with_its_own_generated_secret(tmp_path, session):
    admin = await make_staff(session, "root", ["admin"])
    server = CliServer(tmp_path, _env())
    try:
        secret_file = tmp_path / "secret_key"
        assert secret_file.is_file()
        assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
        secret = secret_file.read_text().strip()
        assert len(secret.encode()) >= 32 and secret != LEGACY_DEFAULT_SECRET
        # the attack from issue 8: a token signed with the secret printed in config.py
        for token in (_forged(admin.id, LEGACY_DEFAULT_SECRET),
                      _forged(admin.id, LEGACY_DEFAULT_SECRET, kid=security.key_id(LEGACY_DEFAULT_SECRET))):
            r = httpx.get(server.url + "/api/v1/admin/users", headers=auth(token))
            assert r.status_code == 401, r.text
        own = _forged(admin.id, secret, kid=security.key_id(secret))
        assert httpx.get(server.url + "/api/v1/admin/users", headers=auth(own)).status_code == 200
    finally:
        server.stop()
    # the next start reuses the same secret: tokens it signed stay valid
    server = CliServer(tmp_path, _env())
    try:
        assert (tmp_path / "secret_key").read_text().strip() == secret
        assert httpx.get(server.url + "/api/v1/admin/users", headers=auth(own)).status_code == 200
    finally:
        server.stop()


@pytest.mark.parametrize("secret, says", [
    (None, "SECRET_KEY is not set"),
    (LEGACY_DEFAULT_SECRET, "public default"),
    ("short-secret-0123456789", "too short"),
])
def test_production_refuses_to_start_with_a_weak_secret(tmp_path, secret, says):
    env = {"ANJIA_ENV": "production", **REAL_PROVIDERS, **({"SECRET_KEY": secret} if secret else {})}
    r = subprocess.run([sys.executable, "-m", "anjia.cli", "serve", "--port", str(free_port())], cwd=ROOT,
                       capture_output=True, text=True, env=_env(DATA_DIR=str(tmp_path), **env), timeout=60)
    assert r.returncode == 2
    out = " ".join(r.stderr.split())  # rich wraps long lines
    assert "refusing to start" in out and says in out
    assert not (tmp_path / "secret_key").exists()  # production never invents a secret per node


@pytest.fixture
def fresh_settings(monkeypatch):
    for k in ENV_KEYS:
        monkeypatch.delenv(k, raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.parametrize("env", [{"ANJIA_ENV": "production"},
                                 {"ANJIA_ENV": "staging", "SECRET_KEY": LEGACY_DEFAULT_SECRET},
                                 {"ENV": "production", "SECRET_KEY": "x" * 31},
                                 {"ANJIA_ENV": "production", "SECRET_KEY": "k" * 40, "SECRET_KEYS_PREVIOUS": "old"}])
def test_app_factory_refuses_weak_secrets_outside_development(fresh_settings, env):
    from anjia.app import create_app

    for k, v in env.items():
        fresh_settings.setenv(k, v)
    get_settings.cache_clear()
    with pytest.raises(InsecureSecret):
        create_app(run_jobs=False, serve_frontends=False)


def test_app_factory_accepts_a_strong_secret_in_production(fresh_settings):
    from anjia.app import create_app

    for k, v in {"ANJIA_ENV": "production", "SECRET_KEY": "p" * 32, **REAL_PROVIDERS}.items():
        fresh_settings.setenv(k, v)
    get_settings.cache_clear()
    assert create_app(run_jobs=False, serve_frontends=False) is not None


@pytest.mark.parametrize("env, says", [
    ({"PAYMENT_PROVIDERS": "wechatpay,sandbox"}, "PAYMENT_PROVIDERS: sandbox payments"),
    ({"SMS_PROVIDER": "console"}, "SMS_PROVIDER: console SMS"),
])
def test_production_refuses_development_only_providers(tmp_path, env, says):
    """Issue 14: a strong secret is not enough — sandbox payments or console SMS refuse to start."""
    full = {"ANJIA_ENV": "production", "SECRET_KEY": "p" * 40, **REAL_PROVIDERS, **env}
    r = subprocess.run([sys.executable, "-m", "anjia.cli", "serve", "--port", str(free_port())], cwd=ROOT,
                       capture_output=True, text=True, env=_env(DATA_DIR=str(tmp_path), **full), timeout=60)
    assert r.returncode == 2
    out = " ".join(r.stderr.split())
    assert "refusing to start" in out and says in out
    # development keeps both defaults
    dev = subprocess.run([sys.executable, "-c", "from anjia.config import check_settings, get_settings; "
                          "check_settings(get_settings()); print('ok')"], cwd=ROOT, capture_output=True, text=True,
                         env=_env(DATA_DIR=str(tmp_path)), timeout=60)
    assert dev.stdout.strip() == "ok", dev.stderr


@pytest.fixture
def rotated(monkeypatch):
    """Sign with an old key, then rotate: the old key moves to SECRET_KEYS_PREVIOUS."""
    settings = get_settings()
    old, new = "old-key-" + "o" * 40, "new-key-" + "n" * 40

    def rotate(keep_previous: bool = True) -> None:
        monkeypatch.setattr(settings, "secret_key", new)
        monkeypatch.setattr(settings, "secret_keys_previous", old if keep_previous else "")

    monkeypatch.setattr(settings, "secret_key", old)
    monkeypatch.setattr(settings, "secret_keys_previous", "")
    return rotate


async def test_access_tokens_carry_a_key_id_and_survive_rotation(client, session, rotated):
    admin = await make_staff(session, "root", ["admin"])
    token = security.create_access_token(admin.id, "staff", ["admin"])
    assert jwt.get_unverified_header(token)["kid"] == security.key_id("old-key-" + "o" * 40)
    rotated(keep_previous=True)
    assert (await client.get("/api/v1/admin/users", headers=auth(token))).status_code == 200
    fresh = security.create_access_token(admin.id, "staff", ["admin"])
    assert jwt.get_unverified_header(fresh)["kid"] == security.key_id("new-key-" + "n" * 40)
    assert (await client.get("/api/v1/admin/users", headers=auth(fresh))).status_code == 200
    rotated(keep_previous=False)  # the old key retired: what it signed is refused
    r = await client.get("/api/v1/admin/users", headers=auth(token))
    assert r.status_code == 401 and r.json()["code"] == "token_invalid"


async def test_refresh_tokens_survive_rotation(client, session, rotated):
    from tests.conftest import sms_login

    pair = await sms_login(client, "13712345678")
    rotated(keep_previous=True)
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert r.status_code == 200, r.text


def test_media_links_carry_a_key_id_and_survive_rotation(rotated):
    url = storage.signed_url("records/a.jpg")
    query = dict(p.split("=", 1) for p in url.split("?", 1)[1].split("&"))
    kid, _, _ = query["sig"].partition(".")
    assert kid == security.key_id("old-key-" + "o" * 40)
    rotated(keep_previous=True)
    assert storage.verify("records/a.jpg", int(query["exp"]), query["sig"])
    assert not storage.verify("records/b.jpg", int(query["exp"]), query["sig"])
    rotated(keep_previous=False)
    assert not storage.verify("records/a.jpg", int(query["exp"]), query["sig"])


def test_sealed_fields_open_after_rotation_and_not_without_the_key(rotated):
    sealed = security.seal("310101199001011237")
    assert "310101" not in sealed and sealed.startswith("s1.")
    assert security.seal("310101199001011237") != sealed  # a fresh nonce each time
    hashes = security.lookup_hashes("310101199001011237", "id_number")
    rotated()
    assert security.unseal(sealed) == "310101199001011237"  # the previous key still opens it
    assert hashes[0] in security.lookup_hashes("310101199001011237", "id_number")  # found under the old key
    assert security.lookup_hash("310101199001011237", "id_number") != hashes[0]  # stored under the new one
    damaged = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(ValueError):
        security.unseal(damaged)
    rotated(keep_previous=False)
    with pytest.raises(ValueError):
        security.unseal(sealed)
