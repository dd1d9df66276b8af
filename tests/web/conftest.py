"""Browser tests: Playwright for Python driving Debian's Chromium against a live service.

They run on SQLite only (the API itself is tested on both engines; here the browser is what
is under test). Chromium comes from the Debian package (/usr/bin/chromium); Playwright's own
browser downloads are never used. Without Chromium these tests are skipped, except in CI
(CI=true), where a missing browser is a failure.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

CHROMIUM = os.environ.get("WIJKCONTACT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=nl-NL",
]
TELEFOON = {"width": 390, "height": 844}
TIJDZONE = "Europe/Amsterdam"  # the service's "today" (setting TIJDZONE), also in the browser
WACHTWOORD = "een lang wachtwoord"
expect.set_options(timeout=10_000)


@pytest.fixture
def database_url(tmp_path: Path, migrated_sqlite_template: Path) -> str:
    """SQLite only for the browser tests (overrides the two-engine fixture)."""
    import shutil

    path = tmp_path / "wijkcontact.db"
    shutil.copy(migrated_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} ontbreekt; .ci/run installeert het Debian-pakket chromium")
        pytest.skip(f"{CHROMIUM} ontbreekt (apt-get install chromium)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def taal() -> str:
    """The browser's locale; a test overrides it with @pytest.mark.parametrize("taal", ...)."""
    return "nl-NL"


@pytest.fixture
def tijdzone() -> str:
    return TIJDZONE


@pytest.fixture
def context(
    browser: Browser, live_server: str, taal: str, tijdzone: str
) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=live_server, viewport=TELEFOON, locale=taal, timezone_id=tijdzone
    )
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    fouten: list[str] = []
    page.on("pageerror", lambda fout: fouten.append(str(fout)))
    yield page
    assert fouten == [], f"JavaScript-fouten in de pagina: {fouten}"
