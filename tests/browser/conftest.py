"""Browser fixtures: the system's headless Chromium driven by Playwright, and a served emulator.

Playwright never downloads a browser here: the tests use an installed Chromium, found as
`$CHROMIUM_PATH` or on PATH (Debian: `apt-get install chromium`), and skip, saying so, only
when there is none (with `REQUIRE_CHROMIUM=1`, as CI sets, they fail instead). Screenshots go
to the test's `tmp_path`; with `UPDATE_SCREENSHOTS=1` they are also copied to
`docs/screenshots/` for the README.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, cast

import pytest

from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import FULL

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
"""Upper bound of every wait (Playwright auto-waits and `expect` retries until then)."""

FULL_SECRET = cast(str, FULL.client_secret)
"""The well-known `full` app's secret (it is a confidential app, so it has one)."""

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

Screenshot = Callable[["Page", str], Path]
Serve = Callable[[Emulator], EmulatorServer]


def find_chromium() -> str | None:
    """The Chromium executable to drive: `$CHROMIUM_PATH`, else the first one on PATH."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def unavailable(reason: str, required: bool) -> NoReturn:
    """Skip the browser tests, or fail them when a browser is required (`REQUIRE_CHROMIUM=1`)."""
    if required:
        pytest.fail(f"REQUIRE_CHROMIUM=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
    """A headless Chromium for one test module.

    Not for the whole session: Playwright's sync API keeps an asyncio loop marked running
    while it is open, which breaks later tests that call `asyncio.run`.
    """
    required = os.environ.get("REQUIRE_CHROMIUM") == "1"
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("playwright is not installed: pip install '.[test]'", required)
    executable = find_chromium()
    if executable is None:
        unavailable(
            "no Chromium to drive: install one (Debian: apt-get install chromium) "
            "or set CHROMIUM_PATH",
            required,
        )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Serve emulators on free loopback ports; every server is stopped at teardown."""
    servers: list[EmulatorServer] = []

    def start(emulator: Emulator) -> EmulatorServer:
        server = EmulatorServer(emulator, host="127.0.0.1", port=0).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def page(browser: "Browser", serve: Serve) -> Iterator["Page"]:
    """A fresh browser context and page, every wait bounded by `TIMEOUT_MS`.

    It depends on `serve` so that it closes (and with it the browser's keep-alive connections)
    before the servers stop: `EmulatorServer.stop()` waits for open connections.
    """
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def served(serve: Serve) -> EmulatorServer:
    """A fresh default-world emulator served on a free loopback port."""
    return serve(Emulator())


@pytest.fixture
def screenshot(tmp_path: Path) -> Screenshot:
    """Save a PNG of the page under `tmp_path` (and in `docs/screenshots/` on request)."""

    def take(page: "Page", name: str) -> Path:
        path = tmp_path / name
        page.screenshot(path=path)
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_SCREENSHOTS / name)
        return path

    return take
