"""Chromium end to end: each of the three apps signs a person in; screenshots in test-artifacts/e2e."""
import re

from playwright.async_api import expect
from sqlalchemy import create_engine, text

from anjia.core.db import sqlalchemy_url
from anjia.core.security import lookup_hash
from tests.conftest import last_sms_code
from tests.e2e.conftest import shot


async def sms_sign_in(page, base: str, path: str, phone: str, name: str) -> None:
    """Sign in on the app at `path`. The customer app's home is public (browse before sign-in): its
    sign-in page is opened directly; the worker app asks at once."""
    await page.goto(base + ("/#/pages/login/index" if path == "/" else path))
    phone_input = page.get_by_placeholder("请输入手机号")
    await expect(phone_input).to_be_visible(timeout=20_000)
    await shot(page, f"{name}-1-sign-in")
    await phone_input.fill(phone)
    await page.locator("uni-button", has_text="获取验证码").click()
    await expect(page.get_by_text(re.compile(r"\d+\s*秒后重发"))).to_be_visible(timeout=10_000)
    await page.get_by_placeholder("请输入验证码").fill(last_sms_code(phone))
    await page.get_by_text("我已阅读并同意").click()
    await shot(page, f"{name}-2-code-entered")
    await page.locator("uni-button", has_text=re.compile(r"^\s*登录\s*$")).click()


async def test_customer_signs_in_by_sms(live_server, phone_page, world):  # world: the catalogue on the home page
    await sms_sign_in(phone_page, live_server.url, "/", "13812345678", "customer")
    await expect(phone_page.get_by_text("日常保洁").first).to_be_visible(timeout=20_000)
    await expect(phone_page.get_by_text("月嫂").first).to_be_visible()
    await shot(phone_page, "customer-3-home")
    await phone_page.get_by_text("我的", exact=True).last.click()
    await expect(phone_page.get_by_text("138****5678").first).to_be_visible(timeout=10_000)
    await shot(phone_page, "customer-4-me")


async def test_worker_signs_in_by_sms(live_server, phone_page, database_url):
    await sms_sign_in(phone_page, live_server.url, "/worker/", "13912345678", "worker")
    # a new worker has no approved file yet: the app opens 入驻申请 (tests/e2e/test_workforce.py goes on)
    await expect(phone_page.locator(".su-steps")).to_be_visible(timeout=20_000)
    await shot(phone_page, "worker-3-signup")
    engine = create_engine(sqlalchemy_url(database_url))
    with engine.connect() as conn:
        kinds = conn.execute(text("SELECT kind, consent_version FROM users WHERE phone_hash = :h"),
                             {"h": lookup_hash("13912345678", "phone")}).all()
    engine.dispose()
    assert [tuple(k) for k in kinds] == [("worker", "2026-11")]


async def test_admin_signs_in_and_changes_a_staff_role(live_server, desktop_page, database_url):
    from anjia.core.security import hash_password

    engine = create_engine(sqlalchemy_url(database_url))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (kind, username, nickname, roles, password_hash) VALUES "
                          "('staff', 'admin', '系统管理员', '{admin}', :a), "
                          "('staff', 'xiaowang', '调度员小王', '{dispatcher}', :b)"),
                     {"a": hash_password("admin123"), "b": hash_password("wangpass1")})
    page = desktop_page
    await page.goto(live_server.url + "/admin/")
    await expect(page.get_by_placeholder("用户名")).to_be_visible(timeout=20_000)
    await shot(page, "admin-1-sign-in")
    await page.get_by_placeholder("用户名").fill("admin")
    await page.get_by_placeholder("密码").fill("admin123")
    await page.get_by_role("button", name=re.compile("登\\s*录")).click()
    await page.get_by_text("员工与角色").first.click()
    row = page.locator(".el-table__row", has_text="xiaowang")
    await expect(row).to_be_visible(timeout=15_000)
    await shot(page, "admin-2-staff")
    await row.get_by_role("button", name="编辑角色").click()
    dialog = page.get_by_role("dialog", name="编辑角色")
    await expect(dialog).to_be_visible()
    await dialog.locator("label.el-checkbox", has_text="财务").click()
    await shot(page, "admin-3-role-dialog")
    await dialog.get_by_role("button", name=re.compile("保\\s*存")).click()
    await expect(page.get_by_text("已保存")).to_be_visible(timeout=10_000)
    await expect(row.get_by_text("财务")).to_be_visible()
    await shot(page, "admin-4-saved")
    with engine.connect() as conn:
        roles = conn.execute(text("SELECT roles FROM users WHERE username='xiaowang'")).scalar()
        action = conn.execute(text("SELECT action FROM audit_logs ORDER BY id DESC LIMIT 1")).scalar()
    engine.dispose()
    assert roles == ["dispatcher", "finance"] and action == "staff.update"
