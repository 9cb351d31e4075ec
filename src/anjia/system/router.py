from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from anjia.config import get_settings
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


class ClientConfig(BaseModel):
    """What the apps need to know of the server's settings before anyone signs in."""
    map_tiles_url: str  # Leaflet tile URL template (GCJ-02 tiles); empty: draw the tile-free grid
    map_tiles_subdomains: str  # the values of {s}, e.g. "1234"
    map_tiles_attribution: str
    places: bool  # place suggestions and reverse geocoding are served (a maps provider is configured)


@router.get("/config")
async def client_config() -> ClientConfig:
    """Public client configuration (maps)."""
    s = get_settings()
    return ClientConfig(map_tiles_url=s.map_tiles_url, map_tiles_subdomains=s.map_tiles_subdomains,
                        map_tiles_attribution=s.map_tiles_attribution, places=s.maps_provider not in ("", "none"))
