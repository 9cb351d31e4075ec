"""Daily reconciliation: each provider's bill for a day, matched line by line with what we
recorded — succeeded payments and refunds of that provider and what our ledger booked for them
through the provider's clearing account.

The bill is COPYed into a temporary table and matched in one FULL OUTER JOIN, so a day of a
million lines takes seconds, not a million round trips. Categories:
  matched         in the bill and ours, same amount
  missing_here    in the bill, not ours (money we do not know about)
  missing_there   ours, not in the bill (money we booked that the provider did not move)
  amount_differs  both, different amounts (including a record whose ledger entry is missing)
Our side is what settled on the provider's day (Asia/Shanghai), plus any record the bill names
whatever day we stamped it: a payment we saw at 23:59:59 and the provider at 00:00:01 matches on
the provider's day instead of showing twice.
"""
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.core import audit
from anjia.core.errors import AppError
from anjia.core.paging import Page
from anjia.core.security import now
from anjia.finance import schemas
from anjia.finance.models import ReconciliationDifference, ReconciliationRun
from anjia.ledger import service as ledger
from anjia.ledger.service import credit, debit
from anjia.payments import registry
from anjia.providers.payments.base import BillLine, ProviderError

log = structlog.get_logger()
SH = ZoneInfo("Asia/Shanghai")  # providers' bills are cut at midnight Beijing time
COPY_CHUNK = 50_000
NULL = "\\N"
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})  # COPY text format


def day_window(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=SH)
    return start, start + timedelta(days=1)


def today() -> date:
    return now().astimezone(SH).date()


def yesterday() -> date:
    return today() - timedelta(days=1)


def _check(provider: str, day: date) -> None:
    if provider not in registry.enabled():
        raise AppError("reconciliation_provider")
    if day > yesterday():
        raise AppError("reconciliation_day")


async def _load_bill(session: AsyncSession, lines: list[BillLine]) -> None:
    """The bill into a temporary table (dropped at commit) through COPY."""
    await session.execute(text("DROP TABLE IF EXISTS bill_lines"))
    await session.execute(text("CREATE TEMP TABLE bill_lines (kind text NOT NULL, out_no text NOT NULL, "
                               "external_id text, amount bigint NOT NULL, at timestamptz) ON COMMIT DROP"))
    raw = await (await session.connection()).get_raw_connection()
    async with raw.driver_connection.cursor() as cur:
        async with cur.copy("COPY bill_lines (kind, out_no, external_id, amount, at) FROM STDIN") as copy:
            for i in range(0, len(lines), COPY_CHUNK):
                await copy.write("".join(
                    f"{b.kind}\t{b.out_no.translate(_ESCAPE)}\t{(b.external_id or '').translate(_ESCAPE)}\t"
                    f"{int(b.amount)}\t{b.at.isoformat() if b.at else NULL}\n" for b in lines[i:i + COPY_CHUNK]))
    await session.execute(text("ANALYZE bill_lines"))


