"""Maps and places. `none` (the default, what `make run` needs offline) has no place search and
estimates travel by the straight line; `tencent` asks Tencent Location Service's WebService API
(apis.map.qq.com) for place suggestions, geocoding, reverse geocoding and driving routes.

Every request is signed the way Tencent's SN check wants it: `sig = md5(path + "?" + the
parameters sorted by name, joined as name=value with their raw, unencoded values + SK)`, sent as
the `sig` parameter beside the key (the values themselves go out URL-encoded). Tencent answers
HTTP 200 with a `status` in the body: 0 is success, anything else an error (110/111/112 key,
signature or caller not authorised, 120/121 the key's per-second / daily quota, 3xx bad
parameters, 347 nothing found).

All coordinates are GCJ-02 in and out. `travel()` is the one estimate of driving minutes: the
provider's route when it answers (cached per ~500 m origin/destination cell), else the straight
line at `TRAVEL_KMH` — a failing provider is logged and skipped for a while, never raised into the
request that asked."""
import hashlib
import math
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal, Protocol

import httpx
import structlog

from anjia.config import get_settings
from anjia.core.geo import distance_km

log = structlog.get_logger()

TRAVEL_KMH = 25  # city driving, when there is no route
CELL_DEGREES = 0.005  # cache cell: ~550 m of latitude, ~470 m of longitude at 30°N
CACHE_MAX = 10_000
NOT_FOUND = 347  # Tencent: "查询无结果"


class MapsError(Exception):
    """The provider did not answer usefully: `status` is Tencent's (or -1 for network, -2 for a
    reply that is not Tencent's shape)."""

    def __init__(self, status: int, message: str):
        super().__init__(f"{status}: {message}")
        self.status, self.message = status, message


@dataclass(frozen=True)
class Place:
    title: str
    address: str
    lat: float
    lng: float
    province: str = ""
    city: str = ""
    district: str = ""
    adcode: str = ""


@dataclass(frozen=True)
class Route:
    minutes: int
    meters: int | None = None
    polyline: list[tuple[float, float]] = field(default_factory=list)  # (lat, lng) GCJ-02


@dataclass(frozen=True)
class Travel:
    minutes: int
    source: Literal["route", "cache", "straight_line"]
    meters: int | None = None
    polyline: list[tuple[float, float]] = field(default_factory=list)


class Maps(Protocol):
    name: str

    async def suggest(self, keyword: str, *, region: str = "", near: tuple[float, float] | None = None
                      ) -> list[Place]: ...

    async def geocode(self, address: str, *, region: str = "") -> Place | None: ...

    async def reverse(self, lat: float, lng: float) -> Place | None: ...

    async def driving(self, origin: tuple[float, float], dest: tuple[float, float]) -> Route: ...


class NoMaps:
    """No provider: nothing to search, no routes (travel() uses the straight line)."""

    name = "none"

    async def suggest(self, keyword: str, *, region: str = "", near: tuple[float, float] | None = None
                      ) -> list[Place]:
        raise MapsError(-3, "no maps provider configured")

    async def geocode(self, address: str, *, region: str = "") -> Place | None:
        raise MapsError(-3, "no maps provider configured")

    async def reverse(self, lat: float, lng: float) -> Place | None:
        raise MapsError(-3, "no maps provider configured")

    async def driving(self, origin: tuple[float, float], dest: tuple[float, float]) -> Route:
        raise MapsError(-3, "no maps provider configured")


def tencent_sig(path: str, params: dict[str, str], sk: str) -> str:
    """Tencent LBS SN signature: md5 of path?sorted raw params + SK, lowercase hex."""
    query = "&".join(f"{k}={params[k]}" for k in sorted(params))
    return hashlib.md5(f"{path}?{query}{sk}".encode()).hexdigest()


def decode_polyline(coors: list[float]) -> list[tuple[float, float]]:
    """Tencent's compressed route: the first pair absolute, each later value the previous one's
    plus value / 1,000,000."""
    pts = list(coors)
    for i in range(2, len(pts)):
        pts[i] = pts[i - 2] + pts[i] / 1_000_000
    return [(round(pts[i], 6), round(pts[i + 1], 6)) for i in range(0, len(pts) - 1, 2)]


def _ll(lat: float, lng: float) -> str:
    return f"{lat:.6f},{lng:.6f}"


