"""Earnings and settlement: the worker's 收入 page and requests, finance's rules, statements,
disputes and withdrawals."""
from typing import Literal

from fastapi import APIRouter, Request, Response

from anjia.commission import errors as commission_errors
from anjia.commission import schemas as commission_schemas
from anjia.commission import service as commission
from anjia.core.auth import Session, Worker, client_ip, staff_with
from anjia.core.errors import responses
from anjia.core.params import Id, PageNo, PageSize
from anjia.core.types import Day
from anjia.ledger import errors as ledger_errors
from anjia.settlement import errors, schemas, service

Period = Literal["today", "week", "month"]
worker = APIRouter(prefix="/worker", tags=["worker: earnings"], responses=responses(
    errors.STATEMENT_NOT_FOUND, errors.LINE_NOT_FOUND, errors.LINE_ALREADY_DISPUTED, errors.WITHDRAWAL_OPEN,
    errors.WITHDRAWAL_EXCEEDS))
admin = APIRouter(prefix="/admin/settlement", tags=["admin: settlement"], responses=responses(
    commission_errors.RULE_NOT_FOUND, errors.STATEMENT_NOT_FOUND, errors.STATEMENT_ALREADY_APPROVED, errors.STATEMENT_NOT_APPROVED,
    errors.STATEMENT_ALREADY_PAID, errors.DISPUTE_NOT_FOUND, errors.DISPUTE_DECIDED, errors.WITHDRAWAL_NOT_FOUND,
    errors.WITHDRAWAL_STATE, errors.INVALID_PERIOD, ledger_errors.INSUFFICIENT_BALANCE))


# ---------------------------------------------------------------- the worker
@worker.get("/earnings/summary")
async def my_summary(user: Worker, session: Session) -> schemas.SummaryOut:
    """Today / this week / this month (local time), pending vs settled, and what can be withdrawn."""
    return await service.summary(session, user)


@worker.get("/earnings")
async def my_earnings(user: Worker, session: Session, period: Period | None = None, start: Day | None = None,
                      end: Day | None = None, page: PageNo = 1, page_size: PageSize = 20) -> schemas.EarningPage:
    """Per completed order, newest first: `period`, or local days `start`..`end` (inclusive)."""
    since, until = service.period_bounds(period, start, end)
    return await service.earnings(session, worker_id=user.id, since=since, until=until, page=page, size=page_size)


@worker.get("/statements")
async def my_statements(user: Worker, session: Session, page: PageNo = 1, page_size: PageSize = 20
                        ) -> schemas.StatementPage:
    return await service.statements(session, worker_id=user.id, status=None, page=page, size=page_size)


@worker.get("/statements/{statement_id}")
async def my_statement(statement_id: Id, user: Worker, session: Session) -> schemas.StatementDetail:
    return await service.statement_detail(session, statement_id, user.id)


@worker.post("/statements/{statement_id}/lines/{line_id}/dispute", status_code=201)
async def dispute_line(statement_id: Id, line_id: Id, body: schemas.DisputeIn, user: Worker, session: Session
                       ) -> schemas.DisputeOut:
    """Object to one line (once); finance answers, and a correction comes as a new line."""
    return await service.dispute(session, user, statement_id, line_id, body)


@worker.post("/withdrawals", status_code=201)
async def request_withdrawal(body: schemas.WithdrawalIn, user: Worker, session: Session) -> schemas.WithdrawalOut:
    """At most `withdrawable` of the summary; one open request at a time."""
    return await service.request_withdrawal(session, user, body)


@worker.get("/withdrawals")
async def my_withdrawals(user: Worker, session: Session, page: PageNo = 1, page_size: PageSize = 20
                         ) -> schemas.WithdrawalPage:
    return await service.withdrawals(session, worker_id=user.id, status=None, page=page, size=page_size)


# ---------------------------------------------------------------- finance: commission rules
@admin.get("/rules", dependencies=[staff_with("finance.read")])
async def rules(session: Session, include_archived: bool = False) -> list[commission_schemas.RuleOut]:
    return await commission.list_rules(session, include_archived)


@admin.post("/rules", status_code=201)
async def create_rule(body: commission_schemas.RuleIn, request: Request, session: Session,
                      actor=staff_with("finance.write")) -> commission_schemas.RuleOut:
    """Applies to orders completed from `valid_from` on; the most specific matching rule wins."""
    return await commission.create_rule(session, actor, body, client_ip(request))


@admin.patch("/rules/{rule_id}")
async def update_rule(rule_id: Id, body: commission_schemas.RuleUpdate, request: Request, session: Session,
                      actor=staff_with("finance.write")) -> commission_schemas.RuleOut:
    return await commission.update_rule(session, actor, rule_id, body, client_ip(request))


