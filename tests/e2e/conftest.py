import os
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

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


@pytest.fixture
async def phone_page(browser):
    ctx = await browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN",
                              is_mobile=True, has_touch=True)
    page = await ctx.new_page()
    yield page
    await ctx.close()


@pytest.fixture
async def desktop_page(browser):
    ctx = await browser.new_context(viewport={"width": 1366, "height": 820}, locale="zh-CN")
    page = await ctx.new_page()
    yield page
    await ctx.close()


async def shot(page, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=False)
    return path
