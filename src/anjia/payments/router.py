"""Paying and refunds: customers, providers' notifications, the sandbox cashier, finance staff."""
import html
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from anjia.core.auth import Customer, Session, client_ip, staff_with
from anjia.core.errors import AppError, responses
from anjia.core.paging import Page
from anjia.core.params import Id, PageNo, PageSize, Search
from anjia.core.types import Text
from anjia.ledger import errors as ledger_errors
from anjia.orders import errors as order_errors
from anjia.orders import service as orders
from anjia.payments import errors, schemas, service
from anjia.payments.registry import LABELS
from anjia.payments.sandbox import Sandbox
from anjia.providers.payments.base import yuan

PAYING = (order_errors.ORDER_NOT_FOUND, errors.NOTHING_TO_PAY, errors.METHOD_UNAVAILABLE, errors.PROVIDER_UNAVAILABLE,
          ledger_errors.INSUFFICIENT_BALANCE)
router = APIRouter(tags=["payments"], responses=responses(*PAYING, errors.PAYMENT_NOT_FOUND))
notify = APIRouter(prefix="/payments", tags=["payments: providers"], responses=responses(errors.UNKNOWN_PROVIDER))
admin = APIRouter(prefix="/admin", tags=["admin: payments"], responses=responses(
    order_errors.ORDER_NOT_FOUND, errors.NOTHING_TO_PAY, errors.REFUND_EXCEEDS_PAID, errors.REFUND_NOT_FOUND,
    errors.REFUND_STATE, errors.REFUND_SELF_APPROVAL, errors.METHOD_UNAVAILABLE, errors.PROVIDER_UNAVAILABLE))
Number = Text(32)


@router.get("/orders/{order_id}/payments")
async def order_money(order_id: Id, user: Customer, session: Session) -> schemas.OrderMoneyOut:
    """What is due on the order, how it can be paid, and its payments and refunds."""
    return await service.order_money(session, await orders.get_for_customer(session, user.id, order_id))


@router.post("/orders/{order_id}/payments", status_code=201)
async def pay_order(order_id: Id, body: schemas.PayIn, request: Request, user: Customer, session: Session
                    ) -> schemas.PaymentOut:
    """Start paying what is due (the order, or the difference after check-out). Returns what the
    client needs: `checkout` (wx.requestPayment params, a redirect URL or a QR code URL), or a
    settled payment for `balance`. Send an `Idempotency-Key`."""
    return await service.pay_order(session, user, order_id, body, client_ip(request))


@router.get("/payments/{number}")
async def get_payment(number: Number, user: Customer, session: Session) -> schemas.PaymentOut:
    """The result page polls this until the payment is settled."""
    return await service.get_payment(session, user.id, number)


@router.get("/me/payments")
async def receipts(user: Customer, session: Session, page: PageNo = 1, page_size: PageSize = 20
                   ) -> Page[schemas.PaymentOut]:
    return await service.receipts(session, user.id, page, page_size)


@router.get("/me/balance")
async def balance(user: Customer, session: Session, page: PageNo = 1, page_size: PageSize = 20) -> schemas.BalanceOut:
    return await service.balance(session, user, page, page_size)


@router.post("/me/balance/top-ups", status_code=201)
async def top_up(body: schemas.TopUpIn, request: Request, user: Customer, session: Session) -> schemas.PaymentOut:
    return await service.top_up(session, user, body, client_ip(request))


PROVIDER_REPLY = {"description": "the provider's own reply format (WeChat Pay: JSON code/message; Alipay: "
                                 "`success`/`fail`; UnionPay: `ok`)",
                  "content": {"application/json": {}, "text/plain": {}}, "x-own-format": True}


@notify.post("/notify/{provider}", response_class=Response, responses={
    200: PROVIDER_REPLY, 204: {"description": "accepted (WeChat Pay)"},
    400: {**PROVIDER_REPLY, "description": "refused: not verifiable (signature, certificate, timestamp, body)"}})
