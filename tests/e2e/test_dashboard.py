"""Chromium: an operator opens the console's dashboard on a few weeks of history — live tiles, the
trend, service and channel mix, the region heat table, the funnel, cancellation reasons, utilisation
render with data — filters by region and by service (the figures follow the API's), exports a chart as
PNG and CSV; screenshots of each state."""
import re
from datetime import timedelta

from playwright.async_api import expect

from tests.conftest import auth, staff_token
from tests.e2e.conftest import admin_context, shot
from tests.stats.history import build_history


async def _orders(client, h, **params) -> int:
    from anjia.stats.rollup import local_today

    today = local_today()
    r = await client.get("/api/v1/admin/stats/orders", headers=h, params={
        "from": (today - timedelta(days=29)).isoformat(),
        "to": today.isoformat(), "period": "all", **params})
    assert r.status_code == 200, r.text
    return r.json()["totals"]["orders"]


async def test_operator_reads_the_dashboard_and_filters_it(live_server, browser, world, client, session):
    history = await build_history(client, session, world)
    h = auth(await staff_token(client, session, "ops", ["dispatcher"]))
    everything = await _orders(client, h)
    in_hangzhou = await _orders(client, h, region_id=history["hangzhou"])
    kitchen = world["services"]["厨房深度清洁"]
    hz_kitchen = await _orders(client, h, region_id=history["hangzhou"], service_id=kitchen)
    assert everything > in_hangzhou > hz_kitchen > 0

    ctx, page, violations = await admin_context(browser, live_server.url, "ops")
    try:
        board = page.get_by_test_id("stats-board")
        await expect(board).to_be_visible(timeout=20_000)
        await expect(page.get_by_test_id("stats-summary")).to_contain_text(f"{everything} 单", timeout=20_000)
        for name in ("trend", "services", "sources", "funnel", "cancellations", "utilisation"):
            await expect(page.get_by_test_id(f"canvas-{name}").locator("canvas")).to_have_count(1, timeout=15_000)
        await expect(page.get_by_test_id("tile-orders_today")).not_to_contain_text("—")
        rows = page.get_by_test_id("region-table").locator("tbody tr")
        await expect(rows).to_have_count(2)
        await expect(rows.first).to_contain_text("上海")
        await page.wait_for_timeout(600)
        await shot(page, "dashboard-1-overview")
        await page.mouse.wheel(0, 700)
        await page.wait_for_timeout(400)
        await shot(page, "dashboard-2-regions-funnel")
        await page.mouse.wheel(0, 800)
        await page.wait_for_timeout(400)
        await shot(page, "dashboard-3-cancellations-utilisation")
        await page.mouse.wheel(0, -3000)

        # exports: the trend as a picture and as data
        async with page.expect_download() as png:
            await page.get_by_test_id("export-trend").click()
            await page.get_by_test_id("export-trend-png").click()
        assert (await png.value).suggested_filename == "trend.png"
        async with page.expect_download() as csv:
            await page.get_by_test_id("export-trend").click()
            await page.get_by_test_id("export-trend-csv").click()
        assert (await csv.value).suggested_filename == "trend.csv"

        # filter by region, then by service
        await page.get_by_test_id("filter-region").click()
        await page.locator(".el-select-dropdown__item:visible", has_text="杭州").click()
        await expect(page.get_by_test_id("stats-summary")).to_contain_text(f"{in_hangzhou} 单", timeout=15_000)
        await expect(rows).to_have_count(1)
        await expect(rows.first).to_contain_text("杭州")
        await page.get_by_test_id("filter-service").click()
        await page.locator(".el-select-dropdown__item:visible", has_text=re.compile("^厨房深度清洁$")).click()
        await expect(page.get_by_test_id("stats-summary")).to_contain_text(f"{hz_kitchen} 单", timeout=15_000)
        await expect(page.get_by_test_id("canvas-trend").locator("canvas")).to_have_count(1)
        await page.wait_for_timeout(600)
        await shot(page, "dashboard-4-hangzhou-kitchen")
    finally:
        await ctx.close()
    assert violations == [], violations
