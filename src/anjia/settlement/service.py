"""Commission, earnings and settlement.

At check-out (orders' "checked_out" hook, in the check-out transaction) the worker's earning is
fixed under the most specific commission rule in force and posted as one entry. A job builds
each worker's statement for the closed period from the earnings and adjustments not yet in one
(UNIQUE per earning and per adjustment, so building twice settles nothing twice); finance
approves it and records the payout. Statements never change: an accepted dispute is a new
adjustment (its own entry) paid with the worker's next statement.

Ledger (debit / credit):
  completion   unearned <final total> (+ coupon_expense <coupon>)  /  worker_payable:<w> <net>, revenue <commission>
  adjustment   revenue  /  worker_payable:<w>                        (commission given back after a dispute)
  reward       rewards_expense  /  worker_payable:<w>                (a performance bonus, once per source)
  payout       worker_payable:<w>  /  cash                           (the bank transfer of a statement)
"""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from anjia.accounts.models import User
from anjia.catalog.models import Service
from anjia.commission import service as commission
from anjia.config import get_settings
from anjia.core import audit
from anjia.core.errors import AppError
from anjia.core.security import now, serial_number
from anjia.ledger import service as ledger
from anjia.ledger.service import credit, debit
from anjia.notifications.service import notify
from anjia.orders import hooks
from anjia.orders.models import Order
from anjia.payments.service import FINANCE_TOPICS
from anjia.providers.payments.base import yuan
from anjia.realtime.service import publish
from anjia.settlement import schemas
from anjia.settlement.models import (
    Adjustment,
    Dispute,
    Earning,
    Statement,
    StatementLine,
    Withdrawal,
)

OPEN_WITHDRAWAL = ("requested", "approved")


def _tz() -> ZoneInfo:
    return ZoneInfo(get_settings().region_timezone)


def day_start(day: date) -> datetime:
    """The instant a local day starts (statements and figures count local days)."""
    return datetime.combine(day, time(), tzinfo=_tz())



def _payable(worker_id: int) -> str:
    return f"worker_payable:{worker_id}"


# ---------------------------------------------------------------- the earning, at check-out
async def record_earning(session: AsyncSession, order: Order, actor: User | None) -> Earning | None:
    """Hook: the completed order's earning and its entry. The coupon on the quote is the
    platform's: the worker earns on the price before it, and it is booked as coupon_expense."""
    if order.worker_id is None or order.final_total is None:
        return None
    if await session.scalar(select(Earning.id).where(Earning.order_id == order.id)):
        return None  # already fixed (UNIQUE order_id keeps it so)
    discount = order.discount  # the coupon's part of the final price (orders keep it; check-out may lower it)
    gross = order.final_total + discount
    at = now()
    rule, kind, value = await commission.applicable(session, service_id=order.service_id, region_id=order.region_id,
                                                    worker_id=order.worker_id, at=at)
    fee = commission.commission_of(kind, value, gross)
    earning = Earning(order_id=order.id, worker_id=order.worker_id, service_id=order.service_id,
                      region_id=order.region_id, gross=gross, discount=discount, commission=fee,
                      net=gross - fee, rule_id=rule.id if rule else None, rule_kind=kind, rule_value=value,
                      computed_at=at)
    session.add(earning)
    await session.flush()
    entry = await ledger.post(session, "completion", [
        debit("unearned", order.final_total), debit("coupon_expense", discount),
        credit(_payable(order.worker_id), earning.net), credit("revenue", fee)],
        memo=f"完工 {order.number}", order_id=order.id, reference=f"earning:{earning.id}",
        actor_id=actor.id if actor else None)
    earning.entry_id = entry
    await session.flush()
    await publish(session, [f"user:{order.worker_id}"], "earning.recorded",
                  {"order_id": order.id, "gross": gross, "commission": fee, "net": earning.net})
    return earning


hooks.on("checked_out")(record_earning)


