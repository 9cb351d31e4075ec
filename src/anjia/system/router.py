from fastapi import APIRouter
from fastapi.responses import JSONResponse

from anjia.core import db

router = APIRouter(tags=["system"])


@router.get("/health")
async def health() -> dict[str, str]:
    """Liveness with a database round trip (`SELECT 1`)."""
    try:
        ok = await db.ping()
    except Exception:
        ok = False
    if not ok:
        return JSONResponse({"status": "degraded", "database": "unavailable"}, status_code=503)
    return {"status": "ok", "database": "ok"}
