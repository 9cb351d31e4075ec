"""ASGI middleware: body size cap, Idempotency-Key replay, metrics and access logs."""
import hashlib
import ipaddress
import json
import logging
import re
import sys
import time
from datetime import UTC, datetime

import orjson
from prometheus_client import Counter, Histogram
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from anjia.config import get_settings
from anjia.core import db
from anjia.core.auth import parse_ip
from anjia.core.errors import database_unavailable, problem, unavailable
from anjia.core.models import IdempotencyKey

REQUESTS = Counter("anjia_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("anjia_http_request_seconds", "HTTP request latency", ["method", "route"])


MAX_JSON_DEPTH = 32
_BRACKET_OR_QUOTE = re.compile(rb'[\[\]{}"]')
_STRING_REST = re.compile(rb'(?:[^"\\]++|\\.)*+"', re.S)  # possessive: linear, no backtracking


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects nest deeper than `limit`, strings skipped, in one linear pass:
    the JSON parser never sees a body that would exhaust its recursion."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth, pos = 0, 0
    while m := _BRACKET_OR_QUOTE.search(body, pos):
        c = m.group()
        if c == b'"':
            rest = _STRING_REST.match(body, m.end())
            if rest is None:  # unterminated string: the parser refuses the body anyway
                return False
            pos = rest.end()
            continue
        pos = m.end()
        if c in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _networks(spec: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip()]


class ClientIP:
    """The client's address for everything downstream (limits, audit, idempotency scope).
    `X-Forwarded-For` / `X-Real-IP` are believed only when the direct peer is one of
    TRUSTED_PROXIES; then the client is the right-most forwarded address that is not itself a
    trusted proxy. From anyone else the headers are ignored, so they cannot dodge a per-IP limit.
    (`anjia serve` runs uvicorn with its own proxy-header handling off: this is the one place.)"""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.trusted = _networks(get_settings().trusted_proxies)

    def _trusted(self, ip) -> bool:
        return ip is not None and any(ip in net for net in self.trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if self.trusted and scope["type"] in ("http", "websocket") and client and self._trusted(parse_ip(client[0])):
            headers = dict(scope.get("headers", ()))
            forwarded = [parse_ip(v) for v in headers.get(b"x-forwarded-for", b"").decode("latin-1").split(",")
                         if v.strip()]
            real = parse_ip(headers.get(b"x-real-ip", b"").decode("latin-1")) if b"x-real-ip" in headers else None
            chosen = None
            for ip in reversed(forwarded):
                if ip is None:  # garbage in the chain: stop at what we can trust
                    break
                chosen = ip
                if not self._trusted(ip):
                    break
            chosen = chosen or real
            if chosen is not None:
                scope = {**scope, "client": (str(chosen), 0)}
        await self.app(scope, receive, send)


# Content-Security-Policy of the three front-ends. Styles may be inline (uni-app H5, wot-design-uni
# and Element Plus set style attributes); scripts only from us, plus the hashes of the inline
# scripts of each built index.html (uni-app's viewport snippet), computed when the app starts.
# Forms go to us, plus the payment gateways whose cashier takes a POSTed form (UnionPay).
FRONTEND_CSP = ("default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: blob: https:{images}; font-src 'self' data: https://at.alicdn.com; media-src 'self' blob:{media}; "
                "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'{forms}; frame-ancestors 'none'")
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI at /api/docs loads its bundle from jsDelivr and starts with an inline script.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
            "frame-ancestors 'none'")


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions for the inline `<script>` blocks of a page."""
    import base64
    import re

    out = []
    for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S | re.I):
        out.append("'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode() + "'")
    return out


class SecurityHeaders:
    """nosniff, a referrer policy, no framing, and a CSP on every answer: strict for the API,
    the front-end policy (with their inline-script hashes) for the pages. A header the route set
    itself is kept (a page served from the API names its own policy)."""

    def __init__(self, app: ASGIApp, frontends: dict[str, list[str]] | None = None,
                 form_targets: list[str] | None = None, image_sources: list[str] | None = None,
                 media_sources: list[str] | None = None):
        self.app = app
        media = media_sources or []  # the bucket's origin: record photos and videos are presigned links to it
        self.images = "".join(" " + origin for origin in [*(image_sources or []), *media])  # + the map tile host
        self.media = "".join(" " + origin for origin in media)
        self.frontends = frontends or {}  # URL prefix -> inline script hashes of its index.html
        self.forms = "".join(" " + origin for origin in form_targets or [])  # origins pages may POST forms to

    def csp(self, path: str) -> str:
        if path.startswith("/api/docs"):
            return DOCS_CSP
        if path.startswith("/api/") or path == "/metrics":
            return API_CSP
        hashes: list[str] = []
        for prefix, found in self.frontends.items():
            if prefix == "/" or path == prefix or path.startswith(prefix + "/"):
                hashes = found
                if prefix != "/":
                    break
        return FRONTEND_CSP.format(hashes="".join(" " + h for h in hashes), forms=self.forms, images=self.images,
                                 media=self.media)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        policy = self.csp(scope["path"]).encode()

        async def add(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {k.lower() for k, _ in headers}
                for name, value in ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
                                    (b"x-frame-options", b"DENY"), (b"content-security-policy", policy)):
                    if name not in present:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, add)


def metrics_allowed(request: Request) -> str | None:
    """None when the caller may read /metrics, else the problem code: with METRICS_TOKEN set, the
    bearer token must match; without one, only loopback callers (after TRUSTED_PROXIES) may."""
    import hmac
    import ipaddress as _ipaddress

    token = get_settings().metrics_token
    if token:
        given = request.headers.get("authorization", "")
        ok = given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode())
        return None if ok else "not_authenticated"
    try:
        loopback = request.client is not None and _ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        loopback = False
    return None if loopback else "forbidden"


UPLOAD_PATHS = ("/records", "/photos", "/photos/id_photo", "/photos/selfie", "/me/certificates")


class BodyLimit:
    """Refuse bodies over `max_body_bytes` with 413, whether or not Content-Length is sent, and
    JSON nested deeper than `MAX_JSON_DEPTH` with 422, before anything parses them."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        settings = get_settings()
        # uploads (service records, phone photos of IDs, certificates, reviews) may be large; the
        # media checks bound each kind; everything else stays small
        limit = settings.max_upload_bytes if scope["path"].endswith(UPLOAD_PATHS) else settings.max_body_bytes
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await problem(Request(scope), "body_too_large", 413)(scope, receive, send)
        seen = 0
        buffered: list[Message] = []
        while True:  # read the body up front so an oversize one is refused before any work
            message = await receive()
            buffered.append(message)
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    return await problem(Request(scope), "body_too_large", 413)(scope, receive, send)
                if not message.get("more_body"):
                    break
            else:
                break

        content_type = headers.get(b"content-type", b"").lower()
        if not content_type.startswith((b"multipart/", b"application/x-www-form-urlencoded")) and \
                json_too_deep(b"".join(m.get("body", b"") for m in buffered)):
            return await problem(Request(scope), "json_too_deep", 422)(scope, receive, send)

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)


