"""The FastAPI application: API under /api/v1, the three built front-ends, /metrics."""
import asyncio
import contextlib
import gc
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from anjia import jobs as job_registry
from anjia.accounts import service as accounts
from anjia.accounts.router import admin, auth, me
from anjia.addresses.places import router as places
from anjia.addresses.router import router as addresses
from anjia.catalog import router as catalog
from anjia.config import Settings, check_settings, get_settings
from anjia.core import auth as core_auth
from anjia.core import db, errors, logging, routing
from anjia.core.cache import cache
from anjia.core.middleware import (
    BodyLimit,
    ClientIP,
    Idempotency,
    Observability,
    SecurityHeaders,
    inline_script_hashes,
    metrics_allowed,
)
from anjia.coupons import router as coupons
from anjia.customers import router as customers
from anjia.dispatch import router as dispatch
from anjia.fieldwork import router as fieldwork
from anjia.finance.router import admin as finance
from anjia.notifications.router import router as notifications
from anjia.notifications.router import subscriptions as wechat_subscriptions
from anjia.orders import router as orders
from anjia.payments import router as payments
from anjia.performance import router as performance
from anjia.plans.router import router as plans
from anjia.preferences.router import router as preferences
from anjia.privacy.router import router as privacy
from anjia.realtime.hub import hub
from anjia.realtime.relay import relay
from anjia.realtime.router import router as realtime
from anjia.reviews import router as reviews
from anjia.scheduling import router as scheduling
from anjia.settlement import router as settlement
from anjia.stats.router import admin as stats
from anjia.support import router as support
from anjia.system.router import router as system
from anjia.workforce import router as workforce

# Front-ends: URL prefix -> build output (relative to web_dir).
FRONTENDS = [("/worker", "worker/dist/build/h5"), ("/admin", "admin/dist"), ("/", "customer/dist/build/h5")]


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI):
    db.engine()
    hub.start()
    relay.start()
    cache.start()
    with contextlib.suppress(TimeoutError):  # serve cached reference data from the first request
        await asyncio.wait_for(cache.ready.wait(), 5)
    # What exists now lives as long as the process: keep it out of the cyclic collector's scans,
    # and let the young generation grow (a request allocates thousands of short-lived objects)
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    jobs = None
    if app.state.run_jobs:
        jobs = asyncio.create_task(job_registry.run_worker())
    try:
        yield
    finally:
        if jobs is not None:
            jobs.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await jobs
        await cache.stop()
        await relay.stop()
        await hub.stop()
        await db.dispose()


def form_targets(settings: Settings) -> list[str]:
    """Origins the customer app POSTs a payment form to: UnionPay's gateway, when it is offered."""
    enabled = [n.strip() for n in settings.payment_providers.split(",")]
    if "unionpay" not in enabled:
        return []
    url = urlsplit(settings.unionpay_front_url)
    return [f"{url.scheme}://{url.netloc}"]


def image_sources(settings: Settings) -> list[str]:
    """The map tile host the apps load images from, when MAP_TILES_URL is set (a `{s}` subdomain
    label becomes `*`)."""
    if not settings.map_tiles_url:
        return []
    scheme, rest = settings.map_tiles_url.split("://", 1)
    netloc = rest.split("/", 1)[0].split("?", 1)[0]
    host = ".".join("*" if "{s}" in label else label for label in netloc.split("."))
    return [f"{scheme}://{host}"]


def media_sources(settings: Settings) -> list[str]:
    """Where the pages load record photos and videos from besides us: the bucket's public address
    when media live in S3 (presigned links point there; an https endpoint is already allowed for
    images, a MinIO on http is not, and videos need media-src either way). Virtual-hosted links put
    the bucket in front of the host, hence the `*.` form for a named host."""
    endpoint = settings.s3_public_endpoint_url or settings.s3_endpoint_url
    if settings.storage_backend != "s3" or not endpoint:
        return []
    scheme, rest = endpoint.split("://", 1)
    netloc = rest.split("/", 1)[0]
    host = netloc.rsplit(":", 1)[0].strip("[]")
    named = not (host.replace(".", "").isdigit() or ":" in host or host == "localhost")
    return [f"{scheme}://{netloc}"] + ([f"{scheme}://*.{netloc}"] if named else [])


def create_app(*, run_jobs: bool | None = None, serve_frontends: bool = True) -> FastAPI:
    settings = get_settings()
    check_settings(settings)  # outside development: a strong secret and no development-only provider
    logging.configure()
    app = FastAPI(title="安家 anjia API", version="0.1.0", lifespan=lifespan, docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None)
    app.state.run_jobs = settings.run_jobs_in_process if run_jobs is None else run_jobs
    errors.install(app)
    core_auth.use_user_loader(accounts.get_user)  # core.auth asks accounts who a token names
    default_openapi = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = errors.document(default_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    # Each domain's router straight under the app (no intermediate /api/v1 router to walk), and a
    # path-prefix index in front of the table (core.routing).
    for router in (system, auth, me, admin, realtime, catalog.public, catalog.admin, addresses, places, scheduling.public,
                   orders.booking, orders.preview, workforce.worker, workforce.signup_router, scheduling.admin, workforce.admin, orders.router, orders.admin,
                   plans, fieldwork.worker, dispatch.admin, fieldwork.admin, fieldwork.public,
                   notifications, wechat_subscriptions, payments.router, payments.notify, payments.admin, finance, settlement.worker,
                   settlement.admin, coupons.me, coupons.admin, support.customer,
                   support.admin, preferences, reviews.public, reviews.customer, reviews.worker, reviews.admin,
                   performance.worker, performance.admin, privacy, customers.admin, customers.campaign_admin, stats):
        app.include_router(router, prefix="/api/v1")
    routing.install(app)

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        refused = metrics_allowed(request)  # METRICS_TOKEN, or loopback only
        if refused:
            return errors.problem(request, refused, 401 if refused == "not_authenticated" else 403,
                                  headers={"WWW-Authenticate": "Bearer"} if refused == "not_authenticated" else None)
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    inline: dict[str, list[str]] = {}
    if serve_frontends:
        for prefix, rel in FRONTENDS:
            directory = Path(settings.web_dir) / rel
            if directory.is_dir():
                app.mount(prefix, StaticFiles(directory=directory, html=True), name=f"web{prefix}")
                index = directory / "index.html"
                inline[prefix] = inline_script_hashes(index.read_text("utf-8")) if index.is_file() else []
            else:
                app.add_api_route(prefix if prefix != "/" else "/", _not_built(rel), include_in_schema=False)

    # Added innermost first: metrics see everything, the body cap runs before idempotency buffers.
    app.add_middleware(Idempotency)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders, frontends=inline, form_targets=form_targets(settings),
                       image_sources=image_sources(settings), media_sources=media_sources(settings))
    app.add_middleware(Observability)
    app.add_middleware(ClientIP)  # before anything reads the client's address
    return app


def _not_built(rel: str):
    async def page() -> HTMLResponse:
        return HTMLResponse(f"<meta charset=utf-8><h1>前端尚未构建</h1><p>web/{rel} is missing: run <code>make build</code>.</p>",
                            status_code=503)
    return page


def create_api_app() -> FastAPI:
    """The API alone (no job worker, no front-ends): for extra API nodes and tests."""
    return create_app(run_jobs=False, serve_frontends=False)