# ---------------------------------------------------------------- the worker's figures
async def _figures(session: AsyncSession, worker_id: int, since: datetime) -> schemas.Figures:
    row = (await session.execute(select(
        func.count(), func.coalesce(func.sum(Earning.gross), 0), func.coalesce(func.sum(Earning.commission), 0),
        func.coalesce(func.sum(Earning.net), 0)).where(Earning.worker_id == worker_id, Earning.computed_at >= since))
    ).one()
    return schemas.Figures(orders=row[0], gross=row[1], commission=row[2], net=row[3])


async def _statement_sum(session: AsyncSession, worker_id: int, status: str) -> int:
    return int(await session.scalar(select(func.coalesce(func.sum(Statement.total), 0)).where(
        Statement.worker_id == worker_id, Statement.status == status)))


async def withdrawable(session: AsyncSession, worker_id: int) -> int:
    """What approved, unpaid statements owe the worker."""
    return await _statement_sum(session, worker_id, "approved")


async def _open_withdrawal(session: AsyncSession, worker_id: int) -> Withdrawal | None:
    return await session.scalar(select(Withdrawal).where(Withdrawal.worker_id == worker_id,
                                                         Withdrawal.status.in_(OPEN_WITHDRAWAL)))


async def summary(session: AsyncSession, worker: User) -> schemas.SummaryOut:
    today = now().astimezone(_tz()).date()
    earned = int(await session.scalar(select(func.coalesce(func.sum(Earning.net), 0))
                                      .where(Earning.worker_id == worker.id)))
    adjusted = int(await session.scalar(select(func.coalesce(func.sum(Adjustment.amount), 0))
                                        .where(Adjustment.worker_id == worker.id)))
    settled = await _statement_sum(session, worker.id, "paid")
    open_request = await _open_withdrawal(session, worker.id)
    return schemas.SummaryOut(
        today=await _figures(session, worker.id, day_start(today)),
        week=await _figures(session, worker.id, day_start(today - timedelta(days=today.weekday()))),
        month=await _figures(session, worker.id, day_start(today.replace(day=1))),
        pending=earned + adjusted - settled, settled=settled, withdrawable=await withdrawable(session, worker.id),
        open_withdrawal=withdrawal_out(open_request, worker.nickname) if open_request else None)


