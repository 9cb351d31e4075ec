"""Chromium: a customer files a complaint about a finished order with a photo; support assigns it in the
console, resolves it with a coupon; the customer sees the result and the coupon, and confirms. The page
steps are small functions the cross-app journey can reuse."""
import re

from playwright.async_api import expect
from sqlalchemy import text

from tests.conftest import staff_token
from tests.e2e.conftest import _watched, shot
from tests.e2e.test_reviews import PHONE, loaded, photo
from tests.e2e.test_sign_in import sms_sign_in
from tests.settlement.helpers import completed_order


async def file_complaint(page, base: str, order_id: int, category: str, words: str, image: bytes,
                         name: str = "support") -> int:
    """From the order page: 投诉此订单 → category, text, one photo, submit. Returns the ticket id (its page)."""
    await page.goto(f"{base}/#/booking/order/index?id={order_id}")
    card = page.locator(".otc")
    await expect(card.locator(".otc__complain")).to_be_visible(timeout=20_000)
    await card.scroll_into_view_if_needed()
    await shot(page, f"{name}-1-order")
    await card.locator(".otc__complain").click()
    await expect(page.locator(".sn__order")).to_be_visible(timeout=15_000)
    await page.locator(".sn__cat", has_text=category).click()
    await page.locator(".sn__text textarea").fill(words)
    async with page.expect_file_chooser() as chooser:
        await page.locator(".pp__add").click()
    await (await chooser.value).set_files(files=[{"name": "mess.jpg", "mimeType": "image/jpeg", "buffer": image}])
    await expect(page.locator(".pp__item[data-photo-id]")).to_have_count(1, timeout=20_000)
    await loaded(page, ".pp__img img")
    await shot(page, f"{name}-2-form")
    await page.locator(".sn__submit").click()
    await expect(page.locator(".st__banner[data-status='new']")).to_be_visible(timeout=20_000)
    await loaded(page, ".st__photo img")
    await expect(page.locator(".uni-toast")).to_be_hidden(timeout=10_000)
    await shot(page, f"{name}-3-ticket-new")
    return int(re.search(r"id=(\d+)", page.url).group(1))


async def see_result_and_confirm(page, base: str, ticket_id: int, name: str = "support") -> None:
    """我的 → 投诉与建议 → the ticket: the result and the coupon, then 确认已解决."""
    await page.goto(base + "/#/pages/me/index")
    await page.locator(".me__feedback").click()
    item = page.locator(f".ti[data-ticket-id='{ticket_id}']")
    await expect(item).to_have_attribute("data-status", "resolved", timeout=20_000)
    await shot(page, f"{name}-6-my-feedback")
    await item.click()
    await expect(page.locator(".st__banner[data-status='resolved']")).to_be_visible(timeout=20_000)
    await loaded(page, ".st__photo img")
    await shot(page, f"{name}-7-result")
    await page.locator(".st__confirm").click()
    await page.locator(".uni-modal__btn_primary:visible").click()
    await expect(page.locator(".st__banner[data-status='closed']")).to_be_visible(timeout=20_000)
    await expect(page.locator(".uni-toast")).to_be_hidden(timeout=10_000)
    await shot(page, f"{name}-8-closed")


async def test_customer_complains_support_compensates_with_a_coupon(live_server, browser, world, client, session,
                                                                     engine):
    base = live_server.url
    order, _ = await completed_order(client, session, world)
    support = await staff_token(client, session, "kefu", ["support"])
    from tests.conftest import auth
    customer_ctx = await browser.new_context(**PHONE)
    violations = [await _watched(customer_ctx)]
    try:
        customer = await customer_ctx.new_page()
        await sms_sign_in(customer, base, "/", "13800001000", "support-customer")
        await expect(customer.locator(".uni-tabbar__item", has_text="订单")).to_be_visible(timeout=20_000)
        ticket_id = await file_complaint(customer, base, order["id"], "服务质量",
                                         "厨房灶台边角还有油污，抽油烟机滤网没有拆洗，希望安排返工。", photo())
        me = (await client.get("/api/v1/me", headers=auth(support))).json()
        for step, body in (("assign", {"assignee_id": me["id"]}), ("start", None), ("resolve", {
                "result": "已核实：师傅漏洗了滤网，已安排明天上午免费返工，并向您致歉。", "root_cause": "worker_skill",
                "upheld": True, "compensation": {"kind": "coupon", "amount": 3000}})):
            r = await client.post(f"/api/v1/admin/support/tickets/{ticket_id}/{step}", headers=auth(support), json=body)
            assert r.status_code == 200, r.text
        await see_result_and_confirm(customer, base, ticket_id)
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT status FROM tickets WHERE id = :i"), {"i": ticket_id}) == "closed"
        assert violations == [[]], violations
    finally:
        await customer_ctx.close()
