"""The job registry: every domain's periodic tasks on one procrastinate app. Assembled here, above
the domains (core only provides the queue connection and the transaction helper)."""
import procrastinate

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
    async with job_app().open_async():
        await job_app().run_worker_async(install_signal_handlers=False, concurrency=2)
