"""Chromium: a customer holding coupons sees them in 我的优惠券 (可用 / 已过期), books a kitchen deep
clean with the best one applied automatically, picks another in the booking page's coupon picker,
and finds it under 已使用; finance issues a compensation coupon in the console and revokes another."""
import re

from playwright.async_api import expect
from sqlalchemy import create_engine, text

from anjia.core.db import sqlalchemy_url
from tests.coupons.helpers import give
from tests.e2e.conftest import admin_context, shot
from tests.e2e.test_booking import pick_kitchen_deep_clean, pick_slot
from tests.e2e.test_sign_in import sms_sign_in
from tests.support import next_weekday


async def wallet(session, world) -> dict:
    """Three usable coupons and one that ran out."""
    c = world["customer_id"]
    out = {"flat": await give(session, c, value=2000, title="新人专享券", source="signup"),
           "pct": await give(session, c, kind="percent", value=1000, cap=3000, min_spend=10000, title="深度保洁 9 折券",
                             source="campaign"),
           "aircon": await give(session, c, value=4000, min_spend=30000, title="空调清洗满 300 减 40",
                                service_id=world["services"]["空调清洗"], source="campaign"),
           "old": await give(session, c, value=1500, title="双十一回馈券", source="campaign")}
    await session.execute(text("UPDATE coupons SET valid_from = now() - interval '40 days', "
                               "valid_until = now() - interval '3 days', status = 'expired' WHERE id = :i"),
                          {"i": out["old"].id})
    await session.commit()
    return out


async def open_my_coupons(page, base: str) -> None:
    """我的 → 我的优惠券 (the row shows how many can be used)."""
    await page.goto(base + "/#/pages/me/index")
    row = page.locator(".me__coupons")
    await expect(row).to_contain_text("张可用", timeout=15_000)
    await row.click()
    await expect(page.locator(".coupon").first).to_be_visible(timeout=15_000)


async def coupon_tab(page, label: str) -> None:
    await page.locator(".coupons__tab", has_text=label).click()
    await page.wait_for_timeout(300)


async def confirm_with_coupon(page, day: str, time: str) -> None:
    """From the service page: the slot, then the confirm page with its coupon row."""
    await page.locator("uni-button", has_text="选择时间").click()
    await pick_slot(page, day, time)
    await page.locator("uni-button", has_text="下一步").click()
    await expect(page.locator(".checkout-coupon")).to_be_visible(timeout=15_000)


async def choose_coupon(page, title: str | None) -> None:
    """Open the picker and pick the coupon titled `title` (None: 不使用优惠券)."""
    await page.locator(".checkout-coupon").click()
    picker = page.locator(".coupon-picker")
    await expect(picker).to_be_visible(timeout=10_000)
    if title is None:
        await picker.locator(".coupon-picker__none").click()
    else:
        await picker.locator(".coupon-picker__item", has_text=title).click()
    await expect(picker).to_be_hidden(timeout=10_000)


async def test_customer_sees_coupons_and_books_with_one(live_server, phone_page, world, session, database_url):
    page, base = phone_page, live_server.url
    coupons = await wallet(session, world)
    await sms_sign_in(page, base, "/", "13800001000", "coupons-0")
    await expect(page.locator(".home__cat", has_text="深度保洁")).to_be_visible(timeout=20_000)

    await open_my_coupons(page, base)
    cards = page.locator(".coupon")
    await expect(cards).to_have_count(3)
    await expect(page.locator(".coupons__tab", has_text="可用")).to_contain_text("3")
    await expect(page.locator(".coupon", has_text="深度保洁 9 折券")).to_contain_text("满¥100可用 · 最高减¥30")
    await shot(page, "coupons-1-available")
    await coupon_tab(page, "已过期")
    await expect(page.locator(".coupon", has_text="双十一回馈券")).to_contain_text("已过期")
    await shot(page, "coupons-2-expired")
    await coupon_tab(page, "已使用")
    await expect(page.get_by_text("还没有用过优惠券")).to_be_visible()
    await shot(page, "coupons-3-used-empty")

    # book: the best coupon (10 % of ¥428.40, at most ¥30) is applied by itself
    await page.goto(base + "/#/pages/home/index")
    await pick_kitchen_deep_clean(page)
    tuesday = next_weekday(1, 14)
    await confirm_with_coupon(page, tuesday.date().isoformat(), "14:00")
    await expect(page.locator(".checkout-coupon__off")).to_have_text("-¥30.00", timeout=15_000)
    await expect(page.locator(".price__line--discount")).to_contain_text("深度保洁 9 折券")
    await expect(page.locator(".bottom-bar__total")).to_contain_text("398.40")
    await shot(page, "coupons-4-confirm-best")

    await page.locator(".checkout-coupon").click()
    await expect(page.locator(".coupon-picker__item")).to_have_count(2, timeout=10_000)
    await expect(page.locator(".coupon-picker .coupon.is-dimmed", has_text="空调清洗")).to_contain_text("不适用于此服务")
    await page.wait_for_timeout(400)  # the popup's slide-in
    await shot(page, "coupons-5-picker")
    await page.locator(".coupon-picker__item", has_text="新人专享券").click()
    await expect(page.locator(".checkout-coupon__off")).to_have_text("-¥20.00", timeout=15_000)
    await expect(page.locator(".bottom-bar__total")).to_contain_text("408.40")
    await shot(page, "coupons-6-confirm-chosen")

    await page.locator("uni-button", has_text="提交订单").click()
    await expect(page.locator(".banner")).to_contain_text("待支付", timeout=15_000)
    await expect(page.get_by_text("新人专享券").first).to_be_visible()
    await shot(page, "coupons-7-order")

    await open_my_coupons(page, base)
    await coupon_tab(page, "已使用")
    await expect(page.locator(".coupon", has_text="新人专享券")).to_contain_text("已使用")
    await shot(page, "coupons-8-used")

    engine = create_engine(sqlalchemy_url(database_url))
    with engine.connect() as conn:
        order = conn.execute(text("SELECT id, total, discount FROM orders")).one()
        used = conn.execute(text("SELECT id, order_id FROM coupons WHERE status = 'used'")).all()
    engine.dispose()
    assert (order.total, order.discount) == (42840 - 2000, 2000)
    assert [tuple(u) for u in used] == [(coupons["flat"].id, order.id)]


