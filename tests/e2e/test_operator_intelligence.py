"""Chromium, issue 12's Done-when in one run: an operator (运营) opens the dashboard over a few weeks of
history made through the API (charts render with data), filters by region and service, then by the
customer segment; opens a customer's profile and creates a coupon campaign for that customer's
segment; the customer signs in to the H5 app, sees the coupon in 我的优惠券, books with it applied at
checkout and pays; the campaign report counts the redemption, and the order shows on the dashboard
under the segment. The data is this test's own (not the demo's), so its figures are exact."""
import re
from datetime import timedelta

from playwright.async_api import expect
from sqlalchemy import text

from anjia.core.jobs import in_transaction
from anjia.core.security import now
from anjia.customers import campaigns, segments
from anjia.stats import tasks
from tests.conftest import auth, make_staff, staff_token
from tests.e2e.conftest import admin_context, shot
from tests.e2e.test_booking import pick_kitchen_deep_clean
from tests.e2e.test_coupons import open_my_coupons
from tests.e2e.test_money import open_cashier
from tests.e2e.test_sign_in import sms_sign_in
from tests.stats.history import build_history
from tests.support import next_weekday

SEGMENT_LABELS = {"new": "新客", "active": "活跃", "high_value": "高价值", "at_risk": "流失风险", "lost": "已流失"}
CONTROL = 10


async def _orders(client, h, **params) -> int:
    from anjia.stats.rollup import local_today

    today = local_today()
    r = await client.get("/api/v1/admin/stats/orders", headers=h, params={
        "from": (today - timedelta(days=29)).isoformat(), "to": today.isoformat(), "period": "all", **params})
    assert r.status_code == 200, r.text
    return r.json()["totals"]["orders"]


async def classified_history(client, session, world) -> dict:
    """Four weeks of orders in two regions (tests/stats/history.py), customers who signed up half a year
    ago, classified (RFM) weekly as the nightly job would have, then tonight; the rollups rebuilt."""
    history = await build_history(client, session, world)
    await session.execute(text("UPDATE users SET created_at = now() - interval '200 days' WHERE kind = 'customer'"))
    await session.commit()
    for days in (28, 21, 14, 7, 0):
        await in_transaction(segments.recompute, now() - timedelta(days=days, minutes=1))
    await tasks.refresh()
    # last month's campaign to another segment (launched by someone else)
    from anjia.customers.schemas import CampaignIn

    other = (await session.execute(text(
        "SELECT segment FROM customer_segments WHERE until IS NULL AND segment <> (SELECT segment FROM "
        "customer_segments WHERE customer_id = :c AND until IS NULL) ORDER BY segment LIMIT 1"),
        {"c": world["customer_id"]})).scalar_one()
    earlier = await make_staff(session, "laowang", ["marketing"])
    await campaigns.create(session, earlier, CampaignIn(
        name="客群唤醒", segment=other, kind="percent", value=1500, cap=5000, coupon_title="唤醒券 85折",
        control_percent=20), ip=None)
    await session.commit()
    return history


