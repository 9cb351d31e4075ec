"""Passwords (argon2), JWT access tokens, opaque secret hashing, sealed fields."""
import base64
import functools
import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from anjia.config import get_settings
from anjia.core.errors import AppError

_hasher = PasswordHasher()
ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


_dummy_hash: str | None = None


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))
    return _dummy_hash


def verify_password(password: str, hashed: str | None) -> bool:
    """Always runs one argon2 verification: with no account (or no password) it verifies against
    a dummy hash of the same parameters, so the time does not tell whether the account exists."""
    try:
        return _hasher.verify(hashed or _dummy(), password) and bool(hashed)
    except (VerificationError, InvalidHashError):
        return False


def check_password_strength(password: str) -> None:
    if len(password) < 8 or not any(c.isdigit() for c in password) or not any(c.isalpha() for c in password):
        raise AppError("weak_password", errors=[{"field": "password", "message": "weak"}])


# ---------------------------------------------------------------- signing keys
def key_id(key: str) -> str:
    """A short public name for a secret (`kid`): which key signed, without revealing it."""
    return hashlib.sha256(b"anjia-kid:" + key.encode()).hexdigest()[:8]


def signing_key() -> tuple[str, str]:
    """(kid, key) of the current SECRET_KEY: everything new is signed with it."""
    key = get_settings().secret_key
    return key_id(key), key


def verification_keys() -> dict[str, str]:
    """kid -> key: the current key and SECRET_KEYS_PREVIOUS, accepted until what they signed expires."""
    settings = get_settings()
    return _keys(settings.secret_key, tuple(settings.previous_secret_keys))


@functools.lru_cache(maxsize=8)
def _keys(current: str, previous: tuple[str, ...]) -> dict[str, str]:
    keys = {key_id(k): k for k in previous}
    keys[key_id(current)] = current
    return keys


def digest(secret: str, key: str | None = None) -> str:
    """Keyed hash for codes and tokens stored at rest (with the current key unless given)."""
    key_bytes = (key if key is not None else get_settings().secret_key).encode()
    return hmac.new(key_bytes, secret.encode(), hashlib.sha256).hexdigest()


def digests(secret: str) -> list[str]:
    """The keyed hash under every accepted key: look-ups of stored tokens survive a key rotation."""
    return [digest(secret, key) for key in verification_keys().values()]


# ---------------------------------------------------------------- sealed fields and look-up hashes
@functools.lru_cache(maxsize=64)
def _derived(key: str, purpose: bytes) -> bytes:
    """A 256-bit key for one purpose, derived from a SECRET_KEY (never the key itself)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"anjia", info=purpose).derive(key.encode())


def seal(plaintext: str) -> str:
    """Encrypt a personal field at rest (AES-256-GCM under a key derived from SECRET_KEY):
    `s1.<kid>.<base64 nonce+ciphertext>`; the key id lets a rotated key still open it."""
    kid, key = signing_key()
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_derived(key, b"seal")).encrypt(nonce, plaintext.encode(), kid.encode())
    return f"s1.{kid}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def unseal(token: str) -> str:
    version, kid, data = token.split(".", 2)
    key = verification_keys().get(kid)
    if version != "s1" or key is None:
        raise ValueError("sealed with an unknown key")
    raw = base64.urlsafe_b64decode(data)
    try:
        return AESGCM(_derived(key, b"seal")).decrypt(raw[:12], raw[12:], kid.encode()).decode()
    except InvalidTag:
        raise ValueError("sealed value damaged") from None


def lookup_hash(value: str, purpose: str, key: str | None = None) -> str:
    """A keyed hash of a personal value for equality look-ups (e.g. a unique ID number) without
    storing the value: HMAC-SHA256 under a key derived from SECRET_KEY for this purpose."""
    derived = _derived(key if key is not None else get_settings().secret_key, b"lookup:" + purpose.encode())
    return hmac.new(derived, value.encode(), hashlib.sha256).hexdigest()


def lookup_hashes(value: str, purpose: str) -> list[str]:
    """The look-up hash under every accepted key (finds values stored before a key rotation)."""
    return [lookup_hash(value, purpose, key) for key in verification_keys().values()]


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def serial_number(prefix: str) -> str:
    """A business document's number: prefix, UTC time to the second, 8 random digits (P261202041234…)."""
    return f"{prefix}{now():%y%m%d%H%M%S}{secrets.randbelow(10**8):08d}"


def now() -> datetime:
    return datetime.now(UTC)


def create_access_token(user_id: int, kind: str, roles: list[str], sid: str | None = None) -> str:
    """`sid` names the sign-in (refresh token family) the token belongs to."""
    settings = get_settings()
    issued = now()
    claims = {"sub": str(user_id), "kind": kind, "roles": roles, "iat": issued,
              "exp": issued + timedelta(minutes=settings.access_token_minutes), "typ": "access"}
    if sid:
        claims["sid"] = sid
    kid, key = signing_key()
    return jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": kid})


# Tokens this process has verified: token -> (kid, claims). Every request of a signed-in app sends
# the same token until it is refreshed, so the signature is checked once; a hit is still refused
# once expired or once its key is no longer accepted (the full check then says why).
_verified: dict[str, tuple[str, dict[str, Any]]] = {}
VERIFIED_MAX = 10_000


def decode_access_token(token: str) -> dict[str, Any]:
    hit = _verified.get(token)
    if hit is not None and hit[1]["exp"] > time.time() and hit[0] in verification_keys():
        return hit[1]
    kid, claims = _verify(token)
    if len(_verified) >= VERIFIED_MAX:
        _verified.clear()
    _verified[token] = (kid, claims)
    return claims


def _verify(token: str) -> tuple[str, dict[str, Any]]:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = verification_keys().get(kid) if kid else None
        if key is None:  # unknown or missing key id: nothing we signed
            raise AppError("token_invalid")
        claims = jwt.decode(token, key, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError:
        raise AppError("token_expired") from None
    except jwt.PyJWTError:
        raise AppError("token_invalid") from None
    if claims.get("typ") != "access":
        raise AppError("token_invalid")
    return kid, claims
