"""Chromium, customer H5: pay an order through the sandbox cashier and land on the result page, cancel
it and follow its refund to 已退款, read the receipts, top up the balance and pay a second order with it;
then pay through the local fake WeChat Pay's H5 cashier (the real SDK against a server speaking its
protocol). The worker sees the earning of a completed order, disputes a statement line and asks to
withdraw; finance staff work the admin console. Screenshots in test-artifacts/e2e/money-*."""
import re
from datetime import datetime

from playwright.async_api import expect

from anjia.core.security import create_access_token
from anjia.payments.tasks import submit_refunds
from tests.conftest import auth, staff_token
from tests.e2e.conftest import _watched, admin_context, shot
from tests.e2e.test_sign_in import sms_sign_in
from tests.fakes.wechatpay import FakeWechatPay
from tests.support import SH, Server, free_port, next_weekday

PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN", is_mobile=True,
             has_touch=True)


async def book(client, world, weekday: int, hour: int, hours: int = 3) -> dict:
    r = await client.post("/api/v1/orders", headers=auth(world["token"]), json={
        "service_id": world["services"]["全屋清洁"], "address_id": world["address_id"],
        "start": next_weekday(weekday, hour).isoformat(), "hours": hours, "options": {}})
    assert r.status_code == 201, r.text
    return r.json()


async def settled_shot(page, name: str, focus: str | None = None) -> None:
    """A screenshot once toasts are gone, with `focus` (a selector) in the middle of the screen."""
    await expect(page.locator(".uni-toast")).to_be_hidden(timeout=10_000)
    if focus:
        await page.locator(focus).first.evaluate("e => e.scrollIntoView({block: 'center'})")
    await shot(page, name)


def yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


async def open_cashier(page, base: str, order_id: int, name: str | None = None) -> None:
    await page.goto(f"{base}/#/booking/order/index?id={order_id}")
    await expect(page.locator(".banner")).to_contain_text("待支付", timeout=20_000)
    await expect(page.locator(".od__pay")).to_have_text("去支付", timeout=15_000)
    if name:
        await settled_shot(page, name)
    await page.locator(".od__pay").click()
    await expect(page.locator(".pay__submit")).to_be_visible(timeout=15_000)


