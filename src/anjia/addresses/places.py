"""Places for the apps' address pickers: suggestions as the customer types and what is at a point
(the H5 app's "use my location"), through `providers.maps`. Signed-in callers only, 60 requests a
minute each (in-process: the provider's own quota is per key), answers in GCJ-02 with the service
region each place falls in."""
import time
from collections import defaultdict, deque
from typing import Annotated, Literal

import structlog
from fastapi import APIRouter, Query

from anjia.addresses import errors, schemas
from anjia.core.auth import CurrentUser, Session
from anjia.core.errors import AppError, responses
from anjia.core.geo import distance_km, wgs84_to_gcj02
from anjia.core.types import Id, Lat, Lng, Text
from anjia.providers import maps
from anjia.scheduling import service as scheduling
from anjia.scheduling.models import Region

log = structlog.get_logger()
router = APIRouter(prefix="/places", tags=["addresses"],
                   responses=responses("not_found", errors.PLACES_UNAVAILABLE, errors.PLACES_RATE_LIMITED))

PER_MINUTE = 60
_calls: dict[int, deque[float]] = defaultdict(deque)


def _throttle(user_id: int) -> None:
    now, window = time.monotonic(), _calls[user_id]
    while window and window[0] <= now - 60:
        window.popleft()
    if len(window) >= PER_MINUTE:
        raise AppError(errors.PLACES_RATE_LIMITED, headers={"Retry-After": str(max(1, int(window[0] + 60 - now) + 1))})
    window.append(now)
    if len(_calls) > 10_000:  # forget idle callers
        for k in [k for k, v in _calls.items() if not v or v[-1] <= now - 60]:
            del _calls[k]


def _region_of(regions: list[Region], lat: float, lng: float) -> int | None:
    inside = [(distance_km(lat, lng, r.center_lat, r.center_lng), r.id) for r in regions
              if distance_km(lat, lng, r.center_lat, r.center_lng) <= r.radius_km]
    return min(inside)[1] if inside else None


def _out(p: maps.Place, regions: list[Region]) -> schemas.PlaceOut:
    return schemas.PlaceOut(title=p.title, address=p.address, lat=p.lat, lng=p.lng, province=p.province, city=p.city,
                            district=p.district, region_id=_region_of(regions, p.lat, p.lng))


@router.get("/suggest")
async def suggest(q: Annotated[Text(64, min_length=1), Query(description="what the customer typed")],
                  user: CurrentUser, session: Session,
                  region_id: Annotated[Id | None, Query(description="bias to this service region's city")] = None
                  ) -> list[schemas.PlaceOut]:
    """Place suggestions for a typed address, nearest the region's centre first; none without a
    maps provider; 503 `places_unavailable` when the provider fails."""
    _throttle(user.id)
    regions = await scheduling.regions(session)
    region = None
    if region_id is not None:
        region = await scheduling.get_region(session, region_id)  # not_found
    if maps.get_maps().name == "none":
        return []  # nothing to search (GET /config says places: false, the apps do not ask)
    try:
        found = await maps.get_maps().suggest(q.strip(), region=region.city if region else "",
                                              near=(region.center_lat, region.center_lng) if region else None)
    except maps.MapsError as e:
        log.warning("places_failed", what="suggest", status=e.status, message=e.message)
        raise AppError(errors.PLACES_UNAVAILABLE, headers={"Retry-After": "30"}) from None
    return [_out(p, regions) for p in found]


@router.get("/reverse")
async def reverse(lat: Annotated[Lat, Query()], lng: Annotated[Lng, Query()], user: CurrentUser, session: Session,
                  coord: Annotated[Literal["gcj02", "wgs84"], Query(
                      description="wgs84 for a browser's geolocation: converted to GCJ-02 first")] = "gcj02"
                  ) -> schemas.ReversePlaceOut:
    """What is at a point. The answer always carries the point in GCJ-02; without a provider (or when it
    fails or knows nothing there) `found` is false and the texts are empty."""
    _throttle(user.id)
    if coord == "wgs84":
        lat, lng = wgs84_to_gcj02(lat, lng)
    regions = await scheduling.regions(session)
    place = None
    if maps.get_maps().name != "none":
        try:
            place = await maps.get_maps().reverse(lat, lng)
        except maps.MapsError as e:
            log.warning("places_failed", what="reverse", status=e.status, message=e.message)
    p = place or maps.Place(title="", address="", lat=lat, lng=lng)
    return schemas.ReversePlaceOut(**_out(maps.Place(**{**p.__dict__, "lat": lat, "lng": lng}), regions).model_dump(),
                                   found=place is not None)