class Idempotency:
    """POSTs with `Idempotency-Key`: the first response is stored; a replay with the same
    body gets it back, a different body gets 422. Keyed per caller.

    The key is claimed, the endpoint runs and the answer is stored in ONE transaction (the session
    is lent to the endpoint's `get_session`), committed before the answer leaves: a node killed
    mid-request leaves neither an order nor a claim, so the client's retry (on any node) runs
    afresh; a node killed after the commit leaves both, and the retry gets the stored answer. A
    concurrent request with the same key waits for the first one's commit and replays its answer
    (409 `idempotency_in_progress` after CLAIM_WAIT). 5xx answers are not stored: the retry runs again."""

    CLAIM_WAIT = "10s"

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", ()))
        key = headers.get(b"idempotency-key")
        if scope["type"] != "http" or scope["method"] != "POST" or not key:
            return await self.app(scope, receive, send)
        key_s = key.decode("latin-1")[:255]
        request = Request(scope)
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        scope_hash = hashlib.sha256(headers.get(b"authorization", b"anon:" + (request.client.host
                                    if request.client else "").encode())).hexdigest()
        request_hash = hashlib.sha256(scope["path"].encode() + b"\n" + body).hexdigest()
        where = (IdempotencyKey.scope == scope_hash, IdempotencyKey.key == key_s)

        try:
            async with db.sessionmaker()() as session:
                # waits while another transaction holds the same key (its request is running)
                await session.execute(text(f"SET LOCAL lock_timeout = '{self.CLAIM_WAIT}'"))
                try:
                    inserted = await session.execute(
                        insert(IdempotencyKey).values(scope=scope_hash, key=key_s, request_hash=request_hash)
                        .on_conflict_do_nothing().returning(IdempotencyKey.key))
                except DBAPIError as e:
                    if getattr(e.orig, "sqlstate", None) != "55P03":  # lock_not_available
                        raise
                    await session.rollback()
                    return await problem(request, "idempotency_in_progress", 409)(scope, receive, send)
                if inserted.first() is None:
                    row = (await session.execute(
                        select(IdempotencyKey.status_code, IdempotencyKey.request_hash, IdempotencyKey.content_type,
                               IdempotencyKey.response_body).where(*where))).first()
                    await session.rollback()
                    if row is None or row.status_code is None:  # claimed and committed without an answer
                        return await problem(request, "idempotency_in_progress", 409)(scope, receive, send)
                    if row.request_hash != request_hash:
                        return await problem(request, "idempotency_key_reused", 422)(scope, receive, send)
                    await send({"type": "http.response.start", "status": row.status_code,
                                "headers": [(b"content-type", (row.content_type or "application/json").encode()),
                                            (b"idempotent-replayed", b"true")]})
                    await send({"type": "http.response.body", "body": (row.response_body or "").encode()})
                    return
                await session.execute(text("SET LOCAL lock_timeout TO DEFAULT"))

                sent = False

                async def replay() -> Message:
                    nonlocal sent
                    if not sent:
                        sent = True
                        return {"type": "http.request", "body": body, "more_body": False}
                    return await receive()

                held: list[Message] = []  # the answer waits for the commit

                async def capture(message: Message) -> None:
                    held.append(message)

                scope[db.LENT_SESSION] = session
                try:
                    await self.app(scope, replay, capture)
                finally:
                    scope.pop(db.LENT_SESSION, None)
                start = next((m for m in held if m["type"] == "http.response.start"), None)
                status = start["status"] if start else 500
                if status >= 500:  # let the client retry a failure of ours: nothing of it is kept
                    await session.rollback()
                else:
                    content_type = dict(start.get("headers", ())).get(b"content-type", b"").decode() or "application/json"
                    answer = b"".join(m.get("body", b"") for m in held if m["type"] == "http.response.body")
                    values = {"status_code": status, "content_type": content_type,
                              "response_body": answer.decode("utf-8", "replace")}
                    stored = await session.execute(update(IdempotencyKey).where(*where).values(**values)
                                                   .returning(IdempotencyKey.key))
                    if stored.first() is None:  # the endpoint failed and rolled back the claim with its work
                        await session.execute(insert(IdempotencyKey).values(
                            scope=scope_hash, key=key_s, request_hash=request_hash, **values).on_conflict_do_nothing())
                    await session.commit()
        except Exception as e:  # the database went away: nothing was sent yet, nothing kept
            if not database_unavailable(e):
                raise
            return await unavailable(request)(scope, receive, send)
        for message in held:
            await send(message)


