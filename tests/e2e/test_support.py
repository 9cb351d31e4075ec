"""Chromium: a customer files a complaint about a finished order with a photo; support assigns it in the
console, resolves it with a coupon; the customer sees the result and the coupon, and confirms. The page
steps are small functions the cross-app journey can reuse."""
import re

from playwright.async_api import expect
from sqlalchemy import text

from tests.conftest import staff_token
from tests.e2e.conftest import _watched, admin_context, admin_sign_in, shot
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
    await page.locator(".tl").scroll_into_view_if_needed()
    await shot(page, f"{name}-8b-timeline")


async def say_not_solved(page, base: str, ticket_id: int, reason: str, name: str = "support-reopen") -> None:
    """The resolved ticket's page: 仍未解决 → the reason → 提交给客服; the ticket is back in progress."""
    await page.goto(f"{base}/#/support/ticket/index?id={ticket_id}")
    await expect(page.locator(".st__banner[data-status='resolved']")).to_be_visible(timeout=20_000)
    await page.locator(".st__reopen").click()
    await page.locator(".st__sheet-text textarea").fill(reason)
    await page.wait_for_timeout(400)  # the sheet's enter transition
    await shot(page, f"{name}-1-sheet")
    await page.locator(".st__reopen-send").click()
    await expect(page.locator(".st__banner[data-status='in_progress']")).to_be_visible(timeout=20_000)
    await expect(page.locator(".st__reopen-reason")).to_contain_text(reason)
    await expect(page.locator(".st__actions")).to_have_count(0)  # nothing to answer until support resolves again
    await expect(page.locator(".uni-toast")).to_be_hidden(timeout=10_000)
    await shot(page, f"{name}-2-back-to-support")



async def open_ticket_in_console(page, number: str, name: str = "support") -> None:
    """工单 → the ticket's row (new, its SLA counting down) → its drawer."""
    await page.get_by_text("工单", exact=True).first.click()
    table = page.get_by_test_id("tickets-table")
    row = table.locator("tr", has_text=number)
    await expect(row.locator(".ticket-row-status")).to_have_attribute("data-status", "new", timeout=20_000)
    await expect(row.get_by_test_id("sla-badge")).to_contain_text("分派剩")
    await expect(page.locator(".el-loading-mask")).to_have_count(0, timeout=10_000)
    await shot(page, f"{name}-4-console-list")
    await row.click()
    await expect(page.get_by_test_id("ticket-drawer").locator(".ticket")).to_be_visible(timeout=15_000)


async def assign_and_resolve_with_coupon(page, assignee: str, result: str, yuan: str, name: str = "support") -> None:
    """In the drawer: 分派 to `assignee`, 开始处理, 给出处理结果 with a coupon, confirmed."""
    drawer = page.get_by_test_id("ticket-drawer")
    await drawer.get_by_test_id("ticket-assignee").click()
    await page.locator(".el-select-dropdown__item:visible", has_text=assignee).first.click()
    await drawer.get_by_test_id("ticket-assign").click()
    await expect(drawer.locator(".ticket-status")).to_have_attribute("data-status", "assigned", timeout=15_000)
    await drawer.get_by_test_id("ticket-start").click()
    await expect(drawer.locator(".ticket-status")).to_have_attribute("data-status", "in_progress", timeout=15_000)
    await drawer.get_by_test_id("ticket-resolve").click()
    dialog = page.get_by_test_id("resolve-dialog")
    await expect(dialog.get_by_test_id("resolve-result")).to_be_visible(timeout=10_000)
    await dialog.get_by_test_id("resolve-result").fill(result)
    await dialog.get_by_test_id("resolve-root-cause").click()
    await page.locator(".el-select-dropdown__item:visible", has_text="技能不足").click()
    await dialog.get_by_test_id("resolve-compensation").get_by_text("发优惠券").click()
    await dialog.get_by_test_id("resolve-amount").fill(yuan)
    await page.wait_for_timeout(300)  # the dialog's enter transition
    await shot(page, f"{name}-5-console-resolve")
    await dialog.get_by_test_id("resolve-save").click()
    box = page.locator(".el-message-box")
    await expect(box).to_contain_text(f"¥{yuan}.00 优惠券")
    await page.wait_for_timeout(300)
    await shot(page, f"{name}-5b-console-confirm")
    await box.get_by_role("button", name=re.compile("确\\s*定")).click()
    await expect(drawer.locator(".ticket-status")).to_have_attribute("data-status", "resolved", timeout=15_000)
    await expect(drawer.get_by_test_id("ticket-compensation")).to_contain_text("已发放")
    await page.wait_for_timeout(400)  # the message box's leave transition
    await shot(page, f"{name}-5c-console-resolved")


