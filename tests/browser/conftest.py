"""Browser tests: the demo register served by a real server process, driven by Debian's Chromium.

Chromium comes from Debian (`apt-get install chromium`, done by .ci/run) and is driven with
Playwright's Python client; no browser is ever downloaded. axe-core comes from the npm registry
(tests/browser/package.json, installed by `make test`). Without Chromium or axe-core these tests
skip with the reason; CI sets ILA_REQUIRE_BROWSER=1, which turns a missing part into a failure.
Screenshots go to test-artifacts/browser/ (or ILA_ARTIFACTS_DIR).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness import ServerProcess
from support import ADMIN_TOKEN, ROOT

CHROMIUM = Path(os.environ.get("ILA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


def _missing(what: str) -> None:
    message = f"{what}; see tests/browser/conftest.py"
    if os.environ.get("ILA_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    directory = Path(os.environ.get("ILA_ARTIFACTS_DIR", ROOT / "test-artifacts" / "browser"))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo register (SQLite, embedded search) on a loopback port."""
    work = tmp_path_factory.mktemp("site")
    env = {
        "ILA_DATABASE_URL": f"sqlite:///{work / 'register.sqlite3'}",
        "ILA_VAR_DIR": str(work / "var"),
        "ILA_BOOTSTRAP_ADMIN_TOKEN": ADMIN_TOKEN,
        "ILA_BASE_URI": "http://127.0.0.1",
    }
    seeded = subprocess.run(
        [sys.executable, "-m", "ila_register", "demo"],
        env=os.environ | env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    server = ServerProcess(env, work / "server.log").start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        _missing(f"axe-core is not installed at {AXE} (npm ci --prefix tests/browser)")
    return AXE.read_text(encoding="utf-8")


@dataclass
class Visit:
    """One browser tab, with everything it fetched and every console error it saw."""

    page: Any
    site: str
    requests: list[str]
    console_errors: list[str]

    def go(self, path: str) -> Any:
        return self.page.goto(self.site + path)


@pytest.fixture(params=list(VIEWPORTS))
def visit(request: pytest.FixtureRequest, browser: Any, site: str) -> Iterator[Visit]:
    """A fresh tab in Dutch (Belgian) on a desktop or a 360 px phone."""
    phone = request.param == "phone"
    context = browser.new_context(
        viewport=VIEWPORTS[request.param],
        locale="nl-BE",
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=2 if phone else 1,
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    seen = Visit(page, site, [], [])
    page.on("request", lambda r: seen.requests.append(r.url))
    page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
    try:
        yield seen
    finally:
        context.close()