@admin.delete("/rules/{rule_id}", status_code=204)
async def archive_rule(rule_id: Id, request: Request, session: Session, actor=staff_with("finance.write")) -> Response:
    """Archived, not deleted: earnings keep naming it."""
    await commission.archive_rule(session, actor, rule_id, client_ip(request))
    return Response(status_code=204)


# ---------------------------------------------------------------- finance: earnings and statements
@admin.get("/earnings", dependencies=[staff_with("finance.read")])
async def earnings(session: Session, worker_id: Id | None = None, order_id: Id | None = None, start: Day | None = None,
                   end: Day | None = None, page: PageNo = 1, page_size: PageSize = 20) -> schemas.EarningPage:
    since, until = service.period_bounds(None, start, end)
    return await service.earnings(session, worker_id=worker_id, order_id=order_id, since=since, until=until,
                                  page=page, size=page_size)


@admin.get("/statements", dependencies=[staff_with("finance.read")])
async def statements(session: Session, status: schemas.StatementStatus | None = None, worker_id: Id | None = None,
                     page: PageNo = 1, page_size: PageSize = 20) -> schemas.StatementPage:
    return await service.statements(session, worker_id=worker_id, status=status, page=page, size=page_size)


@admin.get("/statements/{statement_id}", dependencies=[staff_with("finance.read")])
async def statement(statement_id: Id, session: Session) -> schemas.StatementDetail:
    return await service.statement_detail(session, statement_id)


@admin.post("/runs", status_code=201)
async def run(body: schemas.StatementRunIn, request: Request, session: Session, actor=staff_with("finance.write")
              ) -> schemas.StatementRunOut:
    """Build statements now, up to the end of local day `end`, for workers without one for this
    period (the weekly job does the same on its own)."""
    return await service.run(session, actor, body, client_ip(request))


@admin.post("/statements/{statement_id}/approve")
async def approve(statement_id: Id, request: Request, session: Session, actor=staff_with("finance.approve")
                  ) -> schemas.StatementOut:
    """Once: a second approval is 409 `statement_already_approved`."""
    return await service.approve(session, actor, statement_id, client_ip(request))


@admin.post("/statements/{statement_id}/pay")
async def pay(statement_id: Id, body: schemas.PayoutIn, request: Request, session: Session,
              actor=staff_with("finance.approve")) -> schemas.StatementOut:
    """Record the bank transfer of an approved statement (settles the worker's open withdrawal)."""
    return await service.pay(session, actor, statement_id, body, client_ip(request))


# ---------------------------------------------------------------- finance: disputes and withdrawals
@admin.get("/disputes", dependencies=[staff_with("finance.read")])
async def disputes(session: Session, status: schemas.DisputeStatus | None = None, page: PageNo = 1,
                   page_size: PageSize = 20) -> schemas.DisputePage:
    return await service.disputes(session, status=status, page=page, size=page_size)


@admin.post("/disputes/{dispute_id}/accept")
async def accept_dispute(dispute_id: Id, body: schemas.AcceptIn, request: Request, session: Session,
                         actor=staff_with("finance.write")) -> schemas.DisputeOut:
    """The correction is a new adjustment paid with the worker's next statement."""
    return await service.accept_dispute(session, actor, dispute_id, body, client_ip(request))


@admin.post("/disputes/{dispute_id}/reject")
async def reject_dispute(dispute_id: Id, body: schemas.RefuseIn, request: Request, session: Session,
                         actor=staff_with("finance.write")) -> schemas.DisputeOut:
    return await service.reject_dispute(session, actor, dispute_id, body, client_ip(request))


@admin.get("/withdrawals", dependencies=[staff_with("finance.read")])
async def withdrawals(session: Session, status: schemas.WithdrawalStatus | None = None, worker_id: Id | None = None,
                      page: PageNo = 1, page_size: PageSize = 20) -> schemas.WithdrawalPage:
    return await service.withdrawals(session, worker_id=worker_id, status=status, page=page, size=page_size)


@admin.post("/withdrawals/{withdrawal_id}/approve")
async def approve_withdrawal(withdrawal_id: Id, request: Request, session: Session,
                             actor=staff_with("finance.write")) -> schemas.WithdrawalOut:
    """Agreed: it is paid with the worker's next statement payout."""
    return await service.decide_withdrawal(session, actor, withdrawal_id, True, None, client_ip(request))


@admin.post("/withdrawals/{withdrawal_id}/reject")
async def reject_withdrawal(withdrawal_id: Id, body: schemas.RefuseIn, request: Request, session: Session,
                            actor=staff_with("finance.write")) -> schemas.WithdrawalOut:
    return await service.decide_withdrawal(session, actor, withdrawal_id, False, body.reason, client_ip(request))
