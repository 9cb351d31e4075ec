"""Chromium: an operator (运营) opens 客户, finds a customer by a fragment of the phone, opens the
profile (segment 活跃, history, tags, notes), tags them and creates a coupon campaign for their
segment with a 10 % control group; the customer, in the treated group, sees the coupon in
我的优惠券, books with it applied at checkout and pays; the campaign report counts the redemption,
the order and its GMV for the treated group, nothing for the control group."""
import re
from datetime import timedelta

from playwright.async_api import expect
from sqlalchemy import create_engine, text

from anjia.core.db import sqlalchemy_url
from anjia.customers import campaigns, segments
from anjia.customers.models import CustomerNote, CustomerTag
from tests.customers.helpers import customer, past_order
from tests.e2e.conftest import admin_context, shot
from tests.e2e.test_booking import pick_kitchen_deep_clean
from tests.e2e.test_coupons import confirm_with_coupon, open_my_coupons
from tests.e2e.test_money import open_cashier
from tests.e2e.test_sign_in import sms_sign_in
from tests.support import next_weekday

CONTROL = 10


async def active_customers(session, world) -> None:
    """The world's customer (signed up 200 days ago, two orders) and seven more are active; a few
    others are new, at risk or lost. Segments computed as the nightly job would."""
    me = world["customer_id"]
    await session.execute(text("UPDATE users SET created_at = now() - interval '200 days' WHERE id = :c"), {"c": me})
    await past_order(session, world, me, days_ago=100, total=26_800)
    await past_order(session, world, me, days_ago=150, total=42_840)
    for i in range(7):
        c = await customer(session, f"1390000{i:04d}", f"老顾客{i}", days_ago=150, district="长宁区", detail=f"仙霞路 {i} 号")
        await past_order(session, world, c.id, days_ago=10 + i, total=15_000 + i * 1_000)
    await customer(session, "13900000100", "新朋友", days_ago=3)
    risky = await customer(session, "13900000101", "好久不见", days_ago=300)
    await past_order(session, world, risky.id, days_ago=120, total=30_000)
    session.add(CustomerTag(customer_id=me, tag="老客户"))
    session.add(CustomerNote(customer_id=me, body="家里有猫，上门前请电话确认。", author_name="客服小张"))
    await session.flush()
    # two days ago the customer had not ordered for 98 days (at risk); since yesterday they are active again
    await segments.recompute(session, at=_days_ago(2))
    await past_order(session, world, me, days_ago=1, total=26_800)
    await segments.recompute(session)
    # last month's campaign to the customers at risk (a different staff member launched it)
    from anjia.customers.schemas import CampaignIn
    from tests.conftest import make_staff

    earlier = await make_staff(session, "laowang", ["marketing"])
    await campaigns.create(session, earlier, CampaignIn(
        name="沉睡顾客唤醒", segment="at_risk", kind="percent", value=1500, cap=5000, coupon_title="唤醒券 85折",
        control_percent=20), ip=None)
    await session.commit()


def _days_ago(n: int):
    from anjia.core.security import now

    return now() - timedelta(days=n)