async def provider_notification(provider: Literal["wechatpay", "alipay", "unionpay", "sandbox"], request: Request,
                                session: Session) -> Response:
    """Providers' asynchronous results. Verified before anything else; answered in each
    provider's own protocol."""
    reply = await service.handle_notification(session, provider, request.headers, await request.body(),
                                              client_ip(request))
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type)


@notify.get("/sandbox/{number}", response_class=HTMLResponse, include_in_schema=False)
async def sandbox_page(number: Number, session: Session) -> HTMLResponse:
    payment = await service.sandbox_payment(session, number)
    done = payment.status != "pending"
    page = SANDBOX_PAGE.format(
        number=html.escape(number), amount=yuan(payment.amount), purpose={"topup": "余额充值", "supplement": "补缴差价"}.get(
            payment.purpose, "订单支付"), status="" if not done else f"<p class=done>该支付已{STATUS[payment.status]}</p>",
        disabled="disabled" if done else "")
    return HTMLResponse(page, headers={"Content-Security-Policy": SANDBOX_CSP})


@notify.post("/sandbox/{number}", include_in_schema=False)
async def sandbox_decide(number: Number, outcome: Annotated[Literal["succeed", "fail"], Form()]) -> Response:
    """The sandbox provider notifies us through the same endpoint real providers use."""
    settled = await Sandbox().settle(number, outcome == "succeed")
    if settled is None:
        raise AppError("payment_not_found")
    body, headers, return_url = settled
    await service.deliver_sandbox_notification(body, headers)
    return RedirectResponse(return_url or "/", status_code=303)


