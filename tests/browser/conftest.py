"""Fixtures for the browser tests: Debian's chromium driven through Playwright.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Without that
binary, or without the playwright package, the tests are skipped with the reason, and
tests/conftest.py turns that skip into a failure under CI=true.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API keeps an asyncio event loop running in this thread, which makes
# Django refuse ORM calls from the test (SynchronousOnlyOperation) without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

DEMO_PASSWORD = "koers-demo"  # measures.demo.DEMO_PASSWORD
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# axe-core rules for WCAG 2.1 level A and AA.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def browser():
    """One headless chromium per test module."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's chromium "
            "(apt-get install chromium) to run the browser tests"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.skip(f"playwright cannot be imported ({error}): run `make install-dev`")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def demo(transactional_db):
    """The Almelo demo data, committed so that the live server thread sees it. (A
    transactional test flushes what migrations load too; the demo puts back what it
    needs: budgets.demo.ensure_task_fields.)"""
    from measures.demo import load_demo

    return load_demo()


def is_policy_violation(message) -> bool:
    """Chromium reports what the Content-Security-Policy blocked as a console error."""
    return message.type == "error" and "Content Security Policy" in message.text


def is_axe_stylesheet_fetch(request) -> bool:
    """axe-core reads the page's style sheets again by XHR for its CSS rules, and resolves
    an @import (the admin's forms.css imports 'widgets.css') against the page instead of
    the sheet: /beheer/…/add/widgets.css, which the admin sends on to a 404. The browser
    itself loads the right file; this is axe's request, not the page's."""
    return request.resource_type in ("xhr", "fetch") and ".css" in request.url


@pytest.fixture
def page(browser, live_server):
    """A fresh page (own cookies) that fails the test on server errors, script errors and
    anything the Content-Security-Policy blocked."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = []
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status} for {response.url}")
            if response.status >= 400 and not is_axe_stylesheet_fetch(response.request)
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"blocked: {message.text}") if is_policy_violation(message) else None
        ),
    )
    yield page
    context.close()
    assert not problems, "The browser ran into problems:\n" + "\n".join(problems)


def submit_login_form(page, username: str, password: str) -> None:
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def log_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real login form and wait for the overview."""
    page.goto("/inloggen/")
    submit_login_form(page, username, password)
    page.wait_for_url(lambda url: urlsplit(url).path == "/")


@pytest.fixture
def manager_page(page, demo):
    log_in(page, "manager")
    return page


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact'}): "
            f"{violation['help']}\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html']}")
            for summary_line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"       {summary_line}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def check_accessibility():
    """Runs axe-core (WCAG 2.1 A and AA rules) on a page and fails on any violation."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError as error:
        pytest.skip(f"axe-playwright-python cannot be imported ({error}): run `make install-dev`")

    axe = Axe()

    def check(page, what: str) -> None:
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_21_AA},
                "resultTypes": ["violations"],
            },
        )
        violations = results.response["violations"]
        if violations:
            pytest.fail(
                f"axe-core found {len(violations)} WCAG 2.1 AA violation(s) on {what} "
                f"({page.url}):\n{format_violations(violations)}",
                pytrace=False,
            )

    return check
