"""Ticket analysis for the console: tickets opened in a range of Beijing days, counted by status,
category, root cause, worker, service and region in one statement (GROUPING SETS), a daily trend,
and the same figures as an xlsx workbook (with the tickets themselves)."""
from datetime import date, datetime, time, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.catalog.models import Service
from anjia.core.errors import AppError
from anjia.core.xlsx import sheet, yuan
from anjia.orders.models import Order
from anjia.scheduling.models import Region
from anjia.support import schemas, service, state
from anjia.support.models import Ticket

SH = ZoneInfo("Asia/Shanghai")
MAX_DAYS = 366
DIMENSIONS = ["status", "category", "root_cause", "worker_id", "service_id", "region_id"]
# A ticket breached its SLA: a step stamped by the job, or done after its deadline.
BREACHED = ("(assign_breached_at IS NOT NULL OR response_breached_at IS NOT NULL OR resolve_breached_at IS NOT NULL"
            " OR assigned_at > assign_due_at OR started_at > response_due_at OR resolved_at > resolve_due_at)")
# The tickets of the range, each with its compensation by kind (fen).
RANGE = """
WITH t AS (
  SELECT tk.*, c.coupons, c.refunds
  FROM tickets tk, LATERAL (
    SELECT coalesce(sum((e->>'amount')::bigint) FILTER (WHERE e->>'kind' = 'coupon'), 0) AS coupons,
           coalesce(sum((e->>'amount')::bigint) FILTER (WHERE e->>'kind' = 'refund'), 0) AS refunds
    FROM jsonb_array_elements(tk.compensation) e) c
  WHERE tk.created_at >= :start AND tk.created_at < :end AND (CAST(:kind AS text) IS NULL OR tk.kind = :kind))
"""
UPHELD = "upheld AND status IN ('resolved', 'closed')"
GROUPED = RANGE + f"""
SELECT {', '.join(f'GROUPING({d}) AS g_{d}' for d in DIMENSIONS)}, {', '.join(DIMENSIONS)},
       count(*) AS total, count(*) FILTER (WHERE kind = 'complaint') AS complaints,
       count(*) FILTER (WHERE kind = 'suggestion') AS suggestions,
       count(*) FILTER (WHERE kind = 'follow_up') AS follow_ups,
       count(*) FILTER (WHERE status IN ('resolved', 'closed')) AS resolved,
       count(*) FILTER (WHERE kind = 'complaint' AND status IN ('resolved', 'closed')) AS complaints_resolved,
       count(*) FILTER (WHERE {UPHELD}) AS upheld,
       count(*) FILTER (WHERE {BREACHED}) AS overdue,
       avg(extract(epoch FROM resolved_at - created_at) / 3600) AS avg_hours,
       sum(coupons) AS coupons, sum(refunds) AS refunds
FROM t GROUP BY GROUPING SETS ({', '.join(f'({d})' for d in DIMENSIONS)}, ())
"""
TREND = RANGE + """
SELECT (created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS opened,
       count(*) FILTER (WHERE kind = 'complaint') AS complaints,
       count(*) FILTER (WHERE kind = 'suggestion') AS suggestions,
       count(*) FILTER (WHERE kind = 'follow_up') AS follow_ups
FROM t GROUP BY 1
"""
RESOLVED_BY_DAY = """
SELECT (resolved_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS n FROM tickets
WHERE resolved_at >= :start AND resolved_at < :end AND (CAST(:kind AS text) IS NULL OR kind = :kind) GROUP BY 1
"""


def window(start: date, end: date) -> tuple[datetime, datetime]:
    if start > end or (end - start).days >= MAX_DAYS:
        raise AppError("ticket_analysis_range")
    return datetime.combine(start, time(), SH), datetime.combine(end + timedelta(days=1), time(), SH)


async def _labels(session: AsyncSession, model, ids: set) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = await session.scalars(select(model).where(model.id.in_(ids)))
    if model is User:
        return {u.id: u.nickname or u.username or f"#{u.id}" for u in rows}
    return {r.id: r.name for r in rows}


def _label(dim: str, key, names: dict) -> str:
    if dim == "status":
        return state.LABELS[state.Status(key)][0]
    if dim == "category":
        return schemas.CATEGORIES[key][0]
    if dim == "root_cause":
        return schemas.ROOT_CAUSES[key][0] if key else "未定（未处理）"
    return names.get(key, f"#{key}")


