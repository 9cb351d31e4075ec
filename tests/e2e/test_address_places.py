"""Chromium, the customer's H5 address form with the maps provider pointed at the Tencent LBS fake:
typing shows place suggestions, picking one fills the district, street and point; 使用我的位置
sends the browser's WGS-84 fix, which comes back converted to GCJ-02 with what is there."""
from playwright.async_api import expect

from anjia.core.geo import wgs84_to_gcj02
from tests.e2e.conftest import _watched, shot
from tests.e2e.test_sign_in import sms_sign_in
from tests.fakes.tencent_lbs import FakeTencentLbs
from tests.support import Server

WGS = (31.1973, 121.4336)  # the phone's GPS fix near 漕溪北路 (WGS-84)


async def test_address_from_suggestions_and_my_location(browser, world):
    fake = FakeTencentLbs()
    fake.add_place("漕溪北路88号", "上海市徐汇区漕溪北路88号", 31.1951, 121.4381, district="徐汇区")
    fake.add_place("徐家汇公园", "上海市徐汇区肇嘉浜路889号", 31.1965, 121.4435, district="徐汇区")
    server = Server(serve_frontends=True, env={"MAPS_PROVIDER": "tencent", "TENCENT_LBS_KEY": fake.key,
                                               "TENCENT_LBS_SK": fake.sk, "TENCENT_LBS_BASE": fake.base})
    ctx = await browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN",
                                    is_mobile=True, has_touch=True, permissions=["geolocation"],
                                    geolocation={"latitude": WGS[0], "longitude": WGS[1]})
    violations = await _watched(ctx)
    try:
        page = await ctx.new_page()
        await sms_sign_in(page, server.url, "/", "13800001000", "places-customer")
        await expect(page.locator(".uni-tabbar__item", has_text="订单")).to_be_visible(timeout=20_000)
        await page.goto(server.url + "/#/booking/address-edit/index")
        search = page.get_by_placeholder("搜索小区、写字楼、街道")
        await expect(search).to_be_visible(timeout=20_000)
        await search.fill("徐家汇")
        item = page.get_by_test_id("place-suggestion").filter(has_text="徐家汇公园")
        await expect(item).to_be_visible(timeout=10_000)
        await shot(page, "places-1-suggestions")
        await item.click()
        await expect(page.locator(".map__coords")).to_have_text("31.196500, 121.443500")
        await expect(page.locator(".ae__district input")).to_have_value("徐汇区")
        await expect(page.locator(".ae__detail input")).to_have_value("肇嘉浜路889号 徐家汇公园")
        # no tile URL here: the picker is the tile-free grid (the offline fallback), not Leaflet
        await expect(page.locator(".map__grid")).to_be_visible()
        assert await page.get_by_test_id("address-map").count() == 0
        assert fake.calls[-1]["path"] == "/ws/place/v1/suggestion"
        await shot(page, "places-2-picked")

        await page.get_by_test_id("use-my-location").click()
        lat, lng = wgs84_to_gcj02(*WGS)
        await expect(page.locator(".map__coords")).to_have_text(f"{lat:.6f}, {lng:.6f}", timeout=10_000)
        await expect(page.locator(".ae__detail input")).to_have_value("漕溪北路88号")
        assert fake.calls[-1]["path"] == "/ws/geocoder/v1" and fake.refused == []
        await shot(page, "places-3-my-location")
        assert violations == [], violations
    finally:
        await ctx.close()
        server.stop()
        fake.close()
