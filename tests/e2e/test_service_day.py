"""Chromium, three browser contexts: a customer's paid order reaches the worker's screen without a
reload; the worker accepts, departs, checks in, uploads a photo and checks out; the customer's
page follows each step live and shows the final price; the admin live map shows the worker."""
import io
import re

from PIL import Image
from playwright.async_api import expect

from anjia.core.security import create_access_token
from tests.conftest import auth, staff_token
from tests.e2e.conftest import _watched, admin_sign_in, shot
from tests.e2e.test_sign_in import sms_sign_in
from tests.support import next_weekday


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 160, 220)).save(buf, "PNG")
    return buf.getvalue()


async def test_service_day_live(live_server, browser, world, client, session):
    base = live_server.url
    h = auth(world["token"])
    order = (await client.post("/api/v1/orders", headers=h, json={
        "service_id": world["services"]["全屋清洁"], "address_id": world["address_id"],
        "start": next_weekday(2, 10).isoformat(), "hours": 3, "options": {}})).json()
    staff = auth(await staff_token(client, session, "ops", ["admin"]))

    phone = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN", is_mobile=True,
                 has_touch=True)
    worker_ctx = await browser.new_context(**phone)
    customer_ctx = await browser.new_context(**phone)
    admin_ctx = await browser.new_context(viewport={"width": 1366, "height": 820}, locale="zh-CN")
    violations = [await _watched(c) for c in (worker_ctx, customer_ctx, admin_ctx)]
    try:
        worker = await worker_ctx.new_page()
        await sms_sign_in(worker, base, "/worker/", "13900001000", "day-worker")  # world's first cleaner
        await expect(worker.get_by_text("暂无新订单").first).to_be_visible(timeout=20_000)

        customer = await customer_ctx.new_page()
        await sms_sign_in(customer, base, "/", "13800001000", "day-customer")
        await expect(customer.locator(".uni-tabbar__item", has_text="订单")).to_be_visible(timeout=20_000)
        await customer.goto(f"{base}/#/booking/order/index?id={order['id']}")
        await expect(customer.locator(".banner")).to_contain_text("待支付", timeout=20_000)

        # the operator confirms payment: the offer lights up the worker's screen, no reload
        assert (await client.post(f"/api/v1/admin/orders/{order['id']}/payments/offline", headers=staff,
                            json={"method": "cash"})).status_code == 201
        card = worker.locator(".offer-card")
        await expect(card).to_be_visible(timeout=15_000)
        await shot(worker, "day-1-worker-offer")
        await expect(customer.locator(".banner")).to_contain_text("待接单", timeout=15_000)

        await card.click()
        await worker.locator("uni-button", has_text="接单").click()
        await expect(worker.locator("uni-button", has_text="出发")).to_be_visible(timeout=15_000)
        await expect(customer.locator(".banner")).to_contain_text("已接单", timeout=15_000)
        await shot(customer, "day-2-customer-accepted")

        await worker.locator("uni-button", has_text="出发").click()
        await expect(worker.locator("uni-button", has_text="到达打卡")).to_be_visible(timeout=15_000)
        await expect(customer.locator(".progress[data-step='departed']")).to_be_visible(timeout=15_000)
        # the worker's phone reports where it is (headless Chromium has no GPS)
        wh = auth(create_access_token(world["workers"][0], "worker", []))
        r = await client.post("/api/v1/worker/location", json={"lat": 31.20, "lng": 121.44}, headers=wh)
        assert r.status_code == 200
        await expect(customer.locator(".banner__eta")).to_be_visible(timeout=15_000)  # 师傅约 N 分钟后到达
        await shot(customer, "day-3-customer-on-the-way")

        await worker.locator("uni-button", has_text="到达打卡").click()
        fallback = worker.locator("uni-button", has_text="使用订单地址坐标（演示）")
        await expect(fallback).to_be_visible(timeout=20_000)
        await fallback.click()
        await expect(worker.locator("uni-button", has_text="完成服务")).to_be_visible(timeout=15_000)
        await expect(customer.locator(".banner")).to_contain_text("服务中", timeout=15_000)

        # a photo of the work
        async with worker.expect_file_chooser() as chooser:
            await worker.locator("uni-button", has_text="拍照/选择照片").click()
        await (await chooser.value).set_files(files=[{"name": "kitchen.png", "mimeType": "image/png",
                                                       "buffer": png()}])
        await worker.locator("uni-button", has_text=re.compile(r"^\s*上传\s*$")).click()
        await expect(worker.locator(".record-item")).to_have_count(1, timeout=20_000)
        await shot(worker, "day-4-worker-record")

        # the operators' live map shows the worker
        admin = await admin_ctx.new_page()
        await admin_sign_in(admin, base, "ops")
        await admin.get_by_text("实时监控").first.click()
        await expect(admin.get_by_test_id("live-map")).to_be_visible(timeout=20_000)
        await expect(admin.get_by_test_id("live-worker").filter(has_text="阿姨0")).to_be_visible(timeout=20_000)
        await shot(admin, "day-5-admin-live-map")

        await worker.locator("uni-button", has_text="完成服务").click()
        await worker.locator(".uni-modal__btn_primary:visible").click()
        await expect(customer.locator(".banner")).to_contain_text("已完成", timeout=15_000)
        await expect(customer.locator(".final-price")).to_contain_text("100", timeout=15_000)  # 2 h minimum: ¥50 back
        await shot(customer, "day-6-customer-completed")
        await shot(worker, "day-7-worker-completed")
        assert violations == [[], [], []], violations  # no Content-Security-Policy violation in any app
    finally:
        await worker_ctx.close()
        await customer_ctx.close()
        await admin_ctx.close()