async def test_operator_campaign_reaches_the_customer_and_the_report_counts_it(live_server, browser, phone_page, world,
                                                                               session, database_url):
    from tests.conftest import make_staff

    await active_customers(session, world)
    me = world["customer_id"]
    # the control group is chosen by a hash of (campaign, customer): the new campaign is id 2, its
    # segment the eight active customers, and this customer is not the one held out
    active = [r[0] for r in (await session.execute(text(
        "SELECT customer_id FROM customer_segments WHERE until IS NULL AND segment = 'active'"))).all()]
    held_out = campaigns.control_group(2, active, CONTROL * 100)
    assert len(held_out) == 1 and me not in held_out
    await make_staff(session, "yunying", ["marketing"])
    ctx, page, violations = await admin_context(browser, live_server.url, "yunying")

    # 客户: the segment bar, search by a fragment of the number, open the profile
    await page.get_by_test_id("menu-customers").click()
    table = page.get_by_test_id("customers-table")
    await expect(table.locator(".el-table__row")).to_have_count(10, timeout=15_000)
    await expect(page.get_by_test_id("segment-active")).to_contain_text("8")
    await page.wait_for_timeout(400)
    await shot(page, "customers-1-list")
    await page.get_by_test_id("segment-active").click()
    await expect(table.locator(".el-table__row")).to_have_count(8, timeout=10_000)
    await page.get_by_test_id("customer-search").fill("1000")
    await page.get_by_test_id("customer-search").press("Enter")
    await expect(table.locator(".el-table__row")).to_have_count(1, timeout=10_000)
    row = table.locator(".el-table__row").first
    await expect(row).to_contain_text("138****1000")
    await expect(row).to_contain_text("老客户")
    await shot(page, "customers-2-search")
    await row.get_by_test_id("customer-open").click()

    profile = page.get_by_test_id("customer-profile")
    await expect(page.get_by_test_id("customer-name")).to_have_text("顾客", timeout=15_000)
    await expect(page.get_by_test_id("customer-segment-tag")).to_have_text("活跃")
    await expect(page.get_by_test_id("customer-phone")).to_have_text("138****1000")  # 运营 has no personal.read
    await expect(profile.get_by_test_id("customer-segment")).to_contain_text("流失风险")  # the earlier run
    await expect(page.get_by_test_id("customer-note")).to_contain_text("家里有猫")
    await expect(page.get_by_test_id("customer-orders").locator(".el-table__row")).to_have_count(3)
    await page.get_by_test_id("tag-input").fill("活动测试")
    await page.get_by_test_id("tag-add").click()
    await expect(page.get_by_test_id("customer-tag")).to_have_count(2, timeout=10_000)
    await page.wait_for_timeout(400)
    await shot(page, "customers-3-profile")

    # a campaign for the customer's segment, from the profile
    await page.get_by_test_id("profile-new-campaign").click()
    dialog = page.get_by_test_id("campaign-dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_test_id("campaign-segment-size")).to_contain_text("8", timeout=10_000)
    await dialog.get_by_test_id("campaign-name").fill("活跃顾客回馈")
    await dialog.get_by_test_id("campaign-coupon-title").fill("回馈券 满100减30")
    await dialog.get_by_test_id("campaign-value").fill("30")
    await dialog.get_by_test_id("campaign-min").fill("100")
    await page.wait_for_timeout(300)
    await shot(page, "customers-4-campaign-dialog")
    await page.get_by_test_id("campaign-save").click()
    box = page.locator(".el-message-box")
    await expect(box).to_contain_text("回馈券 满100减30", timeout=10_000)
    await expect(box).to_contain_text("90%")
    await shot(page, "customers-5-campaign-confirm")
    await box.get_by_role("button", name=re.compile("确\\s*定")).click()
    await expect(dialog).to_be_hidden(timeout=15_000)
    campaigns_table = page.get_by_test_id("campaigns-table")
    await expect(campaigns_table.locator(".el-table__row")).to_have_count(2, timeout=15_000)
    await expect(campaigns_table.locator(".el-table__row").first).to_contain_text("活跃顾客回馈")
    await page.wait_for_timeout(400)
    await shot(page, "customers-6-campaigns")

    # the customer: 我的优惠券 shows it, the booking applies it, the order is paid
    base = live_server.url
    await sms_sign_in(phone_page, base, "/", "13800001000", "customers-customer")
    await expect(phone_page.locator(".home__cat", has_text="深度保洁")).to_be_visible(timeout=20_000)
    await open_my_coupons(phone_page, base)
    await expect(phone_page.locator(".coupon", has_text="回馈券 满100减30")).to_contain_text("满¥100可用")
    await expect(phone_page.get_by_text("登录成功")).to_be_hidden(timeout=10_000)
    await shot(phone_page, "customers-7-my-coupons")
    await phone_page.goto(base + "/#/pages/home/index")
    await pick_kitchen_deep_clean(phone_page)
    await confirm_with_coupon(phone_page, next_weekday(1, 14).date().isoformat(), "14:00")
    await expect(phone_page.locator(".checkout-coupon__off")).to_have_text("-¥30.00", timeout=15_000)
    await expect(phone_page.locator(".price__line--discount")).to_contain_text("回馈券 满100减30")
    await shot(phone_page, "customers-8-checkout")
    await phone_page.locator("uni-button", has_text="提交订单").click()
    await expect(phone_page.locator(".banner")).to_contain_text("待支付", timeout=15_000)
    order_id = int(re.search(r"id=(\d+)", phone_page.url).group(1))
    await open_cashier(phone_page, base, order_id)
    await phone_page.locator(".method[data-method='sandbox']").click()
    await phone_page.locator(".pay__submit").click()
    await phone_page.wait_for_url(re.compile(r"/api/v1/payments/sandbox/P"), timeout=15_000)
    await phone_page.locator("#pay").click()
    await expect(phone_page.locator(".result__title")).to_have_text("支付成功", timeout=20_000)

    # the report: one redemption, one order and its GMV for the treated group; none for the control
    await page.reload()
    await page.get_by_test_id("campaign-report-open").first.click()
    report = page.get_by_test_id("campaign-report")
    await expect(report.get_by_test_id("arm-treated-redeemed")).to_have_text("1", timeout=15_000)
    await expect(report.get_by_test_id("arm-treated-orders")).to_have_text("1")
    await expect(report.get_by_test_id("arm-control-members")).to_have_text("1")
    await expect(report.get_by_test_id("arm-control-redeemed")).to_have_text("0")
    await expect(report.get_by_test_id("arm-control-orders")).to_have_text("0")
    await expect(report).to_contain_text("¥398.40")
    await page.wait_for_timeout(500)
    await shot(page, "customers-9-report")
    await ctx.close()
    assert violations == [], violations

    engine = create_engine(sqlalchemy_url(database_url))
    with engine.connect() as conn:
        used = conn.execute(text("SELECT c.source, c.source_ref, o.total, o.discount, o.status FROM coupons c "
                                 "JOIN orders o ON o.id = c.order_id WHERE c.status = 'used'")).all()
        actions = conn.execute(text("SELECT action FROM audit_logs WHERE actor_name = 'yunying' ORDER BY id")).scalars().all()
    engine.dispose()
    assert [tuple(u) for u in used] == [("campaign", "campaign:2", 42_840 - 3_000, 3_000, "paid")]
    assert actions == ["customer.tag.add", "campaign.create"]
