"""Request authentication and authorisation dependencies.

Domain-free: who a token names is looked up by the loader the app installs (`use_user_loader`,
accounts' users table in `anjia.app`), so `core` imports no domain."""
import ipaddress
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from anjia.core import rbac
from anjia.core.db import READS, get_session, get_writing_session, replica_session
from anjia.core.errors import AppError
from anjia.core.security import decode_access_token

_bearer = HTTPBearer(auto_error=False)
# committed before the answer is sent; on a GET or HEAD, reads only (core.db.get_session)
Session = Annotated[AsyncSession, Depends(get_session, scope="function")]
# a GET that writes (an audit row of who read personal data): one transaction, committed
WritingSession = Annotated[AsyncSession, Depends(get_writing_session, scope="function")]
# Statistics and reports: the read replica when configured and current, else the primary (read only).
ReadSession = Annotated[AsyncSession, Depends(replica_session, scope="function")]

# The signed-in user: accounts' User (id, kind, roles, is_active, deleted_at, ...).
User = Any
# (session, user id, reading): with reading, a read-only view of the user (the row's columns as
# attributes) is enough — GET and HEAD requests, which change nobody
UserLoader = Callable[[AsyncSession, int, bool], Awaitable[Any]]
_load_user: UserLoader | None = None


def use_user_loader(loader: UserLoader) -> None:
    """Installed once by the app: how a user id becomes the user (None when there is none)."""
    global _load_user
    _load_user = loader


async def load_user_from_token(session: AsyncSession, token: str, *, reading: bool = False) -> User:
    claims = decode_access_token(token)
    if _load_user is None:
        raise RuntimeError("no user loader installed (anjia.app installs accounts')")
    user = await _load_user(session, int(claims["sub"]), reading)
    if user is None or user.deleted_at is not None:
        raise AppError("token_invalid")
    if not user.is_active:
        raise AppError("account_disabled")
    return user


async def current_user(connection: HTTPConnection, session: Session,
                       creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> User:
    if creds is None:
        raise AppError("not_authenticated")
    return await load_user_from_token(session, creds.credentials, reading=connection.scope.get("method") in READS)


CurrentUser = Annotated[User, Depends(current_user)]


async def current_sign_in(creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str | None:
    """The caller's sign-in (refresh token family), to keep it when ending the others."""
    return decode_access_token(creds.credentials).get("sid") if creds else None


CurrentSignIn = Annotated[str | None, Depends(current_sign_in)]


async def _customer(user: CurrentUser) -> User:
    if user.kind != "customer":
        raise AppError("forbidden")
    return user


async def _worker(user: CurrentUser) -> User:
    if user.kind != "worker":
        raise AppError("forbidden")
    return user


async def _customer_row(session: Session, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
                        ) -> User:
    if creds is None:
        raise AppError("not_authenticated")
    return await _customer(await load_user_from_token(session, creds.credentials, reading=True))


Customer = Annotated[User, Depends(_customer)]
# the customer as a row, as a GET has it, for a write that changes nothing of the account (placing an order)
CustomerRow = Annotated[User, Depends(_customer_row)]
Worker = Annotated[User, Depends(_worker)]


class RequirePermission:
    """Dependency: a staff user holding `permission`. Its `.permission` lets tests enumerate routes."""

    def __init__(self, permission: str):
        self.permission = rbac.Permission(permission)

    async def __call__(self, user: CurrentUser) -> User:
        if user.kind != "staff" or not rbac.has_permission(user.roles, self.permission.code):
            raise AppError("forbidden")
        return user


def staff_with(permission: str):
    return Depends(RequirePermission(permission))


def parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An IP address, or None for anything else (a unix socket, a test client's name, garbage)."""
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request: Request) -> str | None:
    """The peer's IP address (after `middleware.ClientIP`); None when the server reports something
    else, which an `inet` column would refuse."""
    ip = parse_ip(request.client.host) if request.client and request.client.host else None
    return str(ip) if ip else None