async def issue_in_console(page, phone_digits: str, title: str, amount: str, minimum: str, ref: str) -> None:
    """优惠券 → 发放优惠券: find the customer by phone, fill the form, save."""
    await page.get_by_test_id("coupon-issue").click()
    dialog = page.get_by_test_id("coupon-dialog")
    await expect(dialog).to_be_visible()
    await dialog.get_by_test_id("coupon-customer").locator("input").fill(phone_digits)
    option = page.locator(".el-select-dropdown__item:visible").first
    await expect(option).to_be_visible(timeout=10_000)
    await option.click()
    await dialog.get_by_test_id("coupon-title").fill(title)
    await dialog.get_by_test_id("coupon-value").fill(amount)
    await dialog.get_by_test_id("coupon-min").fill(minimum)
    await dialog.get_by_role("radio", name="投诉补偿").click(force=True)
    await dialog.locator("input[placeholder^='如投诉工单号']").fill(ref)
    await page.wait_for_timeout(300)
    await shot(page, "coupons-admin-2-issue-dialog")
    await page.get_by_test_id("coupon-save").click()
    await expect(dialog).to_be_hidden(timeout=10_000)


async def test_console_issues_and_revokes(live_server, browser, world, session, database_url):
    from tests.conftest import make_staff

    await wallet(session, world)
    await make_staff(session, "kefu1", ["support"])
    ctx, page, violations = await admin_context(browser, live_server.url, "kefu1")
    await page.get_by_test_id("menu-coupons").click()
    table = page.get_by_test_id("coupons-table")
    await expect(table.locator(".el-table__row")).to_have_count(4, timeout=15_000)
    await page.wait_for_timeout(400)
    await shot(page, "coupons-admin-1-list")

    await issue_in_console(page, "1000", "服务补偿券", "50", "200", "T20261202-0001")
    await expect(table.locator(".el-table__row").first).to_contain_text("服务补偿券")
    await expect(table.locator(".el-table__row").first).to_contain_text("¥50.00")

    row = table.locator(".el-table__row", has_text="新人专享券")
    await row.get_by_test_id("coupon-revoke").click()
    box = page.locator(".el-message-box")
    await expect(box).to_be_visible(timeout=10_000)
    await box.locator("textarea").fill("重复发放")
    await page.wait_for_timeout(300)
    await shot(page, "coupons-admin-3-revoke-confirm")
    await box.get_by_role("button", name=re.compile("确\\s*定")).click()
    await expect(row).to_contain_text("已作废", timeout=10_000)
    await page.wait_for_timeout(400)
    await shot(page, "coupons-admin-4-revoked")
    await ctx.close()
    assert violations == []

    engine = create_engine(sqlalchemy_url(database_url))
    with engine.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_logs WHERE action LIKE 'coupon.%' ORDER BY id")).scalars().all()
        issued = conn.execute(text("SELECT source, source_ref, value, min_spend FROM coupons WHERE title = '服务补偿券'")).one()
    engine.dispose()
    assert actions == ["coupon.issue", "coupon.revoke"]
    assert tuple(issued) == ("compensation", "T20261202-0001", 5000, 20000)
