"""Fixtures for the browser journey: Debian's Chromium through Playwright, screenshots of failures."""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# A new empty profile and no background traffic: the machine's network is closed (and CI's too).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so that a fixture can tell whether its test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: the browser journey must run)")
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture
def browser(chromium_executable, monkeypatch):
    """One Chromium per test. Playwright's event loop stays open in this thread while it lives: request this
    fixture after the ones that write through the services, whose on-commit pushes use async_to_sync. The ORM
    calls made meanwhile (and the connections closed below) are synchronous all the same: allowed for these
    tests only, the variable must not leak into others (check --deploy refuses it)."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's loop runs, Django keeps database connections per context, not per thread: the ORM
        # calls of the test body opened their own. Close them here, in that context, or they outlive the test
        # database (PostgreSQL then refuses to drop it).
        from django.db import connections

        connections.close_all()


@pytest.fixture
def phone_page(browser, request):
    """A fresh browser context at a phone's width; a screenshot goes to test-artifacts/ when the test fails.

    `page.console_problems` collects what the browser complained about (CSP refusals, JavaScript errors).
    Not counted: "Failed to load resource" lines, which echo HTTP statuses the tests check themselves, and
    failed WebSocket handshakes: pytest-django's live_server speaks WSGI only, so the pages' live-update
    socket cannot connect there (test_server.py checks /ws/ on daphne) and the pages must work without it.
    """
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.console_problems = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith(("Failed to load resource", "WebSocket connection to"))
            and page.console_problems.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: page.console_problems.append(str(error)))
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # the page may be gone with the failure
            print(f"could not save the failure screenshot: {error}")
    context.close()
