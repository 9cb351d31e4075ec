"""Chromium, issue 11's whole journey across the three apps: a new worker signs up in the worker app
with a certificate photo, an operator approves them in the console, they are offered an order and
accept it; after the visit the customer reviews it (low scores) and files a complaint; support works
the complaint in the console and compensates with a coupon; the customer sees the result and the
coupon and confirms; the worker's rating has changed and the worker sees the review. Screenshots in
test-artifacts/e2e (journey-*). The steps are the ones each area's own e2e test uses."""
from playwright.async_api import expect
from sqlalchemy import text

from anjia.core.security import create_access_token, lookup_hash
from tests.conftest import auth, make_staff
from tests.dispatch.helpers import paid_order
from tests.e2e.conftest import _watched, admin_context, shot
from tests.e2e.test_reviews import PHONE, loaded, open_worker_card, photo, write_review
from tests.e2e.test_sign_in import sms_sign_in
from tests.e2e.test_support import (
    assign_and_resolve_with_coupon,
    file_complaint,
    open_ticket_in_console,
    see_result_and_confirm,
)
from tests.e2e.test_workforce import NEW_WORKER, approve_in_console, fill_wizard
from tests.support import next_weekday


async def rating(session, worker_id: int) -> float:
    return await session.scalar(text("SELECT rating FROM worker_profiles WHERE user_id = :w"), {"w": worker_id})


async def test_sign_up_to_complaint_resolved(live_server, browser, world, client, session):
    base = live_server.url
    await make_staff(session, "shenhe", ["dispatcher"])
    await make_staff(session, "kefu", ["support"])
    worker_ctx, customer_ctx = await browser.new_context(**PHONE), await browser.new_context(**PHONE)
    violations = [await _watched(worker_ctx), await _watched(customer_ctx)]
    contexts = [worker_ctx, customer_ctx]
    try:
        # 1. a new worker signs up with a health certificate photo and submits
        worker = await worker_ctx.new_page()
        await sms_sign_in(worker, base, "/worker/", NEW_WORKER, "journey-worker")
        await fill_wizard(worker, "journey-signup")
        await shot(worker, "journey-1-submitted")

        # 2. an operator approves them in the console
        ops_ctx, ops, ops_violations = await admin_context(browser, base, "shenhe")
        contexts.append(ops_ctx)
        violations.append(ops_violations)
        await approve_in_console(ops, base, "journey-review")
        await worker.reload()
        await expect(worker.locator(".su-status[data-status='approved']")).to_be_visible(timeout=20_000)
        await shot(worker, "journey-2-approved")
        wid = await session.scalar(text("SELECT id FROM users WHERE phone_hash = :h AND kind = 'worker'"),
                                  {"h": lookup_hash(NEW_WORKER, "phone")})
        assert await rating(session, wid) == 5.0  # no review yet: the prior alone

        # 3. with their hours set, they are offered a paid order nearby and accept it in the app
        wh = auth(create_access_token(wid, "worker", []))
        r = await client.put("/api/v1/worker/availability/weekly", headers=wh,
                             json={"weekly": [{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(7)]})
        assert r.status_code == 200, r.text
        order, _ = await paid_order(client, session, world, start=next_weekday(3, 10))
        await worker.locator(".su-status__start").click()
        card = worker.locator(f".offer-card[data-order-id='{order['id']}']")
        await expect(card).to_be_visible(timeout=20_000)
        await shot(worker, "journey-3-offered")
        await card.click()
        await worker.locator("uni-button", has_text="接单").click()
        await expect(worker.locator("uni-button", has_text="出发")).to_be_visible(timeout=15_000)
        await shot(worker, "journey-4-accepted")

        # the visit itself (its screens are test_service_day's): depart, check in at the address, check out
        for step, body in (("depart", None), ("check-in", {"lat": 31.1951, "lng": 121.4381}), ("check-out", None)):
            r = await client.post(f"/api/v1/worker/orders/{order['id']}/{step}", headers=wh, json=body)
            assert r.status_code == 200, r.text
        assert r.json()["status"] == "completed"

        # 4. the customer reviews the finished order with low scores: the worker's rating drops
        customer = await customer_ctx.new_page()
        await sms_sign_in(customer, base, "/", "13800001000", "journey-customer")
        await expect(customer.locator(".uni-tabbar__item", has_text="订单")).to_be_visible(timeout=20_000)
        await write_review(customer, base, order["id"], {"quality": 2, "attitude": 4, "skill": 2},
                           "厨房灶台和油烟机都没擦干净，地面也有水渍。", photo(), "journey-5-review")
        after = await rating(session, wid)
        assert after == round((25 + (2 + 4 + 2) / 3) / 6, 2) and after < 5.0  # Bayesian prior 5 × 5.0, one review
        await open_worker_card(customer, base, wid, "journey-6")
        await expect(customer.locator(".wc__rating-value")).to_have_text(f"{after:.1f}")

        # 5. … and files a complaint with a photo
        ticket_id = await file_complaint(customer, base, order["id"], "服务质量",
                                         "阿姨漏擦了油烟机滤网，灶台边角也有油污，希望安排返工。", photo(), "journey-7-complaint")
        number = await session.scalar(text("SELECT number FROM tickets WHERE id = :i"), {"i": ticket_id})

        # 6. support assigns it, works it and resolves it with a ¥30 coupon
        kefu_ctx, kefu, kefu_violations = await admin_context(browser, base, "kefu")
        contexts.append(kefu_ctx)
        violations.append(kefu_violations)
        await open_ticket_in_console(kefu, number, "journey-8")
        await assign_and_resolve_with_coupon(kefu, "kefu", "已核实：阿姨漏洗了滤网，明天上午免费返工，并向您致歉。", "30",
                                             "journey-8")

        # 7. the customer sees the result and the coupon, confirms; the coupon is in 我的优惠券
        await see_result_and_confirm(customer, base, ticket_id, "journey-9")
        await expect(customer.locator(".st__comp[data-kind='coupon']")).to_contain_text("投诉补偿券")
        await customer.goto(base + "/#/sub/coupons/index")
        await expect(customer.locator(".coupon", has_text="投诉补偿券")).to_be_visible(timeout=15_000)
        await shot(customer, "journey-10-coupon")
        row = (await session.execute(text(
            "SELECT t.status, t.upheld, c.value, c.status FROM tickets t "
            "JOIN coupons c ON c.id = (t.compensation->0->>'coupon_id')::bigint WHERE t.id = :i"), {"i": ticket_id})).one()
        assert tuple(row) == ("closed", True, 3000, "available")

        # 8. the worker sees the review and their new rating in 我的评价
        await worker.goto(base + "/worker/#/reviews/index/index")
        await expect(worker.locator(".rv-item").first).to_contain_text("油烟机", timeout=20_000)
        await expect(worker.locator(".rv-summary__value")).to_have_text(f"{after:.1f}")
        await loaded(worker, ".rv-item__photo img")
        await expect(worker.locator(".uni-toast")).to_be_hidden(timeout=10_000)
        await shot(worker, "journey-11-worker-reviews")
        assert violations == [[]] * len(violations), violations
    finally:
        for ctx in contexts:
            await ctx.close()