def period_bounds(period: str | None, start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """today / week / month (local, up to now), or local days start..end (inclusive)."""
    today = now().astimezone(_tz()).date()
    if period:
        first = {"today": today, "week": today - timedelta(days=today.weekday()), "month": today.replace(day=1)}[period]
        return day_start(first), None
    return (day_start(start) if start else None), (day_start(end + timedelta(days=1)) if end else None)


async def earnings(session: AsyncSession, *, worker_id: int | None, order_id: int | None = None,
                   since: datetime | None = None, until: datetime | None = None, page: int, size: int
                   ) -> schemas.EarningPage:
    where = []
    if worker_id is not None:
        where.append(Earning.worker_id == worker_id)
    if order_id is not None:
        where.append(Earning.order_id == order_id)
    if since is not None:
        where.append(Earning.computed_at >= since)
    if until is not None:
        where.append(Earning.computed_at < until)
    total = await session.scalar(select(func.count()).select_from(Earning).where(*where)) or 0
    rows = (await session.execute(
        select(Earning, Order.number, Service.name, Statement.id, Statement.status)
        .join(Order, Order.id == Earning.order_id).join(Service, Service.id == Earning.service_id)
        .outerjoin(StatementLine, StatementLine.earning_id == Earning.id)
        .outerjoin(Statement, Statement.id == StatementLine.statement_id)
        .where(*where).order_by(Earning.computed_at.desc(), Earning.id.desc()).offset((page - 1) * size).limit(size)
    )).all()
    return schemas.EarningPage(items=[schemas.EarningOut(
        id=e.id, order_id=e.order_id, order_number=number, service_name=name, worker_id=e.worker_id, gross=e.gross,
        discount=e.discount, commission=e.commission, net=e.net, rule_id=e.rule_id, rule_kind=e.rule_kind,
        rule_value=e.rule_value, computed_at=e.computed_at, statement_id=sid, statement_status=status,
        settled=status == "paid") for e, number, name, sid, status in rows], total=total, page=page, page_size=size)


# ---------------------------------------------------------------- building statements
def due_period(at: datetime) -> tuple[date, date]:
    """The last period closed SETTLEMENT_HOUR (local) before `at`: Monday..Sunday, or a month."""
    settings = get_settings()
    local = at.astimezone(_tz())
    if settings.settlement_period == "month":
        boundary = local.date().replace(day=1)
        if local < day_start(boundary) + timedelta(hours=settings.settlement_hour):
            boundary = (boundary - timedelta(days=1)).replace(day=1)
        end = boundary - timedelta(days=1)
        return end.replace(day=1), end
    boundary = local.date() - timedelta(days=local.weekday())
    if local < day_start(boundary) + timedelta(hours=settings.settlement_hour):
        boundary -= timedelta(days=7)
    return boundary - timedelta(days=7), boundary - timedelta(days=1)


async def build(session: AsyncSession, start: date, end: date) -> list[Statement]:
    """One statement per worker with earnings or adjustments not yet in a statement, up to the
    end of local day `end`. Serialised (advisory lock); the UNIQUE lines make a second run a no-op."""
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext("settlement.build"))))
    until = day_start(end + timedelta(days=1))
    free_earnings = list(await session.scalars(
        select(Earning).outerjoin(StatementLine, StatementLine.earning_id == Earning.id)
        .where(StatementLine.id.is_(None), Earning.computed_at < until).order_by(Earning.worker_id, Earning.id)))
    free_adjustments = list(await session.scalars(
        select(Adjustment).outerjoin(StatementLine, StatementLine.adjustment_id == Adjustment.id)
        .where(StatementLine.id.is_(None), Adjustment.created_at < until).order_by(Adjustment.id)))
    workers = sorted({e.worker_id for e in free_earnings} | {a.worker_id for a in free_adjustments})
    taken = set(await session.scalars(select(Statement.worker_id).where(
        Statement.period_start == start, Statement.period_end == end)))
    numbers = dict((await session.execute(select(Order.id, Order.number).where(
        Order.id.in_({e.order_id for e in free_earnings} | {a.order_id for a in free_adjustments if a.order_id}))
    )).all())
    built = []
    for worker_id in workers:
        if worker_id in taken:
            continue  # this period's statement exists: what came later waits for the next one
        mine = [e for e in free_earnings if e.worker_id == worker_id]
        fixes = [a for a in free_adjustments if a.worker_id == worker_id]
        net = sum(e.net for e in mine)
        extra = sum(a.amount for a in fixes)
        statement = Statement(number=serial_number("S"), worker_id=worker_id, period_start=start, period_end=end,
                              status="draft", orders=len(mine), gross=sum(e.gross for e in mine),
                              commission=sum(e.commission for e in mine), net=net, adjustments=extra,
                              total=net + extra, created_at=now())
        session.add(statement)
        await session.flush()
        session.add_all([StatementLine(statement_id=statement.id, earning_id=e.id, order_id=e.order_id,
                                       description=f"订单 {numbers.get(e.order_id, e.order_id)}", gross=e.gross,
                                       commission=e.commission, amount=e.net) for e in mine])
        session.add_all([StatementLine(statement_id=statement.id, adjustment_id=a.id, order_id=a.order_id,
                                       description=a.reason, gross=0, commission=0, amount=a.amount) for a in fixes])
        await session.flush()
        await notify(session, worker_id, "statement.created", "结算单已生成",
                     f"{start}～{end} 的结算单 ¥{yuan(statement.total)} 已生成，如有疑问可对明细提出异议。",
                     {"statement_id": statement.id})
        built.append(statement)
    if built:
        await publish(session, FINANCE_TOPICS, "settlement.built",
                      {"period_start": start.isoformat(), "period_end": end.isoformat(), "statements": len(built)})
    return built


