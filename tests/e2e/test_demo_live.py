"""Chromium: `anjia demo live` (sped up) plays the demo city's day while an operator watches the console's
实时监控 — workers of the demo city accept, set off and move on the live map (local tiles, as in
test_live_map), checked by their markers' positions changing, all of them in view (the map follows
them until the operator moves it); the screenshot is the map mid-day."""
import asyncio
import subprocess
import sys

from playwright.async_api import expect

from tests.conftest import staff_token
from tests.demo.helpers import small_city
from tests.e2e.conftest import admin_context, shot
from tests.e2e.test_live_map import TileServer
from tests.support import ROOT, Server


async def _positions(page) -> list[tuple[float, float]]:
    boxes = [await m.bounding_box() for m in await page.get_by_test_id("live-worker").all()]
    return sorted((round(b["x"]), round(b["y"])) for b in boxes if b)


async def test_demo_live_moves_workers_on_the_live_map(browser, client, session):
    await small_city(session, customers=12)
    await staff_token(client, session, "demoops", ["admin"])
    tiles = TileServer()
    server = Server(serve_frontends=True, env={"MAP_TILES_URL": tiles.base + "/{z}/{x}/{y}.png",
                                               "MAP_TILES_ATTRIBUTION": "本地测试瓦片"})
    day = subprocess.Popen([sys.executable, "-m", "anjia.cli", "demo", "live", "--speed", "6", "--seed", "5",
                            "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ctx = None
    try:
        ctx, page, violations = await admin_context(browser, server.url, "demoops")
        await page.get_by_text("实时监控").first.click()
        await expect(page.get_by_test_id("live-map-tiles")).to_be_visible(timeout=20_000)
        workers = page.get_by_test_id("live-worker")
        await expect(workers.nth(1)).to_be_visible(timeout=90_000)  # two demo workers out on their way
        before = await _positions(page)
        moved = False
        for _ in range(40):  # their reports move them (the map follows the staff event stream)
            await asyncio.sleep(0.5)
            if await _positions(page) != before:
                moved = True
                break
        assert moved, before
        await expect(page.get_by_test_id("live-pin").first).to_be_visible()
        await asyncio.sleep(2)
        # the view follows them: every worker out is on the map, not beyond its edge
        # (read in one go: a worker who checks out meanwhile leaves the map between two reads)
        centres, box = await page.evaluate("""() => {
            const r = document.querySelector('[data-testid=live-map-tiles]').getBoundingClientRect();
            const cs = [...document.querySelectorAll('[data-testid=live-worker]')].map(m => {
                const b = m.getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2]; });
            return [cs, {x: r.x, y: r.y, width: r.width, height: r.height}]; }""")
        assert centres
        for x, y in centres:
            assert box["x"] <= x <= box["x"] + box["width"] and box["y"] <= y <= box["y"] + box["height"], (x, y, box)
        await shot(page, "demo-live-map")
        assert day.poll() is None, day.stderr.read().decode()
        assert violations == [], violations
    finally:
        day.terminate()
        day.wait(10)
        if ctx:
            await ctx.close()
        server.stop()
        tiles.close()
