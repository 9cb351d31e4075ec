import os
import re
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from tests.conftest import chromium_path
from tests.support import ROOT

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "test-artifacts" / "e2e"))


@pytest.fixture(scope="session")
async def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=chromium_path(), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        await b.close()


# Every page reports Content-Security-Policy violations to the console; a test that caused one fails.
REPORT_CSP = """document.addEventListener('securitypolicyviolation', e =>
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber))"""


async def _watched(ctx):
    violations: list[str] = []
    await ctx.add_init_script(REPORT_CSP)
    ctx.on("console", lambda m: violations.append(m.text) if "CSP violation" in m.text
           or "Content Security Policy" in m.text else None)
    return violations


@pytest.fixture
async def phone_page(browser):
    ctx = await browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN",
                              is_mobile=True, has_touch=True)
    violations = await _watched(ctx)
    page = await ctx.new_page()
    yield page
    await ctx.close()
    assert violations == [], violations


@pytest.fixture
async def desktop_page(browser):
    ctx = await browser.new_context(viewport={"width": 1366, "height": 820}, locale="zh-CN")
    violations = await _watched(ctx)
    page = await ctx.new_page()
    yield page
    await ctx.close()
    assert violations == [], violations


async def shot(page, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=False)
    return path


async def admin_sign_in(page, base: str, username: str, password: str = "staffpass1") -> None:
    """The console's sign-in form; returns once the layout (its logout button) is shown."""
    await page.goto(base + "/admin/")
    await page.get_by_placeholder("用户名").fill(username)
    await page.get_by_placeholder("密码").fill(password)
    await page.get_by_role("button", name=re.compile("登\\s*录")).click()
    await expect(page.get_by_test_id("logout")).to_be_visible(timeout=20_000)


async def admin_context(browser, base: str, username: str):
    """A desktop context signed in to the console: (context, page, CSP violations)."""
    ctx = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True)
    violations = await _watched(ctx)
    page = await ctx.new_page()
    await admin_sign_in(page, base, username)
    return ctx, page, violations