# One statement: the bill against our records and their ledger amounts; the differences upserted
# (a resolution survives a re-run), the counts and totals returned.
MATCH = text("""
WITH bill AS (
    SELECT kind, left(out_no, 64) AS out_no, sum(amount) AS amount, left(min(external_id), 64) AS external_id,
           min(at) AS at
    FROM bill_lines GROUP BY 1, 2
), ours_payments AS (
    SELECT p.id, p.number, p.paid_at FROM payments p
    WHERE p.provider = :provider AND p.status = 'succeeded'
      AND (p.paid_at >= :start AND p.paid_at < :end
           OR p.number IN (SELECT out_no FROM bill WHERE kind = 'payment'))
), ours_refunds AS (
    SELECT r.id, r.number, r.payment_id, r.refunded_at FROM refunds r JOIN payments p ON p.id = r.payment_id
    WHERE p.provider = :provider AND r.status = 'succeeded'
      AND (r.refunded_at >= :start AND r.refunded_at < :end
           OR r.number IN (SELECT out_no FROM bill WHERE kind = 'refund'))
), booked_payments AS (
    SELECT e.payment_id, sum(po.amount) AS amount
    FROM journal_entries e JOIN postings po ON po.entry_id = e.id
    WHERE po.account_id = :clearing AND e.refund_id IS NULL AND e.payment_id IN (SELECT id FROM ours_payments)
    GROUP BY 1
), booked_refunds AS (
    SELECT e.refund_id, -sum(po.amount) AS amount
    FROM journal_entries e JOIN postings po ON po.entry_id = e.id
    WHERE po.account_id = :clearing AND e.refund_id IN (SELECT id FROM ours_refunds)
    GROUP BY 1
), ours AS (
    SELECT 'payment'::text AS kind, o.number AS out_no, o.id AS payment_id, NULL::bigint AS refund_id,
           o.paid_at AS at, coalesce(b.amount, 0) AS amount
    FROM ours_payments o LEFT JOIN booked_payments b ON b.payment_id = o.id
    UNION ALL
    SELECT 'refund', o.number, o.payment_id, o.id, o.refunded_at, coalesce(b.amount, 0)
    FROM ours_refunds o LEFT JOIN booked_refunds b ON b.refund_id = o.id
), joined AS MATERIALIZED (
    SELECT coalesce(b.kind, o.kind) AS kind, coalesce(b.out_no, o.out_no) AS out_no,
           b.amount AS bill_amount, o.amount AS our_amount, b.external_id, coalesce(b.at, o.at) AS at,
           o.payment_id, o.refund_id,
           CASE WHEN o.out_no IS NULL THEN 'missing_here' WHEN b.out_no IS NULL THEN 'missing_there'
                WHEN b.amount <> o.amount THEN 'amount_differs' ELSE 'matched' END AS category
    FROM bill b FULL OUTER JOIN ours o ON o.kind = b.kind AND o.out_no = b.out_no
), saved AS (
    INSERT INTO reconciliation_differences (run_id, attempt, kind, out_no, category, bill_amount, our_amount,
                                            external_id, at, payment_id, refund_id)
    SELECT :run, :attempt, kind, out_no, category, bill_amount, our_amount, external_id, at, payment_id, refund_id
    FROM joined WHERE category <> 'matched'
    ON CONFLICT ON CONSTRAINT uq_reconciliation_differences_line DO UPDATE SET
        attempt = excluded.attempt, category = excluded.category, bill_amount = excluded.bill_amount,
        our_amount = excluded.our_amount, external_id = excluded.external_id, at = excluded.at,
        payment_id = excluded.payment_id, refund_id = excluded.refund_id
    RETURNING 1
)
SELECT (SELECT count(*) FROM saved) AS saved,
       count(*) FILTER (WHERE category = 'matched') AS matched,
       count(*) FILTER (WHERE category = 'missing_here') AS missing_here,
       count(*) FILTER (WHERE category = 'missing_there') AS missing_there,
       count(*) FILTER (WHERE category = 'amount_differs') AS amount_differs,
       coalesce(sum(bill_amount) FILTER (WHERE kind = 'payment'), 0) AS bill_payments,
       coalesce(sum(bill_amount) FILTER (WHERE kind = 'refund'), 0) AS bill_refunds,
       coalesce(sum(our_amount) FILTER (WHERE kind = 'payment'), 0) AS our_payments,
       coalesce(sum(our_amount) FILTER (WHERE kind = 'refund'), 0) AS our_refunds
FROM joined
""")


