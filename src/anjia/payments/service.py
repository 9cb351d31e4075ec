"""Collecting and returning money. Every change of a payment or refund happens with the order row
locked first (then the payment row: one lock order), together with its ledger entry and the
order's own move, in one transaction — so a notification, a retry of it and the active-query job
can never apply the same payment twice, and no fen moves without its entry.

Ledger (debit / credit):
  payment       clearing:<provider> | cash | customer_balance:<c>  /  unearned (order), receivable:<c>
                (supplement after completion) or customer_balance:<c> (top-up)
  cancellation  unearned / cancel_fees                     (the fee kept)
  refund asked  unearned | refund_expense  /  refunds_payable
  refunded      refunds_payable  /  clearing:<provider> | customer_balance:<c> | cash
  check-out     receivable:<c>  /  unearned                 (service dearer than paid)
"""
from dataclasses import asdict
from datetime import timedelta

from sqlalchemy import bindparam, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from anjia.accounts.models import User
from anjia.catalog.models import Service
from anjia.config import get_settings
from anjia.core import audit
from anjia.core.errors import AppError
from anjia.core.paging import Page
from anjia.core.security import now, serial_number
from anjia.dispatch import service as dispatch
from anjia.ledger import service as ledger
from anjia.ledger.service import credit, debit
from anjia.orders import hooks, lifecycle
from anjia.orders import service as orders
from anjia.orders.models import Order
from anjia.orders.state import Status
from anjia.payments import registry, schemas
from anjia.payments.models import Payment, ProviderNotification, Refund
from anjia.providers.payments.base import (
    Charge,
    NotificationRejected,
    NotifyReply,
    ProviderError,
    ProviderEvent,
)
from anjia.realtime.service import publish

FINANCE_TOPICS = ["role:finance", "role:admin"]
PAY_WINDOW = timedelta(minutes=30)  # top-ups and supplements; orders use their payment_due_at
QUERY_AFTER = timedelta(minutes=1)  # a notification this late is probably lost: ask the provider



def _source(payment: Payment) -> str:
    """The account the money arrives in."""
    if payment.provider == "balance":
        return f"customer_balance:{payment.customer_id}"
    return "cash" if payment.provider == "offline" else f"clearing:{payment.provider}"


def _payable(order: Order) -> tuple[int, str]:
    """(amount due now, purpose) for a locked order."""
    if order.status == Status.PENDING_PAYMENT.value:
        return order.total - order.paid_amount, "order"
    if order.status != Status.CANCELLED.value and order.price_difference > 0:
        return order.price_difference, "supplement"
    return 0, "order"


def _return_url(path: str | None, number: str) -> str:
    return get_settings().public_url + (path or "/#/pages/pay/result?number={number}").replace("{number}", number)


# ---------------------------------------------------------------- paying
async def pay_order(session: AsyncSession, customer: User, order_id: int, body: schemas.PayIn, ip: str | None
                    ) -> schemas.PaymentOut:
    order = await orders.lock(session, order_id, customer.id)
    amount, purpose = _payable(order)
    if amount <= 0:
        raise AppError("nothing_to_pay")
    service = await session.get(Service, order.service_id)
    return await _collect(session, customer, body, amount, purpose, order, f"安家-{service.name}-{order.number}", ip)


async def top_up(session: AsyncSession, customer: User, body: schemas.TopUpIn, ip: str | None) -> schemas.PaymentOut:
    if body.method == "balance":
        raise AppError("payment_method_unavailable")
    return await _collect(session, customer, body, body.amount, "topup", None, "安家-余额充值", ip)