class TencentMaps:
    name = "tencent"

    def __init__(self, key: str, sk: str, base: str = "https://apis.map.qq.com", timeout: float = 3.0):
        self.key, self.sk, self.base, self.timeout = key, sk, base.rstrip("/"), timeout

    async def _get(self, path: str, **params: str) -> dict:
        params = {**params, "key": self.key}
        if self.sk:
            params["sig"] = tencent_sig(path, params, self.sk)
        try:
            async with httpx.AsyncClient(base_url=self.base, timeout=self.timeout) as client:
                resp = await client.get(path, params=params)
            data = resp.json()
        except (httpx.HTTPError, ValueError) as e:
            raise MapsError(-1, f"{type(e).__name__}: {e}"[:200]) from None
        if not isinstance(data, dict) or "status" not in data:
            raise MapsError(-2, f"HTTP {resp.status_code}")
        if data["status"] != 0:
            raise MapsError(int(data["status"]), str(data.get("message", ""))[:200])
        return data

    async def suggest(self, keyword: str, *, region: str = "", near: tuple[float, float] | None = None
                      ) -> list[Place]:
        params = {"keyword": keyword, "page_size": "10"}
        if region:
            params |= {"region": region, "region_fix": "1"}
        if near:
            params["location"] = _ll(*near)
        data = await self._get("/ws/place/v1/suggestion", **params)
        return [Place(title=d.get("title", ""), address=d.get("address", ""), lat=d["location"]["lat"],
                      lng=d["location"]["lng"], province=d.get("province", ""), city=d.get("city", ""),
                      district=d.get("district", ""), adcode=str(d.get("adcode", "")))
                for d in data.get("data") or [] if d.get("location")]

    async def geocode(self, address: str, *, region: str = "") -> Place | None:
        params = {"address": address} | ({"region": region} if region else {})
        try:
            r = (await self._get("/ws/geocoder/v1", **params))["result"]
        except MapsError as e:
            if e.status == NOT_FOUND:
                return None
            raise
        c = r.get("address_components") or {}
        return Place(title=r.get("title", address), address=address, lat=r["location"]["lat"], lng=r["location"]["lng"],
                     province=c.get("province", ""), city=c.get("city", ""), district=c.get("district", ""),
                     adcode=str((r.get("ad_info") or {}).get("adcode", "")))

    async def reverse(self, lat: float, lng: float) -> Place | None:
        try:
            r = (await self._get("/ws/geocoder/v1", location=_ll(lat, lng)))["result"]
        except MapsError as e:
            if e.status == NOT_FOUND:
                return None
            raise
        c = r.get("address_component") or {}
        title = (r.get("formatted_addresses") or {}).get("recommend") or r.get("address", "")
        return Place(title=title, address=r.get("address", ""), lat=lat, lng=lng, province=c.get("province", ""),
                     city=c.get("city", ""), district=c.get("district", ""),
                     adcode=str((r.get("ad_info") or {}).get("adcode", "")))

    async def driving(self, origin: tuple[float, float], dest: tuple[float, float]) -> Route:
        routes = (await self._get("/ws/direction/v1/driving", **{"from": _ll(*origin), "to": _ll(*dest)}))["result"]
        best = (routes.get("routes") or [None])[0]
        if not best or best.get("duration") is None:
            raise MapsError(-2, "no route in the answer")
        # direction/v1 gives the duration in minutes and the distance in metres
        return Route(minutes=max(0, math.ceil(float(best["duration"]))), meters=int(best.get("distance") or 0),
                     polyline=decode_polyline(best.get("polyline") or []))


def get_maps() -> Maps:
    s = get_settings()
    if s.maps_provider == "tencent":
        return TencentMaps(s.tencent_lbs_key, s.tencent_lbs_sk, s.tencent_lbs_base, s.maps_timeout_seconds)
    if s.maps_provider not in ("", "none"):
        raise ValueError(f"unknown MAPS_PROVIDER {s.maps_provider!r}")
    return NoMaps()


# ---------------------------------------------------------------- travel time, cached
_routes: OrderedDict[tuple, tuple[float, Route]] = OrderedDict()
_down_until = 0.0  # the provider failed: straight lines until then


def reset() -> None:
    """Forget cached routes and any back-off (tests, a settings change)."""
    global _down_until
    _routes.clear()
    _down_until = 0.0


def cell(lat: float, lng: float) -> tuple[int, int]:
    return round(lat / CELL_DEGREES), round(lng / CELL_DEGREES)


def straight_minutes(origin: tuple[float, float], dest: tuple[float, float]) -> int:
    return math.ceil(distance_km(*origin, *dest) / TRAVEL_KMH * 60)


async def travel(origin: tuple[float, float], dest: tuple[float, float]) -> Travel:
    """Driving minutes from origin to dest (GCJ-02): the provider's route, cached per cell pair,
    or the straight-line estimate when there is no provider or it fails (logged, never raised)."""
    global _down_until
    s = get_settings()
    maps = get_maps()
    if maps.name == "none" or time.monotonic() < _down_until:
        return Travel(straight_minutes(origin, dest), "straight_line")
    key = (maps.name, cell(*origin), cell(*dest))
    hit = _routes.get(key)
    if hit and hit[0] > time.monotonic():
        _routes.move_to_end(key)
        return Travel(hit[1].minutes, "cache", hit[1].meters, hit[1].polyline)
    try:
        route = await maps.driving(origin, dest)
    except MapsError as e:
        _down_until = time.monotonic() + s.maps_backoff_seconds
        log.warning("maps_fallback", provider=maps.name, status=e.status, message=e.message,
                    backoff_seconds=s.maps_backoff_seconds)
        return Travel(straight_minutes(origin, dest), "straight_line")
    _routes[key] = (time.monotonic() + s.maps_cache_seconds, route)
    _routes.move_to_end(key)
    while len(_routes) > CACHE_MAX:
        _routes.popitem(last=False)
    return Travel(route.minutes, "route", route.meters, route.polyline)
