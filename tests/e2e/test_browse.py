"""Chromium: browsing before sign-in (issue 13). Someone who has not signed in opens the customer
app, sees the catalogue, opens a service with its prices, reviews and open slots, and is asked to
sign in only at 选择时间 — and comes back to that service afterwards."""
import re

from playwright.async_api import expect

from tests.conftest import last_sms_code
from tests.e2e.conftest import shot
from tests.reviews.helpers import reviewed


async def test_browse_then_sign_in_to_book(live_server, phone_page, client, session, world):
    await reviewed(client, session, world, quality=5, attitude=5, skill=4, text="师傅很专业，油烟机洗得很干净")
    page, base = phone_page, live_server.url
    await page.goto(base + "/")
    # the home page, not the sign-in page
    await expect(page.locator(".home__cat", has_text="深度保洁")).to_be_visible(timeout=20_000)
    await expect(page.get_by_placeholder("请输入手机号")).to_have_count(0)
    await shot(page, "browse-1-home")

    await page.locator(".home__cat", has_text="深度保洁").click()
    await page.locator(".svc-row", has_text="厨房深度清洁").click()
    await expect(page.locator(".svc__name")).to_have_text("厨房深度清洁", timeout=20_000)
    reviews = page.locator(".svc__reviews")
    await expect(reviews.get_by_text("师傅很专业，油烟机洗得很干净")).to_be_visible(timeout=15_000)
    await expect(reviews.get_by_text(re.compile(r"4\.7 分 · 1 条评价"))).to_be_visible()
    await expect(reviews.get_by_text("顾**")).to_be_visible()  # the author's nickname, masked
    slots = page.locator(".svc__slots")
    await expect(slots.locator(".svc__day")).to_have_count(7, timeout=15_000)
    await expect(slots.locator(".svc__day").first.get_by_text(re.compile(r"\d+ 个时段|已约满"))).to_be_visible()
    await expect(page.locator(".svc__next")).to_contain_text("登录后选择时间")
    await slots.scroll_into_view_if_needed()
    await shot(page, "browse-2-service")

    # 选择时间 asks for sign-in, which returns here
    await page.locator(".svc__next").click()
    phone = page.get_by_placeholder("请输入手机号")
    await expect(phone).to_be_visible(timeout=15_000)
    await phone.fill("13800001000")
    await page.locator("uni-button", has_text="获取验证码").click()
    await expect(page.get_by_text(re.compile(r"\d+\s*秒后重发"))).to_be_visible(timeout=10_000)
    await page.get_by_placeholder("请输入验证码").fill(last_sms_code("13800001000"))
    await page.get_by_text("我已阅读并同意").click()
    await shot(page, "browse-3-sign-in")
    await page.locator("uni-button", has_text=re.compile(r"^\s*登录\s*$")).click()
    await expect(page.locator(".svc__name")).to_have_text("厨房深度清洁", timeout=20_000)
    await expect(page.locator(".svc__next")).to_contain_text("选择时间")
    await expect(page.locator(".svc__next")).not_to_contain_text("登录")
    assert "booking/service/index" in page.url and "id=" in page.url
    await shot(page, "browse-4-back-signed-in")
    await page.locator(".svc__next").click()  # now on to the calendar
    await expect(page).to_have_url(re.compile(r"booking/(slots|addresses|address-edit)"), timeout=15_000)
    await shot(page, "browse-5-next")
