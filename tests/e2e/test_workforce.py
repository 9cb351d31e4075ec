"""Chromium: a new worker signs in by SMS and lands on 入驻申请; fills identity, ID photo and selfie,
skills and area, a health certificate with its photo; submits and sees 审核中. An operator opens
the 入驻审核 queue, compares the photos, approves; the worker sees 审核已通过 and, once their
hours are set, is offered an order. Screenshots in test-artifacts/e2e (workforce-*)."""
import io
import re

from PIL import Image
from playwright.async_api import expect
from sqlalchemy import text

from anjia.core.security import create_access_token, lookup_hash
from tests.conftest import auth, make_staff
from tests.dispatch.helpers import paid_order
from tests.e2e.conftest import _watched, admin_context, shot
from tests.e2e.test_sign_in import sms_sign_in
from tests.support import next_weekday
from tests.workforce.test_signup import id_number

PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN", is_mobile=True,
             has_touch=True)
NEW_WORKER = "13712345001"


def picture(colour) -> dict:
    buf = io.BytesIO()
    Image.new("RGB", (800, 560), colour).save(buf, "PNG")
    return {"name": "photo.png", "mimeType": "image/png", "buffer": buf.getvalue()}


async def choose_photo(page, button, colour) -> None:
    async with page.expect_file_chooser() as chooser:
        await button.click()
    await (await chooser.value).set_files(files=[picture(colour)])


async def confirm_modal(page) -> None:
    await page.locator(".uni-modal__btn_primary:visible").click()


async def fill_wizard(page, name: str = "workforce") -> None:
    """入驻申请 from the first step to 提交审核."""
    await expect(page.locator(".su-steps")).to_be_visible(timeout=20_000)
    await page.locator(".su-identity__name input").fill("王秀兰")
    await page.locator(".su-identity__number input").fill(id_number("19880512", "124"))
    await shot(page, f"{name}-2-identity")
    await page.locator(".su-identity__save").click()

    await expect(page.locator(".su-photo--id_photo")).to_be_visible(timeout=10_000)
    await choose_photo(page, page.locator(".su-photo--id_photo .su-photo__pick"), (200, 160, 90))
    await expect(page.locator(".su-photo--id_photo .su-photo__img")).to_be_visible(timeout=15_000)
    await choose_photo(page, page.locator(".su-photo--selfie .su-photo__pick"), (90, 150, 180))
    await expect(page.locator(".su-photo--selfie .su-photo__img")).to_be_visible(timeout=15_000)
    await shot(page, f"{name}-3-photos")
    await page.locator(".su-nav__next").click()

    await expect(page.locator(".su-skill--cleaning")).to_be_visible(timeout=10_000)
    await page.locator(".su-skill--cleaning").click()
    await page.locator(".su-year--3").click()
    await page.locator(".su-skills__experience textarea").fill("做过三年家庭保洁，熟悉收纳整理")
    await page.locator(".su-skills__center").click()
    await shot(page, f"{name}-4-skills")
    await page.locator(".su-skills__save").click()

    await expect(page.locator(".su-cert-form")).to_be_visible(timeout=10_000)
    await expect(page.locator(".su-kind--health")).to_have_class(re.compile("is-active"))
    await page.locator(".su-cert-form__number input").fill("JKZ-2026-0001")
    await choose_photo(page, page.locator(".su-cert-form__pick"), (70, 120, 180))
    await page.locator(".su-cert-form__save").click()
    await expect(page.locator(".su-cert[data-kind='health']")).to_be_visible(timeout=15_000)
    await expect(page.locator(".su-cert[data-kind='health'] .su-cert__standing")).to_have_text("待审核")
    await shot(page, f"{name}-5-certificate")
    await page.locator(".su-nav__next").click()

    await expect(page.locator(".su-submit .su-card__ok")).to_be_visible(timeout=10_000)  # 资料已齐全
    await shot(page, f"{name}-6-ready")
    await page.locator(".su-submit__go").click()
    await confirm_modal(page)
    await expect(page.locator(".su-status[data-status='submitted']")).to_be_visible(timeout=15_000)


async def approve_in_console(page, base: str, name: str = "workforce") -> None:
    """入驻审核: the waiting application, photos side by side, its certificate; 审核通过 and confirm."""
    await page.goto(base + "/admin/#/worker-review")
    item = page.get_by_test_id("queue-item").first
    await expect(item).to_be_visible(timeout=20_000)
    await expect(page.get_by_test_id("file-status")).to_have_text("待审核", timeout=15_000)
    await expect(page.get_by_test_id("id-masked")).to_have_text(re.compile(r"^310\*{11}\d{3}[\dX]$"))
    for slot in ("id_photo", "selfie"):  # el-image puts the test id on its <img>; loaded, not broken
        await expect(page.get_by_test_id(f"photo-{slot}")).to_be_visible(timeout=15_000)
    await page.wait_for_function("() => [...document.querySelectorAll('[data-testid^=photo-]')]"
                                 ".every(i => i.complete && i.naturalWidth > 0)", timeout=15_000)
    await expect(page.get_by_test_id("certificates-table")).to_contain_text("JKZ-2026-0001")
    await shot(page, f"{name}-8-console-queue")
    await page.get_by_test_id("review-approve").click()
    await page.locator(".el-message-box__btns .el-button--primary").click()
    await expect(page.get_by_text("已通过").first).to_be_visible(timeout=15_000)
    await expect(page.get_by_test_id("queue-item")).to_have_count(0, timeout=15_000)
    await shot(page, f"{name}-9-console-approved")


