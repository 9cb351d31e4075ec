"""Chromium: operators look at October's ranking (the known month of tests/performance/helpers.py),
sort it, publish it with its rewards and open a worker's trend; the worker then reads 我的绩效 —
score, each factor with its bar, what would raise it, the months before."""
import re
from datetime import date
from decimal import Decimal

from playwright.async_api import expect

from anjia.performance import scoring, service
from anjia.performance.models import PerformanceMonth, RewardRule, Scorecard
from tests.conftest import staff_token
from tests.e2e.conftest import _watched, admin_sign_in, shot
from tests.e2e.test_reviews import PHONE
from tests.e2e.test_sign_in import sms_sign_in
from tests.performance.helpers import MONTH, known_month

SEPTEMBER = date(2026, 9, 1)


async def _september(session, workers: dict[str, int]) -> None:
    """A published September before the known October (the history and the trend's first point)."""
    session.add(PerformanceMonth(month=SEPTEMBER, status="draft", weights=scoring.WEIGHTS, workers=2))
    await session.flush()
    for w, f in [(workers["A"], scoring.Figures(reviews=4, rating=Decimal("4.5"), visits=6, late=1, late_minutes=15,
                                                taken=6, completed=6, offered=8, accepted=6, overruns=1,
                                                overrun_minutes=12)),
                 (workers["B"], scoring.Figures(reviews=3, rating=Decimal("4.0"), visits=5, late=1, late_minutes=20,
                                                taken=6, completed=5, offered=9, accepted=6, complaints=0))]:
        p = scoring.points(f)
        session.add(Scorecard(month=SEPTEMBER, worker_id=w, service_ids=[], level=1, **f.__dict__,
                              rating_points=p["rating"], punctuality_points=p["punctuality"],
                              completion_points=p["completion"], acceptance_points=p["acceptance"],
                              overrun_points=p["overruns"], complaint_points=p["complaints"], score=scoring.score(p),
                              grade=scoring.grade(scoring.score(p))))
    await session.execute(PerformanceMonth.__table__.update().where(PerformanceMonth.month == SEPTEMBER)
                          .values(status="published"))


async def test_operators_publish_october_and_the_worker_reads_it(live_server, browser, world, client, session):
    base = live_server.url
    a, b, c = await known_month(session, world)
    await _september(session, {"A": a, "B": b})
    session.add_all([RewardRule(name="金牌奖金", kind="bonus", min_score=90, min_completed=3, amount=20_000),
                     RewardRule(name="良好奖金", kind="bonus", min_score=70, below_score=90, min_completed=1,
                                amount=5_000),
                     RewardRule(name="晋级", kind="level_up", min_score=90, min_completed=3),
                     RewardRule(name="金牌阿姨", kind="badge", min_score=90, badge="金牌阿姨")])
    await service.evaluate(session, MONTH)
    await session.commit()
    assert await staff_token(client, session, "ops", ["dispatcher"])

    admin_ctx = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    worker_ctx = await browser.new_context(**PHONE)
    violations = [await _watched(x) for x in (admin_ctx, worker_ctx)]
    try:
        admin = await admin_ctx.new_page()
        await admin_sign_in(admin, base, "ops")
        await admin.get_by_text("绩效", exact=True).first.click()
        await admin.get_by_test_id("perf-month").click()
        await admin.locator(".el-select-dropdown__item", has_text="2026-10").click()
        ranking = admin.get_by_test_id("perf-ranking")
        await expect(ranking.locator("tbody tr")).to_have_count(3, timeout=20_000)
        await expect(ranking.locator("tbody tr").first).to_contain_text("90.6")
        await expect(admin.get_by_test_id("perf-summary")).to_contain_text("平均 71.5 分")
        await shot(admin, "performance-1-console-ranking")

        await ranking.locator("th", has_text="准时").locator(".caret-wrapper .descending").click()
        await expect(ranking.locator("tbody tr").last).to_contain_text("阿姨1", timeout=10_000)  # 6.7 of 20: last

        await admin.get_by_test_id("perf-publish").click()
        box = admin.locator(".el-message-box")
        await expect(box).to_contain_text("发布后不能再修改")
        await admin.wait_for_timeout(400)  # the message box's enter transition
        await shot(admin, "performance-2-console-publish-confirm")
        await box.get_by_role("button", name=re.compile("确\\s*定")).click()
        await expect(admin.get_by_test_id("perf-status")).to_have_text("已发布", timeout=15_000)
        await expect(admin.get_by_test_id("perf-summary")).to_contain_text("奖金 ¥250.00")  # 200 to A, 50 to C
        await expect(admin.get_by_test_id("perf-publish")).to_have_count(0)
        await admin.wait_for_timeout(400)
        await shot(admin, "performance-3-console-published")

        await ranking.get_by_role("button", name="阿姨0").click()
        drawer = admin.get_by_test_id("perf-trend")
        await expect(drawer.get_by_test_id("perf-trend-chart").locator("canvas")).to_be_visible(timeout=15_000)
        await expect(drawer).to_contain_text("2026-10 · 90.6")
        await admin.wait_for_timeout(800)  # the chart's animation
        await shot(admin, "performance-4-console-trend")
        await drawer.locator(".el-drawer__close-btn").click()

        await admin.get_by_role("tab", name="奖励规则").click()
        await expect(admin.get_by_test_id("perf-rules").locator("tbody tr")).to_have_count(4, timeout=10_000)
        await shot(admin, "performance-5-console-rules")

        worker = await worker_ctx.new_page()
        await sms_sign_in(worker, base, "/worker/", "13900001001", "performance-worker")  # 阿姨1 (B)
        await expect(worker.get_by_text("暂无新订单").first).to_be_visible(timeout=20_000)
        await worker.get_by_text("我的", exact=True).last.click()
        await worker.locator(".me-work__performance").click()
        card = worker.locator(".pf-score")
        await expect(card).to_contain_text("48.9", timeout=20_000)
        await expect(card).to_contain_text("待改进")
        await expect(card).to_contain_text("第 3 名 / 共 3 人")
        await expect(worker.locator("[data-factor='punctuality']")).to_contain_text("迟到 2 次（共 36 分钟）")
        await expect(worker.locator("[data-tip]")).to_have_count(3)
        await expect(worker.locator("[data-tip]").first).to_contain_text("评价均分 3.50，失 22.5 分")
        await expect(worker.locator(".uni-toast")).to_be_hidden(timeout=10_000)  # 登录成功
        await shot(worker, "performance-6-worker-score")
        await worker.locator(".pf-tips").scroll_into_view_if_needed()
        await shot(worker, "performance-7-worker-tips")
        await worker.locator(".pf-hist").last.click()  # September
        await expect(card).to_contain_text("2026年9月绩效")
        await worker.locator(".pf-rules").scroll_into_view_if_needed()
        await shot(worker, "performance-8-worker-history")
        assert violations == [[], []], violations
    finally:
        await admin_ctx.close()
        await worker_ctx.close()
