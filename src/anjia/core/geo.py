"""Great-circle distance (the database uses earthdistance for the same thing) and the one
WGS-84 -> GCJ-02 conversion.

Every coordinate we store, send and draw is GCJ-02: what WeChat's location APIs, Tencent and Amap
maps and their tiles use. A WGS-84 point (a browser's `navigator.geolocation`, raw GPS) is converted
once where it comes in, with the published GCJ-02 offset (the eviltransform algorithm); outside
mainland China's bounding box the two systems are the same."""
from math import asin, cos, pi, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0
_A = 6378245.0  # Krasovsky 1940 semi-major axis, as GCJ-02 uses it
_EE = 0.00669342162296594323  # its eccentricity squared


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    dlat, dlng = radians(lat2 - lat1), radians(lng2 - lng1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))


def out_of_china(lat: float, lng: float) -> bool:
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _lat_offset(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
    r += (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0
    r += (20.0 * sin(y * pi) + 40.0 * sin(y / 3.0 * pi)) * 2.0 / 3.0
    r += (160.0 * sin(y / 12.0 * pi) + 320.0 * sin(y * pi / 30.0)) * 2.0 / 3.0
    return r


def _lng_offset(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
    r += (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0
    r += (20.0 * sin(x * pi) + 40.0 * sin(x / 3.0 * pi)) * 2.0 / 3.0
    r += (150.0 * sin(x / 12.0 * pi) + 300.0 * sin(x / 30.0 * pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    """A WGS-84 point as GCJ-02 (unchanged outside mainland China's box)."""
    if out_of_china(lat, lng):
        return lat, lng
    dlat, dlng = _lat_offset(lng - 105.0, lat - 35.0), _lng_offset(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * pi
    magic = 1 - _EE * sin(rad) ** 2
    sqrt_magic = sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * pi)
    dlng = (dlng * 180.0) / (_A / sqrt_magic * cos(rad) * pi)
    return lat + dlat, lng + dlng