async def test_operator_reads_the_business_and_reaches_a_segment(live_server, browser, phone_page, world, client,
                                                                 session):
    history = await classified_history(client, session, world)
    me = world["customer_id"]
    mine = (await session.execute(text("SELECT segment FROM customer_segments WHERE customer_id = :c AND until IS NULL"),
                                  {"c": me})).scalar_one()
    members = list((await session.execute(text(
        "SELECT customer_id FROM customer_segments WHERE until IS NULL AND segment = :s"), {"s": mine})).scalars())
    # the control group is a hash of (campaign, customer): this customer (campaign 2) is among the treated
    assert me not in campaigns.control_group(2, members, CONTROL * 100), (mine, members)

    await make_staff(session, "yunying", ["marketing"])
    h = auth(await staff_token(client, session, "ops", ["dispatcher"]))
    everything = await _orders(client, h)
    hangzhou, kitchen = history["hangzhou"], world["services"]["厨房深度清洁"]
    hz_kitchen = await _orders(client, h, region_id=hangzhou, service_id=kitchen)
    in_segment = await _orders(client, h, segment=mine)
    assert everything > in_segment > 0 and everything > hz_kitchen > 0

    ctx, page, violations = await admin_context(browser, live_server.url, "yunying")
    try:
        # 工作台: every chart drawn from the rollups
        await expect(page.get_by_test_id("stats-board")).to_be_visible(timeout=20_000)
        summary = page.get_by_test_id("stats-summary")
        await expect(summary).to_contain_text(f"{everything} 单", timeout=20_000)
        for name in ("trend", "services", "sources", "segments", "funnel", "cancellations", "utilisation"):
            await expect(page.get_by_test_id(f"canvas-{name}").locator("canvas")).to_have_count(1, timeout=15_000)
        await expect(page.get_by_test_id("region-table").locator("tbody tr")).to_have_count(2)
        await page.wait_for_timeout(600)
        await shot(page, "intelligence-1-dashboard")
        await page.mouse.wheel(0, 480)
        await page.wait_for_timeout(400)
        await shot(page, "intelligence-2-dashboard-mix")
        await page.mouse.wheel(0, -3000)

        # filtered by region and service, then by the segment alone
        await page.get_by_test_id("filter-region").click()
        await page.locator(".el-select-dropdown__item:visible", has_text="杭州").click()
        await page.get_by_test_id("filter-service").click()
        await page.locator(".el-select-dropdown__item:visible", has_text=re.compile("^厨房深度清洁$")).click()
        await expect(summary).to_contain_text(f"{hz_kitchen} 单", timeout=15_000)
        await expect(page.get_by_test_id("region-table").locator("tbody tr")).to_have_count(1)
        await page.wait_for_timeout(600)
        await shot(page, "intelligence-3-dashboard-hangzhou-kitchen")
        for test_id, everyone in (("filter-region", "全部区域"), ("filter-service", "全部服务")):
            await page.get_by_test_id(test_id).click()
            await page.locator(".el-select-dropdown__item:visible", has_text=everyone).click()
        await page.get_by_test_id("filter-segment").click()
        await page.locator(".el-select-dropdown__item:visible", has_text=SEGMENT_LABELS[mine]).click()
        await expect(summary).to_contain_text(f"{in_segment} 单", timeout=15_000)
        await page.wait_for_timeout(600)
        await shot(page, "intelligence-4-dashboard-segment")

        # 客户: the customer's profile, and a campaign for their segment from it
        await page.get_by_test_id("menu-customers").click()
        table = page.get_by_test_id("customers-table")
        await page.get_by_test_id("customer-search").fill("1000")
        await page.get_by_test_id("customer-search").press("Enter")
        await expect(table.locator(".el-table__row")).to_have_count(1, timeout=15_000)
        await table.locator(".el-table__row").first.get_by_test_id("customer-open").click()
        await expect(page.get_by_test_id("customer-segment-tag")).to_have_text(SEGMENT_LABELS[mine], timeout=15_000)
        await expect(page.get_by_test_id("customer-orders").locator(".el-table__row").first).to_be_visible()
        await page.wait_for_timeout(500)
        await shot(page, "intelligence-5-profile")
        await page.get_by_test_id("profile-new-campaign").click()
        dialog = page.get_by_test_id("campaign-dialog")
        await expect(dialog.get_by_test_id("campaign-segment-size")).to_contain_text(str(len(members)), timeout=10_000)
        await dialog.get_by_test_id("campaign-name").fill("老客回馈")
        await dialog.get_by_test_id("campaign-coupon-title").fill("回馈券 满100减30")
        await dialog.get_by_test_id("campaign-value").fill("30")
        await dialog.get_by_test_id("campaign-min").fill("100")
        await page.get_by_test_id("campaign-save").click()
        box = page.locator(".el-message-box")
        await expect(box).to_contain_text(f"{100 - CONTROL}%", timeout=10_000)
        await box.get_by_role("button", name=re.compile("确\\s*定")).click()
        await expect(dialog).to_be_hidden(timeout=15_000)
        rows = page.get_by_test_id("campaigns-table").locator(".el-table__row")
        await expect(rows).to_have_count(2, timeout=15_000)
        await expect(rows.first).to_contain_text("老客回馈")

        # the customer: 我的优惠券, then a booking with the coupon applied, paid
        base = live_server.url
        await sms_sign_in(phone_page, base, "/", "13800001000", "intelligence-customer")
        await expect(phone_page.locator(".home__cat", has_text="深度保洁")).to_be_visible(timeout=20_000)
        await open_my_coupons(phone_page, base)
        await expect(phone_page.locator(".coupon", has_text="回馈券 满100减30")).to_contain_text("满¥100可用")
        await expect(phone_page.get_by_text("登录成功")).to_be_hidden(timeout=10_000)
        await shot(phone_page, "intelligence-6-my-coupons")
        await phone_page.goto(base + "/#/pages/home/index")
        await pick_kitchen_deep_clean(phone_page)
        # the first free time next Tuesday (the history's bookings hold some of the workers' hours)
        await phone_page.locator("uni-button", has_text="选择时间").click()
        await phone_page.locator(f".day[data-date='{next_weekday(1, 14).date().isoformat()}']").click()
        free = phone_page.locator(".slot:not(.is-disabled)").first
        await expect(free).to_be_visible(timeout=15_000)
        await free.click()
        await phone_page.locator("uni-button", has_text="下一步").click()
        await expect(phone_page.locator(".checkout-coupon")).to_be_visible(timeout=15_000)
        await expect(phone_page.locator(".checkout-coupon__off")).to_have_text("-¥30.00", timeout=15_000)
        await expect(phone_page.locator(".price__line--discount")).to_contain_text("回馈券 满100减30")
        await phone_page.wait_for_timeout(300)
        await shot(phone_page, "intelligence-7-checkout")
        await phone_page.locator("uni-button", has_text="提交订单").click()
        await expect(phone_page.locator(".banner")).to_contain_text("待支付", timeout=15_000)
        order_id = int(re.search(r"id=(\d+)", phone_page.url).group(1))
        await open_cashier(phone_page, base, order_id)
        await phone_page.locator(".method[data-method='sandbox']").click()
        await phone_page.locator(".pay__submit").click()
        await phone_page.wait_for_url(re.compile(r"/api/v1/payments/sandbox/P"), timeout=15_000)
        await phone_page.locator("#pay").click()
        await expect(phone_page.locator(".result__title")).to_have_text("支付成功", timeout=20_000)

        # the campaign report counts it (treated group: one redemption, the order and its GMV)
        await page.reload()
        await page.get_by_test_id("campaign-report-open").first.click()
        report = page.get_by_test_id("campaign-report")
        await expect(report.get_by_test_id("arm-treated-redeemed")).to_have_text("1", timeout=15_000)
        await expect(report.get_by_test_id("arm-treated-orders")).to_have_text("1")
        await expect(report.get_by_test_id("arm-control-members")).to_have_text("1")
        await expect(report.get_by_test_id("arm-control-redeemed")).to_have_text("0")
        await expect(report).to_contain_text("¥398.40")
        await page.wait_for_timeout(500)
        await shot(page, "intelligence-8-campaign-report")
    finally:
        await ctx.close()
    assert violations == [], violations

    # and on the dashboard's figures: one more order of the segment, once the rollups caught up
    await tasks.refresh()
    assert await _orders(client, h, segment=mine) == in_segment + 1
    order = (await session.execute(text("SELECT total, discount, status FROM orders WHERE id = :i"),
                                   {"i": order_id})).one()
    assert tuple(order) == (42_840 - 3_000, 3_000, "paid")
