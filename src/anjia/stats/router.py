"""Operators' statistics: `stats.read` (admin, dispatcher — operations —, finance, auditor). Read from
the replica when one is configured and current (`ReadSession`)."""
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from anjia.core import audit
from anjia.core.auth import ReadSession, WritingSession, client_ip, staff_with
from anjia.core.errors import responses
from anjia.core.params import Id
from anjia.core.types import Day
from anjia.stats import errors, export, schemas, service

admin = APIRouter(prefix="/admin/stats", tags=["admin: statistics"], responses=responses(errors.STATS_RANGE))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
From = Annotated[Day, Query(alias="from")]
To = Annotated[Day, Query(alias="to")]


def _filters(region_id: Id | None = None, service_id: Id | None = None, source: schemas.Source | None = None,
             segment: schemas.CustomerSegment | None = None) -> dict:
    return {"region_id": region_id, "service_id": service_id, "source": source, "segment": segment}


Filters = Annotated[dict, Depends(_filters)]


@admin.get("/orders", dependencies=[staff_with("stats.read")])
async def orders(session: ReadSession, start: From, end: To, filters: Filters, period: schemas.Period = "day",
                 by: schemas.Dimension | None = None) -> schemas.StatsReportOut:
    """Orders placed from `from` to `to` (local days, inclusive) and what became of them, from the daily
    rollups: by `period` (day, week from Monday, month, or `all` in one bucket), split `by` a dimension,
    filtered by region, service, source channel and customer segment (the customer's RFM segment when the
    order was placed: `new`, `active`, `high_value`, `at_risk`, `lost`; `unclassified` before their first
    classification)."""
    return await service.report(session, start, end, period=period, by=by, **filters)


@admin.get("/funnel", dependencies=[staff_with("stats.read")])
async def funnel(session: ReadSession, start: From, end: To, filters: Filters) -> schemas.FunnelOut:
    """Of the orders placed in the range: paid, completed, reviewed."""
    return await service.funnel(session, start, end, **filters)


@admin.get("/cancellations", dependencies=[staff_with("stats.read")])
async def cancellations(session: ReadSession, start: From, end: To, filters: Filters) -> schemas.CancellationsOut:
    """The range's cancelled orders by reason."""
    return await service.cancellations(session, start, end, **filters)


@admin.get("/live", dependencies=[staff_with("stats.read")])
async def live(session: ReadSession) -> schemas.LiveTilesOut:
    """Now: orders and GMV today, workers on an order, open complaints (the console re-reads it on
    order and ticket events of the staff stream)."""
    return await service.live(session)


@admin.get("/utilisation", dependencies=[staff_with("stats.read")])
async def utilisation(session: ReadSession, start: From, end: To, region_id: Id | None = None) -> schemas.UtilisationOut:
    """Per day: working hours of active workers against time on site of the orders checked out."""
    return await service.utilisation(session, start, end, region_id)


@admin.get("/orders.xlsx", response_class=Response, responses={200: {"content": {XLSX: {}}}})
async def orders_xlsx(request: Request, session: WritingSession, reads: ReadSession, start: From, end: To, filters: Filters,
                      period: schemas.Period = "day", actor=staff_with("stats.read")) -> Response:
    """The same figures as an Excel workbook: the trend, each dimension, the funnel and the
    cancellation reasons (the download is audited)."""
    data = await export.workbook(reads, start, end, period=period, **filters)
    await audit.record(session, actor, "stats.export", "stats", None,
                       after={"from": start.isoformat(), "to": end.isoformat(), "period": period,
                              **{k: v for k, v in filters.items() if v is not None}}, ip=client_ip(request))
    name = quote(f"经营统计_{start}_{end}.xlsx")
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"stats-{start}-{end}.xlsx\"; filename*=UTF-8''{name}"})
