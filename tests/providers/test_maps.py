"""Maps through Tencent Location Service's WebService API against a local fake that checks the SN
signature: suggestions, geocoding, reverse geocoding and driving routes in Tencent's shapes; the
ETA cache per cell; the straight-line fallback on quota errors, timeouts and bad keys; and the
WGS-84 -> GCJ-02 conversion against eviltransform's published reference points."""
import hashlib

import pytest

from anjia.config import get_settings
from anjia.core.geo import out_of_china, wgs84_to_gcj02
from anjia.providers import maps
from anjia.providers.maps import MapsError, TencentMaps, decode_polyline, tencent_sig
from tests.dispatch.helpers import paid_order, worker_auth
from tests.fakes.tencent_lbs import FakeTencentLbs, compress

HOME = (31.1951, 121.4381)  # the test world's customer address (徐汇, 漕溪北路 88 号)


@pytest.fixture
def fake():
    f = FakeTencentLbs()
    f.add_place("漕溪北路88号", "上海市徐汇区漕溪北路88号", 31.1951, 121.4381, district="徐汇区")
    f.add_place("徐家汇公园", "上海市徐汇区肇嘉浜路889号", 31.1965, 121.4435, district="徐汇区")
    f.add_place("漕河泾开发区", "上海市徐汇区宜山路900号", 31.1700, 121.3990, district="徐汇区")
    f.add_place("西湖", "浙江省杭州市西湖区龙井路1号", 30.2420, 120.1500, province="浙江省", city="杭州市",
                district="西湖区", adcode="330106")
    maps.reset()
    yield f
    maps.reset()
    f.close()


@pytest.fixture
def tencent_settings(fake, monkeypatch):
    s = get_settings()
    for k, v in {"maps_provider": "tencent", "tencent_lbs_key": fake.key, "tencent_lbs_sk": fake.sk,
                 "tencent_lbs_base": fake.base, "maps_timeout_seconds": 0.5}.items():
        monkeypatch.setattr(s, k, v)
    return s


def tencent(fake, key=None, sk=None, timeout=2.0) -> TencentMaps:
    return TencentMaps(key or fake.key, sk if sk is not None else fake.sk, fake.base, timeout)


def test_the_signature_is_tencents_documented_example():
    # lbs.qq.com's SN-check example: /ws/geocoder/v1 with key and location, SK appended
    params = {"location": "28.7033487,115.8660847", "key": "5Q5BZ-5EVWJ-SN5F3-K6QBZ-B3FAO-RVBWM"}
    assert tencent_sig("/ws/geocoder/v1", params, "SWvT26ypwq5Nwb5RvS8cLi6NSoH8HlJX") == \
        "90da272bfa19122547298e2b0bcc0e50"
    assert hashlib.md5(b"/ws/geocoder/v1?key=5Q5BZ-5EVWJ-SN5F3-K6QBZ-B3FAO-RVBWM&location=28.7033487,115.8660847"
                       b"SWvT26ypwq5Nwb5RvS8cLi6NSoH8HlJX").hexdigest() == "90da272bfa19122547298e2b0bcc0e50"


@pytest.mark.parametrize("wgs,gcj", [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
])
def test_wgs84_to_gcj02_matches_the_reference_points(wgs, gcj):
    assert wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-9)


def test_outside_china_nothing_moves():
    assert out_of_china(51.5, -0.12) and wgs84_to_gcj02(51.5, -0.12) == (51.5, -0.12)
    assert wgs84_to_gcj02(-27.4698, 153.0251) == (-27.4698, 153.0251)


def test_the_route_polyline_decodes():
    pts = [(31.25, 121.45), (31.25, 121.4381), (31.1951, 121.4381)]
    assert decode_polyline(compress(pts)) == pts