async def analysis_and_export(page, name: str = "support") -> bytes:
    """投诉分析 (from the menu, any drawer closed first): the figures and charts, then 导出 Excel (the
    downloaded workbook's bytes)."""
    if await page.get_by_test_id("ticket-drawer").is_visible():
        await page.keyboard.press("Escape")
        await expect(page.get_by_test_id("ticket-drawer")).to_be_hidden(timeout=10_000)
    await page.get_by_text("投诉分析", exact=True).first.click()
    await expect(page.get_by_test_id("analysis-total")).to_contain_text("1", timeout=20_000)
    await expect(page.get_by_test_id("chart-trend").locator("canvas")).to_be_visible(timeout=15_000)
    await expect(page.get_by_test_id("chart-worker").locator("canvas")).to_be_visible()
    await page.wait_for_timeout(300)
    await shot(page, f"{name}-5d-console-analysis")
    await page.get_by_test_id("chart-worker").scroll_into_view_if_needed()
    await shot(page, f"{name}-5e-console-analysis-charts")
    async with page.expect_download() as download:
        await page.get_by_test_id("analysis-export").click()
    path = await (await download.value).path()
    return open(path, "rb").read()


async def test_customer_complains_support_compensates_with_a_coupon(live_server, browser, world, client, session,
                                                                     engine):
    base = live_server.url
    order, _ = await completed_order(client, session, world)
    assert await staff_token(client, session, "kefu", ["support"])
    customer_ctx = await browser.new_context(**PHONE)
    violations = [await _watched(customer_ctx)]
    admin_ctx = None
    try:
        customer = await customer_ctx.new_page()
        await sms_sign_in(customer, base, "/", "13800001000", "support-customer")
        await expect(customer.locator(".uni-tabbar__item", has_text="订单")).to_be_visible(timeout=20_000)
        # support has 工单 open before the complaint comes: it shows up live (the staff event stream)
        admin_ctx, admin, admin_violations = await admin_context(browser, base, "kefu")
        violations.append(admin_violations)
        await admin.get_by_text("工单", exact=True).first.click()
        await expect(admin.get_by_test_id("tickets-table")).to_contain_text("暂无工单", timeout=20_000)

        ticket_id = await file_complaint(customer, base, order["id"], "服务质量",
                                         "厨房灶台边角还有油污，抽油烟机滤网没有拆洗，希望安排返工。", photo())
        async with engine.connect() as conn:
            number = await conn.scalar(text("SELECT number FROM tickets WHERE id = :i"), {"i": ticket_id})
            photos = await conn.scalar(text("SELECT count(*) FROM ticket_photos WHERE ticket_id = :i"), {"i": ticket_id})
        assert photos == 1
        await expect(admin.get_by_test_id("tickets-table")).to_contain_text(number, timeout=20_000)
        await open_ticket_in_console(admin, number)
        await assign_and_resolve_with_coupon(admin, "kefu", "已核实：师傅漏洗了滤网，已安排明天上午免费返工，并向您致歉。", "30")
        workbook = await analysis_and_export(admin)
        assert workbook[:2] == b"PK"  # an xlsx is a zip

        await see_result_and_confirm(customer, base, ticket_id)
        await expect(customer.locator(".st__comp[data-kind='coupon']")).to_contain_text("投诉补偿券")
        async with engine.connect() as conn:
            row = (await conn.execute(text(
                "SELECT t.status, t.close_reason, c.value, c.status FROM tickets t "
                "JOIN coupons c ON c.id = (t.compensation->0->>'coupon_id')::bigint WHERE t.id = :i"),
                {"i": ticket_id})).one()
        assert tuple(row) == ("closed", "confirmed", 3000, "available")
        # the coupon is in 我的优惠券
        await customer.goto(base + "/#/sub/coupons/index")
        await expect(customer.locator(".coupon", has_text="投诉补偿券")).to_be_visible(timeout=15_000)
        await shot(customer, "support-9-coupon")
        assert violations == [[], []], violations
    finally:
        await customer_ctx.close()
        if admin_ctx is not None:
            await admin_ctx.close()


