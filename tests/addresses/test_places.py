"""The apps' place endpoints: suggestions and reverse geocoding through the Tencent LBS fake, with
the service region of each place; WGS-84 points converted; without a provider or when it fails a
clear problem (suggest) or an empty answer with the point (reverse); bad input is 422; the
per-caller limit; the public client config and the tile host in the pages' CSP."""
import pytest

from anjia.addresses import places
from anjia.app import image_sources
from anjia.config import get_settings
from anjia.core.geo import wgs84_to_gcj02
from anjia.core.middleware import SecurityHeaders
from tests.conftest import auth
from tests.providers.test_maps import fake, tencent_settings  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def fresh_limits():
    places._calls.clear()
    yield
    places._calls.clear()


async def test_suggestions_with_regions(client, world, fake, tencent_settings):  # noqa: F811
    h = auth(world["token"])
    r = await client.get("/api/v1/places/suggest", params={"q": "徐汇", "region_id": world["region_id"]}, headers=h)
    assert r.status_code == 200, r.text
    assert [p["title"] for p in r.json()] == ["徐家汇公园", "漕溪北路88号", "漕河泾开发区"]  # nearest the centre first
    assert all(p["region_id"] == world["region_id"] for p in r.json())
    assert fake.calls[-1]["params"]["region"] == "上海市" and fake.calls[-1]["params"]["location"] == "31.230400,121.473700"
    anywhere = (await client.get("/api/v1/places/suggest", params={"q": "西湖"}, headers=h)).json()
    assert anywhere[0]["city"] == "杭州市" and anywhere[0]["region_id"] is None  # outside every service region


async def test_reverse_geocoding_and_wgs84(client, world, fake, tencent_settings):  # noqa: F811
    h = auth(world["token"])
    r = (await client.get("/api/v1/places/reverse", params={"lat": 31.1952, "lng": 121.438}, headers=h)).json()
    assert r["found"] and r["title"] == "漕溪北路88号" and r["region_id"] == world["region_id"]
    assert (r["lat"], r["lng"]) == (31.1952, 121.438)
    # a browser's WGS-84 fix: converted to GCJ-02 before anything else sees it
    wgs = (31.1973, 121.4336)
    r = (await client.get("/api/v1/places/reverse", params={"lat": wgs[0], "lng": wgs[1], "coord": "wgs84"},
                          headers=h)).json()
    assert (r["lat"], r["lng"]) == pytest.approx(wgs84_to_gcj02(*wgs)) and r["found"]
    assert fake.calls[-1]["params"]["location"] == "%.6f,%.6f" % wgs84_to_gcj02(*wgs)
    nowhere = (await client.get("/api/v1/places/reverse", params={"lat": 45, "lng": 100}, headers=h)).json()
    assert not nowhere["found"] and nowhere["title"] == "" and nowhere["region_id"] is None


async def test_bad_input_is_a_problem(client, world, fake, tencent_settings):  # noqa: F811
    h = auth(world["token"])
    for params in ({"q": ""}, {"q": "x" * 65}, {"q": "徐汇\x00"}, {"q": "徐汇", "region_id": 0}):
        r = await client.get("/api/v1/places/suggest", params=params, headers=h)
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", params
    r = await client.get("/api/v1/places/suggest", params={"q": "徐汇", "region_id": 999}, headers=h)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    for params in ({"lat": 91, "lng": 121}, {"lat": 31, "lng": 181}, {"lat": "x", "lng": 1},
                   {"lat": 31, "lng": 121, "coord": "bd09"}):
        r = await client.get("/api/v1/places/reverse", params=params, headers=h)
        assert r.status_code == 422 and r.json()["code"] == "validation_error", params
    assert (await client.get("/api/v1/places/suggest", params={"q": "徐汇"})).status_code == 401
    assert (await client.get("/api/v1/places/reverse", params={"lat": 31, "lng": 121})).status_code == 401


async def test_a_failing_provider_is_a_clear_problem(client, world, fake, tencent_settings):  # noqa: F811
    h = auth(world["token"])
    fake.fail_with = 121
    r = await client.get("/api/v1/places/suggest", params={"q": "徐汇"}, headers=h)
    assert r.status_code == 503 and r.json()["code"] == "places_unavailable" and r.headers["retry-after"] == "30"
    r = await client.get("/api/v1/places/reverse", params={"lat": 31.1952, "lng": 121.438}, headers=h)
    assert r.status_code == 200 and not r.json()["found"] and r.json()["region_id"] == world["region_id"]


async def test_without_a_provider(client, world):
    h = auth(world["token"])
    r = await client.get("/api/v1/places/suggest", params={"q": "徐汇"}, headers=h)
    assert r.status_code == 200 and r.json() == []  # GET /config tells the apps not to ask
    r = (await client.get("/api/v1/places/reverse", params={"lat": 31.1973, "lng": 121.4336, "coord": "wgs84"},
                          headers=h)).json()
    assert not r["found"] and (r["lat"], r["lng"]) == pytest.approx(wgs84_to_gcj02(31.1973, 121.4336))
    assert r["region_id"] == world["region_id"]


async def test_each_caller_is_limited(client, world, fake, tencent_settings):  # noqa: F811
    h = auth(world["token"])
    for _ in range(places.PER_MINUTE):
        assert (await client.get("/api/v1/places/reverse", params={"lat": 31.2, "lng": 121.4}, headers=h)).status_code == 200
    r = await client.get("/api/v1/places/suggest", params={"q": "徐汇"}, headers=h)
    assert r.status_code == 429 and r.json()["code"] == "places_rate_limited" and int(r.headers["retry-after"]) >= 1


async def test_client_config_and_the_tile_host_in_the_csp(client, monkeypatch):
    r = await client.get("/api/v1/config")
    assert r.status_code == 200
    assert r.json() == {"map_tiles_url": "", "map_tiles_subdomains": "", "map_tiles_attribution": "", "places": False}
    s = get_settings()
    monkeypatch.setattr(s, "map_tiles_url",
                        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}")
    monkeypatch.setattr(s, "maps_provider", "tencent")
    assert (await client.get("/api/v1/config")).json()["places"] is True
    assert image_sources(s) == ["https://*.is.autonavi.com"]
    monkeypatch.setattr(s, "map_tiles_url", "http://127.0.0.1:8123/{z}/{x}/{y}.png")
    assert image_sources(s) == ["http://127.0.0.1:8123"]
    csp = SecurityHeaders(None, image_sources=image_sources(s)).csp("/admin/")
    assert "img-src 'self' data: blob: https: http://127.0.0.1:8123;" in csp
    assert "http://127.0.0.1:8123" not in SecurityHeaders(None).csp("/admin/")