async def test_pay_refund_receipts_and_balance(live_server, phone_page, world, client):
    page, base = phone_page, live_server.url
    first = await book(client, world, 1, 10)
    second = await book(client, world, 3, 14)
    await sms_sign_in(page, base, "/", "13800001000", "money-customer")
    await expect(page.locator(".uni-tabbar__item", has_text="订单")).to_be_visible(timeout=20_000)

    # 1. 去支付 → 收银台 (balance empty: blocked) → the sandbox cashier → 支付成功 → the order waits for a worker
    await open_cashier(page, base, first["id"], "money-0-order-to-pay")
    await expect(page.locator(".pay__amount")).to_contain_text(yuan(first["total"]))
    await expect(page.locator(".method[data-method='balance']")).to_have_class(re.compile("is-blocked"))
    await expect(page.locator(".method[data-method='balance']")).to_contain_text("余额不足")
    await page.locator(".method[data-method='sandbox']").click()
    await settled_shot(page, "money-1-cashier")
    await page.locator(".pay__submit").click()
    await page.wait_for_url(re.compile(r"/api/v1/payments/sandbox/P"), timeout=15_000)
    await expect(page.locator(".amount")).to_contain_text(yuan(first["total"]))
    await shot(page, "money-2-sandbox-cashier")
    await page.locator("#pay").click()
    await expect(page.locator(".result__head")).to_have_attribute("data-outcome", "success", timeout=20_000)
    await expect(page.locator(".result__title")).to_have_text("支付成功")
    await shot(page, "money-3-result-success")
    await page.locator(".result__back").click()
    await expect(page.locator(".banner")).to_contain_text("待接单", timeout=15_000)
    await expect(page.locator(".money__paid")).to_contain_text(yuan(first["total"]), timeout=15_000)
    await expect(page.locator(".od__pay")).to_have_count(0)
    await settled_shot(page, "money-4-order-paid", ".money")

    # 2. cancel the paid order: the refund reads 退款中 until the refund job hears back, then 已退款
    await page.locator(".od__cancel").click()
    await page.locator(".cancel-reason", has_text="计划有变").click()
    await page.locator(".cancel-sheet__confirm").click()
    await expect(page.locator(".banner")).to_contain_text("已取消", timeout=15_000)
    refund = page.locator(".refund")
    await expect(refund).to_contain_text("退款中", timeout=15_000)
    await expect(refund).to_contain_text(yuan(first["total"]))
    await settled_shot(page, "money-5-refunding", ".refund")
    assert await submit_refunds() == 1  # the job worker is off in tests
    await page.reload()
    await expect(page.locator(".refund")).to_have_attribute("data-status", "succeeded", timeout=20_000)
    await expect(page.locator(".refund__state")).to_have_text("已退款")
    await settled_shot(page, "money-6-refunded", ".refund")

    # 3. 我的 → 支付记录 (the payment, refunded) → 余额 → 充值 ¥200 through the sandbox → the balance
    await page.goto(base + "/#/pages/me/index")
    await page.locator(".me__receipts").click()
    receipt = page.locator(".receipt").first
    await expect(receipt).to_contain_text("订单支付", timeout=15_000)
    await expect(receipt).to_contain_text("已退 ¥" + yuan(first["total"]))
    await shot(page, "money-7-receipts")
    await page.goto(base + "/#/pages/me/index")
    await page.locator(".me__balance").click()
    await expect(page.locator(".bal__amount")).to_have_text("0.00", timeout=15_000)
    await page.locator(".bal__input input").fill("1.234")
    await expect(page.locator(".bal__error")).to_contain_text("最多两位小数")
    await expect(page.locator(".bal__submit")).to_have_class(re.compile("is-disabled"))
    await shot(page, "money-8-top-up-invalid")
    await page.locator(".bal__preset[data-amount='20000']").click()
    await expect(page.locator(".bal__error")).to_have_count(0)
    await expect(page.locator(".bal__input input")).to_have_value("")
    await shot(page, "money-8-top-up")
    await page.locator(".bal__submit").click()
    await expect(page.locator(".pay__amount")).to_contain_text("200.00", timeout=15_000)
    await expect(page.locator(".method[data-method='balance']")).to_have_count(0)  # no top-up from the balance
    await page.locator(".pay__submit").click()
    await page.wait_for_url(re.compile(r"/api/v1/payments/sandbox/P"), timeout=15_000)
    await page.locator("#pay").click()
    await expect(page.locator(".result__head")).to_have_attribute("data-outcome", "success", timeout=20_000)
    await page.locator(".result__back", has_text="查看余额").click()
    await expect(page.locator(".bal__amount")).to_have_text("200.00", timeout=15_000)
    await expect(page.locator(".bal__entry").first).to_contain_text("余额充值")
    await shot(page, "money-9-balance")

    # 4. the second order, paid from the balance (confirmed in a dialog)
    await open_cashier(page, base, second["id"])
    await page.locator(".method[data-method='balance']").click()
    await expect(page.locator(".method[data-method='balance']")).to_have_class(re.compile("is-active"))
    await shot(page, "money-10-cashier-balance")
    await page.locator(".pay__submit").click()
    await expect(page.locator(".uni-modal")).to_contain_text("将从余额中扣除", timeout=10_000)
    await page.locator(".uni-modal__btn_primary:visible").click()
    await expect(page.locator(".result__head")).to_have_attribute("data-outcome", "success", timeout=20_000)
    await expect(page.locator(".kv", has_text="支付方式")).to_contain_text("余额")
    await page.locator(".result__back").click()
    await expect(page.locator(".banner")).to_contain_text("待接单", timeout=15_000)
    left = 20_000 - second["total"]
    await page.goto(base + "/#/pages/me/index")
    await expect(page.locator(".me__balance")).to_contain_text(yuan(left), timeout=15_000)
    await shot(page, "money-11-me")