async def _collect(session: AsyncSession, customer: User, body: schemas.PayIn, amount: int, purpose: str,
                   order: Order | None, description: str, ip: str | None) -> schemas.PaymentOut:
    expires = order.payment_due_at if order is not None and purpose == "order" and order.payment_due_at else \
        now() + PAY_WINDOW
    if body.method == "balance":
        await ledger.spend(session, f"customer_balance:{customer.id}", amount)
        payment = Payment(number=serial_number("B"), purpose=purpose, order_id=order.id if order else None,
                          customer_id=customer.id, provider="balance", amount=amount, expires_at=expires)
        session.add(payment)
        await session.flush()
        await _succeed(session, payment, order, customer, external_id=None)
        return payment_out(payment)
    provider = registry.get(body.method)
    if body.channel not in provider.channels:
        raise AppError("payment_method_unavailable")
    reuse = await session.scalar(select(Payment).where(
        Payment.customer_id == customer.id, Payment.order_id == (order.id if order else None),
        Payment.purpose == purpose, Payment.provider == body.method, Payment.channel == body.channel,
        Payment.amount == amount, Payment.status == "pending", Payment.expires_at > now() + timedelta(minutes=1)))
    if reuse is not None and purpose != "topup":  # a second tap on 去支付 continues the first payment
        return payment_out(reuse)
    number, created = serial_number("P"), now()
    charge = Charge(out_trade_no=number, created_at=created, amount=amount, description=description, channel=body.channel,
                    notify_url=f"{get_settings().public_url}/api/v1/payments/notify/{body.method}",
                    return_url=_return_url(body.return_path, number), expires_at=expires,
                    client_ip=ip or "127.0.0.1", openid=customer.wechat_openid)
    try:
        checkout = await provider.create(charge)
    except ProviderError as e:
        raise AppError("payment_provider_unavailable", extra={"provider_error": e.code}) from None
    payment = Payment(number=number, purpose=purpose, order_id=order.id if order else None, customer_id=customer.id,
                      provider=body.method, channel=body.channel, amount=amount, expires_at=expires,
                      checkout=asdict(checkout), created_at=created)
    session.add(payment)
    await session.flush()
    return payment_out(payment)


async def record_offline(session: AsyncSession, actor: User, order_id: int, body: schemas.OfflineIn,
                         ip: str | None) -> Payment:
    """Finance staff record cash or a bank transfer received for the order (audited)."""
    order = await orders.lock(session, order_id)
    amount, purpose = _payable(order)
    if amount <= 0:
        raise AppError("nothing_to_pay")
    payment = Payment(number=serial_number("F"), purpose=purpose, order_id=order.id, customer_id=order.customer_id,
                      provider="offline", channel=body.method, amount=amount, expires_at=now(),
                      note=body.reference or "", recorded_by=actor.id)
    session.add(payment)
    await session.flush()
    await _succeed(session, payment, order, actor, external_id=body.reference)
    await audit.record(session, actor, "payment.offline", "order", order.id, {"status": "pending_payment"},
                       {"payment": payment.number, "amount": amount, "method": body.method,
                        "reference": body.reference}, ip=ip)
    return payment


async def _succeed(session: AsyncSession, payment: Payment, order: Order | None, actor: User | None, *,
                   external_id: str | None) -> None:
    """The money is in: the payment, its entry and the order's move (then dispatch), together."""
    payment.status, payment.paid_at, payment.external_id = "succeeded", now(), external_id
    await _paid(session, payment, order, actor)


async def _paid(session: AsyncSession, payment: Payment, order: Order | None, actor: User | None) -> None:
    """What follows a payment's move to succeeded: its entry, the order's move (then dispatch)."""
    if payment.purpose == "topup":
        target = f"customer_balance:{payment.customer_id}"
    elif order is not None and order.status == Status.COMPLETED.value:
        target = f"receivable:{payment.customer_id}"
    else:
        target = "unearned"
    await ledger.post(session, "payment", [debit(_source(payment), payment.amount), credit(target, payment.amount)],
                      memo=f"{payment.provider} {payment.number}", order_id=payment.order_id,
                      payment_id=payment.id, actor_id=actor.id if actor else None)
    if order is not None:
        data = {"payment": payment.number, "amount": payment.amount, "method": payment.provider}
        if await lifecycle.paid(session, order, payment.amount, actor, data):
            await dispatch.start(session, order)
    await publish(session, [f"user:{payment.customer_id}"], "payment.succeeded",
                  {"number": payment.number, "order_id": payment.order_id, "amount": payment.amount})


async def _mark_paid(session: AsyncSession, payment: Payment, external_id: str | None) -> bool:
    """pending → succeeded in one statement that also takes the row lock (a notification's hot
    path: no separate SELECT … FOR UPDATE). False when the row is no longer pending."""
    at = now()
    moved = await session.execute(_MARK_PAID, {"payment_id": payment.id, "at": at, "external_id": external_id})
    if moved.first() is None:
        return False
    for name, value in (("status", "succeeded"), ("paid_at", at), ("external_id", external_id)):
        set_committed_value(payment, name, value)  # the row says so already: nothing left to flush
    return True