async def test_suggestions_geocoding_and_reverse_geocoding(fake):
    t = tencent(fake)
    found = await t.suggest("徐汇", region="上海市", near=HOME)
    assert [p.title for p in found] == ["漕溪北路88号", "徐家汇公园", "漕河泾开发区"]  # nearest first
    assert found[0].lat == 31.1951 and found[0].district == "徐汇区" and found[0].adcode == "310000"
    assert await t.suggest("西湖", region="上海市") == []  # region_fix keeps the city
    assert fake.calls[0]["params"]["region_fix"] == "1" and fake.calls[0]["params"]["location"] == "31.195100,121.438100"
    g = await t.geocode("上海市徐汇区肇嘉浜路889号")
    assert (g.lat, g.lng, g.title, g.city) == (31.1965, 121.4435, "徐家汇公园", "上海市")
    assert await t.geocode("火星大道1号") is None  # 347: nothing found is not an error
    r = await t.reverse(31.1952, 121.4380)
    assert r.title == "漕溪北路88号" and r.address == "上海市徐汇区漕溪北路88号" and r.district == "徐汇区"
    assert await t.reverse(45.0, 100.0) is None
    assert fake.refused == []


async def test_driving_route(fake):
    route = await tencent(fake).driving((31.25, 121.45), HOME)
    assert route.meters == 7236 and route.minutes == 15
    assert route.polyline == [(31.25, 121.45), (31.25, 121.4381), HOME]


async def test_a_bad_signature_or_key_is_refused_by_the_fake(fake):
    with pytest.raises(MapsError) as e:
        await tencent(fake, sk="not-the-sk").suggest("徐汇")
    assert e.value.status == 111 and "签名" in e.value.message
    with pytest.raises(MapsError) as e:
        await tencent(fake, sk="").suggest("徐汇")  # unsigned
    assert e.value.status == 111
    with pytest.raises(MapsError) as e:
        await tencent(fake, key="AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF").suggest("徐汇")
    assert e.value.status == 110
    with pytest.raises(MapsError) as e:
        await tencent(fake, key="short").suggest("徐汇")
    assert e.value.status == 311
    assert fake.refused == [111, 111, 110, 311] and fake.calls == []


async def test_travel_uses_the_route_then_the_cache_per_cell(fake, tencent_settings):
    first = await maps.travel((31.25, 121.45), HOME)
    assert (first.source, first.minutes, first.meters) == ("route", 15, 7236) and len(first.polyline) == 3
    # 100 m further on, same cells: no second request
    again = await maps.travel((31.2501, 121.4501), (31.1952, 121.4382))
    assert (again.source, again.minutes) == ("cache", 15) and len(fake.calls) == 1
    # another cell asks again
    other = await maps.travel((31.23, 121.45), HOME)
    assert other.source == "route" and len(fake.calls) == 2
    maps.reset()
    assert (await maps.travel((31.25, 121.45), HOME)).source == "route" and len(fake.calls) == 3


async def test_the_cache_expires(fake, tencent_settings, monkeypatch):
    monkeypatch.setattr(tencent_settings, "maps_cache_seconds", 0)
    await maps.travel((31.25, 121.45), HOME)
    assert (await maps.travel((31.25, 121.45), HOME)).source == "route" and len(fake.calls) == 2


@pytest.mark.parametrize("status", [120, 121, 110])
async def test_a_failing_provider_falls_back_to_the_straight_line_and_backs_off(fake, tencent_settings, status):
    fake.fail_with = status
    t = await maps.travel((31.25, 121.45), HOME)
    assert (t.source, t.minutes, t.polyline) == ("straight_line", maps.straight_minutes((31.25, 121.45), HOME), [])
    assert t.minutes == 15 and fake.refused == [status]
    fake.fail_with = None
    # backing off: the next estimate does not ask the provider at all
    assert (await maps.travel((31.25, 121.45), HOME)).source == "straight_line" and fake.refused == [status]
    assert fake.calls == []


async def test_a_timeout_falls_back(fake, tencent_settings):
    fake.delay = 1.0  # the client waits 0.5 s
    t = await maps.travel((31.25, 121.45), HOME)
    assert t.source == "straight_line" and t.minutes == 15


