"""Accessible and small: axe-core on every main screen, 360 px width, the first-load budget."""

import os
import re
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from app.kern.webformulier import WEB
from tests.conftest import account
from tests.web.conftest import TELEFOON, TIJDZONE, WACHTWOORD
from tests.web.formulier import (
    inloggen,
    kies,
    nieuw_contact_invullen,
    registreren,
    trajectcode,
    wacht_op_service_worker,
)

# axe-core as shipped inside the axe-playwright-python wheel: a local file, never a CDN.
AXE = files("axe_playwright_python").joinpath("axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
EERSTE_LADING_BUDGET = 150_000  # bytes transferred, the limit
# What the service worker precaches: the paths in its SHELL list.
SCHIL = re.findall(
    r'"(/[^"]*)"', (WEB / "sw.js").read_text().split("const SHELL = [")[1].split("]")[0]
)


def axe(page: Page, scherm: str) -> list[dict]:
    """Run axe-core on the page as it is now; fail on serious or critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)  # evaluated through the DevTools protocol, so the CSP does not apply
    resultaat = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    ernstig = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in resultaat["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert ernstig == [], f"axe op scherm {scherm}: {ernstig}"
    return resultaat["violations"]


def test_axe_op_de_hoofdschermen(app: FastAPI, live_server: str, page: Page) -> None:
    headers = account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    overig: dict[str, list[str]] = {}

    def controleer(scherm: str) -> None:
        overig[scherm] = [f"{v['id']} ({v['impact']})" for v in axe(page, scherm)]

    page.goto("/")
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    controleer("inloggen")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("#inloggen-fout")).not_to_be_empty()
    controleer("inloggen met fout")

    inloggen(page)
    controleer("nieuw contact")
    registreren(page)
    kies(page, "Hoe is de vraag opgepakt?", "Warme overdracht naar een andere voorziening")
    expect(page.locator("#fout-leeftijdsgroep")).not_to_be_empty()
    controleer("nieuw contact met fouten en overdrachtdoel")

    kies(page, "Hoe is de vraag opgepakt?", "Informatie of advies gegeven")
    nieuw_contact_invullen(page)
    registreren(page)
    code = trajectcode(page)
    controleer("trajectcode")

    eerste = httpx.get(f"{live_server}/api/v1/trajecten/{code}", headers=headers).json()
    body = {
        "datum": eerste["gesprekken"][0]["datum"],
        "locatie": "wijkgebouw",
        "vraagtypen": ["geldzorgen"],
        "afhandeling": "zelf_opgepakt",
    }
    for _ in range(4):
        antwoord = httpx.post(
            f"{live_server}/api/v1/trajecten/{code}/gesprekken", headers=headers, json=body
        )
        assert antwoord.status_code == 201
    page.get_by_role("button", name="Naar vervolggesprekken").click()
    expect(page.locator(".werklijst li")).to_have_count(1)
    controleer("werklijst")
    page.locator(".werklijst button").first.click()
    expect(page.locator("#traject-info")).to_contain_text("vijf gesprekken")
    controleer("limiet: warme overdracht")

    page.context.set_offline(True)
    page.get_by_role("button", name="Nieuw contact").first.click()
    nieuw_contact_invullen(page)
    registreren(page)
    expect(page.locator("#wachtrij")).to_be_visible()
    controleer("bewaard op het toestel, met wachtrij")
    page.context.set_offline(False)
    expect(page.locator("#wachtrij")).to_be_hidden()
    print("axe, minder dan serious:", overig)


def test_toetsenbord_alleen(app: FastAPI, live_server: str, page: Page) -> None:
    """Sign in and register a contact with the keyboard only; focus is always visible."""
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.get_by_label("Accountnaam").focus()
    page.keyboard.type("anna")
    page.keyboard.press("Tab")
    page.keyboard.type(WACHTWOORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Nieuw contact")).to_be_visible()

    def kies_met_toetsen(groep: str) -> None:
        eerste = page.get_by_role("group", name=groep).locator("input").first
        eerste.focus()
        page.keyboard.press("Space")
        expect(eerste).to_be_checked()
        omlijning = page.evaluate(
            "() => getComputedStyle(document.activeElement.nextElementSibling).outlineStyle"
        )
        assert omlijning == "solid", f"geen zichtbare focus in {groep}"

    for groep in (
        "Leeftijd",
        "Hoe kwam het contact tot stand?",
        "Waar was het gesprek?",
        "Soort vraag (één of meer)",
        "Hoe is de vraag opgepakt?",
    ):
        kies_met_toetsen(groep)
    page.get_by_role("button", name="Registreren").focus()
    page.keyboard.press("Enter")
    trajectcode(page)
    expect(page.get_by_role("heading", name="Geregistreerd")).to_be_focused()


def test_bruikbaar_op_360_pixels(app: FastAPI, browser: Browser, live_server: str) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    context = browser.new_context(
        base_url=live_server, viewport={"width": 360, "height": 640}, timezone_id=TIJDZONE
    )
    page = context.new_page()
    page.goto("/")
    inloggen(page)
    breedte = page.evaluate("document.documentElement.scrollWidth")
    assert breedte <= 360, "horizontaal scrollen op 360 px"
    hoogtes = page.evaluate(
        "[...document.querySelectorAll('.chip label, button:not([hidden])')]"
        ".filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)"
    )
    assert min(hoogtes) >= 44, "aanraakdoelen kleiner dan 44 px"
    context.close()


def test_eerste_lading_onder_150_kb(
    app: FastAPI, live_server: str, context: BrowserContext, page: Page
) -> None:
    """Everything transferred for the first visit: page, scripts, styles, and the service
    worker with its precache (response headers + bodies, as the browser counts them)."""
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    verzoeken: list[Request] = []
    context.on("requestfinished", lambda verzoek: verzoeken.append(verzoek))

    def wacht_op(*nodig: tuple[str, bool]) -> None:
        """Until these (path, by the service worker) requests have finished: not "until the
        network is quiet", which is a guess at a moment."""

        def klaar() -> set[tuple[str, bool]]:
            return {(urlsplit(v.url).path, v.service_worker is not None) for v in verzoeken}

        # Events only arrive inside Playwright calls, so none slips between check and wait.
        while not set(nodig) <= klaar():
            context.wait_for_event("requestfinished")

    page.goto("/")
    wacht_op_service_worker(page)
    pagina = ["/", "/app.css", "/app.js", "/api.js", "/wachtrij.js"]
    wacht_op(*[(pad, False) for pad in pagina], *[(pad, True) for pad in SCHIL], ("/sw.js", True))

    def som() -> int:
        totaal = 0
        for verzoek in verzoeken:
            maten = verzoek.sizes()
            totaal += maten["responseBodySize"] + maten["responseHeadersSize"]
        return totaal

    eerste_lading = som()
    aantal = len(verzoeken)
    inloggen(page)
    wacht_op(("/api/v1/codelijsten", False), ("/api/v1/wijken", False))
    met_inloggen = som()
    print(
        f"eerste lading: {eerste_lading} bytes in {aantal} antwoorden; "
        f"met inloggen en codelijsten: {met_inloggen} bytes"
    )
    assert eerste_lading < EERSTE_LADING_BUDGET
    assert met_inloggen < EERSTE_LADING_BUDGET


SCHERMAFDRUKKEN = os.environ.get("WIJKCONTACT_SCHERMAFDRUKKEN")


def test_schermafdrukken_op_telefoonformaat(
    app: FastAPI, live_server: str, page: Page, tmp_path: Path
) -> None:
    """Phone-size screenshots; `make schermafdrukken` writes them to docs/ for the README."""
    map_ = Path(SCHERMAFDRUKKEN) if SCHERMAFDRUKKEN else tmp_path
    map_.mkdir(parents=True, exist_ok=True)
    assert page.viewport_size == TELEFOON
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    page.goto("/")
    inloggen(page)
    kies(page, "Leeftijd", "65 tot en met 79 jaar")
    page.screenshot(path=map_ / "formulier-nieuw-contact.png")
    nieuw_contact_invullen(page, leeftijd="80 jaar en ouder")
    registreren(page)
    trajectcode(page)
    page.screenshot(path=map_ / "formulier-trajectcode.png")
    page.get_by_role("button", name="Naar vervolggesprekken").click()
    expect(page.locator(".werklijst li")).to_have_count(1)
    page.screenshot(path=map_ / "formulier-werklijst.png")
    # A question in the respondent's hands, with an earlier answer shown after going back.
    page.get_by_role("navigation", name="Onderdelen").get_by_role(
        "button", name="Vragenlijst"
    ).click()
    kies(page, "Welke vragenlijst?", "Inwoners")
    page.get_by_role("button", name="Vragenlijst starten").click()
    page.get_by_role("button", name="5 Helemaal mee eens").click()
    page.get_by_role("button", name="4 Mee eens").click()
    expect(page.get_by_role("heading", name="Vraag 3 van 5")).to_be_visible()
    page.get_by_role("button", name="Vorige vraag").click()
    expect(page.get_by_role("button", name="4 Mee eens")).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=map_ / "formulier-vragenlijst.png")
    namen = ("nieuw-contact", "trajectcode", "werklijst", "vragenlijst")
    for naam in namen:
        assert (map_ / f"formulier-{naam}.png").stat().st_size > 1000


# Chromium drives the form against a live service: seconds per test.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("default")]
