"""Monthly performance: the worker's scorecards, operators' months, ranking, trend, export,
publishing and reward rules."""
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from anjia.core.auth import Session, Worker, client_ip, staff_with
from anjia.core.errors import responses
from anjia.core.params import Id, PageNo, PageSize, Search
from anjia.performance import errors, export, schemas, service, views

worker = APIRouter(prefix="/worker", tags=["worker: performance"])
admin = APIRouter(prefix="/admin/performance", tags=["admin: performance"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Months = Annotated[int, Query(ge=1, le=24)]


@worker.get("/performance")
async def my_performance(user: Worker, session: Session, months: Months = 6) -> schemas.WorkerPerformanceOut:
    """Your published months, newest first: score, level, each factor with its figures, the factors
    that cost most (`tips`) and the rewards; the weights and reward rules in force."""
    return await views.for_worker(session, user.id, months)


# ---------------------------------------------------------------- operators
@admin.get("/months", dependencies=[staff_with("performance.read")])
async def months(session: Session) -> list[schemas.MonthOut]:
    """The last 12 ended months, newest first, evaluated or not."""
    return await views.months(session, service.previous_month())


@admin.get("/months/{month}", dependencies=[staff_with("performance.read")],
           responses=responses(errors.MONTH_OPEN, errors.MONTH_NOT_EVALUATED))
async def ranking(month: schemas.Month, session: Session, sort: schemas.Sort = "-score", region_id: Id | None = None,
                  service_id: Id | None = None, q: Search = None, page: PageNo = 1, page_size: PageSize = 20
                  ) -> schemas.RankingPage:
    """The month (YYYY-MM) and its ranking: sorted by the score or a factor's points (`-` first:
    highest first), filtered by the worker's region or a service they completed that month."""
    return await views.ranking(session, service.parse_month(month), sort=sort, region_id=region_id,
                               service_id=service_id, q=q, page=page, size=page_size)


@admin.get("/months/{month}/ranking.xlsx", dependencies=[staff_with("performance.read")], response_class=Response,
           responses={**responses(errors.MONTH_OPEN, errors.MONTH_NOT_EVALUATED), 200: {"content": {XLSX: {}}}})
async def ranking_xlsx(month: schemas.Month, session: Session, sort: schemas.Sort = "-score",
                       region_id: Id | None = None, service_id: Id | None = None, q: Search = None) -> Response:
    """The same ranking (every row) as an Excel workbook."""
    m = service.parse_month(month)
    data = await export.workbook(session, m, sort=sort, region_id=region_id, service_id=service_id, q=q)
    name = quote(f"服务人员绩效_{month}.xlsx")
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"performance-{month}.xlsx\"; filename*=UTF-8''{name}"})


@admin.post("/months/{month}/evaluate", responses=responses(errors.MONTH_OPEN, errors.MONTH_PUBLISHED))
async def evaluate(month: schemas.Month, request: Request, session: Session, actor=staff_with("performance.write")
                   ) -> schemas.MonthOut:
    """Count the month again from data (a draft's scorecards are replaced; a published month is
    409). Audited."""
    m = await service.evaluate(session, service.parse_month(month), actor, client_ip(request))
    return await views.month_out(session, m.month)


@admin.post("/months/{month}/publish", responses=responses(errors.MONTH_OPEN, errors.MONTH_NOT_EVALUATED,
                                                            errors.MONTH_PUBLISHED))
async def publish(month: schemas.Month, request: Request, session: Session, actor=staff_with("performance.write")
                  ) -> schemas.MonthOut:
    """Make the month final: workers see it, the reward rules' bonuses (paid with their next
    statement), level changes and badges are given, once. Audited."""
    m = await service.publish(session, actor, service.parse_month(month), client_ip(request))
    return await views.month_out(session, m.month)


@admin.get("/workers/{worker_id}/trend", dependencies=[staff_with("performance.read")], responses=responses("not_found"))
async def trend(worker_id: Id, session: Session, months: Months = 12) -> schemas.TrendOut:
    """The worker's evaluated months (drafts too), oldest first, with chart series."""
    return await views.trend(session, worker_id, months)


@admin.get("/rules", dependencies=[staff_with("performance.read")])
async def rules(session: Session) -> list[schemas.RewardRuleOut]:
    return await service.rules(session)


@admin.post("/rules", status_code=201)
async def create_rule(body: schemas.RewardRuleIn, request: Request, session: Session,
                      actor=staff_with("performance.write")) -> schemas.RewardRuleOut:
    """A reward rule for months published from now on. Audited."""
    return await service.create_rule(session, actor, body, client_ip(request))


@admin.patch("/rules/{rule_id}", responses=responses(errors.RULE_NOT_FOUND, errors.RULE_INVALID))
async def update_rule(rule_id: Id, body: schemas.RewardRulePatch, request: Request, session: Session,
                      actor=staff_with("performance.write")) -> schemas.RewardRuleOut:
    """Change a rule (its kind stays); `active: true` brings an archived one back. Audited."""
    return await service.update_rule(session, actor, rule_id, body, client_ip(request))


@admin.delete("/rules/{rule_id}", status_code=204, responses=responses(errors.RULE_NOT_FOUND))
async def archive_rule(rule_id: Id, request: Request, session: Session, actor=staff_with("performance.write")
                       ) -> Response:
    """Archive a rule (rewards name it, so it is kept). Audited."""
    await service.archive_rule(session, actor, rule_id, client_ip(request))
    return Response(status_code=204)
