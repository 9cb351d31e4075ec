from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from anjia.core.auth import CurrentUser, Session, WritingSession, client_ip
from anjia.privacy import schemas, service

router = APIRouter(prefix="/me", tags=["me"])


@router.get("/data-export", response_model=schemas.DataExport)
async def data_export(user: CurrentUser, session: WritingSession, request: Request) -> Response:
    """Everything we hold about you — profile, addresses, orders, payments, reviews, tickets,
    coupons, notifications — as a JSON file (audited)."""
    data = await service.export(session, user, client_ip(request))
    name = f"anjia-data-{user.id}-{data.exported_at:%Y%m%d}.json"
    return JSONResponse(data.model_dump(mode="json"), headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.delete("", status_code=204)
async def delete_me(user: CurrentUser, session: Session) -> Response:
    """Delete your account: personal data is removed; orders and payments stay, naming nobody."""
    await service.delete_account(session, user)
    return Response(status_code=204)