async def build_due(session: AsyncSession) -> int:
    """Job step: the statements of the period that closed last (none when already built)."""
    start, end = due_period(now())
    return len(await build(session, start, end))


async def run(session: AsyncSession, actor: User, data: schemas.StatementRunIn, ip: str | None) -> schemas.StatementRunOut:
    """Finance builds statements now (e.g. for a period the job has not reached)."""
    if data.end > now().astimezone(_tz()).date():
        raise AppError("invalid_period")
    built = await build(session, data.start, data.end)
    await audit.record(session, actor, "settlement.run", "statement", None, {"period_start": data.start.isoformat(),
                       "period_end": data.end.isoformat()}, {"statements": [s.number for s in built]}, ip=ip)
    return schemas.StatementRunOut(period_start=data.start, period_end=data.end,
                          statements=[await statement_out(session, s) for s in built])


# ---------------------------------------------------------------- reading statements
async def _name(session: AsyncSession, user_id: int) -> str:
    return await session.scalar(select(User.nickname).where(User.id == user_id)) or ""


async def statement_out(session: AsyncSession, s: Statement) -> schemas.StatementOut:
    disputes = await session.scalar(select(func.count()).select_from(Dispute).where(
        Dispute.statement_id == s.id, Dispute.status == "open")) or 0
    return schemas.StatementOut(
        id=s.id, number=s.number, worker_id=s.worker_id, worker_name=await _name(session, s.worker_id),
        period_start=s.period_start, period_end=s.period_end, status=s.status, orders=s.orders, gross=s.gross,
        commission=s.commission, net=s.net, adjustments=s.adjustments, total=s.total, created_at=s.created_at,
        approved_at=s.approved_at, paid_at=s.paid_at, bank_reference=s.bank_reference, open_disputes=disputes)


async def statements(session: AsyncSession, *, worker_id: int | None, status: str | None, page: int, size: int
                     ) -> schemas.StatementPage:
    where = []
    if worker_id is not None:
        where.append(Statement.worker_id == worker_id)
    if status:
        where.append(Statement.status == status)
    total = await session.scalar(select(func.count()).select_from(Statement).where(*where)) or 0
    rows = await session.scalars(select(Statement).where(*where).order_by(Statement.period_end.desc(),
                                                                          Statement.id.desc())
                                 .offset((page - 1) * size).limit(size))
    return schemas.StatementPage(items=[await statement_out(session, s) for s in rows], total=total, page=page,
                                 page_size=size)


async def _statement(session: AsyncSession, statement_id: int, worker_id: int | None = None, *, lock: bool = False
                     ) -> Statement:
    q = select(Statement).where(Statement.id == statement_id)
    if lock:
        q = q.with_for_update()
    s = await session.scalar(q)
    if s is None or (worker_id is not None and s.worker_id != worker_id):
        raise AppError("statement_not_found")
    return s


async def statement_detail(session: AsyncSession, statement_id: int, worker_id: int | None = None
                           ) -> schemas.StatementDetail:
    s = await _statement(session, statement_id, worker_id)
    rows = (await session.execute(
        select(StatementLine, Order.number).outerjoin(Order, Order.id == StatementLine.order_id)
        .where(StatementLine.statement_id == s.id).order_by(StatementLine.id))).all()
    disputes = {d.line_id: d for d in await session.scalars(select(Dispute).where(Dispute.statement_id == s.id))}
    lines = [schemas.LineOut(id=line.id, kind="earning" if line.earning_id else "adjustment", order_id=line.order_id,
                             order_number=number, description=line.description, gross=line.gross,
                             commission=line.commission, amount=line.amount,
                             dispute=await dispute_out(session, disputes[line.id]) if line.id in disputes else None)
             for line, number in rows]
    return schemas.StatementDetail(**(await statement_out(session, s)).model_dump(), lines=lines)