async def _open_run(session: AsyncSession, provider: str, day: date, actor: User | None) -> ReconciliationRun:
    """The day's run row, created or taken over for a new attempt; its row lock serialises two
    runs of the same day."""
    run_id = await session.scalar(text("""
        INSERT INTO reconciliation_runs (provider, day, status, attempt, bill_lines, matched, missing_here,
            missing_there, amount_differs, bill_payments, bill_refunds, our_payments, our_refunds, started_by)
        VALUES (:provider, :day, 'running', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, :actor)
        ON CONFLICT ON CONSTRAINT uq_reconciliation_runs_provider_day DO UPDATE SET
            attempt = reconciliation_runs.attempt + 1, status = 'running', error = NULL, started_at = now(),
            finished_at = NULL, started_by = excluded.started_by
        RETURNING id"""), {"provider": provider, "day": day, "actor": actor.id if actor else None})
    run = await session.get(ReconciliationRun, run_id, populate_existing=True)
    assert run is not None
    return run


async def reconcile(session: AsyncSession, provider: str, day: date, actor: User | None = None
                    ) -> ReconciliationRun:
    """Download the provider's bill for `day` and match it; re-running a day replaces its open
    differences and keeps the resolved ones."""
    _check(provider, day)
    run = await _open_run(session, provider, day, actor)
    started = time.perf_counter()
    try:
        lines = await registry.get(provider).bill(day)
    except (ProviderError, ValueError) as e:  # unreachable, refused, or a bill we cannot trust (hash, format)
        run.status, run.error, run.finished_at = "failed", str(e)[:200], now()
        await session.flush()
        log.warning("reconciliation_failed", provider=provider, day=str(day), error=run.error)
        return run
    fetched = time.perf_counter()
    await _load_bill(session, lines)
    loaded = time.perf_counter()
    clearing = (await ledger.account_ids(session, [f"clearing:{provider}"]))[f"clearing:{provider}"]
    start, end = day_window(day)
    r = (await session.execute(MATCH, {"provider": provider, "start": start, "end": end, "clearing": clearing,
                                       "run": run.id, "attempt": run.attempt})).one()
    log.info("reconciled", provider=provider, day=str(day), lines=len(lines), differences=r.saved,
             bill_s=round(fetched - started, 2), copy_s=round(loaded - fetched, 2),
             match_s=round(time.perf_counter() - loaded, 2))
    # Open differences this attempt no longer sees are gone (corrected since); resolved ones stay.
    await session.execute(text("DELETE FROM reconciliation_differences WHERE run_id = :run AND attempt <> :attempt "
                               "AND resolved_at IS NULL"), {"run": run.id, "attempt": run.attempt})
    run.bill_lines = len(lines)
    run.matched, run.missing_here, run.missing_there, run.amount_differs = (
        r.matched, r.missing_here, r.missing_there, r.amount_differs)
    run.bill_payments, run.bill_refunds, run.our_payments, run.our_refunds = (
        r.bill_payments, r.bill_refunds, r.our_payments, r.our_refunds)
    run.status = "differences" if r.saved else "balanced"
    run.finished_at = now()
    await session.flush()
    return run


async def run_now(session: AsyncSession, actor: User, body: schemas.RunIn, ip: str | None) -> schemas.RunOut:
    """Finance re-runs a day (a late bill, or after fixing records); audited."""
    _check(body.provider, body.day)
    before = await session.scalar(select(ReconciliationRun).where(ReconciliationRun.provider == body.provider,
                                                                  ReconciliationRun.day == body.day))
    before_state = {"status": before.status, "attempt": before.attempt} if before else None
    run = await reconcile(session, body.provider, body.day, actor)
    await audit.record(session, actor, "reconciliation.run", "reconciliation_run", run.id, before_state,
                       {"provider": run.provider, "day": run.day.isoformat(), "status": run.status,
                        "attempt": run.attempt, "differences": run.missing_here + run.missing_there
                        + run.amount_differs}, ip=ip)
    return await run_out(session, run)


