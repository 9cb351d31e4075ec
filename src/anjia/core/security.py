"""Passwords (argon2), JWT access tokens and opaque secret hashing."""
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from anjia.config import get_settings
from anjia.core.errors import AppError

_hasher = PasswordHasher()
ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    if not hashed:
        _hasher.hash(password)  # spend the same time either way: no account oracle by timing
        return False
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_strength(password: str) -> None:
    if len(password) < 8 or not any(c.isdigit() for c in password) or not any(c.isalpha() for c in password):
        raise AppError("weak_password", errors=[{"field": "password", "message": "weak"}])


def digest(secret: str) -> str:
    """Keyed hash for codes and tokens stored at rest."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def now() -> datetime:
    return datetime.now(UTC)


def create_access_token(user_id: int, kind: str, roles: list[str]) -> str:
    settings = get_settings()
    issued = now()
    claims = {"sub": str(user_id), "kind": kind, "roles": roles, "iat": issued,
              "exp": issued + timedelta(minutes=settings.access_token_minutes), "typ": "access"}
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_access_token(token: str) -> dict[str, Any]:
    try:
        claims = jwt.decode(token, get_settings().secret_key, algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError:
        raise AppError("token_expired") from None
    except jwt.PyJWTError:
        raise AppError("token_invalid") from None
    if claims.get("typ") != "access":
        raise AppError("token_invalid")
    return claims