# ---------------------------------------------------------------- approving and paying
async def approve(session: AsyncSession, actor: User, statement_id: int, ip: str | None) -> schemas.StatementOut:
    """Once: the row lock makes a second (or concurrent) approval see the first and refuse."""
    s = await _statement(session, statement_id, lock=True)
    if s.status != "draft":
        raise await audit.refused(actor, "statement.approve_refused", "statement", s.id, {"status": s.status},
                                  "statement_already_approved", ip)
    s.status, s.approved_at, s.approved_by = "approved", now(), actor.id
    await session.flush()
    await audit.record(session, actor, "statement.approve", "statement", s.id, {"status": "draft"},
                       {"status": "approved", "total": s.total}, ip=ip)
    await notify(session, s.worker_id, "statement.approved", "结算单已审核",
                 f"结算单 {s.number}（{s.period_start}～{s.period_end}）¥{yuan(s.total)} 已审核，可申请提现。",
                 {"statement_id": s.id})
    return await statement_out(session, s)


async def pay(session: AsyncSession, actor: User, statement_id: int, data: schemas.PayoutIn, ip: str | None
              ) -> schemas.StatementOut:
    """The bank transfer went out: the payable leaves through cash, and the worker's open
    withdrawal request is settled by it."""
    s = await _statement(session, statement_id, lock=True)
    if s.status != "approved":
        code = "statement_not_approved" if s.status == "draft" else "statement_already_paid"
        raise await audit.refused(actor, "statement.pay_refused", "statement", s.id, {"status": s.status}, code, ip)
    entry = await ledger.post(session, "payout", [debit(_payable(s.worker_id), s.total), credit("cash", s.total)],
                              memo=f"结算付款 {s.number} 银行流水 {data.bank_reference}", reference=s.number,
                              actor_id=actor.id)
    s.status, s.paid_at, s.paid_by, s.bank_reference = "paid", now(), actor.id, data.bank_reference
    s.payout_entry_id = entry
    request = await _open_withdrawal(session, s.worker_id)
    if request is not None:
        request.status, request.statement_id, request.paid_at = "paid", s.id, s.paid_at
    await session.flush()
    await audit.record(session, actor, "statement.pay", "statement", s.id, {"status": "approved"},
                       {"status": "paid", "total": s.total, "bank_reference": data.bank_reference,
                        "withdrawal": request.number if request else None}, ip=ip)
    await notify(session, s.worker_id, "statement.paid", "结算款已转账",
                 f"结算单 {s.number} ¥{yuan(s.total)} 已转入您的银行卡（流水号 {data.bank_reference}）。",
                 {"statement_id": s.id})
    return await statement_out(session, s)


# ---------------------------------------------------------------- disputes
async def dispute_out(session: AsyncSession, d: Dispute) -> schemas.DisputeOut:
    line = await session.get(StatementLine, d.line_id)
    statement = await session.get(Statement, d.statement_id)
    adjustment = await session.get(Adjustment, d.adjustment_id) if d.adjustment_id else None
    return schemas.DisputeOut(
        id=d.id, line_id=d.line_id, statement_id=d.statement_id, statement_number=statement.number,
        worker_id=d.worker_id, worker_name=await _name(session, d.worker_id), order_id=line.order_id,
        line_description=line.description, line_amount=line.amount, reason=d.reason, status=d.status,
        decision_note=d.decision_note, adjustment_amount=adjustment.amount if adjustment else None,
        created_at=d.created_at, decided_at=d.decided_at)


async def dispute(session: AsyncSession, worker: User, statement_id: int, line_id: int, data: schemas.DisputeIn
                  ) -> schemas.DisputeOut:
    await _statement(session, statement_id, worker.id)
    line = await session.scalar(select(StatementLine).where(StatementLine.id == line_id,
                                                            StatementLine.statement_id == statement_id))
    if line is None:
        raise AppError("statement_line_not_found")
    d = Dispute(line_id=line.id, statement_id=statement_id, worker_id=worker.id, reason=data.reason, status="open",
                created_at=now())
    try:
        async with session.begin_nested():  # once per line, even when two taps race
            session.add(d)
    except IntegrityError:
        raise AppError("statement_line_disputed") from None
    await publish(session, FINANCE_TOPICS, "alert.dispute", {"dispute_id": d.id, "statement_id": statement_id})
    return await dispute_out(session, d)


