"""Chromium: book a kitchen deep clean for next Tuesday 14:00, see it under 待支付, move it,
cancel it, and set up a weekly plan — all from the customer H5."""
import re

from playwright.async_api import expect
from sqlalchemy import create_engine, text

from anjia.core.db import sqlalchemy_url
from tests.e2e.conftest import shot
from tests.e2e.test_sign_in import sms_sign_in
from tests.support import next_weekday


async def pick_kitchen_deep_clean(page):
    await page.locator(".home__cat", has_text="深度保洁").click()
    await page.locator(".svc-row", has_text="厨房深度清洁").click()
    await expect(page.locator(".opt--focus_areas .opt-chip", has_text="抽油烟机")).to_be_visible(timeout=15_000)
    for chip in ("灶台", "抽油烟机"):
        c = page.locator(".opt--focus_areas .opt-chip", has_text=chip)
        if "is-active" not in (await c.get_attribute("class") or ""):
            await c.click()
    await page.locator(".opt--depth .opt-chip").filter(
        has=page.locator(".opt-chip__text", has_text=re.compile("^深度$"))).click()
    await expect(page.locator(".bottom-bar__total")).to_contain_text("428.40", timeout=10_000)


async def pick_slot(page, day: str, time: str):
    await page.locator(f".day[data-date='{day}']").click()
    slot = page.locator(f".slot[data-time='{time}']")
    await expect(slot).to_be_visible(timeout=15_000)
    await slot.click()


async def test_book_modify_cancel_and_plan(live_server, phone_page, world, database_url):
    page = phone_page
    tuesday = next_weekday(1, 14)
    day = tuesday.date().isoformat()
    await sms_sign_in(page, live_server.url, "/", "13800001000", "booking-0")
    await expect(page.locator(".home__cat", has_text="深度保洁")).to_be_visible(timeout=20_000)

    await pick_kitchen_deep_clean(page)
    await shot(page, "booking-1-requirements")
    await page.locator("uni-button", has_text="选择时间").click()
    await pick_slot(page, day, "14:00")
    await shot(page, "booking-2-slots")
    await page.locator("uni-button", has_text="下一步").click()
    await expect(page.locator("uni-button", has_text="提交订单")).to_be_visible(timeout=15_000)
    await shot(page, "booking-3-confirm")
    await page.locator("uni-button", has_text="提交订单").click()
    await expect(page.locator(".banner")).to_contain_text("待支付", timeout=15_000)
    await shot(page, "booking-4-order")

    await page.goto(live_server.url + "/#/pages/orders/index")
    await page.locator(".orders__tab", has_text="待支付").click()
    card = page.locator(".order-card", has_text="厨房深度清洁")
    await expect(card).to_be_visible(timeout=15_000)
    await shot(page, "booking-5-unpaid-tab")
    await card.click()

    await page.locator("uni-button", has_text=re.compile("^\\s*修改\\s*$")).click()
    await page.locator(".uni-actionsheet__cell", has_text="修改上门时间").click()
    await pick_slot(page, day, "15:00")
    await page.locator("uni-button", has_text="确认修改时间").click()
    await expect(page.get_by_text("15:00").first).to_be_visible(timeout=15_000)
    await shot(page, "booking-6-modified")

    await page.locator("uni-button", has_text="取消订单").click()
    await page.locator(".cancel-reason", has_text="计划有变").click()
    await shot(page, "booking-7-cancel-sheet")
    await page.locator("uni-button", has_text="确认取消").click()
    await expect(page.locator(".banner")).to_contain_text("已取消", timeout=15_000)
    await shot(page, "booking-8-cancelled")

    # a weekly plan, Tuesdays 14:00
    await page.goto(live_server.url + "/#/pages/home/index")
    await pick_kitchen_deep_clean(page)
    await page.locator("uni-button", has_text="选择时间").click()
    await pick_slot(page, day, "14:00")
    await page.locator("uni-button", has_text="下一步").click()
    await page.locator(".confirm__plan .wd-switch").click()
    await page.locator(".plan-freq", has_text="每周").click()
    day_chip = page.locator(".plan-day", has_text="周二")
    if "is-active" not in (await day_chip.get_attribute("class") or ""):
        await day_chip.click()
    await shot(page, "booking-9-plan-form")
    await page.locator("uni-button", has_text="创建周期服务").click()
    await expect(page.locator("uni-button", has_text="暂停")).to_be_visible(timeout=20_000)
    await shot(page, "booking-10-plan")

    engine = create_engine(sqlalchemy_url(database_url))
    with engine.connect() as conn:
        first = conn.execute(text("SELECT status, request, extract(hour from scheduled_start AT TIME ZONE "
                                  "'Asia/Shanghai') FROM orders WHERE plan_id IS NULL")).one()
        events = conn.execute(text("SELECT type FROM order_events WHERE order_id = (SELECT id FROM orders "
                                   "WHERE plan_id IS NULL) ORDER BY id")).scalars().all()
        plan = conn.execute(text("SELECT rrule, local_time, status FROM plans")).one()
        plan_orders = conn.execute(text("SELECT count(*) FROM orders WHERE plan_id IS NOT NULL")).scalar()
    engine.dispose()
    assert first[0] == "cancelled" and first[2] == 15
    assert first[1]["options"]["depth"] == "deep" and set(first[1]["options"]["focus_areas"]) == {"stove", "hood"}
    assert events == ["created", "modified", "cancelled"]
    assert plan == ("FREQ=WEEKLY;BYDAY=TU", 14 * 60, "active") and plan_orders >= 1
