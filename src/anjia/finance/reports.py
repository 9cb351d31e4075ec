"""Finance reports, read from the ledger: every figure is a sum of postings (never a copy kept
beside them), bucketed by day or month in Beijing time and attributed through the entry's order
(region, service) or payment (provider). One SQL statement per report; the xlsx export and the
chart series are shapes of the same rows."""
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.catalog.models import Service
from anjia.core.errors import AppError
from anjia.core.security import now
from anjia.finance import schemas
from anjia.finance.service import SH, day_window
from anjia.ledger import service as ledger
from anjia.payments import registry
from anjia.scheduling.models import Region

# metric: (名称, name). Signs: each figure is positive in its normal direction.
METRICS: dict[str, tuple[str, str]] = {
    "revenue": ("平台收入（佣金）", "Revenue (commission)"),
    "cancel_fees": ("取消费收入", "Cancellation fees"),
    "collected": ("收款总额", "Payments collected"),
    "refunds": ("退款", "Refunds"),
    "coupon_expense": ("优惠券支出", "Coupon expense"),
    "payables_accrued": ("应付服务人员（计提）", "Worker payables accrued"),
    "payables_paid": ("应付服务人员（已付）", "Worker payables paid"),
}
GROUP_LABELS = {"region": "区域", "service": "服务", "provider": "支付渠道"}
GROUP_SQL = {None: "NULL::text", "region": "o.region_id::text", "service": "o.service_id::text",
             "provider": "p.provider"}
MAX_DAYS, MAX_MONTHS = 366, 36

# collected: money in from customers (provider clearing, cash) on payment entries (top-ups included,
# balance payments not: that money came in at the top-up). refunds: money handed back (the refund
# entries' release of refunds_payable, whatever the route back).
REPORT_SQL = """
SELECT date_trunc(:period, e.created_at AT TIME ZONE 'Asia/Shanghai')::date AS bucket, {group} AS grp,
       coalesce(-sum(po.amount) FILTER (WHERE a.kind = 'revenue'), 0) AS revenue,
       coalesce(-sum(po.amount) FILTER (WHERE a.kind = 'cancel_fees'), 0) AS cancel_fees,
       coalesce(sum(po.amount) FILTER (WHERE a.kind IN ('clearing', 'cash')
                                         AND e.kind IN ('payment', 'late_payment')), 0) AS collected,
       coalesce(sum(po.amount) FILTER (WHERE a.kind = 'refunds_payable' AND e.kind = 'refund'), 0) AS refunds,
       coalesce(sum(po.amount) FILTER (WHERE a.kind = 'coupon_expense'), 0) AS coupon_expense,
       coalesce(-sum(po.amount) FILTER (WHERE a.kind = 'worker_payable' AND po.amount < 0), 0) AS payables_accrued,
       coalesce(sum(po.amount) FILTER (WHERE a.kind = 'worker_payable' AND po.amount > 0), 0) AS payables_paid
FROM journal_entries e
JOIN postings po ON po.entry_id = e.id
JOIN ledger_accounts a ON a.id = po.account_id
LEFT JOIN orders o ON o.id = e.order_id
LEFT JOIN payments p ON p.id = e.payment_id
WHERE e.created_at >= :start AND e.created_at < :end
  AND a.kind IN ('revenue', 'cancel_fees', 'clearing', 'cash', 'refunds_payable', 'coupon_expense', 'worker_payable')
GROUP BY 1, 2
ORDER BY 1, 2 NULLS LAST
"""


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _buckets(period: str, start: date, end: date) -> list[date]:
    if period == "day":
        return [start + timedelta(days=i) for i in range((end - start).days + 1)]
    first = start.replace(day=1)
    out = []
    for i in range(_months(start, end)):
        y, m = divmod(first.month - 1 + i, 12)
        out.append(date(first.year + y, m + 1, 1))
    return out


async def _labels(session: AsyncSession, group_by: str | None, keys: set[str]) -> dict[str, str]:
    ids = [int(k) for k in keys if k and k.isdigit()]
    if group_by == "region":
        return {str(i): n for i, n in await session.execute(select(Region.id, Region.name).where(Region.id.in_(ids)))}
    if group_by == "service":
        return {str(i): n for i, n in await session.execute(select(Service.id, Service.name)
                                                            .where(Service.id.in_(ids)))}
    if group_by == "provider":
        return {k: registry.LABELS[k][0] for k in keys if k in registry.LABELS}
    return {}