async def test_customer_says_a_suggestion_is_not_solved_once(live_server, phone_page, world, client, session, engine):
    """A general suggestion from 我的反馈, resolved by support over the API; the customer reopens it with a
    reason; resolved again, only 确认已解决 is left (a ticket reopens once)."""
    page, base = phone_page, live_server.url
    support = await staff_token(client, session, "kefu", ["support"])
    staff = {"Authorization": f"Bearer {support}"}
    me = (await client.get("/api/v1/me", headers=staff)).json()
    await sms_sign_in(page, base, "/", "13800001000", "support-reopen-0")
    await expect(page.locator(".uni-tabbar__item", has_text="订单")).to_be_visible(timeout=20_000)
    await page.goto(base + "/#/support/mine/index")
    await expect(page.locator(".empty")).to_be_visible(timeout=20_000)
    await shot(page, "support-reopen-0-empty")
    await page.locator(".sm__suggest").click()
    await page.locator(".sn__text textarea").fill("希望增加晚上 8 点以后的预约时段，上班族白天家里没人。")
    await page.locator(".sn__submit").click()
    await expect(page.locator(".st__banner[data-status='new']")).to_be_visible(timeout=20_000)
    ticket_id = int(re.search(r"id=(\d+)", page.url).group(1))

    async def resolve(result: str) -> None:
        for step, body in (("assign", {"assignee_id": me["id"]}), ("start", None),
                           ("resolve", {"result": result, "root_cause": "platform", "upheld": True})):
            r = await client.post(f"/api/v1/admin/support/tickets/{ticket_id}/{step}", headers=staff, json=body)
            assert r.status_code == 200 or (step != "resolve" and r.status_code == 409), r.text

    await resolve("感谢建议！晚间时段已在排期，预计下月上线。")
    await say_not_solved(page, base, ticket_id, "下月太晚了，能不能先开放周末晚上？")
    await resolve("周末 20:00–22:00 时段已于本周六开放，欢迎预约。")
    await page.reload()
    await expect(page.locator(".st__banner[data-status='resolved']")).to_be_visible(timeout=20_000)
    await expect(page.locator(".st__reopen")).to_have_count(0)
    await expect(page.locator(".st__actions")).to_contain_text("已重新打开过一次")
    await expect(page.locator(".uni-toast")).to_be_hidden(timeout=10_000)
    await shot(page, "support-reopen-3-resolved-again")
    async with engine.connect() as conn:
        assert await conn.scalar(text("SELECT reopen_count FROM tickets WHERE id = :i"), {"i": ticket_id}) == 1


async def test_the_demo_tickets_in_the_console(live_server, browser, session):
    """The demo seed's tickets (every state, some overdue, compensated ones) as support sees them after
    `make run`: overdue badges and the 只看超时 filter, a reopened ticket's drawer, the analysis."""
    from anjia.accounts import seed as accounts
    from anjia.addresses import seed as addresses
    from anjia.catalog import seed as catalog
    from anjia.payments import seed as payments
    from anjia.scheduling import seed as scheduling
    from anjia.settlement import seed as settlement
    from anjia.support import seed as support
    from anjia.workforce import seed as workforce

    for step in (accounts.seed, catalog.seed, scheduling.seed, workforce.seed, addresses.seed, payments.seed,
                 settlement.seed, support.seed):
        await step(session)
    await session.commit()
    base = live_server.url
    ctx = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True)
    violations = await _watched(ctx)
    try:
        page = await ctx.new_page()
        await admin_sign_in(page, base, "support1", "demo1234")
        await page.get_by_text("工单", exact=True).first.click()
        table = page.get_by_test_id("tickets-table")
        await expect(table.locator(".ticket-row-status").first).to_be_visible(timeout=20_000)
        await expect(table.locator("[data-testid='sla-badge'][data-state='over']").first).to_be_visible()
        await expect(page.locator(".el-loading-mask")).to_have_count(0, timeout=10_000)
        await shot(page, "support-demo-1-tickets")
        await page.get_by_test_id("ticket-filter-overdue").click()
        await expect(table.locator(".ticket-row-status").first).to_be_visible(timeout=15_000)
        # the filtered list has replaced the whole one: only overdue badges left (retried until then)
        await expect(table.locator("[data-testid='sla-badge']:not([data-state='over'])")).to_have_count(0,
                                                                                                       timeout=15_000)
        assert await table.get_by_test_id("sla-badge").count() >= 2
        await expect(page.locator(".el-loading-mask")).to_have_count(0, timeout=10_000)
        await shot(page, "support-demo-2-overdue")
        await page.get_by_test_id("ticket-filter-overdue").click()
        await table.locator("tr", has_text="约好上午 9 点上门").click()  # the reopened one
        drawer = page.get_by_test_id("ticket-drawer")
        await expect(drawer.locator(".reopen")).to_contain_text("问题并没有解决", timeout=15_000)
        await page.wait_for_timeout(400)
        await shot(page, "support-demo-3-reopened")
        await page.keyboard.press("Escape")
        await expect(drawer).to_be_hidden(timeout=10_000)
        await page.get_by_text("投诉分析", exact=True).first.click()
        await expect(page.get_by_test_id("analysis-total")).to_contain_text(str(len(support.TICKETS)), timeout=20_000)
        await expect(page.get_by_test_id("chart-root-cause").locator("canvas")).to_be_visible(timeout=15_000)
        await page.wait_for_timeout(300)
        await shot(page, "support-demo-4-analysis")
        await page.get_by_test_id("chart-root-cause").scroll_into_view_if_needed()
        await shot(page, "support-demo-5-analysis-charts")
        assert violations == [], violations
    finally:
        await ctx.close()
