"""The job registry: every domain's periodic tasks on one procrastinate app. Assembled here, above
the domains (core only provides the queue connection and the transaction helper)."""
import asyncio
import contextlib

import procrastinate
import psycopg
import structlog

from anjia.accounts.tasks import blueprint as accounts_tasks
from anjia.core import db
from anjia.coupons.tasks import blueprint as coupons_tasks
from anjia.customers.tasks import blueprint as customers_tasks
from anjia.dispatch.tasks import blueprint as dispatch_tasks
from anjia.finance.tasks import blueprint as finance_tasks
from anjia.notifications.tasks import blueprint as notification_tasks
from anjia.orders.tasks import blueprint as orders_tasks
from anjia.payments.tasks import blueprint as payments_tasks
from anjia.performance.tasks import blueprint as performance_tasks
from anjia.plans.tasks import blueprint as plans_tasks
from anjia.privacy.tasks import blueprint as privacy_tasks
from anjia.reviews.tasks import blueprint as reviews_tasks
from anjia.settlement.tasks import blueprint as settlement_tasks
from anjia.sms.tasks import blueprint as sms_tasks
from anjia.stats.tasks import blueprint as stats_tasks
from anjia.support.tasks import blueprint as support_tasks
from anjia.workforce.tasks import blueprint as workforce_tasks

log = structlog.get_logger()
RESTART_SECONDS = 2
WATCH_SECONDS = 2
_app: procrastinate.App | None = None


def job_app() -> procrastinate.App:
    global _app
    if _app is None:
        _app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=db.resolve_database_url()))
        _app.add_tasks_from(accounts_tasks, namespace="accounts")
        _app.add_tasks_from(orders_tasks, namespace="orders")
        _app.add_tasks_from(plans_tasks, namespace="plans")
        _app.add_tasks_from(privacy_tasks, namespace="privacy")
        _app.add_tasks_from(dispatch_tasks, namespace="dispatch")
        _app.add_tasks_from(notification_tasks, namespace="notifications")
        _app.add_tasks_from(payments_tasks, namespace="payments")
        _app.add_tasks_from(finance_tasks, namespace="finance")
        _app.add_tasks_from(settlement_tasks, namespace="settlement")
        _app.add_tasks_from(coupons_tasks, namespace="coupons")
        _app.add_tasks_from(support_tasks, namespace="support")
        _app.add_tasks_from(reviews_tasks, namespace="reviews")
        _app.add_tasks_from(performance_tasks, namespace="performance")
        _app.add_tasks_from(workforce_tasks, namespace="workforce")
        _app.add_tasks_from(customers_tasks, namespace="customers")
        _app.add_tasks_from(sms_tasks, namespace="sms")
        _app.add_tasks_from(stats_tasks, namespace="stats")
    return _app


async def run_worker() -> None:
    """Run the worker, and start it afresh when the database went away (restart, failover): procrastinate
    stops its worker when its LISTEN connection fails and its pool keeps backing off, so a watch
    connection tells when the database is lost and back, and the process lives on — jobs resume."""
    url = db.resolve_database_url()
    while True:
        app = job_app()
        try:
            await app.open_async()
        except Exception as e:
            log.warning("job_worker_waiting_for_database", error=_first_line(e))
            await asyncio.sleep(RESTART_SECONDS)
            continue
        worker = asyncio.create_task(app.run_worker_async(install_signal_handlers=False, concurrency=2))
        try:
            lost = await _watch(url, worker)
        finally:
            worker.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(asyncio.shield(worker), 10)
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(app.connector.close_async(), 5)
            app.connector._async_pool = None  # a pool that did not close is dropped, not reused
        if not lost:
            return
        log.warning("job_worker_restarting", reason="database connection lost")
        await asyncio.sleep(RESTART_SECONDS)


async def _watch(url: str, worker: asyncio.Task) -> bool:
    """Until the worker ends (False) or the database stops answering (True)."""
    conn = None
    try:
        while not worker.done():
            try:
                if conn is None:
                    conn = await psycopg.AsyncConnection.connect(url, autocommit=True, connect_timeout=3)
                await asyncio.wait_for(conn.execute("SELECT 1"), 5)
            except Exception:
                return True
            await asyncio.wait({worker}, timeout=WATCH_SECONDS)
        worker.result()  # a failure of the worker itself surfaces here
        return False
    finally:
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
