"""Chromium: a customer reviews a finished order with a photo; the worker's rating changes, the
worker card shows the review, the worker replies in 我的评价 and support hides a review in the
console. The page steps are small functions the cross-app journey can reuse."""
import io
import re

from PIL import Image
from playwright.async_api import expect
from sqlalchemy import text

from tests.conftest import auth, staff_token
from tests.e2e.conftest import _watched, admin_sign_in, shot
from tests.e2e.test_sign_in import sms_sign_in
from tests.settlement.helpers import completed_order

PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN", is_mobile=True,
             has_touch=True)


def photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (230, 180, 90)).save(buf, "JPEG")
    return buf.getvalue()


async def loaded(page, images: str) -> None:
    """Every image matching the selector has loaded (a broken signed link would stay at width 0)."""
    await expect(page.locator(images).first).to_be_visible(timeout=15_000)
    await page.wait_for_function("s => [...document.querySelectorAll(s)].every(i => i.complete && i.naturalWidth > 0)",
                                 arg=images, timeout=15_000)


async def write_review(page, base: str, order_id: int, scores: dict[str, int], words: str, image: bytes,
                       name: str = "review") -> None:
    """From the order page: 评价 → stars per dimension, text, one photo, submit."""
    await page.goto(f"{base}/#/booking/order/index?id={order_id}")
    await expect(page.locator(".orc__invite")).to_be_visible(timeout=20_000)
    await page.locator(".orc__write").click()
    await expect(page.locator(".scores__row--quality")).to_be_visible(timeout=15_000)
    for dim, n in scores.items():
        await page.locator(f".scores__row--{dim} .wd-rate__item").nth(n - 1).click()
    await page.locator(".rw__text textarea").fill(words)
    async with page.expect_file_chooser() as chooser:
        await page.locator(".pp__add").click()
    await (await chooser.value).set_files(files=[{"name": "after.jpg", "mimeType": "image/jpeg", "buffer": image}])
    await expect(page.locator(".pp__item[data-photo-id]")).to_have_count(1, timeout=20_000)
    await shot(page, f"{name}-1-form")
    await page.locator(".rw__submit").click()
    await expect(page.locator(".orc__mine")).to_be_visible(timeout=20_000)  # back on the order, the review shown
    await loaded(page, ".orc__photo img")
    await page.locator(".orc__mine").scroll_into_view_if_needed()
    await shot(page, f"{name}-2-order")


async def open_worker_card(page, base: str, worker_id: int, name: str = "review") -> None:
    await page.goto(f"{base}/#/reviews/worker/index?id={worker_id}")
    await expect(page.locator(".wc__rating-value")).to_be_visible(timeout=20_000)
    await loaded(page, ".ri__photo img")
    await expect(page.locator(".uni-toast")).to_be_hidden(timeout=10_000)
    await shot(page, f"{name}-3-worker-card")


async def reply_as_worker(page, base: str, words: str, name: str = "review") -> None:
    """我的评价 → 回复 → confirm."""
    await page.goto(f"{base}/worker/#/reviews/index/index")
    await page.locator(".rv-item__reply-btn").first.click()
    await page.locator(".rv-reply__text textarea").fill(words)
    await page.locator(".rv-reply__send").click()
    await page.locator(".uni-modal__btn_primary:visible").click()
    await expect(page.locator(".rv-item__reply").first).to_contain_text(words, timeout=15_000)
    await loaded(page, ".rv-item__photo img")
    await expect(page.locator(".uni-toast")).to_be_hidden(timeout=10_000)
    await shot(page, f"{name}-4-worker-replied")


async def hide_in_console(page, base: str, user: str, reason: str, name: str = "review") -> None:
    await admin_sign_in(page, base, user)
    await page.get_by_text("服务评价").first.click()
    table = page.get_by_test_id("reviews-table")
    await expect(table.locator(".review-score").first).to_be_visible(timeout=20_000)
    await page.get_by_test_id("review-hide").first.click()
    box = page.locator(".el-message-box")
    await expect(box).to_be_visible()
    await box.locator("textarea").fill(reason)
    await page.wait_for_timeout(400)  # the message box's enter transition
    await shot(page, f"{name}-5-console-hide")
    await box.get_by_role("button", name=re.compile("确\\s*定")).click()
    await expect(table.locator(".review-status[data-hidden='1']").first).to_be_visible(timeout=15_000)
    await page.wait_for_timeout(400)  # the message box's leave transition
    await shot(page, f"{name}-6-console-hidden")


async def test_a_review_with_a_photo_changes_the_workers_rating(live_server, browser, world, client, session, engine):
    base = live_server.url
    order, worker_id = await completed_order(client, session, world)
    async with engine.connect() as conn:
        before = await conn.scalar(text("SELECT rating FROM worker_profiles WHERE user_id = :w"), {"w": worker_id})
    support = await staff_token(client, session, "kefu", ["support"])
    assert support
    customer_ctx, worker_ctx, admin_ctx = (await browser.new_context(**PHONE), await browser.new_context(**PHONE),
                                           await browser.new_context(viewport={"width": 1366, "height": 820},
                                                                     locale="zh-CN"))
    violations = [await _watched(c) for c in (customer_ctx, worker_ctx, admin_ctx)]
    try:
        customer = await customer_ctx.new_page()
        await sms_sign_in(customer, base, "/", "13800001000", "review-customer")
        await expect(customer.locator(".uni-tabbar__item", has_text="订单")).to_be_visible(timeout=20_000)
        await write_review(customer, base, order["id"], {"quality": 4, "attitude": 5, "skill": 3},
                           "阿姨很准时，厨房擦得很干净，就是灶台边角还有点油。", photo())
        async with engine.connect() as conn:
            after = await conn.scalar(text("SELECT rating FROM worker_profiles WHERE user_id = :w"), {"w": worker_id})
            photos = await conn.scalar(text("SELECT count(*) FROM review_photos WHERE review_id IS NOT NULL"))
        assert before == 4.9 and after == round((25 + 4) / 6, 2) and photos == 1  # Bayesian: one 4-star review
        await open_worker_card(customer, base, worker_id)
        await expect(customer.locator(".ri__text").first).to_contain_text("灶台边角")
        await expect(customer.locator(".wc__rating-value")).to_have_text(f"{after:.1f}")

        worker = await worker_ctx.new_page()
        await sms_sign_in(worker, base, "/worker/", f"1390000100{world['workers'].index(worker_id)}", "review-worker")
        await expect(worker.get_by_text("暂无新订单").first).to_be_visible(timeout=20_000)
        await reply_as_worker(worker, base, "谢谢您的建议，下次会把灶台边角也处理好！")

        admin = await admin_ctx.new_page()
        await hide_in_console(admin, base, "kefu", "测试：内容不当")
        r = await client.get(f"/api/v1/workers/{worker_id}/card", headers=auth(world["token"]))
        assert r.json()["recent"] == [] and r.json()["review_count"] == 1  # hidden, still counted
        assert violations == [[], [], []], violations
    finally:
        await customer_ctx.close()
        await worker_ctx.close()
        await admin_ctx.close()