async def test_pay_through_fake_wechat_pay_h5(browser, world, client):
    fake = FakeWechatPay()
    port = free_port()
    server = Server(env={**fake.settings_env(), "PAYMENT_PROVIDERS": "wechatpay,sandbox",
                         "PUBLIC_URL": f"http://127.0.0.1:{port}"}, serve_frontends=True, port=port)
    ctx = await browser.new_context(**PHONE)
    violations = await _watched(ctx)
    try:
        order = await book(client, world, 2, 16)
        page = await ctx.new_page()
        await sms_sign_in(page, server.url, "/", "13800001000", "money-wechat")
        await expect(page.locator(".uni-tabbar__item", has_text="订单")).to_be_visible(timeout=20_000)
        await open_cashier(page, server.url, order["id"])
        await expect(page.locator(".method[data-method='wechatpay']")).to_have_class(re.compile("is-active"))
        await shot(page, "money-12-cashier-wechat")
        await page.locator(".pay__submit").click()
        await page.wait_for_url(re.compile(re.escape(fake.url) + "/h5/cashier"), timeout=15_000)
        await expect(page.locator(".amount")).to_have_text("¥" + yuan(order["total"]).replace(",", ""))
        await shot(page, "money-13-wechat-h5-cashier")
        await page.locator("#pay").click()
        await expect(page.locator(".result__head")).to_have_attribute("data-outcome", "success", timeout=20_000)
        await expect(page.locator(".kv", has_text="支付方式")).to_contain_text("微信支付")
        await shot(page, "money-14-wechat-result")
        await page.locator(".result__back").click()
        await expect(page.locator(".banner")).to_contain_text("待接单", timeout=15_000)
        await shot(page, "money-15-wechat-order")
        paid = [t for t in fake.transactions.values() if t["trade_state"] == "SUCCESS"]
        assert [(t["trade_type"], t["amount"]["total"]) for t in paid] == [("H5", order["total"])]
        assert violations == [], violations
    finally:
        await ctx.close()
        server.stop()
        fake.close()


async def complete_order(client, world, order: dict, staff: dict) -> int:
    """Paid (cash, recorded by staff), accepted by whichever cleaner got the offer, departed, checked
    in at the address and checked out. Returns the worker's id."""
    r = await client.post(f"/api/v1/admin/orders/{order['id']}/payments/offline", headers=staff, json={"method": "cash"})
    assert r.status_code == 201, r.text
    for worker_id in world["workers"]:
        wh = auth(create_access_token(worker_id, "worker", []))
        offers = (await client.get("/api/v1/worker/offers", headers=wh)).json()
        if any(o["order_id"] == order["id"] for o in offers):
            break
    else:
        raise AssertionError("no cleaner got the offer")
    base = f"/api/v1/worker/orders/{order['id']}"
    for step, body in (("accept", None), ("depart", None), ("check-in", {"lat": 31.195, "lng": 121.438}),
                       ("check-out", None)):
        r = await client.post(f"{base}/{step}", headers=wh, json=body)
        assert r.status_code == 200, (step, r.text)
    return worker_id