class Observability:
    """Request metrics and one access-log line per API request. Cheap on purpose (it runs for every
    request): the metric children are looked up once per (method, route, status), and the log line
    is rendered straight to JSON on stdout (the same fields the structured logger writes)."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self._counters: dict[tuple[str, str, int], object] = {}
        self._timers: dict[tuple[str, str], object] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            elapsed = time.perf_counter() - start
            route = scope.get("route")
            path = scope["path"]
            api = path.startswith("/api")
            name = getattr(route, "path", None) or ("unmatched" if api else "static")
            method = scope["method"]
            counter = self._counters.get((method, name, status))
            if counter is None:
                counter = self._counters[(method, name, status)] = REQUESTS.labels(method, name, str(status))
            timer = self._timers.get((method, name))
            if timer is None:
                timer = self._timers[(method, name)] = LATENCY.labels(method, name)
            counter.inc()
            timer.observe(elapsed)
            if api:
                access_log(method, path, status, elapsed)


def access_log(method: str, path: str, status: int, elapsed: float) -> None:
    """{"method", "path", "status", "ms", "event": "http", "level": "info", "timestamp"} on stdout,
    as the structured logger would write it, without its processor chain."""
    if not _ACCESS.isEnabledFor(logging.INFO):
        return
    line = orjson.dumps({"method": method, "path": path, "status": status, "ms": round(elapsed * 1000, 1),
                         "event": "http", "level": "info",
                         "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z")})
    out = sys.stdout
    try:
        out.buffer.write(line + b"\n") if hasattr(out, "buffer") else out.write(line.decode() + "\n")
    except ValueError:  # stdout closed (a test runner swapped it out)
        pass


_ACCESS = logging.getLogger("anjia.access")


def json_dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)