async def disputes(session: AsyncSession, *, status: str | None, page: int, size: int) -> schemas.DisputePage:
    where = [Dispute.status == status] if status else []
    total = await session.scalar(select(func.count()).select_from(Dispute).where(*where)) or 0
    rows = await session.scalars(select(Dispute).where(*where).order_by(Dispute.id.desc())
                                 .offset((page - 1) * size).limit(size))
    return schemas.DisputePage(items=[await dispute_out(session, d) for d in rows], total=total, page=page,
                               page_size=size)


async def _open_dispute(session: AsyncSession, dispute_id: int) -> Dispute:
    d = await session.scalar(select(Dispute).where(Dispute.id == dispute_id).with_for_update())
    if d is None:
        raise AppError("dispute_not_found")
    if d.status != "open":
        raise AppError("dispute_decided")
    return d


async def accept_dispute(session: AsyncSession, actor: User, dispute_id: int, data: schemas.AcceptIn,
                         ip: str | None) -> schemas.DisputeOut:
    """The worker was right: a new adjustment (and its entry) for the next statement; the
    disputed statement stays as it was."""
    d = await _open_dispute(session, dispute_id)
    line = await session.get(StatementLine, d.line_id)
    adjustment = Adjustment(worker_id=d.worker_id, amount=data.amount, reason=f"异议更正：{data.note}"[:200],
                            order_id=line.order_id, created_by=actor.id)
    session.add(adjustment)
    await session.flush()
    entry = await ledger.post(session, "settlement_adjustment",
                              [debit("revenue", data.amount), credit(_payable(d.worker_id), data.amount)],
                              memo=adjustment.reason, order_id=line.order_id, reference=f"adjustment:{adjustment.id}",
                              actor_id=actor.id)
    adjustment.entry_id = entry
    d.status, d.decision_note, d.adjustment_id, d.decided_by, d.decided_at = (
        "accepted", data.note, adjustment.id, actor.id, now())
    await session.flush()
    await audit.record(session, actor, "dispute.accept", "dispute", d.id, {"status": "open"},
                       {"status": "accepted", "amount": data.amount, "note": data.note}, ip=ip)
    await notify(session, d.worker_id, "dispute.decided", "异议已受理",
                 f"您的结算异议已受理，¥{yuan(data.amount)} 将随下一期结算单支付。", {"dispute_id": d.id})
    return await dispute_out(session, d)


async def post_bonus(session: AsyncSession, worker_id: int, amount: int, reason: str, source: str,
                     actor: User | None) -> Adjustment | None:
    """A reward for the worker (performance): an adjustment paid with their next statement and its
    entry (Dr rewards_expense / Cr worker_payable). `source` is UNIQUE: asked twice — a rerun, or two
    transactions at once (the second waits on the first's uncommitted row) — it is posted once;
    None when it already was."""
    adjustment_id = await session.scalar(
        pg_insert(Adjustment).values(worker_id=worker_id, amount=amount, reason=reason[:200], source=source,
                                     created_by=actor.id if actor else None)
        .on_conflict_do_nothing(index_elements=["source"]).returning(Adjustment.id))
    if adjustment_id is None:
        return None
    adjustment = await session.get(Adjustment, adjustment_id)
    adjustment.entry_id = await ledger.post(
        session, "reward", [debit("rewards_expense", amount), credit(_payable(worker_id), amount)],
        memo=adjustment.reason, reference=f"adjustment:{adjustment.id}", actor_id=actor.id if actor else None)
    await session.flush()
    await publish(session, [f"user:{worker_id}"], "earning.reward", {"adjustment_id": adjustment.id, "amount": amount})
    return adjustment