async def report(session: AsyncSession, period: str, start: date, end: date, group_by: str | None
                 ) -> schemas.ReportOut:
    if start > end or (period == "day" and (end - start).days >= MAX_DAYS) or \
            (period == "month" and _months(start, end) > MAX_MONTHS):
        raise AppError("report_range")
    lo, hi = day_window(start)[0], day_window(end)[1]
    rows = (await session.execute(text(REPORT_SQL.format(group=GROUP_SQL[group_by])),
                                  {"period": period, "start": lo, "end": hi})).all()
    labels = await _labels(session, group_by, {r.grp for r in rows if r.grp})
    none_label = {"region": "未归属区域", "service": "未归属服务", "provider": "无支付渠道"}.get(group_by or "")
    out_rows = [schemas.ReportRow(bucket=r.bucket, group=r.grp, group_label=labels.get(r.grp, r.grp) if r.grp
                                  else none_label, **{m: int(getattr(r, m)) for m in METRICS}) for r in rows]
    totals = schemas.ReportTotals(**{m: sum(getattr(r, m) for r in out_rows) for m in METRICS})
    buckets = _buckets(period, start, end)
    index = {b: i for i, b in enumerate(buckets)}
    series = {m: [0] * len(buckets) for m in METRICS}
    for r in out_rows:
        for m in METRICS:
            series[m][index[r.bucket]] += getattr(r, m)
    return schemas.ReportOut(
        period=period, start=start, end=end, group_by=group_by,
        metrics=[schemas.MetricOut(key=k, label=zh, label_en=en) for k, (zh, en) in METRICS.items()],
        rows=out_rows, totals=totals,
        chart=schemas.Chart(buckets=buckets, series=[schemas.Series(metric=m, label=METRICS[m][0], data=series[m])
                                                      for m in METRICS]))


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def workbook(rep: schemas.ReportOut) -> bytes:
    """The report as an xlsx sheet: Chinese headers, yuan as numbers with two decimals, a totals row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "财务报表"
    ws.append([f"安家财务报表 {rep.start} 至 {rep.end}（{'按日' if rep.period == 'day' else '按月'}，单位：元）"])
    ws["A1"].font = Font(bold=True, size=13)
    head = ["日期" if rep.period == "day" else "月份"] + ([GROUP_LABELS[rep.group_by]] if rep.group_by else []) + \
        [zh for zh, _ in METRICS.values()]
    ws.append(head)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
        cell.alignment = Alignment(horizontal="center")
    money_from = 3 if rep.group_by else 2  # first amount column (1-based)
    for r in rep.rows:
        bucket = r.bucket.isoformat() if rep.period == "day" else r.bucket.strftime("%Y-%m")
        ws.append([bucket] + ([r.group_label or ""] if rep.group_by else []) +
                  [_yuan(getattr(r, m)) for m in METRICS])
    ws.append(["合计"] + ([""] if rep.group_by else []) + [_yuan(getattr(rep.totals, m)) for m in METRICS])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=3, min_col=money_from):
        for cell in row:
            cell.number_format = "#,##0.00"
    for i, width in enumerate([12] + ([14] if rep.group_by else []) + [18] * len(METRICS), start=1):
        ws.column_dimensions[ws.cell(row=2, column=i).column_letter].width = width
    ws.freeze_panes = "A3"
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def overview(session: AsyncSession) -> dict:
    """Today and month to date, and every account's balance (per-person accounts summed by kind,
    provider clearing shown per provider)."""
    today = now().astimezone(SH).date()
    day = await report(session, "day", today, today, None)
    month = await report(session, "month", today.replace(day=1), today, None)
    by_code: dict[str, int] = {}
    for code, amount in (await ledger.balances(session)).items():
        kind = code.partition(":")[0]
        key = code if kind == "clearing" else kind
        by_code[key] = by_code.get(key, 0) + amount
    balances = []
    for key in sorted(by_code, key=lambda k: (list(ledger.CHART).index(k.partition(":")[0]), k)):
        kind, _, provider = key.partition(":")
        side, zh, en = ledger.CHART[kind]
        if provider:
            zh, en = f"{zh}·{registry.LABELS.get(provider, (provider, provider))[0]}", \
                f"{en} · {registry.LABELS.get(provider, (provider, provider))[1]}"
        balances.append(schemas.AccountBalance(code=key, label=zh, label_en=en, side=side, balance=by_code[key]))
    return {"today": schemas.Tile(label="今日", start=today, end=today, totals=day.totals),
            "month": schemas.Tile(label="本月累计", start=month.start, end=today, totals=month.totals),
            "balances": balances}