async def analyse(session: AsyncSession, start: date, end: date, kind: str | None = None) -> schemas.SupportAnalysisOut:
    lo, hi = window(start, end)
    params = {"start": lo, "end": hi, "kind": kind}
    rows = (await session.execute(text(GROUPED), params)).mappings().all()
    total = next(r for r in rows if all(r[f"g_{d}"] for d in DIMENSIONS))
    names = {"worker_id": await _labels(session, User, {r["worker_id"] for r in rows}),
             "service_id": await _labels(session, Service, {r["service_id"] for r in rows}),
             "region_id": await _labels(session, Region, {r["region_id"] for r in rows})}
    buckets: dict[str, list[schemas.SupportBucket]] = {d: [] for d in DIMENSIONS}
    for r in rows:
        dims = [d for d in DIMENSIONS if not r[f"g_{d}"]]
        if len(dims) != 1 or (dims[0] in names and r[dims[0]] is None):  # the total, or no worker/service/region
            continue
        d = dims[0]
        buckets[d].append(schemas.SupportBucket(key=str(r[d]) if r[d] is not None else "", label=_label(d, r[d], names.get(d, {})),
                                         total=r["total"], complaints=r["complaints"], upheld=r["upheld"],
                                         compensation=int(r["coupons"] + r["refunds"])))
    for d, items in buckets.items():
        items.sort(key=lambda b: (-b.complaints, -b.total, b.label) if d == "worker_id" else (-b.total, b.label))
    trend = {r["day"]: r for r in (await session.execute(text(TREND), params)).mappings().all()}
    solved = dict((await session.execute(text(RESOLVED_BY_DAY), params)).all())
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    avg = total["avg_hours"]
    return schemas.SupportAnalysisOut(
        start=start, end=end, total=total["total"], complaints=total["complaints"], suggestions=total["suggestions"],
        follow_ups=total["follow_ups"], resolved=total["resolved"], upheld=total["upheld"],
        upheld_rate=round(total["upheld"] / total["complaints_resolved"], 4) if total["complaints_resolved"] else 0.0,
        overdue=total["overdue"], avg_resolve_hours=round(float(avg), 1) if avg is not None else None,
        compensation_coupons=int(total["coupons"] or 0), compensation_refunds=int(total["refunds"] or 0),
        by_status=buckets["status"], by_category=buckets["category"], by_root_cause=buckets["root_cause"],
        by_worker=buckets["worker_id"][:20], by_service=buckets["service_id"], by_region=buckets["region_id"],
        trend=[schemas.SupportTrendPoint(day=d, opened=trend[d]["opened"] if d in trend else 0,
                                  complaints=trend[d]["complaints"] if d in trend else 0,
                                  suggestions=trend[d]["suggestions"] if d in trend else 0,
                                  follow_ups=trend[d]["follow_ups"] if d in trend else 0,
                                  resolved=solved.get(d, 0)) for d in days])


# ---------------------------------------------------------------- xlsx
BUCKET_HEAD = ["工单数", "投诉数", "成立投诉", "补偿金额（元）"]
SHEETS = [("按状态", "by_status", "状态"), ("按分类", "by_category", "分类"), ("按根因", "by_root_cause", "根因"),
          ("按服务人员", "by_worker", "服务人员"), ("按服务", "by_service", "服务项目"), ("按区域", "by_region", "区域")]


async def workbook(session: AsyncSession, start: date, end: date, kind: str | None = None) -> bytes:
    rep = await analyse(session, start, end, kind)
    wb = Workbook()
    ws = wb.active
    ws.title = "概览"
    ws.append([f"安家投诉与建议分析 {rep.start} 至 {rep.end}"])
    ws["A1"].font = Font(bold=True, size=13)
    for label, value in [("工单总数", rep.total), ("投诉", rep.complaints), ("建议", rep.suggestions),
                         ("低分回访", rep.follow_ups), ("已处理", rep.resolved), ("成立投诉", rep.upheld),
                         ("投诉成立率", rep.upheld_rate), ("超时工单", rep.overdue),
                         ("平均处理时长（小时）", rep.avg_resolve_hours if rep.avg_resolve_hours is not None else "—"),
                         ("补偿：优惠券（元）", yuan(rep.compensation_coupons)),
                         ("补偿：退款（元）", yuan(rep.compensation_refunds))]:
        ws.append([label, value])
    ws["B8"].number_format = "0.0%"
    ws["B11"].number_format = ws["B12"].number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 16
    for title, attr, head in SHEETS:
        sheet(wb, title, [head, *BUCKET_HEAD],
               [[b.label, b.total, b.complaints, b.upheld, yuan(b.compensation)] for b in getattr(rep, attr)], (5,), width=16)
    sheet(wb, "趋势", ["日期", "新增", "投诉", "建议", "低分回访", "处理完成"],
           [[p.day.isoformat(), p.opened, p.complaints, p.suggestions, p.follow_ups, p.resolved] for p in rep.trend], width=16)
    await _tickets_sheet(session, wb, start, end, kind)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def _tickets_sheet(session: AsyncSession, wb: Workbook, start: date, end: date, kind: str | None) -> None:
    lo, hi = window(start, end)
    where = [Ticket.created_at >= lo, Ticket.created_at < hi] + ([Ticket.kind == kind] if kind else [])
    tickets = list(await session.scalars(select(Ticket).where(*where).order_by(Ticket.id)))
    users = await _labels(session, User, {t.worker_id for t in tickets})
    services = await _labels(session, Service, {t.service_id for t in tickets})
    regions = await _labels(session, Region, {t.region_id for t in tickets})
    order_ids = {t.order_id for t in tickets if t.order_id}
    numbers = dict((await session.execute(select(Order.id, Order.number).where(Order.id.in_(order_ids)))).all()) \
        if order_ids else {}
    at = service.now()
    rows = []
    for t in tickets:
        late = any(s.breached for s in service.sla(t, at))
        rows.append([t.number, schemas.KINDS[t.kind][0], schemas.CATEGORIES[t.category][0],
                     state.LABELS[state.Status(t.status)][0], t.created_at.astimezone(SH).strftime("%Y-%m-%d %H:%M"),
                     numbers.get(t.order_id, ""), users.get(t.worker_id, ""), services.get(t.service_id, ""),
                     regions.get(t.region_id, ""), schemas.ROOT_CAUSES[t.root_cause][0] if t.root_cause else "",
                     {True: "是", False: "否"}.get(t.upheld, ""),
                     yuan(sum(c["amount"] for c in t.compensation)), "是" if late else "否", t.content])
    sheet(wb, "工单明细", ["工单号", "类型", "分类", "状态", "提交时间", "订单号", "服务人员", "服务项目", "区域", "根因",
                         "是否成立", "补偿（元）", "超时", "内容"], rows, (12,), width=16)