# ---------------------------------------------------------------- what providers tell us
def _inbox_and(model):
    """Store a notification once (nothing when seen before) and read what it names, in one
    statement: (inbox id or None, the payment or refund or None). Built once: a hot path."""
    inbox = (insert(ProviderNotification).values(
        provider=bindparam("provider"), external_id=bindparam("external_id"), kind=bindparam("kind"),
        out_no=bindparam("out_no"), outcome="applied", payload=bindparam("payload", type_=JSONB))
        .on_conflict_do_nothing(constraint="uq_provider_notifications_external")
        .returning(ProviderNotification.id).cte("inbox"))
    one = select(literal(1).label("one")).subquery()
    return (select(select(inbox.c.id).scalar_subquery(), model).select_from(one)
            .outerjoin(model, model.number == bindparam("number")))


_INBOX = {"payment": _inbox_and(Payment), "refund": _inbox_and(Refund)}
# on the table, not the entity: the ORM's bulk-update path would re-derive the statement (and its
# cache key) on every call, a tenth of a notification's CPU
_PAYMENTS = Payment.__table__
_MARK_PAID = (update(_PAYMENTS).where(_PAYMENTS.c.id == bindparam("payment_id"), _PAYMENTS.c.status == "pending")
              .values(status="succeeded", paid_at=bindparam("at"), external_id=bindparam("external_id"))
              .returning(_PAYMENTS.c.id))


async def handle_notification(session: AsyncSession, provider_name: str, headers: dict[str, str], body: bytes,
                              ip: str | None) -> NotifyReply:
    """Verify, store once, apply once. Untrusted notifications are refused (audited, nothing
    stored); trusted ones that do not match our payment are stored as rejected, shown to finance
    and acknowledged — the provider retrying them would not make them right."""
    if provider_name not in registry.enabled():
        raise AppError("unknown_provider")
    provider = registry.get(provider_name)
    try:
        event = await provider.verify_notification(headers, body)
    except NotificationRejected as e:
        await audit.record(session, None, "payment.notification_refused", "provider", provider_name,
                           after={"reason": e.reason}, ip=ip)
        return provider.reply(False, e.reason)
    key = event.notification_id or f"{event.kind}:{event.external_id}:{event.status}"
    # the inbox row and what it names in one round trip
    stored, row = (await session.execute(_INBOX[event.kind], {
        "provider": provider_name, "external_id": key[:128], "kind": event.kind, "out_no": event.out_no[:32],
        "number": event.out_no, "payload": event.raw})).one()
    if stored is None:
        return provider.reply(True)  # seen before: handled then
    outcome, reason = await apply(session, provider_name, event, found=row)
    if outcome != "applied":
        await session.execute(update(ProviderNotification).where(ProviderNotification.id == stored)
                              .values(outcome=outcome, reason=reason))
    if outcome == "rejected" or reason == "late_payment":  # refused, or money for a closed payment: returned
        await audit.record(session, None, f"payment.notification_{'rejected' if outcome == 'rejected' else 'late'}",
                           "provider", provider_name, after={"reason": reason, "out_no": event.out_no,
                                                             "amount": event.amount}, ip=ip)
    if outcome == "rejected":
        await publish(session, FINANCE_TOPICS, "alert.payment", {"reason": reason, "out_no": event.out_no})
    return provider.reply(True)


_UNREAD = object()


