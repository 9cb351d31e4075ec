"""The finance console: overview, reports (JSON, chart series, xlsx) and reconciliation."""
from datetime import date, timedelta
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from anjia.core.auth import ReadSession, Session, client_ip, staff_with
from anjia.core.errors import responses
from anjia.core.paging import Page
from anjia.core.params import Id, PageNo, PageSize
from anjia.core.types import Day, Text
from anjia.finance import errors, reports, schemas, service

admin = APIRouter(prefix="/admin/finance", tags=["admin: finance"])
Period = Literal["day", "month"]
GroupBy = Literal["region", "service", "provider"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _range(period: str, day_from: date | None, day_to: date | None) -> tuple[date, date]:
    """Defaults: the last 30 days by day, the last 12 months by month."""
    end = day_to or service.today()
    if day_from is not None:
        return day_from, end
    if period == "day":
        return end - timedelta(days=29), end
    y, m = divmod(end.year * 12 + end.month - 1 - 11, 12)
    return date(y, m + 1, 1), end


@admin.get("/overview", dependencies=[staff_with("finance.read")])
async def overview(session: ReadSession) -> schemas.OverviewOut:
    """Today and month-to-date figures, account balances, open reconciliation differences."""
    base = await reports.overview(session)
    return schemas.OverviewOut(**base, open_differences=await service.open_differences(session),
                               latest_runs=await service.latest_runs(session))


@admin.get("/reports", dependencies=[staff_with("finance.read")], responses=responses(errors.REPORT_RANGE))
async def report(session: ReadSession, period: Period = "day",
                 day_from: Annotated[Day | None, Query(alias="from")] = None,
                 day_to: Annotated[Day | None, Query(alias="to")] = None,
                 group_by: GroupBy | None = None) -> schemas.ReportOut:
    """Revenue, cancellation fees, payments collected, refunds, coupon expense and worker
    payables per day or month (Beijing time), optionally per region, service or provider; `chart`
    holds one series per metric for ECharts. Amounts in fen."""
    return await reports.report(session, period, *_range(period, day_from, day_to), group_by)


@admin.get("/reports.xlsx", dependencies=[staff_with("finance.read")], response_class=Response,
           responses={**responses(errors.REPORT_RANGE), 200: {"content": {XLSX: {}}}})
async def report_xlsx(session: ReadSession, period: Period = "day",
                      day_from: Annotated[Day | None, Query(alias="from")] = None,
                      day_to: Annotated[Day | None, Query(alias="to")] = None,
                      group_by: GroupBy | None = None) -> Response:
    """The same report as an Excel workbook (amounts in yuan, a totals row)."""
    rep = await reports.report(session, period, *_range(period, day_from, day_to), group_by)
    name = quote(f"财务报表_{rep.start}_{rep.end}.xlsx")
    return Response(reports.workbook(rep), media_type=XLSX,
                    headers={"Content-Disposition": f"attachment; filename=\"finance-report.xlsx\"; "
                                                    f"filename*=UTF-8''{name}"})


@admin.get("/reconciliation/runs", dependencies=[staff_with("finance.read")],
           responses=responses(errors.PAGE_OUT_OF_RANGE))
async def runs(session: Session, provider: Literal["wechatpay", "alipay", "unionpay", "sandbox"] | None = None,
               status: Literal["running", "balanced", "differences", "failed"] | None = None,
               page: PageNo = 1, page_size: PageSize = 20) -> Page[schemas.RunOut]:
    return await service.runs(session, provider=provider, status=status, page=page, size=page_size)


@admin.post("/reconciliation/runs", status_code=201,
            responses=responses(errors.PROVIDER_NOT_ENABLED, errors.DAY_NOT_CLOSED))
async def run_now(body: schemas.RunIn, request: Request, session: Session, actor=staff_with("finance.write")
                  ) -> schemas.RunOut:
    """Reconcile one provider's day now (again): open differences are replaced, resolved ones kept."""
    return await service.run_now(session, actor, body, client_ip(request))


@admin.get("/reconciliation/runs/{run_id}", dependencies=[staff_with("finance.read")],
           responses=responses(errors.RUN_NOT_FOUND, errors.PAGE_OUT_OF_RANGE))
async def run_detail(run_id: Id, session: Session, category: schemas.Category | None = None,
                     resolved: bool | None = None, q: Text(64) | None = None,  # type: ignore[valid-type]
                     page: PageNo = 1, page_size: PageSize = 20) -> schemas.RunDetailOut:
    """A run and its differences (filter by category, resolved or not, or one out_trade_no /
    out_refund_no in `q`)."""
    return await service.run_detail(session, run_id, category=category, resolved=resolved, q=q, page=page,
                                    size=page_size)


@admin.get("/reconciliation/differences", dependencies=[staff_with("finance.read")],
           responses=responses(errors.PAGE_OUT_OF_RANGE))
async def differences(session: Session, provider: Literal["wechatpay", "alipay", "unionpay", "sandbox"] | None = None,
                      category: schemas.Category | None = None, resolved: bool | None = None,
                      page: PageNo = 1, page_size: PageSize = 20) -> Page[schemas.DifferenceOut]:
    """Differences across runs, newest day first (`resolved=false`: what finance still has to do)."""
    return await service.differences(session, provider=provider, category=category, resolved=resolved, page=page,
                                     size=page_size)


@admin.post("/reconciliation/differences/{difference_id}/resolve",
            responses=responses(errors.DIFFERENCE_NOT_FOUND, errors.ALREADY_RESOLVED, errors.ADJUSTMENT_ACCOUNT,
                                errors.NOTHING_TO_ADJUST))
async def resolve(difference_id: Id, body: schemas.ResolveIn, request: Request, session: Session,
                  actor=staff_with("finance.write")) -> schemas.DifferenceOut:
    """Close a difference with a note: `adjusted` posts a correcting entry against
    `counter_account`; `provider_error` and `ignored_with_reason` post nothing. Audited."""
    return await service.resolve(session, actor, difference_id, body, client_ip(request))