async def test_worker_sees_earning_disputes_a_line_and_withdraws(live_server, phone_page, world, client, session):
    page, base = phone_page, live_server.url
    staff = auth(await staff_token(client, session, "finance", ["admin"]))
    order = await book(client, world, 4, 10)
    worker_id = await complete_order(client, world, order, staff)
    phone = f"1390000100{world['workers'].index(worker_id)}"
    earning = (await client.get("/api/v1/admin/settlement/earnings", headers=staff,
                                params={"order_id": order["id"]})).json()["items"][0]
    assert earning["net"] > 0

    # 我的 → 我的收入: the order's earning, not yet in a statement
    await sms_sign_in(page, base, "/worker/", phone, "money-worker")
    await expect(page.get_by_text("暂无新订单").first).to_be_visible(timeout=20_000)
    await page.goto(base + "/worker/#/pages/me/index")
    await page.locator(".me-work__earnings").click()
    card = page.locator(f".earning[data-order-id='{order['id']}']")
    await expect(card).to_contain_text("+¥" + yuan(earning["net"]), timeout=15_000)
    await expect(card.locator(".earning__state")).to_have_text("待结算")
    await expect(page.locator(".earn__balance[data-kind='pending']")).to_contain_text(yuan(earning["net"]))
    await settled_shot(page, "money-w1-earnings")

    # finance builds this week's statement: the worker opens it and disputes the line
    today = datetime.now(SH).date().isoformat()
    r = await client.post("/api/v1/admin/settlement/runs", headers=staff, json={"start": today, "end": today})
    assert r.status_code == 201, r.text
    statement = next(s for s in r.json()["statements"] if s["worker_id"] == worker_id)
    await page.reload()
    await page.locator(".earn__tab[data-tab='statements']").click()
    await page.locator(f".statement[data-id='{statement['id']}']").click()
    await expect(page.locator(".stmt__total")).to_contain_text(yuan(statement["total"]), timeout=15_000)
    await page.locator(".line__action").first.click()
    await page.locator(".dispute-sheet__submit").click()
    await expect(page.locator(".dispute-sheet .ea-error")).to_contain_text("至少")
    await page.locator(".dispute-sheet__text textarea").fill("实际服务了 3 小时，按 2 小时结算")
    await settled_shot(page, "money-w2-dispute")
    await page.locator(".dispute-sheet__submit").click()
    await expect(page.locator(".line__dispute")).to_contain_text("异议处理中", timeout=15_000)
    await settled_shot(page, "money-w3-statement")

    # approved: 提现 the whole amount (more is refused before asking the server)
    r = await client.post(f"/api/v1/admin/settlement/statements/{statement['id']}/approve", headers=staff)
    assert r.status_code == 200, r.text
    await page.goto(base + "/worker/#/earnings/withdraw/index")
    await expect(page.locator(".wd__available")).to_have_text(yuan(statement["total"]), timeout=15_000)
    await page.locator(".wd__input input").fill(str(statement["total"] // 100 + 1))
    await expect(page.locator(".wd__error")).to_have_text("超过可提现金额")
    await page.locator(".wd__all").click()
    await expect(page.locator(".wd__input input")).to_have_value(f"{statement['total'] / 100:.2f}")
    await expect(page.locator(".wd__error")).to_have_count(0)
    await settled_shot(page, "money-w4-withdraw")
    await page.locator(".wd__submit").click()
    await page.locator(".uni-modal__btn_primary:visible").click()
    await expect(page.locator(".wd__item[data-status='requested']")).to_contain_text(yuan(statement["total"]),
                                                                                     timeout=15_000)
    await expect(page.locator(".wd__open")).to_be_visible()
    await settled_shot(page, "money-w5-withdrawal-sent")


# ---------------------------------------------------------------- the admin's finance console
async def confirm_box(page) -> None:
    box = page.locator(".el-message-box")
    await expect(box).to_be_visible(timeout=10_000)
    await box.get_by_role("button", name=re.compile("确\\s*定")).click()
    await expect(box).to_be_hidden(timeout=10_000)


async def loaded(page) -> None:
    """No loading mask left and dialogs / drawers done fading (a screenshot of the settled page)."""
    await expect(page.locator(".el-loading-mask:visible")).to_have_count(0, timeout=15_000)
    await page.wait_for_timeout(400)  # Element Plus' dialog and drawer transitions


async def open_order(page, number: str):
    await page.get_by_test_id("menu-orders").click()
    await page.get_by_test_id("order-search").fill(number)
    await page.get_by_test_id("order-search").press("Enter")
    await page.locator(f"[data-number='{number}']").click()
    drawer = page.get_by_test_id("order-drawer")
    await expect(drawer.get_by_test_id("order-number")).to_have_text(number, timeout=15_000)
    await expect(drawer.get_by_test_id("order-money")).to_be_visible()
    return drawer


async def test_finance_console(live_server, browser, world, client, session):
    from tests.conftest import make_staff
    from tests.payments.helpers import pay_sandbox

    base = live_server.url
    paid = await book(client, world, 1, 9, hours=6)  # ¥300: a refund above ¥200 waits for approval
    await pay_sandbox(client, world, paid["id"])
    by_transfer = await book(client, world, 2, 9)
    by_qr = await book(client, world, 4, 9)
    await make_staff(session, "caiwu", ["finance"])
    await make_staff(session, "caiwu2", ["finance"])
    ctx, page, violations = await admin_context(browser, base, "caiwu")
    try:
        # the finance role cannot read the role table: its menu comes from /me's permissions
        group = page.get_by_test_id("menu-group-finance")
        for key in ("financeOverview", "payments", "refunds", "paymentIssues", "reconciliation", "reports"):
            await expect(group.get_by_test_id(f"menu-{key}")).to_be_visible()

        # 1. an order paid by bank transfer: the reference is required, the money confirmed
        drawer = await open_order(page, by_transfer["number"])
        await drawer.get_by_test_id("mark-paid").click()
        dialog = page.get_by_test_id("offline-dialog")
        await expect(dialog.get_by_test_id("offline-amount")).to_contain_text(yuan(by_transfer["total"]))
        await dialog.locator("label", has_text="银行转账").click()
        await dialog.get_by_test_id("offline-save").click()
        await expect(dialog).to_contain_text("银行转账请填写流水号")
        await dialog.get_by_test_id("offline-reference").fill("ICBC20261202-0088")
        await loaded(page)
        await shot(page, "money-20-admin-offline-dialog")
        await dialog.get_by_test_id("offline-save").click()
        await expect(page.locator(".el-message-box")).to_contain_text("银行转账")
        await confirm_box(page)
        await expect(drawer.get_by_test_id("order-payments")).to_contain_text("线下收款", timeout=15_000)
        await expect(drawer.locator(".order-status")).not_to_have_attribute("data-status", "pending_payment")
        await page.keyboard.press("Escape")

        # 2. a phone order paid by scanning the QR code: the dialog turns to 已付款 by itself
        drawer = await open_order(page, by_qr["number"])
        await drawer.get_by_test_id("qr-pay").click()
        qr = page.get_by_test_id("qr-dialog")
        await expect(qr.get_by_test_id("qr-image")).to_be_visible(timeout=15_000)
        await expect(qr.get_by_test_id("qr-state")).to_have_attribute("data-state", "pending")
        await loaded(page)
        await shot(page, "money-21-admin-qr")
        link = await qr.get_by_test_id("qr-link").get_attribute("href")
        assert link and "/api/v1/payments/sandbox/P" in link
        r = await client.post(link[link.index("/api/"):], data={"outcome": "succeed"})
        assert r.status_code == 303
        await expect(qr.get_by_test_id("qr-state")).to_have_attribute("data-state", "succeeded", timeout=15_000)
        await loaded(page)
        await shot(page, "money-22-admin-qr-paid")
        await qr.get_by_role("button", name=re.compile("确\\s*定")).click()
        await page.keyboard.press("Escape")

        # 3. a refund asked for in ¥: whole fen only, at most what was paid; above ¥200 it waits for approval
        drawer = await open_order(page, paid["number"])
        await drawer.get_by_test_id("refund-open").click()
        dialog = page.get_by_test_id("refund-dialog")
        await expect(dialog.get_by_test_id("refundable")).to_contain_text(yuan(paid["total"]))
        amount = dialog.get_by_test_id("refund-amount")
        await amount.fill("1.005")
        await dialog.get_by_test_id("refund-reason").fill("服务补偿：地板清洁不到位")
        await expect(dialog).to_contain_text("金额最多两位小数")
        await amount.fill(f"{paid['total'] / 100 + 1:.2f}")
        await dialog.get_by_test_id("refund-reason").click()
        await expect(dialog).to_contain_text("不能超过可退金额")
        await amount.fill("250")
        await dialog.get_by_test_id("refund-reason").click()
        await expect(dialog).to_contain_text("= 25000 分")
        await loaded(page)
        await shot(page, "money-23-admin-refund-dialog")
        await dialog.get_by_test_id("refund-save").click()
        await confirm_box(page)
        await expect(page.get_by_text("已提交，等待财务审批")).to_be_visible(timeout=10_000)
        await expect(drawer.get_by_test_id("order-refunds")).to_contain_text("待审批")
        await page.keyboard.press("Escape")

        # 4. 退款: the requester cannot approve; another finance member does
        await page.get_by_test_id("menu-refunds").click()
        await page.get_by_test_id("refund-status-filter").locator("label", has_text="待审批").click()
        row = page.get_by_test_id("refunds-table").locator(".el-table__row").first
        await expect(row).to_contain_text("¥250.00", timeout=15_000)
        await row.get_by_test_id("refund-approve").click()
        await confirm_box(page)
        await expect(page.locator(".el-message--error")).to_be_visible(timeout=10_000)
        await loaded(page)
        await shot(page, "money-24-admin-refunds-awaiting")
        ctx2, page2, violations2 = await admin_context(browser, base, "caiwu2")
        await page2.get_by_test_id("menu-refunds").click()
        row2 = page2.get_by_test_id("refunds-table").locator(".el-table__row", has_text="¥250.00")
        await row2.get_by_test_id("refund-approve").click()
        await expect(page2.locator(".el-message-box")).to_contain_text("¥250.00")
        await confirm_box(page2)
        await expect(page2.get_by_text("已通过，退款已发起")).to_be_visible(timeout=10_000)
        await expect(row2.locator("[data-status]")).not_to_have_attribute("data-status", "awaiting_approval", timeout=15_000)
        await loaded(page2)
        await shot(page2, "money-25-admin-refund-approved")
        await ctx2.close()
        assert violations2 == [], violations2

        # 5. 支付流水: three payments; the offline one by provider
        await page.get_by_test_id("menu-payments").click()
        table = page.get_by_test_id("payments-table")
        await expect(table.locator(".el-table__row")).to_have_count(3, timeout=15_000)
        await loaded(page)
        await shot(page, "money-26-admin-payments")
        await page.get_by_test_id("payment-provider-filter").click()
        await page.locator(".el-select-dropdown__item:visible", has_text="线下收款").click()
        await expect(table.locator(".el-table__row")).to_have_count(1, timeout=15_000)
        await table.locator(".el-table__row").first.click()
        pd = page.get_by_test_id("payment-drawer")
        await expect(pd).to_contain_text(yuan(by_transfer["total"]))
        await expect(pd).to_be_in_viewport(ratio=1)
        await loaded(page)
        await shot(page, "money-27-admin-payment-drawer")
        await page.keyboard.press("Escape")

        # 6. 财务报表: today's money collected, by provider; the xlsx downloads with the session's token
        collected = paid["total"] + by_transfer["total"] + by_qr["total"]
        await page.get_by_test_id("menu-reports").click()
        report = page.get_by_test_id("report-table")
        await expect(report.locator(".el-table__footer")).to_contain_text(yuan(collected), timeout=15_000)
        await page.get_by_test_id("report-group").click()
        await page.locator(".el-select-dropdown__item:visible", has_text="支付渠道").click()
        await expect(report).to_contain_text("线下收款", timeout=15_000)
        await expect(page.get_by_test_id("trend-chart").locator("canvas")).to_be_visible()
        await loaded(page)
        await shot(page, "money-28-admin-report")
        async with page.expect_download() as download:
            await page.get_by_test_id("report-export").click()
        file = await download.value
        assert file.suggested_filename.startswith("财务报表_") and file.suggested_filename.endswith(".xlsx")
        assert (await file.path()).read_bytes()[:2] == b"PK"

        # 7. 财务概览: today's tile and the account balances
        await page.get_by_test_id("menu-financeOverview").click()
        today = page.get_by_test_id("tile-today")
        await expect(today.locator("[data-metric='collected']")).to_contain_text(yuan(collected), timeout=15_000)
        await expect(page.get_by_test_id("balances")).to_contain_text("银行存款及现金")
        await loaded(page)
        await shot(page, "money-29-admin-overview")

        # 8. 支付异常: nothing refused, failed or late here
        await page.get_by_test_id("menu-paymentIssues").click()
        await expect(page.get_by_test_id("issues-none")).to_be_visible(timeout=15_000)
        await loaded(page)
        await shot(page, "money-29b-admin-issues")

        # 9. 对账: run yesterday's sandbox bill now
        await page.get_by_test_id("menu-reconciliation").click()
        await page.get_by_test_id("run-now").click()
        await page.get_by_test_id("run-now-provider").click()
        await page.locator(".el-select-dropdown__item:visible", has_text="模拟支付").click()
        await page.get_by_test_id("run-now-save").click()
        await confirm_box(page)
        run = page.get_by_test_id("run-drawer")
        await expect(run.get_by_test_id("run-figures")).to_be_visible(timeout=20_000)
        await expect(run).to_be_in_viewport(ratio=1)
        await loaded(page)
        await shot(page, "money-30-admin-reconciliation")
        assert violations == [], violations
    finally:
        await ctx.close()


async def test_settlement_statement_and_worker_earnings(live_server, browser, world, client, session):
    """A completed order's earning: pending on the worker's 收入 page; finance builds the week's statement
    (run now), approves it and records the payout; the worker sees it settled."""

    from tests.conftest import make_staff, staff_token
    from tests.settlement.helpers import completed_order

    base = live_server.url
    order, worker_id = await completed_order(client, session, world)
    from anjia.accounts.models import User

    phone = (await session.get(User, worker_id)).phone
    fin = auth(await staff_token(client, session, "fin-api", ["finance"]))
    earning = (await client.get("/api/v1/admin/settlement/earnings", headers=fin,
                                params={"order_id": order["id"]})).json()["items"][0]
    net = earning["net"]
    await make_staff(session, "caiwu3", ["finance"])

    worker_ctx = await browser.new_context(**PHONE)
    worker_violations = await _watched(worker_ctx)
    ctx, page, violations = await admin_context(browser, base, "caiwu3")
    try:
        worker = await worker_ctx.new_page()
        await sms_sign_in(worker, base, "/worker/", phone, "settle-worker")
        # signed in (tokens stored) before leaving the sign-in page, else 收入 sends it back there
        await expect(worker.get_by_text("暂无新订单").first).to_be_visible(timeout=20_000)
        await worker.goto(base + "/worker/#/earnings/index/index")
        pending = worker.locator(".earn__balance[data-kind='pending'] .earn__balance-value")
        await expect(pending).to_contain_text(yuan(net), timeout=20_000)
        await expect(worker.locator(".earn__balance[data-kind='settled'] .earn__balance-value")).to_contain_text("0.00")
        await settled_shot(worker, "money-31-worker-earnings-pending")

        # 结算单 → 生成结算单 (this week, run now) → the worker's draft statement
        await page.get_by_test_id("menu-statements").click()
        await page.get_by_test_id("statements-build").click()
        await page.get_by_test_id("build-save").click()
        await confirm_box(page)
        row = page.get_by_test_id("statements-table").locator(".el-table__row").first
        await expect(row).to_contain_text(yuan(net), timeout=15_000)
        await expect(row.locator("[data-status]")).to_have_attribute("data-status", "draft")
        await loaded(page)
        await shot(page, "money-32-admin-statements")
        await row.click()
        drawer = page.get_by_test_id("statement-drawer")
        await expect(drawer.get_by_test_id("statement-lines")).to_contain_text(order["number"], timeout=15_000)
        await expect(drawer.get_by_test_id("statement-total")).to_contain_text(yuan(net))
        await expect(drawer).to_be_in_viewport(ratio=1)
        await shot(page, "money-33-admin-statement-draft")

        # 审核通过 (confirmed) → 登记打款 with the bank reference (too short first)
        await drawer.get_by_test_id("statement-approve").click()
        await expect(page.locator(".el-message-box")).to_contain_text(yuan(net))
        await confirm_box(page)
        await expect(drawer.get_by_test_id("statement-status")).to_have_attribute("data-status", "approved", timeout=15_000)
        await expect(drawer.get_by_test_id("statement-approve")).to_have_count(0)
        await drawer.get_by_test_id("statement-pay").click()
        dialog = page.get_by_test_id("payout-dialog")
        await dialog.get_by_test_id("payout-reference").fill("ab")
        await dialog.get_by_test_id("payout-save").click()
        await expect(dialog).to_contain_text("至少 4 位")
        await dialog.get_by_test_id("payout-reference").fill("CMB-20261202-7781")
        await loaded(page)
        await shot(page, "money-34-admin-payout")
        await dialog.get_by_test_id("payout-save").click()
        await expect(page.locator(".el-message-box")).to_contain_text("CMB-20261202-7781")
        await confirm_box(page)
        await expect(drawer.get_by_test_id("statement-status")).to_have_attribute("data-status", "paid", timeout=15_000)
        await expect(drawer).to_contain_text("CMB-20261202-7781")
        await loaded(page)
        await shot(page, "money-35-admin-statement-paid")

        # the worker's 收入: settled now, and the statement paid
        await worker.goto("about:blank")
        await worker.goto(base + "/worker/#/earnings/index/index")
        settled = worker.locator(".earn__balance[data-kind='settled'] .earn__balance-value")
        await expect(settled).to_contain_text(yuan(net), timeout=20_000)
        await expect(pending).to_contain_text("0.00")
        await worker.locator(".earn__tab[data-tab='statements']").click()
        await expect(worker.get_by_text("已打款").first).to_be_visible(timeout=15_000)
        await settled_shot(worker, "money-36-worker-earnings-settled")

        # the worker disputes the line; finance accepts it with ¥10 owed (paid with the next statement)
        from tests.dispatch.helpers import worker_auth
        stmt = (await client.get("/api/v1/worker/statements", headers=worker_auth(worker_id))).json()["items"][0]
        line = (await client.get(f"/api/v1/worker/statements/{stmt['id']}", headers=worker_auth(worker_id))).json()["lines"][0]
        r = await client.post(f"/api/v1/worker/statements/{stmt['id']}/lines/{line['id']}/dispute",
                              headers=worker_auth(worker_id), json={"reason": "油烟机多清洗了一台，未计入"})
        assert r.status_code == 201, r.text
        await page.keyboard.press("Escape")
        await page.get_by_role("tab", name="申诉").click()
        disputes = page.get_by_test_id("disputes-table")
        await expect(disputes).to_contain_text("油烟机多清洗了一台", timeout=15_000)
        await disputes.get_by_test_id("dispute-accept").first.click()
        dialog = page.get_by_test_id("accept-dispute-dialog")
        await dialog.get_by_test_id("accept-amount").fill("10")
        await dialog.get_by_test_id("accept-note").fill("核实属实，下期补发")
        await loaded(page)
        await shot(page, "money-37-admin-dispute-accept")
        await dialog.get_by_test_id("accept-dispute-save").click()
        await confirm_box(page)
        await expect(page.get_by_text("已认可，更正将进入下一期结算单")).to_be_visible(timeout=10_000)

        # 佣金规则: a new rule of 18 % for 全屋清洁; 提现申请: nothing waiting
        await page.get_by_test_id("menu-commission").click()
        await page.get_by_test_id("rule-create").click()
        dialog = page.get_by_test_id("rule-dialog")
        await dialog.get_by_test_id("rule-name").fill("全屋清洁 18%")
        await dialog.get_by_test_id("rule-value").fill("100.5")
        await dialog.get_by_test_id("rule-save").click()
        await expect(dialog).to_contain_text("比例在 0 到 100 之间")
        await dialog.get_by_test_id("rule-value").fill("18")
        await dialog.get_by_test_id("rule-service").click()
        await page.locator(".el-select-dropdown__item:visible", has_text="全屋清洁").click()
        await dialog.get_by_test_id("rule-save").click()
        await expect(page.get_by_test_id("rules-table")).to_contain_text("18%", timeout=15_000)
        await loaded(page)
        await shot(page, "money-38-admin-commission-rules")
        await page.get_by_test_id("menu-withdrawals").click()
        await expect(page.get_by_test_id("withdrawals-table")).to_contain_text("暂无数据", timeout=15_000)
        await loaded(page)
        await shot(page, "money-39-admin-withdrawals")
        assert violations == [] and worker_violations == [], (violations, worker_violations)
    finally:
        await ctx.close()
        await worker_ctx.close()