async def apply(session: AsyncSession, provider_name: str, event: ProviderEvent, found=_UNREAD
                ) -> tuple[str, str | None]:
    """Apply a verified event (notification or query answer): (applied | ignored | rejected, reason).
    `found`: the payment or refund the event names, when the caller has read it already (or None)."""
    model = Payment if event.kind == "payment" else Refund
    row = await session.scalar(select(model).where(model.number == event.out_no)) if found is _UNREAD else found
    payment = row if event.kind == "payment" else (await session.get(Payment, row.payment_id) if row else None)
    if row is None or payment.provider != provider_name:
        return "rejected", f"unknown_{event.kind}"
    provider = registry.get(provider_name)
    if event.merchant_id is not None and event.merchant_id != provider.merchant_id:
        return "rejected", "merchant_mismatch"
    if event.app_id is not None and provider.app_id is not None and event.app_id != provider.app_id:
        return "rejected", "app_mismatch"
    if event.currency != "CNY":
        return "rejected", "currency_mismatch"
    if event.amount is not None and event.amount != row.amount:
        return "rejected", "amount_mismatch"
    order = await orders.lock(session, row.order_id) if row.order_id else None
    if event.kind == "payment" and event.status == "succeeded" and payment.status == "pending" and (
            order is None or _payable(order)[0] == payment.amount) and await _mark_paid(session, payment,
                                                                                        event.external_id):
        await _paid(session, payment, order, None)  # the usual case: still pending when locked
        return "applied", None
    await session.refresh(row, with_for_update=True)
    if event.kind == "refund":
        return await _refund_answer(session, row, order, event)
    if event.status == "succeeded":
        if payment.status == "succeeded":
            return "ignored", "already_paid"
        if payment.status != "pending" or (order is not None and _payable(order)[0] != payment.amount):
            await _late(session, payment, event.external_id)
            return "applied", "late_payment"
        await _succeed(session, payment, order, None, external_id=event.external_id)
        return "applied", None
    if event.status in ("failed", "closed") and payment.status == "pending":
        payment.status, payment.closed_at = event.status, now()
        return "applied", None
    return "ignored", f"status_{event.status}"


async def _late(session: AsyncSession, payment: Payment, external_id: str | None) -> None:
    """Money arrived for a payment we no longer wanted (closed, or the order was paid or cancelled
    meanwhile): booked and returned in full; finance sees it."""
    payment.status, payment.paid_at, payment.external_id, payment.late = "succeeded", now(), external_id, True
    await ledger.post(session, "late_payment", [debit(_source(payment), payment.amount),
                                                credit("refunds_payable", payment.amount)],
                      memo=f"late {payment.number}", order_id=payment.order_id, payment_id=payment.id)
    payment.refunded_amount = payment.amount
    refund = Refund(number=serial_number("R"), payment_id=payment.id, order_id=payment.order_id,
                    customer_id=payment.customer_id, amount=payment.amount, kind="late_payment",
                    reason="订单已关闭后到账，原路退回", status="pending")
    session.add(refund)
    await session.flush()
    await publish(session, FINANCE_TOPICS, "alert.payment", {"reason": "late_payment", "out_no": payment.number})


# ---------------------------------------------------------------- refunds
async def refund_order(session: AsyncSession, order: Order, amount: int, kind: str, reason: str, actor: User | None,
                       *, approval: bool = False) -> list[Refund]:
    """Return `amount` of what the (locked) order's payments brought in, newest payment first.
    Each payment row is locked and its refunded total checked (and constrained) not to pass it."""
    payments = list(await session.scalars(select(Payment).where(
        Payment.order_id == order.id, Payment.status == "succeeded", Payment.late.is_(False))
        .order_by(Payment.id.desc()).with_for_update()))
    if sum(p.amount - p.refunded_amount for p in payments) < amount:
        raise AppError("refund_exceeds_paid")
    refunds, left = [], amount
    for p in payments:
        take = min(left, p.amount - p.refunded_amount)
        if take <= 0:
            continue
        p.refunded_amount += take
        refund = Refund(number=serial_number("R"), payment_id=p.id, order_id=order.id, customer_id=order.customer_id,
                        amount=take, kind=kind, reason=reason[:200], requested_by=actor.id if actor else None,
                        status="awaiting_approval" if approval else "pending")
        session.add(refund)
        refunds.append(refund)
        left -= take
        if not left:
            break
    await session.flush()
    if not approval:
        for refund in refunds:
            await _open(session, order, refund, actor)
    return refunds


async def _open(session: AsyncSession, order: Order, refund: Refund, actor: User | None) -> None:
    """The refund is owed from now on: its entry and the order's timeline. Balance refunds land at
    once; the others are sent to their provider by the refund job, after this commits."""
    # after the service, only an operator's goodwill refund is an expense; the check-out difference
    # was never earned
    delivered = order.status == Status.COMPLETED.value and refund.kind == "operator"
    source = "refund_expense" if delivered else "unearned"
    await ledger.post(session, "refund_request", [debit(source, refund.amount), credit("refunds_payable", refund.amount)],
                      memo=refund.reason, order_id=order.id, payment_id=refund.payment_id, refund_id=refund.id,
                      actor_id=actor.id if actor else None)
    await lifecycle.refund_requested(session, order, refund.amount, actor,
                                     {"refund": refund.number, "amount": refund.amount, "kind": refund.kind})
    payment = await session.get(Payment, refund.payment_id)
    if payment.provider == "balance":
        await _refunded(session, refund, order, external_id=None)


