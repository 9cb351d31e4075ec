"""Chromium: the console's live monitor on real map tiles. This machine has no internet, so the tiles
come from a local tile server (one PNG for any /{z}/{x}/{y}.png on 127.0.0.1) named by MAP_TILES_URL:
Leaflet loads them (through the CSP, which admits the tile host), the worker on the way, the order's
address and the line between them are drawn on it. Without a tile URL the tile-free grid stays."""
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image, ImageDraw
from playwright.async_api import expect

from tests.conftest import staff_token
from tests.dispatch.helpers import paid_order, worker_auth
from tests.e2e.conftest import admin_context, shot
from tests.support import Server


def tile_png() -> bytes:
    img = Image.new("RGB", (256, 256), (226, 238, 218))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 255, 255], outline=(200, 210, 196))
    d.line([(0, 128), (255, 128)], fill=(250, 250, 250), width=6)
    d.line([(128, 0), (128, 255)], fill=(250, 250, 250), width=4)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


class TileServer:
    """Any /{z}/{x}/{y}.png answers the same tile; the paths asked for are kept."""

    def __init__(self):
        self.paths: list[str] = []
        body, seen = tile_png(), self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                seen.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tiles():
    t = TileServer()
    yield t
    t.close()


async def worker_on_the_way(client, session, world) -> dict:
    order, _ = await paid_order(client, session, world, "全屋清洁", hours=3)
    wh = worker_auth(world["workers"][0])
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/accept", headers=wh)).status_code == 200
    assert (await client.post(f"/api/v1/worker/orders/{order['id']}/depart", headers=wh)).status_code == 200
    r = await client.post("/api/v1/worker/location", json={"lat": 31.215, "lng": 121.46}, headers=wh)
    assert r.status_code == 200, r.text
    return order


async def test_live_map_on_tiles(browser, world, client, session, tiles):
    await worker_on_the_way(client, session, world)
    await staff_token(client, session, "mapops", ["admin"])
    server = Server(serve_frontends=True, env={"MAP_TILES_URL": tiles.base + "/{z}/{x}/{y}.png",
                                               "MAP_TILES_ATTRIBUTION": "本地测试瓦片"})
    ctx = None
    try:
        ctx, page, violations = await admin_context(browser, server.url, "mapops")
        await page.get_by_text("实时监控").first.click()
        await expect(page.get_by_test_id("live-map-tiles")).to_be_visible(timeout=20_000)
        await expect(page.locator(".leaflet-tile-loaded").first).to_be_visible(timeout=20_000)
        worker = page.get_by_test_id("live-worker").filter(has_text="阿姨0")
        await expect(worker).to_be_visible(timeout=20_000)
        await expect(page.get_by_test_id("live-pin")).to_have_count(1)
        await expect(page.locator(".leaflet-overlay-pane path")).to_have_count(1)  # worker -> address
        await expect(page.locator(".leaflet-control-attribution")).to_contain_text("本地测试瓦片")
        assert page.locator(".map-svg").first is not None and await page.locator(".map-svg").count() == 0
        assert tiles.paths and all(p.endswith(".png") and p.count("/") == 3 for p in tiles.paths)
        await shot(page, "live-map-tiles")
        # the marker opens the order
        await worker.click()
        await expect(page.locator(".el-drawer")).to_be_visible(timeout=10_000)
        assert violations == [], violations
    finally:
        if ctx:
            await ctx.close()
        server.stop()


async def test_live_map_without_tiles_keeps_the_grid(browser, live_server, world, client, session):
    await worker_on_the_way(client, session, world)
    await staff_token(client, session, "gridops", ["admin"])
    ctx, page, violations = await admin_context(browser, live_server.url, "gridops")
    try:
        await page.get_by_text("实时监控").first.click()
        await expect(page.get_by_test_id("live-map")).to_be_visible(timeout=20_000)
        await expect(page.get_by_test_id("live-worker").filter(has_text="阿姨0")).to_be_visible(timeout=20_000)
        assert await page.locator(".map-svg line").count() > 0  # the grid
        await expect(page.get_by_test_id("live-orders").locator(".live-order")).to_have_count(1)
        await expect(page.locator("[data-testid=live-orders] .el-loading-mask")).to_have_count(0)  # no spinner left on it
        assert await page.locator(".leaflet-container").count() == 0
        await expect(page.get_by_text("网格", exact=False)).to_be_visible()
        await shot(page, "live-map-grid")
        assert violations == [], violations
    finally:
        await ctx.close()