async def test_an_unreachable_provider_falls_back(fake, tencent_settings, monkeypatch):
    monkeypatch.setattr(tencent_settings, "tencent_lbs_base", "http://127.0.0.1:9")
    assert (await maps.travel((31.25, 121.45), HOME)).source == "straight_line"


async def test_without_a_provider_travel_is_the_straight_line(fake):
    assert isinstance(maps.get_maps(), maps.NoMaps)
    t = await maps.travel((31.25, 121.45), HOME)
    assert (t.source, t.minutes) == ("straight_line", 15) and fake.calls == []


async def test_the_worker_location_carries_the_road_eta_and_route(client, session, world, fake, tencent_settings):
    order, _ = await paid_order(client, session, world, "全屋清洁", hours=3)
    wh = worker_auth(world["workers"][0])
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=wh)).status_code == 200
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/depart", headers=wh)).status_code == 200
    loc = (await client.post("/api/v1/worker/location", json={"lat": 31.25, "lng": 121.45}, headers=wh)).json()
    assert (loc["eta_minutes"], loc["eta_source"]) == (15, "route")
    assert loc["route"] == [[31.25, 121.45], [31.25, 121.438], [31.195, 121.438]]  # to the address
    assert fake.calls[-1]["path"] == "/ws/direction/v1/driving"
    fake.fail_with = 120  # quota: still answered, from the straight line
    maps.reset()
    loc = await client.post("/api/v1/worker/location", json={"lat": 31.24, "lng": 121.45}, headers=wh)
    assert loc.status_code == 200 and loc.json()["eta_source"] == "straight_line" and loc.json()["route"] == []


async def test_the_live_monitor_lists_the_eta_of_the_last_report(client, session, world, fake, tencent_settings):
    from tests.conftest import auth, staff_token

    order, _ = await paid_order(client, session, world, "全屋清洁", hours=3)
    wh = worker_auth(world["workers"][0])
    for step in ("accept", "depart"):
        assert (await client.post(f"/api/v1/worker/orders/{order['id']}/{step}", headers=wh)).status_code == 200
    assert (await client.post("/api/v1/worker/location", json={"lat": 31.25, "lng": 121.45}, headers=wh)).status_code == 200
    asked = len(fake.calls)
    staff = auth(await staff_token(client, session, "mapwatch", ["dispatcher"]))
    [w] = (await client.get("/api/v1/admin/live/workers", headers=staff)).json()
    assert (w["eta_minutes"], w["eta_source"]) == (15, "route")
    assert w["route"] == [[31.25, 121.45], [31.25, 121.438], [31.195, 121.438]]
    maps.reset()
    [w] = (await client.get("/api/v1/admin/live/workers", headers=staff)).json()
    assert w["eta_source"] == "route" and len(fake.calls) == asked  # the list never asks the provider
    fake.fail_with = 120  # the provider down at the next report: the straight line, no route
    assert (await client.post("/api/v1/worker/location", json={"lat": 31.24, "lng": 121.45}, headers=wh)).status_code == 200
    [w] = (await client.get("/api/v1/admin/live/workers", headers=staff)).json()
    assert (w["eta_source"], w["route"]) == ("straight_line", []) and w["eta_minutes"] > 0
    # on site: no ETA
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/check-in", headers=wh,
                              json={"lat": HOME[0], "lng": HOME[1]})).status_code == 200
    [w] = (await client.get("/api/v1/admin/live/workers", headers=staff)).json()
    assert (w["status"], w["eta_minutes"], w["eta_source"], w["route"]) == ("in_service", None, None, [])
    assert (await client.post("/api/v1/worker/location", json={"lat": HOME[0], "lng": HOME[1]}, headers=wh)).status_code == 200
    [w] = (await client.get("/api/v1/admin/live/workers", headers=staff)).json()
    assert (w["eta_minutes"], w["eta_source"]) == (None, None)