async def _refunded(session: AsyncSession, refund: Refund, order: Order | None, *, external_id: str | None) -> None:
    payment = await session.get(Payment, refund.payment_id)
    refund.status, refund.refunded_at, refund.external_id, refund.error = "succeeded", now(), external_id, None
    await ledger.post(session, "refund", [debit("refunds_payable", refund.amount), credit(_source(payment), refund.amount)],
                      memo=refund.number, order_id=refund.order_id, payment_id=payment.id, refund_id=refund.id)
    if order is not None:
        await lifecycle.refund_settled(session, order, True, {"refund": refund.number, "amount": refund.amount})
    await publish(session, [f"user:{refund.customer_id}"], "refund.succeeded",
                  {"number": refund.number, "order_id": refund.order_id, "amount": refund.amount})


async def _refund_answer(session: AsyncSession, refund: Refund, order: Order | None, event: ProviderEvent
                         ) -> tuple[str, str | None]:
    if refund.status not in ("pending", "processing", "failed"):
        return "ignored", f"refund_{refund.status}"
    if event.status == "succeeded":
        await _refunded(session, refund, order, external_id=event.external_id)
        return "applied", None
    if event.status == "failed" and refund.status != "failed":
        refund.status, refund.error = "failed", str(event.raw.get("error") or "provider refused")[:200]
        if order is not None:
            await lifecycle.refund_settled(session, order, False, {"refund": refund.number})
        await publish(session, FINANCE_TOPICS, "alert.refund", {"number": refund.number, "error": refund.error})
        return "applied", None
    return "ignored", f"status_{event.status}"


async def submit_refund(session: AsyncSession, refund_id: int) -> bool:
    """Job step: send one pending refund to its provider (the same out_refund_no on every retry)."""
    refund = await session.get(Refund, refund_id)
    if refund is None or refund.status not in ("pending", "processing"):
        return False
    order = await orders.try_lock(session, refund.order_id) if refund.order_id else None
    if refund.order_id and order is None:
        return False  # the order is busy; next run
    await session.refresh(refund, with_for_update=True)
    payment = await session.get(Payment, refund.payment_id)
    if payment.provider == "offline":
        return False  # handed back by finance, confirmed in the console
    provider = registry.get(payment.provider)
    refund.attempts += 1
    refund.submitted_at = refund.submitted_at or now()
    try:
        if refund.status == "processing":  # sent before: ask how it went
            answer = await provider.query_refund(refund.number, payment.number, created_at=refund.submitted_at)
        else:
                answer = await provider.refund(out_refund_no=refund.number, out_trade_no=payment.number,
                                           amount=refund.amount, total=payment.amount, reason=refund.reason or "退款",
                                           external_id=payment.external_id, created_at=refund.submitted_at,
                                           notify_url=f"{get_settings().public_url}/api/v1/payments/notify/"
                                           f"{payment.provider}")
    except ProviderError as e:
        refund.status, refund.error = "processing", f"{e.code}: {e.message}"[:200]
        return True
    refund.status = "processing"
    if answer.status in ("succeeded", "failed"):
        await _refund_answer(session, refund, order, answer)
    return True


async def cancel_refund(session: AsyncSession, order: Order, actor: User | None) -> None:
    """Hook: an order cancelled after payment keeps the fee and gives back the rest."""
    net = order.paid_amount - order.refunded_amount
    if net <= 0:
        return
    fee = min(order.cancel_fee, net)
    await ledger.post(session, "cancellation", [debit("unearned", fee), credit("cancel_fees", fee)],
                      memo=f"取消费 {order.number}", order_id=order.id, actor_id=actor.id if actor else None)
    if net - fee:
        await refund_order(session, order, net - fee, "cancel", order.cancel_reason or "订单取消", actor)


async def settle_difference(session: AsyncSession, order: Order, actor: User | None) -> None:
    """Hook: after a change of a paid order or its check-out, give back what was paid over the price,
    or (at check-out) book what is still owed and ask the customer for it."""
    due = order.final_total if order.status == Status.COMPLETED.value else order.total
    net = order.paid_amount - order.refunded_amount
    if order.status == Status.PENDING_PAYMENT.value or due is None or net <= 0:
        return
    if due < net:
        await refund_order(session, order, net - due, "difference", "实际服务费用低于已付金额，退还差价", actor)
    elif due > net and order.status == Status.COMPLETED.value:
        await ledger.post(session, "supplement_due", [debit(f"receivable:{order.customer_id}", due - net),
                                                      credit("unearned", due - net)],
                          memo=f"补差价 {order.number}", order_id=order.id)
        await lifecycle.owe_difference(session, order, due - net, {"amount": due - net})