# ---------------------------------------------------------------- resolving
async def resolve(session: AsyncSession, actor: User, difference_id: int, body: schemas.ResolveIn,
                  ip: str | None) -> schemas.DifferenceOut:
    """Finance closes a difference, once: `adjusted` posts a correcting entry that brings our
    clearing account to what the provider moved (so the day matches when re-run);
    `provider_error` and `ignored_with_reason` record why nothing is posted."""
    diff = await session.get(ReconciliationDifference, difference_id, with_for_update=True)
    if diff is None:
        raise AppError("reconciliation_difference_not_found")
    if diff.resolved_at is not None:
        raise AppError("reconciliation_resolved")
    run = await session.get(ReconciliationRun, diff.run_id)
    if body.resolution == "adjusted":
        if body.counter_account is None:
            raise AppError("reconciliation_adjustment_account", errors=[
                {"field": "counter_account", "message": "required for an adjustment"}])
        delta = (diff.bill_amount or 0) - (diff.our_amount or 0)  # what the provider moved beyond our books
        if delta == 0:
            raise AppError("reconciliation_nothing_to_adjust")
        sign = 1 if diff.kind == "payment" else -1  # payments come into clearing, refunds leave it
        clearing = f"clearing:{run.provider}"
        entry = await ledger.post(session, "reconciliation", [debit(clearing, sign * delta),
                                                              credit(body.counter_account, sign * delta)],
                                  memo=f"对账调整 {run.provider} {run.day} {diff.out_no}: {body.note}",
                                  payment_id=diff.payment_id, refund_id=diff.refund_id,
                                  reference=f"recon:{diff.id}", actor_id=actor.id)
        diff.entry_id = entry
    diff.resolution, diff.note, diff.resolved_by, diff.resolved_at = body.resolution, body.note, actor.id, now()
    await session.flush()
    await audit.record(session, actor, "reconciliation.resolve", "reconciliation_difference", diff.id,
                       {"resolution": None, "category": diff.category},
                       {"resolution": diff.resolution, "note": diff.note, "entry_id": diff.entry_id,
                        "counter_account": body.counter_account}, ip=ip)
    return difference_out(diff, run)


# ---------------------------------------------------------------- reading
async def _open_counts(session: AsyncSession, run_ids: list[int]) -> dict[int, int]:
    if not run_ids:
        return {}
    rows = await session.execute(select(ReconciliationDifference.run_id, func.count()).where(
        ReconciliationDifference.run_id.in_(run_ids), ReconciliationDifference.resolved_at.is_(None))
        .group_by(ReconciliationDifference.run_id))
    return dict(rows.all())


def _run_out(run: ReconciliationRun, open_differences: int) -> schemas.RunOut:
    return schemas.RunOut(
        id=run.id, provider=run.provider, provider_label=registry.LABELS.get(run.provider, (run.provider,))[0],
        day=run.day, status=run.status, attempt=run.attempt, bill_lines=run.bill_lines, matched=run.matched,
        missing_here=run.missing_here, missing_there=run.missing_there, amount_differs=run.amount_differs,
        open_differences=open_differences, bill_payments=run.bill_payments, bill_refunds=run.bill_refunds,
        our_payments=run.our_payments, our_refunds=run.our_refunds, error=run.error, started_by=run.started_by,
        started_at=run.started_at, finished_at=run.finished_at)


async def run_out(session: AsyncSession, run: ReconciliationRun) -> schemas.RunOut:
    return _run_out(run, (await _open_counts(session, [run.id])).get(run.id, 0))


def difference_out(d: ReconciliationDifference, run: ReconciliationRun) -> schemas.DifferenceOut:
    return schemas.DifferenceOut(
        id=d.id, run_id=d.run_id, provider=run.provider, day=run.day, kind=d.kind, out_no=d.out_no, category=d.category,
        current=d.attempt == run.attempt, bill_amount=d.bill_amount, our_amount=d.our_amount,
        external_id=d.external_id, at=d.at, payment_id=d.payment_id, refund_id=d.refund_id,
        resolution=d.resolution, note=d.note, entry_id=d.entry_id, resolved_by=d.resolved_by,
        resolved_at=d.resolved_at)


