"""Operators' dispatch: why a worker was chosen, assign by hand, start a new round."""
from fastapi import APIRouter, Request

from anjia.core.auth import Session, client_ip, staff_with
from anjia.core.errors import responses
from anjia.core.params import Id
from anjia.dispatch import errors, schemas, service
from anjia.orders import errors as order_errors
from anjia.orders import service as orders
from anjia.orders.schemas import OrderOut

admin = APIRouter(prefix="/admin", tags=["admin: dispatch"], responses=responses(
    "not_found", order_errors.ORDER_NOT_FOUND, order_errors.ILLEGAL_TRANSITION, errors.WORKER_BUSY,
    errors.WORKER_NOT_ELIGIBLE))


@admin.get("/orders/{order_id}/dispatch", dependencies=[staff_with("orders.read")])
async def dispatch_decisions(order_id: Id, session: Session) -> schemas.DispatchOut:
    """Why this worker: every round's candidates with their score breakdown and what they answered."""
    await orders.get_order(session, order_id)
    return await service.explain(session, order_id)


@admin.post("/orders/{order_id}/assign")
async def assign(order_id: Id, body: schemas.AssignIn, request: Request, session: Session,
                 actor=staff_with("orders.write")) -> OrderOut:
    """The order as staff see it (orders.admin_order_out: full address audited, else masked)."""
    order = await service.assign(session, actor, order_id, body.worker_id)
    return await orders.admin_order_out(session, actor, order, client_ip(request))


@admin.post("/orders/{order_id}/redispatch")
async def redispatch(order_id: Id, request: Request, session: Session, actor=staff_with("orders.write")) -> OrderOut:
    order = await service.redispatch(session, actor, order_id)
    return await orders.admin_order_out(session, actor, order, client_ip(request))