async def close_open_payments(session: AsyncSession, order: Order, actor: User | None) -> None:
    """Hook: a cancelled or expired order's unfinished payments are closed by the payment job
    (it asks the provider first: money that arrived anyway is returned)."""
    await session.execute(update(Payment).where(Payment.order_id == order.id, Payment.status == "pending")
                          .values(expires_at=now()))


hooks.on("cancelled")(cancel_refund)
hooks.on("cancelled", "expired")(close_open_payments)
hooks.on("modified", "checked_out")(settle_difference)


# ---------------------------------------------------------------- the active query
async def due_for_query(session: AsyncSession, limit: int = 100) -> list[int]:
    t = now()
    return list(await session.scalars(select(Payment.id).where(
        Payment.status == "pending", Payment.provider.in_(registry.enabled()),
        or_(Payment.expires_at < t, Payment.created_at < t - QUERY_AFTER),
        or_(Payment.queried_at.is_(None), Payment.queried_at < t - QUERY_AFTER, Payment.expires_at < t))
        .order_by(Payment.id).limit(limit)))


async def query_payment(session: AsyncSession, payment_id: int) -> str | None:
    """Job step: ask the provider about a payment whose notification has not come; apply the
    answer exactly as a notification (same locks, same checks); close it once expired."""
    payment = await session.get(Payment, payment_id)
    if payment is None or payment.status != "pending":
        return None
    if payment.order_id and await orders.try_lock(session, payment.order_id) is None:
        return None
    await session.refresh(payment, with_for_update=True)
    if payment.status != "pending":
        return None
    provider = registry.get(payment.provider)
    payment.queried_at = now()
    try:
        answer = await provider.query(payment.number, created_at=payment.created_at)
        if answer.status == "pending" and payment.expires_at < now():
            await provider.close(payment.number)
            answer = await provider.query(payment.number, created_at=payment.created_at)
    except ProviderError:
        return "unreachable"
    if answer.status == "pending":
        return "pending"
    outcome, reason = await apply(session, payment.provider, answer)
    if outcome == "rejected":
        await publish(session, FINANCE_TOPICS, "alert.payment", {"reason": reason, "out_no": payment.number})
    return reason or answer.status


# ---------------------------------------------------------------- operators
async def operator_refund(session: AsyncSession, actor: User, order_id: int, body: schemas.RefundIn,
                          ip: str | None) -> list[Refund]:
    order = await orders.lock(session, order_id)
    approval = body.amount > get_settings().refund_approval_threshold
    try:
        refunds = await refund_order(session, order, body.amount, "operator", body.reason, actor, approval=approval)
    except AppError as e:
        raise await audit.refused(actor, "refund.request_refused", "order", order.id,
                                  {"paid_amount": order.paid_amount, "refunded_amount": order.refunded_amount},
                                  e.code, ip, amount=body.amount) from None
    await audit.record(session, actor, "refund.request", "order", order.id, None,
                       {"amount": body.amount, "reason": body.reason, "refunds": [r.number for r in refunds],
                        "needs_approval": approval}, ip=ip)
    return refunds


async def _locked_refund(session: AsyncSession, refund_id: int) -> tuple[Refund, Order | None]:
    refund = await session.get(Refund, refund_id)
    if refund is None:
        raise AppError("refund_not_found")
    order = await orders.lock(session, refund.order_id) if refund.order_id else None
    await session.refresh(refund, with_for_update=True)
    return refund, order


