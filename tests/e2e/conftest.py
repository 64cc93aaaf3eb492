"""Browser tests: Playwright drives Debian's Chromium (headless) against a portal started for the run.

Every test gets a desktop ``page`` and can open a ``phone`` page (375 px wide).
``shot(page, name)`` saves a screenshot in ``var/e2e-screenshots/``; when a test
fails, a screenshot and the HTML of every page it opened are saved there too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.e2e.portal import ROOT, Portal, launch

SHOTS = ROOT / "var" / "e2e-screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def portal() -> Iterator[Portal]:
    server = launch()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("SOLOK_CHROMIUM", "/usr/bin/chromium"),
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        chromium.close()


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]+", "-", text).strip("-")


@pytest.fixture
def new_page(browser: Browser, portal: Portal, request: pytest.FixtureRequest) -> Iterator[Callable[..., Page]]:
    """``new_page(phone=False)``: a page in a fresh browser context (its own cookies) on the portal."""
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def make(phone: bool = False) -> Page:
        options: dict[str, Any] = {
            "base_url": portal.url,
            "viewport": PHONE if phone else DESKTOP,
            "accept_downloads": True,
        }
        if phone:
            options.update(device_scale_factor=2, is_mobile=True, has_touch=True)
        context = browser.new_context(**options)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SHOTS.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(pages):
            stem = SHOTS / f"FAILED-{_slug(request.node.name)}-{number}"
            try:
                page.screenshot(path=f"{stem}.png", full_page=True)
                Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
            except Exception as error:  # the page may be gone; say so and keep the test's own error
                Path(f"{stem}.txt").write_text(f"No capture: {error}", encoding="utf-8")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """``shot(page, name)``: a full-page screenshot named after the test."""

    def take(page: Page, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{_slug(request.node.name)}-{_slug(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