STATUS = {"succeeded": "完成", "failed": "失败", "closed": "关闭"}
# A styled form posting to itself, no script (the API's own policy would refuse the styles).
SANDBOX_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
SANDBOX_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>安家模拟收银台</title><style>
body{{margin:0;font-family:-apple-system,"Noto Sans CJK SC","PingFang SC",sans-serif;background:#f4f6f8;color:#1f2329}}
main{{max-width:420px;margin:0 auto;padding:32px 20px}} .card{{background:#fff;border-radius:14px;padding:28px 22px;
box-shadow:0 4px 18px rgba(0,0,0,.06);text-align:center}} .tag{{display:inline-block;background:#fff4e5;color:#b35c00;
border-radius:6px;padding:2px 10px;font-size:13px}} h1{{font-size:18px;margin:14px 0 4px}} .amount{{font-size:40px;
font-weight:700;margin:18px 0}} .amount small{{font-size:20px}} .no{{color:#8f959e;font-size:13px;word-break:break-all}}
button{{width:100%;border:0;border-radius:10px;font-size:17px;padding:14px;margin-top:14px;cursor:pointer}}
.ok{{background:#07c160;color:#fff}} .fail{{background:#fff;color:#d93026;border:1px solid #f3c2bf}}
button[disabled]{{opacity:.45;cursor:not-allowed}} .done{{color:#07c160}} footer{{color:#8f959e;font-size:12px;
margin-top:18px;line-height:1.6;text-align:center}}</style></head><body><main><div class=card>
<span class=tag>开发环境 · 模拟支付</span><h1>{purpose}</h1><div class=amount><small>¥</small>{amount}</div>
<div class=no>支付单号 {number}</div>{status}
<form method=post><button class=ok name=outcome value=succeed id=pay {disabled}>确认支付</button>
<button class=fail name=outcome value=fail id=fail {disabled}>模拟支付失败</button></form></div>
<footer>这是安家的开发用支付渠道：不会产生真实扣款。<br>生产环境请配置微信支付、支付宝或银联。</footer></main></body></html>"""


# ---------------------------------------------------------------- finance staff
@admin.get("/payments", dependencies=[staff_with("finance.read")])
async def admin_payments(session: Session, status: Literal["pending", "succeeded", "failed", "closed"] | None = None,
                         provider: Literal[tuple(LABELS)] | None = None, q: Search = None,  # type: ignore[valid-type]
                         page: PageNo = 1, page_size: PageSize = 20) -> Page[schemas.PaymentOut]:
    return await service.admin_payments(session, status=status, provider=provider, q=q, page=page, size=page_size)


@admin.get("/payments/issues", dependencies=[staff_with("finance.read")])
async def payment_issues(session: Session) -> schemas.IssuesOut:
    """Rejected notifications, failed or stuck refunds, and money that arrived after its order closed."""
    return await service.issues(session)


@admin.get("/orders/{order_id}/payments", dependencies=[staff_with("orders.read")])
async def admin_order_money(order_id: Id, session: Session) -> schemas.OrderMoneyOut:
    return await service.order_money(session, await orders.get_order(session, order_id))


@admin.post("/orders/{order_id}/payments/offline", status_code=201)
async def record_offline(order_id: Id, body: schemas.OfflineIn, request: Request, session: Session,
                         actor=staff_with("payments.write")) -> schemas.PaymentOut:
    """Cash or a transfer received for the order (audited); the order is paid and dispatched."""
    return service.payment_out(await service.record_offline(session, actor, order_id, body, client_ip(request)))


@admin.post("/orders/{order_id}/payments/qr", status_code=201)
async def phone_order_qr(order_id: Id, request: Request, session: Session, actor=staff_with("payments.write"),
                         method: Literal["wechatpay", "sandbox"] | None = None) -> schemas.PaymentOut:
    """A Native QR code for an order taken by phone: the customer scans it to pay (with the
    first configured provider that offers QR codes unless `method` says which)."""
    return await service.phone_order_qr(session, actor, order_id, method, client_ip(request))


@admin.get("/refunds", dependencies=[staff_with("finance.read")])
async def admin_refunds(session: Session, status: Literal["awaiting_approval", "pending", "processing", "succeeded",
                                                          "failed", "rejected"] | None = None,
                        page: PageNo = 1, page_size: PageSize = 20) -> Page[schemas.RefundOut]:
    return await service.admin_refunds(session, status=status, page=page, size=page_size)


@admin.post("/orders/{order_id}/refunds", status_code=201)
async def operator_refund(order_id: Id, body: schemas.RefundIn, request: Request, session: Session,
                          actor=staff_with("payments.write")) -> list[schemas.RefundOut]:
    """Refund part of an order; above REFUND_APPROVAL_THRESHOLD it waits for finance."""
    refunds = await service.operator_refund(session, actor, order_id, body, client_ip(request))
    return [service.refund_out(r) for r in refunds]


@admin.post("/refunds/{refund_id}/approve")
async def approve_refund(refund_id: Id, request: Request, session: Session, actor=staff_with("finance.approve")
                         ) -> schemas.RefundOut:
    return service.refund_out(await service.decide_refund(session, actor, refund_id, True, client_ip(request)))


@admin.post("/refunds/{refund_id}/reject")
async def reject_refund(refund_id: Id, request: Request, session: Session, actor=staff_with("finance.approve")
                        ) -> schemas.RefundOut:
    return service.refund_out(await service.decide_refund(session, actor, refund_id, False, client_ip(request)))


@admin.post("/refunds/{refund_id}/retry")
async def retry_refund(refund_id: Id, request: Request, session: Session, actor=staff_with("finance.write")
                       ) -> schemas.RefundOut:
    return service.refund_out(await service.retry_refund(session, actor, refund_id, client_ip(request)))


@admin.post("/refunds/{refund_id}/confirm-offline")
async def confirm_offline_refund(refund_id: Id, request: Request, session: Session,
                                 actor=staff_with("finance.write")) -> schemas.RefundOut:
    """Finance gave back an offline payment by hand."""
    return service.refund_out(await service.confirm_offline_refund(session, actor, refund_id, client_ip(request)))