async def decide_refund(session: AsyncSession, actor: User, refund_id: int, approve: bool, ip: str | None) -> Refund:
    """Finance approves (the refund goes out) or rejects (the amount is free again) — once."""
    refund, order = await _locked_refund(session, refund_id)
    action = "refund.approve" if approve else "refund.reject"
    if refund.status != "awaiting_approval":
        raise await audit.refused(actor, f"{action}_refused", "refund", refund.id, {"status": refund.status},
                                  "refund_state", ip)
    if refund.requested_by == actor.id and approve:
        raise await audit.refused(actor, f"{action}_refused", "refund", refund.id, {"status": refund.status},
                                  "refund_self_approval", ip)
    refund.approved_by = actor.id
    if approve:
        refund.status = "pending"
        await _open(session, order, refund, actor)
    else:
        refund.status = "rejected"
        await session.execute(update(Payment).where(Payment.id == refund.payment_id)
                              .values(refunded_amount=Payment.refunded_amount - refund.amount))
    await audit.record(session, actor, action, "refund", refund.id,
                       {"status": "awaiting_approval"}, {"status": refund.status, "amount": refund.amount}, ip=ip)
    return refund


async def retry_refund(session: AsyncSession, actor: User, refund_id: int, ip: str | None) -> Refund:
    """A failed refund goes out again under the same out_refund_no."""
    refund, _ = await _locked_refund(session, refund_id)
    if refund.status != "failed":
        raise AppError("refund_state")
    refund.status = "processing"
    await audit.record(session, actor, "refund.retry", "refund", refund.id, {"status": "failed"},
                       {"status": "processing"}, ip=ip)
    return refund


async def confirm_offline_refund(session: AsyncSession, actor: User, refund_id: int, ip: str | None) -> Refund:
    """Finance handed the money back in cash or by transfer."""
    refund, order = await _locked_refund(session, refund_id)
    payment = await session.get(Payment, refund.payment_id)
    if payment.provider != "offline" or refund.status != "pending":
        raise AppError("refund_state")
    await _refunded(session, refund, order, external_id=None)
    await audit.record(session, actor, "refund.offline", "refund", refund.id, {"status": "pending"},
                       {"status": "succeeded", "amount": refund.amount}, ip=ip)
    return refund


# ---------------------------------------------------------------- reading
def payment_out(p: Payment) -> schemas.PaymentOut:
    return schemas.PaymentOut(
        id=p.id, number=p.number, purpose=p.purpose, order_id=p.order_id, provider=p.provider,
        provider_label=registry.LABELS[p.provider][0], channel=p.channel, amount=p.amount,
        refunded_amount=p.refunded_amount, status=p.status, late=p.late, created_at=p.created_at or now(),
        paid_at=p.paid_at, checkout=schemas.CheckoutOut(**p.checkout) if p.checkout else None)


def refund_out(r: Refund, provider: str | None = None) -> schemas.RefundOut:
    return schemas.RefundOut(id=r.id, number=r.number, payment_id=r.payment_id, order_id=r.order_id,
                             customer_id=r.customer_id, amount=r.amount, kind=r.kind, reason=r.reason,
                             status=r.status, error=r.error, attempts=r.attempts, created_at=r.created_at or now(),
                             refunded_at=r.refunded_at, provider=provider)


def _with_provider(query):
    """Refunds with their payment's provider (finance confirms offline ones by hand)."""
    return query.add_columns(Payment.provider).join(Payment, Payment.id == Refund.payment_id)


async def get_payment(session: AsyncSession, customer_id: int, number: str) -> schemas.PaymentOut:
    p = await session.scalar(select(Payment).where(Payment.number == number, Payment.customer_id == customer_id))
    if p is None:
        raise AppError("payment_not_found")
    return payment_out(p)


async def order_money(session: AsyncSession, order: Order) -> schemas.OrderMoneyOut:
    payments = await session.scalars(select(Payment).where(Payment.order_id == order.id).order_by(Payment.id))
    refunds = await session.execute(_with_provider(select(Refund).where(Refund.order_id == order.id)).order_by(Refund.id))
    due, _ = _payable(order)
    return schemas.OrderMoneyOut(amount_due=due, paid_amount=order.paid_amount, refunded_amount=order.refunded_amount,
                                 methods=methods(), payments=[payment_out(p) for p in payments if p.status != "pending"
                                                              or p.expires_at > now()],
                                 refunds=[refund_out(r, provider) for r, provider in refunds])


def methods() -> list[schemas.MethodOut]:
    return [schemas.MethodOut(method=m, label=registry.LABELS[m][0], label_en=registry.LABELS[m][1],
                              channels=list(registry.get(m).channels)) for m in registry.enabled()] + \
        [schemas.MethodOut(method="balance", label="余额", label_en="Balance", channels=["h5", "jsapi", "page"])]


