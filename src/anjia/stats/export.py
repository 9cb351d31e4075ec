"""The statistics workbook: the trend, each dimension, the funnel and the cancellation reasons of
one choice of range and filters (the same figures the console's charts show)."""
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.core.xlsx import sheet, yuan
from anjia.stats import schemas, service

HEAD = ["订单数", "支付订单", "GMV（元）", "实收（元）", "退款（元）", "净收（元）", "完成", "取消", "评价", "客户数",
        "新客", "老客", "客单价（元）"]
MONEY = (3, 4, 5, 6, 13)  # 1-based within HEAD
DIMENSIONS = [("region", "按区域", "区域"), ("service", "按服务", "服务"), ("source", "按渠道", "渠道"),
              ("segment", "按客群", "客群")]


def _values(f: schemas.StatsFigures) -> list:
    return [f.orders, f.paid_orders, yuan(f.gmv), yuan(f.paid_amount), yuan(f.refunded_amount), yuan(f.net_amount),
            f.completed, f.cancelled, f.reviewed, f.customers, f.new_customers, f.returning_customers, yuan(f.avg_price)]


async def workbook(session: AsyncSession, start: date, end: date, *, period: str = "day", **filters) -> bytes:
    trend = await service.report(session, start, end, period=period, **filters)
    wb = Workbook()
    ws = wb.active
    ws.title = "概览"
    ws.append([f"安家经营统计 {start} 至 {end}"])
    ws["A1"].font = Font(bold=True, size=13)
    for label, value in zip(HEAD, _values(trend.totals), strict=True):
        ws.append([label, value])
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 16
    sheet(wb, "趋势", ["日期", *HEAD], [[r.bucket.isoformat(), *_values(r)] for r in trend.rows],
           tuple(c + 1 for c in MONEY))
    for by, title, head in DIMENSIONS:
        rep = await service.report(session, start, end, period="all", by=by, **filters)
        rows = sorted(rep.rows, key=lambda r: -r.gmv)
        sheet(wb, title, [head, *HEAD], [[r.label or r.key, *_values(r)] for r in rows], tuple(c + 1 for c in MONEY))
    fun = await service.funnel(session, start, end, **filters)
    sheet(wb, "转化漏斗", ["环节", "订单数", "占下单", "占上一步"],
           [[s.label, s.orders, s.rate, s.step_rate] for s in fun.steps])
    cancel = await service.cancellations(session, start, end, **filters)
    sheet(wb, "取消原因", ["原因", "订单数", "占比"], [[r.label, r.orders, r.share] for r in cancel.reasons])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
