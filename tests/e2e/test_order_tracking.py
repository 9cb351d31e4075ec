"""Chromium, the customer's H5 order page while the worker is on the way, with the maps provider on the
Tencent LBS fake and tiles from a local tile server: the worker's marker, the address and the driving
route are drawn on the tiles, with the road ETA; a new position moves the marker."""
from playwright.async_api import expect

from tests.dispatch.helpers import paid_order, worker_auth
from tests.e2e.conftest import _watched, shot
from tests.e2e.test_live_map import TileServer
from tests.e2e.test_sign_in import sms_sign_in
from tests.fakes.tencent_lbs import FakeTencentLbs
from tests.support import Server


async def test_customer_sees_the_worker_approach(browser, world, client, session):
    fake, tiles = FakeTencentLbs(), TileServer()
    server = Server(serve_frontends=True, env={
        "MAPS_PROVIDER": "tencent", "TENCENT_LBS_KEY": fake.key, "TENCENT_LBS_SK": fake.sk,
        "TENCENT_LBS_BASE": fake.base, "MAP_TILES_URL": tiles.base + "/{z}/{x}/{y}.png"})
    ctx = await browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN",
                                    is_mobile=True, has_touch=True)
    violations = await _watched(ctx)
    try:
        order, _ = await paid_order(client, session, world, "全屋清洁", hours=3)
        wh = worker_auth(world["workers"][0])
        assert (await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=wh)).status_code == 200
        assert (await client.post(f"/api/v1/worker/orders/{order['id']}/depart", headers=wh)).status_code == 200
        page = await ctx.new_page()
        await sms_sign_in(page, server.url, "/", "13800001000", "track-customer")
        await expect(page.locator(".uni-tabbar__item", has_text="订单")).to_be_visible(timeout=20_000)
        await page.goto(f"{server.url}/#/booking/order/index?id={order['id']}")
        await expect(page.locator(".banner")).to_contain_text("师傅在路上", timeout=20_000)
        # the worker's phone reports through the server process that has the provider configured
        import httpx
        async with httpx.AsyncClient(base_url=server.url) as real:
            r = await real.post("/api/v1/worker/location", json={"lat": 31.25, "lng": 121.45}, headers=wh)
        assert r.status_code == 200 and r.json()["eta_source"] == "route" and r.json()["eta_minutes"] == 15
        await expect(page.get_by_test_id("track-map")).to_be_visible(timeout=15_000)
        await expect(page.get_by_test_id("track-worker")).to_be_visible()
        await expect(page.locator(".banner__eta")).to_contain_text("15", timeout=10_000)
        await expect(page.locator(".leaflet-tile-loaded").first).to_be_visible(timeout=15_000)
        await expect(page.locator(".leaflet-overlay-pane path")).to_have_count(1)  # the route
        before = await page.get_by_test_id("track-worker").bounding_box()
        await expect(page.get_by_text("登录成功")).to_be_hidden(timeout=5_000)
        await shot(page, "track-1-on-the-way")
        async with httpx.AsyncClient(base_url=server.url) as real:
            assert (await real.post("/api/v1/worker/location", json={"lat": 31.22, "lng": 121.44},
                                    headers=wh)).status_code == 200
        await expect(page.locator(".banner__eta")).not_to_contain_text("15", timeout=10_000)
        after = await page.get_by_test_id("track-worker").bounding_box()
        assert before != after
        await shot(page, "track-2-closer")
        assert fake.refused == [] and any(c["path"] == "/ws/direction/v1/driving" for c in fake.calls)
        assert violations == [], violations
    finally:
        await ctx.close()
        server.stop()
        tiles.close()
        fake.close()