async def keep_file(page, base: str, worker_id: int, name: str = "workforce") -> None:
    """The worker file: a training record and a note, both shown (and audited)."""
    await page.goto(f"{base}/admin/#/workers/{worker_id}")
    await expect(page.get_by_test_id("worker-file")).to_contain_text("王秀兰", timeout=20_000)
    await page.get_by_test_id("training-add").click()
    await page.get_by_test_id("training-course").fill("家庭保洁岗前培训")
    await page.get_by_test_id("training-save").click()
    await expect(page.get_by_test_id("trainings-table")).to_contain_text("家庭保洁岗前培训", timeout=15_000)
    await page.get_by_test_id("note-text").fill("面试表现良好，沟通清楚")
    await page.get_by_test_id("note-add").click()
    await expect(page.get_by_test_id("note")).to_contain_text("面试表现良好", timeout=15_000)
    await expect(page.get_by_test_id("changes")).to_contain_text("worker.training.add")
    await shot(page, f"{name}-12-console-file")


async def suspend_in_console(page, base: str, worker_id: int, name: str = "workforce") -> None:
    """The worker file: 暂停接单 with a reason, confirmed; the file says 已暂停 and 恢复接单 is offered."""
    await page.goto(f"{base}/admin/#/workers/{worker_id}")
    await page.get_by_test_id("employment-suspend").click()
    dialog = page.get_by_test_id("decision-dialog")
    await dialog.get_by_text("投诉较多").click()
    await page.get_by_test_id("decision-note").fill("本月两次被投诉迟到，暂停一周")
    await page.wait_for_timeout(300)  # the dialog's enter transition
    await shot(page, f"{name}-14-console-suspend")
    await page.get_by_test_id("decision-save").click()
    await page.locator(".el-message-box__btns .el-button--primary").click()
    await expect(page.get_by_test_id("employment-reinstate")).to_be_visible(timeout=15_000)
    await expect(page.get_by_test_id("worker-file")).to_contain_text("已暂停")
    await page.wait_for_timeout(400)
    await shot(page, f"{name}-15-console-suspended")


async def test_a_new_worker_signs_up_is_approved_and_offered_an_order(live_server, browser, world, client, session):
    base = live_server.url
    await make_staff(session, "shenhe", ["dispatcher"])
    worker_ctx = await browser.new_context(**PHONE)
    worker_violations = await _watched(worker_ctx)
    ctx, admin, violations = await admin_context(browser, base, "shenhe")
    try:
        worker = await worker_ctx.new_page()
        await sms_sign_in(worker, base, "/worker/", NEW_WORKER, "workforce")
        await expect(worker.locator(".su-steps")).to_be_visible(timeout=20_000)  # a new worker lands on 入驻申请
        await shot(worker, "workforce-1-wizard")
        await fill_wizard(worker)
        await shot(worker, "workforce-7-submitted")

        await approve_in_console(admin, base)

        await worker.reload()
        await expect(worker.locator(".su-status[data-status='approved']")).to_be_visible(timeout=20_000)
        await shot(worker, "workforce-10-approved")
        wid = await session.scalar(text("SELECT id FROM users WHERE phone_hash = :h AND kind = 'worker'"),
                                  {"h": lookup_hash(NEW_WORKER, "phone")})
        await keep_file(admin, base, wid)

        # with their hours set, the new worker is among those offered a paid order nearby
        r = await client.put("/api/v1/worker/availability/weekly", headers=auth(create_access_token(wid, "worker", [])),
                             json={"weekly": [{"weekday": d, "start": "08:00", "end": "20:00"} for d in range(7)]})
        assert r.status_code == 200, r.text
        order, _ = await paid_order(client, session, world, start=next_weekday(2, 10))
        await worker.locator(".su-status__start").click()
        await expect(worker.locator(f".offer-card[data-order-id='{order['id']}']")).to_be_visible(timeout=20_000)
        await shot(worker, "workforce-11-offered")
        await worker.goto(base + "/worker/#/signup/certificates/index")
        await expect(worker.locator(".su-cert[data-kind='health'] .su-cert__standing")).to_have_text("有效", timeout=15_000)
        await shot(worker, "workforce-13-my-certificates")
        await suspend_in_console(admin, base, wid)
        status = await session.scalar(text("SELECT employment_status FROM worker_profiles WHERE user_id = :w"), {"w": wid})
        assert status == "suspended"
    finally:
        await worker_ctx.close()
        await ctx.close()
    assert worker_violations == [] and violations == [], (worker_violations, violations)