async def reject_dispute(session: AsyncSession, actor: User, dispute_id: int, data: schemas.RefuseIn,
                         ip: str | None) -> schemas.DisputeOut:
    d = await _open_dispute(session, dispute_id)
    d.status, d.decision_note, d.decided_by, d.decided_at = "rejected", data.reason, actor.id, now()
    await session.flush()
    await audit.record(session, actor, "dispute.reject", "dispute", d.id, {"status": "open"},
                       {"status": "rejected", "reason": data.reason}, ip=ip)
    await notify(session, d.worker_id, "dispute.decided", "异议未通过", f"您的结算异议未通过：{data.reason}",
                 {"dispute_id": d.id})
    return await dispute_out(session, d)


# ---------------------------------------------------------------- withdrawals
def withdrawal_out(w: Withdrawal, worker_name: str) -> schemas.WithdrawalOut:
    return schemas.WithdrawalOut(id=w.id, number=w.number, worker_id=w.worker_id, worker_name=worker_name,
                                 amount=w.amount, status=w.status, note=w.note, statement_id=w.statement_id,
                                 created_at=w.created_at, decided_at=w.decided_at, paid_at=w.paid_at)


async def request_withdrawal(session: AsyncSession, worker: User, data: schemas.WithdrawalIn) -> schemas.WithdrawalOut:
    """At most what approved statements owe, one open request at a time (the worker's row lock
    serialises two requests; the partial unique index backs it)."""
    await session.execute(select(User.id).where(User.id == worker.id).with_for_update())
    if await _open_withdrawal(session, worker.id) is not None:
        raise AppError("withdrawal_open")
    if data.amount > await withdrawable(session, worker.id):
        raise AppError("withdrawal_exceeds_balance")
    w = Withdrawal(number=serial_number("W"), worker_id=worker.id, amount=data.amount, status="requested", created_at=now())
    session.add(w)
    await session.flush()
    await publish(session, FINANCE_TOPICS, "withdrawal.requested", {"withdrawal_id": w.id, "amount": w.amount})
    return withdrawal_out(w, worker.nickname)


async def withdrawals(session: AsyncSession, *, worker_id: int | None, status: str | None, page: int, size: int
                      ) -> schemas.WithdrawalPage:
    where = []
    if worker_id is not None:
        where.append(Withdrawal.worker_id == worker_id)
    if status:
        where.append(Withdrawal.status == status)
    total = await session.scalar(select(func.count()).select_from(Withdrawal).where(*where)) or 0
    rows = (await session.execute(select(Withdrawal, User.nickname).join(User, User.id == Withdrawal.worker_id)
                                  .where(*where).order_by(Withdrawal.id.desc()).offset((page - 1) * size).limit(size)
                                  )).all()
    return schemas.WithdrawalPage(items=[withdrawal_out(w, name) for w, name in rows], total=total, page=page,
                                  page_size=size)


async def decide_withdrawal(session: AsyncSession, actor: User, withdrawal_id: int, approve: bool,
                            reason: str | None, ip: str | None) -> schemas.WithdrawalOut:
    """Approved: it is paid with the worker's statement payout. Rejected: with a reason."""
    w = await session.scalar(select(Withdrawal).where(Withdrawal.id == withdrawal_id).with_for_update())
    if w is None:
        raise AppError("withdrawal_not_found")
    if w.status != "requested" and not (w.status == "approved" and not approve):
        raise AppError("withdrawal_state")
    before = w.status
    w.status, w.note, w.decided_by, w.decided_at = ("approved" if approve else "rejected"), reason, actor.id, now()
    await session.flush()
    await audit.record(session, actor, f"withdrawal.{'approve' if approve else 'reject'}", "withdrawal", w.id,
                       {"status": before}, {"status": w.status, "amount": w.amount, "reason": reason}, ip=ip)
    await notify(session, w.worker_id, "withdrawal.decided", "提现申请已通过" if approve else "提现申请未通过",
                 f"提现 ¥{yuan(w.amount)} 已通过，将随结算付款转账。" if approve else f"提现 ¥{yuan(w.amount)} 未通过：{reason}",
                 {"withdrawal_id": w.id})
    return withdrawal_out(w, await _name(session, w.worker_id))