def _check_page(total: int, page: int, size: int) -> None:
    if page > 1 and (page - 1) * size >= total:
        raise AppError("page_out_of_range", errors=[{"field": "page", "message": f"{total} items"}])


async def runs(session: AsyncSession, *, provider: str | None, status: str | None, page: int, size: int
               ) -> Page[schemas.RunOut]:
    q = select(ReconciliationRun)
    if provider:
        q = q.where(ReconciliationRun.provider == provider)
    if status:
        q = q.where(ReconciliationRun.status == status)
    total = await session.scalar(select(func.count()).select_from(q.subquery()))
    _check_page(total, page, size)
    rows = list(await session.scalars(q.order_by(ReconciliationRun.day.desc(), ReconciliationRun.provider)
                                      .offset((page - 1) * size).limit(size)))
    counts = await _open_counts(session, [r.id for r in rows])
    return Page(items=[_run_out(r, counts.get(r.id, 0)) for r in rows], total=total, page=page, page_size=size)


async def run_detail(session: AsyncSession, run_id: int, *, category: str | None, resolved: bool | None,
                     q: str | None, page: int, size: int) -> schemas.RunDetailOut:
    run = await session.get(ReconciliationRun, run_id)
    if run is None:
        raise AppError("reconciliation_run_not_found")
    query = select(ReconciliationDifference).where(ReconciliationDifference.run_id == run_id)
    if category:
        query = query.where(ReconciliationDifference.category == category)
    if resolved is not None:
        query = query.where(ReconciliationDifference.resolved_at.is_not(None) if resolved
                            else ReconciliationDifference.resolved_at.is_(None))
    if q:
        query = query.where(ReconciliationDifference.out_no == q)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    _check_page(total, page, size)
    rows = await session.scalars(query.order_by(ReconciliationDifference.id).offset((page - 1) * size).limit(size))
    return schemas.RunDetailOut(run=await run_out(session, run), differences=Page(
        items=[difference_out(d, run) for d in rows], total=total, page=page, page_size=size))


async def differences(session: AsyncSession, *, provider: str | None, category: str | None, resolved: bool | None,
                      page: int, size: int) -> Page[schemas.DifferenceOut]:
    """Differences across runs, newest day first: the console's to-do list (`resolved=false`)."""
    query = select(ReconciliationDifference, ReconciliationRun).join(
        ReconciliationRun, ReconciliationRun.id == ReconciliationDifference.run_id)
    if provider:
        query = query.where(ReconciliationRun.provider == provider)
    if category:
        query = query.where(ReconciliationDifference.category == category)
    if resolved is not None:
        query = query.where(ReconciliationDifference.resolved_at.is_not(None) if resolved
                            else ReconciliationDifference.resolved_at.is_(None))
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    _check_page(total, page, size)
    rows = await session.execute(query.order_by(ReconciliationRun.day.desc(), ReconciliationDifference.id)
                                 .offset((page - 1) * size).limit(size))
    return Page(items=[difference_out(d, run) for d, run in rows.all()], total=total, page=page, page_size=size)


async def open_differences(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(ReconciliationDifference).where(
        ReconciliationDifference.resolved_at.is_(None)))


async def latest_runs(session: AsyncSession) -> list[schemas.RunOut]:
    """Each provider's most recent run."""
    last = select(ReconciliationRun.provider, func.max(ReconciliationRun.day).label("day")).group_by(
        ReconciliationRun.provider).subquery()
    rows = list(await session.scalars(select(ReconciliationRun).join(
        last, (last.c.provider == ReconciliationRun.provider) & (last.c.day == ReconciliationRun.day))
        .order_by(ReconciliationRun.provider)))
    counts = await _open_counts(session, [r.id for r in rows])
    return [_run_out(r, counts.get(r.id, 0)) for r in rows]
