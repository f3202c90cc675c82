"""Browser tests of the SPA against the local stack, in Debian's Chromium through Playwright.

By default a private stack (`localaws.stack.LocalStack`) is started on free ports for the
session, so the tests need nothing running. Against an already running `make run`, set
`E2E_BASE_URL=http://127.0.0.1:8000` (staff credentials then come from
`.localaws/demo-staff.json` as `make run` writes them, or from `E2E_STAFF_FILE`). Screenshots of
every screen go to `artifacts/screenshots/`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from localaws.credentials import StackCredentials
from localaws.credentials import load as load_credentials

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 360, "height": 780}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class Site:
    base_url: str
    staff: dict[str, dict[str, str]]
    # Where the stack the tests started writes its logs (None for a stack started elsewhere).
    log_dir: Path | None = None
    # The embedded AWS (its /_localaws/ endpoints); E2E_AWS_URL for a stack started elsewhere.
    aws_url: str | None = None
    # Its credentials (the admin endpoints need a signed request); for a stack started
    # elsewhere, its credentials file: E2E_AWS_CREDENTIALS or make run's.
    aws_credentials: StackCredentials | None = None

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    base_url = os.environ.get("E2E_BASE_URL")
    if base_url:
        staff_file = Path(
            os.environ.get("E2E_STAFF_FILE", REPO_ROOT / ".localaws" / "demo-staff.json")
        )
        staff = json.loads(staff_file.read_text()) if staff_file.exists() else {}
        credentials_file = Path(
            os.environ.get(
                "E2E_AWS_CREDENTIALS", REPO_ROOT / ".localaws" / "emulator" / "credentials"
            )
        )
        credentials = load_credentials(credentials_file) if credentials_file.exists() else None
        yield Site(
            base_url.rstrip("/"),
            staff,
            aws_url=os.environ.get("E2E_AWS_URL"),
            aws_credentials=credentials,
        )
        return
    from localaws.stack import LocalStack, StackPorts

    stack = LocalStack(StackPorts.free(), state_dir=tmp_path_factory.mktemp("stack"), quiet=True)
    with stack:
        assert stack.emulator is not None
        yield Site(
            stack.site_url,
            stack.demo_staff,
            stack.state_dir,
            stack.emulator.endpoint_url,
            stack.emulator.credentials,
        )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class BrowserErrors:
    """Console errors and uncaught exceptions of one page: a test fails on any it did not expect."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.messages.append(f"uncaught: {error}"))
        page.on(
            "console",
            lambda message: (
                self.messages.append(f"console: {message.text}")
                if message.type == "error"
                else None
            ),
        )


def new_context(
    browser: Browser, *, viewport: ViewportSize = PHONE, **kwargs: Any
) -> BrowserContext:
    """A fresh profile: no storage, no cache. That is what "opened cold in a new tab" means."""
    return browser.new_context(viewport=viewport, locale="en-GB", **kwargs)


@pytest.fixture
def errors() -> BrowserErrors:
    return BrowserErrors()


@pytest.fixture
def phone(browser: Browser, errors: BrowserErrors) -> Iterator[Page]:
    context = new_context(browser)
    page = context.new_page()
    errors.watch(page)
    yield page
    context.close()


@pytest.fixture
def desktop(browser: Browser, errors: BrowserErrors) -> Iterator[Page]:
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    errors.watch(page)
    yield page
    context.close()


AXE_SCRIPT = REPO_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core (installed with the SPA's dev dependencies) on the page as it is now."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => (await axe.run(document, { runOnly: tags })).violations
             .map((v) => ({ id: v.id, impact: v.impact,
                            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }))""",
        AXE_RULES,
    )
    return violations


def screenshot(page: Page, name: str) -> Path:
    """Saves the screen for people to look at, and checks it for WCAG 2.1 AA problems."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert accessibility_violations(page) == [], name
    return path