async def balance(session: AsyncSession, customer: User, page: int, size: int) -> schemas.BalanceOut:
    code = f"customer_balance:{customer.id}"
    entries = await ledger.history(session, code, page, size)
    return schemas.BalanceOut(balance=await ledger.balance(session, code), entries=entries,
                              methods=[m for m in methods() if m.method != "balance"])


async def receipts(session: AsyncSession, customer_id: int, page: int, size: int) -> Page[schemas.PaymentOut]:
    q = select(Payment).where(Payment.customer_id == customer_id, Payment.status == "succeeded")
    total = await session.scalar(select(func.count()).select_from(q.subquery()))
    rows = await session.scalars(q.order_by(Payment.id.desc()).offset((page - 1) * size).limit(size))
    return Page(items=[payment_out(p) for p in rows], total=total, page=page, page_size=size)


async def admin_payments(session: AsyncSession, *, status: str | None, provider: str | None, q: str | None,
                         page: int, size: int) -> Page[schemas.PaymentOut]:
    query = select(Payment)
    if status:
        query = query.where(Payment.status == status)
    if provider:
        query = query.where(Payment.provider == provider)
    if q:
        query = query.where(or_(Payment.number == q, Payment.order_id.in_(select(Order.id).where(Order.number == q))))
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Payment.id.desc()).offset((page - 1) * size).limit(size))
    return Page(items=[payment_out(p) for p in rows], total=total, page=page, page_size=size)


async def admin_refunds(session: AsyncSession, *, status: str | None, page: int, size: int) -> Page[schemas.RefundOut]:
    query = select(Refund)
    if status:
        query = query.where(Refund.status == status)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.execute(_with_provider(query).order_by(Refund.id.desc()).offset((page - 1) * size).limit(size))
    return Page(items=[refund_out(r, provider) for r, provider in rows], total=total, page=page, page_size=size)


async def issues(session: AsyncSession) -> schemas.IssuesOut:
    """What finance must look at: refused-after-verification notifications, failed or stuck refunds,
    money that arrived late."""
    rejected = await session.scalars(select(ProviderNotification).where(ProviderNotification.outcome == "rejected")
                                     .order_by(ProviderNotification.id.desc()).limit(100))
    stuck = await session.execute(_with_provider(select(Refund)).where(or_(
        Refund.status == "failed", (Refund.status == "processing") & (Refund.submitted_at < now() - timedelta(hours=24))))
        .order_by(Refund.id.desc()).limit(100))
    late = await session.scalars(select(Payment).where(Payment.late.is_(True)).order_by(Payment.id.desc()).limit(100))
    return schemas.IssuesOut(
        notifications=[schemas.NotificationIssue(id=n.id, provider=n.provider, out_no=n.out_no, reason=n.reason or "",
                                                 received_at=n.received_at) for n in rejected],
        refunds=[refund_out(r, provider) for r, provider in stuck], late_payments=[payment_out(p) for p in late])


async def phone_order_qr(session: AsyncSession, actor: User, order_id: int, method: str | None, ip: str | None
                         ) -> schemas.PaymentOut:
    """Operators taking an order by phone show the customer a Native QR code to scan and pay."""
    method = method or next((m for m in registry.enabled() if "native" in registry.get(m).channels), None)
    if method is None:
        raise AppError("payment_method_unavailable")
    order = await orders.lock(session, order_id)
    amount, purpose = _payable(order)
    if amount <= 0:
        raise AppError("nothing_to_pay")
    customer = await session.get(User, order.customer_id)
    out = await _collect(session, customer, schemas.PayIn(method=method, channel="native"), amount, purpose, order,
                         f"安家-电话订单-{order.number}", ip)
    await audit.record(session, actor, "payment.qr", "order", order.id, None,
                       {"payment": out.number, "amount": amount, "method": method}, ip=ip)
    return out


async def sandbox_payment(session: AsyncSession, number: str) -> Payment:
    payment = await session.scalar(select(Payment).where(Payment.number == number, Payment.provider == "sandbox"))
    if payment is None:
        raise AppError("payment_not_found")
    return payment


async def deliver_sandbox_notification(body: bytes, headers: dict[str, str]) -> None:
    """The sandbox's notification, handled as if it had come over HTTP (in its own transaction)."""
    from anjia.core import db

    async with db.sessionmaker()() as session:
        await handle_notification(session, "sandbox", headers, body, "127.0.0.1")
        await session.commit()
