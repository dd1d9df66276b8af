"""Offline first: the app shell from the service worker, the queue in IndexedDB, safe retries."""

import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import BrowserContext, Locator, Page, Playwright, Route, expect

from tests.conftest import account
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, TELEFOON, TIJDZONE, WACHTWOORD
from tests.web.formulier import (
    inloggen,
    nieuw_contact_invullen,
    registreren,
    wacht_op_service_worker,
)

# Chromium drives the form against a live service: seconds per test.
pytestmark = pytest.mark.slow


def trajecten(live_server: str, headers: dict[str, str]) -> list[dict]:
    antwoord = httpx.get(f"{live_server}/api/v1/trajecten?paginaGrootte=100", headers=headers)
    assert antwoord.status_code == 200, antwoord.text
    return antwoord.json()["items"]


NIET_VERSTUURD = re.compile(r"nog niet verstuurd")
BEWAARD = re.compile(r"bewaard", re.IGNORECASE)
GEEN_VERBINDING = re.compile(r"geen verbinding", re.IGNORECASE)


def wachtrij(page: Page, aantal: int | None = None) -> Locator:
    """The region of registrations not yet sent (its heading says how many)."""
    if aantal is None:
        return page.get_by_role("region", name=NIET_VERSTUURD)
    return page.get_by_role("region", name=re.compile(rf"^{aantal} registraties? nog niet"))


def offline_registreren(page: Page, leeftijd: str) -> None:
    """Register a new contact that cannot be sent; back when it is listed in the queue."""
    page.get_by_role("button", name="Nieuw contact").first.click()
    nieuw_contact_invullen(page, leeftijd=leeftijd)
    registreren(page)
    expect(page.get_by_role("heading", name=BEWAARD)).to_be_visible()
    # The queue is drawn just after the screen: wait for the item itself, so that a later
    # "queue hidden" means sent, not "not drawn yet".
    expect(wachtrij(page).get_by_role("listitem").filter(has_text=leeftijd)).to_have_count(1)


def test_offline_registreren_herladen_en_later_versturen(
    app: FastAPI, live_server: str, context: BrowserContext, page: Page
) -> None:
    headers = account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    page.goto("/")
    inloggen(page)
    wacht_op_service_worker(page)

    context.set_offline(True)
    offline_registreren(page, "27 tot en met 44 jaar")
    offline_registreren(page, "80 jaar en ouder")
    rij = wachtrij(page, 2)
    expect(rij).to_be_visible()
    expect(rij.get_by_role("listitem")).to_have_count(2)
    assert trajecten(live_server, headers) == []

    # Reload without a connection: the service worker serves the app, IndexedDB the queue.
    herladen = page.reload()
    assert herladen is not None and herladen.from_service_worker
    expect(page.get_by_role("heading", name="Nieuw contact")).to_be_visible()
    expect(rij.get_by_role("listitem")).to_have_count(2)
    expect(rij).to_contain_text("80 jaar en ouder")
    # Two notices race here (the page is offline; the first attempt to send failed): both
    # say there is no connection, and that is what the worker needs to know.
    expect(page.get_by_role("status")).to_have_text(GEEN_VERBINDING)

    # Back online: the queue goes out by itself, exactly once; on the 'online' event, or else
    # (Chromium's emulation does not always fire it) by the retry 10 s after the last attempt.
    context.set_offline(False)
    expect(wachtrij(page)).to_be_hidden(timeout=25_000)
    expect(page.get_by_role("status")).to_have_text(re.compile(r"\b2 registraties verstuurd"))
    verstuurd = page.get_by_role("region", name="Verstuurd vanaf dit toestel")
    expect(verstuurd.get_by_role("listitem")).to_have_count(2)
    items = trajecten(live_server, headers)
    assert sorted(t["leeftijdsgroep"] for t in items) == ["27_44", "80_plus"]
    assert sum(t["aantalGesprekken"] for t in items) == 2
    for t in items:
        expect(verstuurd).to_contain_text(t["code"])
    page.get_by_role("button", name="Vervolggesprek").click()
    expect(page.locator(".werklijst li")).to_have_count(2)


def test_wachtrij_gaat_ook_zonder_online_melding_vanzelf_weg(
    app: FastAPI, live_server: str, context: BrowserContext, page: Page
) -> None:
    """A phone does not always tell the page that the connection is back: the form retries."""
    headers = account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    # The form never gets to listen for the 'online' event (the page records that it tried).
    page.add_init_script(
        "const luister = window.addEventListener;"
        "window.addEventListener = function (soort, ...rest) {"
        "  if (soort === 'online') { window.onlineGeweigerd = true; return; }"
        "  return luister.call(this, soort, ...rest);"
        "};"
    )
    page.goto("/")
    inloggen(page)
    assert page.evaluate("window.onlineGeweigerd") is True
    context.set_offline(True)
    offline_registreren(page, "65 tot en met 79 jaar")
    context.set_offline(False)
    # Only the retry (10 s after the failed attempt) can send it now.
    expect(wachtrij(page)).to_be_hidden(timeout=25_000)
    [traject] = trajecten(live_server, headers)
    assert traject["leeftijdsgroep"] == "65_79"


def test_verloren_antwoord_telt_bij_opnieuw_versturen_niet_dubbel(
    app: FastAPI, live_server: str, page: Page
) -> None:
    """The service stored the registration but the answer never reached the phone."""
    headers = account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    verloren: list[str] = []

    def antwoord_kwijt(route: Route) -> None:
        if route.request.method == "POST" and not verloren:
            route.fetch()  # the service gets it and stores it ...
            verloren.append(route.request.url)
            route.abort("connectionreset")  # ... but the phone never hears back
        else:
            route.continue_()

    page.route("**/api/v1/trajecten", antwoord_kwijt)
    page.goto("/")
    inloggen(page)
    nieuw_contact_invullen(page)
    registreren(page)
    expect(page.get_by_role("heading", name=BEWAARD)).to_be_visible()
    assert len(trajecten(live_server, headers)) == 1

    page.get_by_role("button", name="Nu versturen").click()
    expect(wachtrij(page)).to_be_hidden()
    [traject] = trajecten(live_server, headers)
    assert traject["aantalGesprekken"] == 1
    expect(page.get_by_role("region", name="Verstuurd vanaf dit toestel")).to_contain_text(
        traject["code"]
    )


def test_wachtrij_blijft_als_de_sessie_verloopt(
    app: FastAPI, live_server: str, context: BrowserContext, page: Page
) -> None:
    headers = account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    page.goto("/")
    inloggen(page)
    wacht_op_service_worker(page)
    context.set_offline(True)
    offline_registreren(page, "18 tot en met 26 jaar")

    # The session ends on the server while the phone is offline (here: signed out elsewhere).
    token = page.evaluate("JSON.parse(localStorage.getItem('wijkcontact.sessie')).token")
    afmelden = httpx.delete(
        f"{live_server}/api/v1/sessies/huidige", headers={"Authorization": f"Bearer {token}"}
    )
    assert afmelden.status_code == 204

    context.set_offline(False)
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    expect(page.locator("#inloggen-uitleg")).to_contain_text(re.compile("sessie is verlopen"))
    expect(wachtrij(page, 1)).to_be_visible()
    assert trajecten(live_server, headers) == []

    # Also across a restart of the browser tab.
    page.reload()
    expect(wachtrij(page, 1)).to_be_visible()
    inloggen(page)
    expect(wachtrij(page)).to_be_hidden()
    [traject] = trajecten(live_server, headers)
    assert traject["leeftijdsgroep"] == "18_26"


def test_verlopen_token_op_het_toestel(app: FastAPI, live_server: str, page: Page) -> None:
    """A token past its verlooptOp is not used: the worker signs in again."""
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    page.goto("/")
    inloggen(page)
    page.evaluate(
        """() => {
        const s = JSON.parse(localStorage.getItem('wijkcontact.sessie'));
        s.verlooptOp = '2000-01-01T00:00:00Z';
        localStorage.setItem('wijkcontact.sessie', JSON.stringify(s));
    }"""
    )
    page.reload()
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    expect(page.get_by_label("Accountnaam")).to_have_value("anna")


def test_niets_persoonlijks_op_het_toestel(
    app: FastAPI, live_server: str, context: BrowserContext, page: Page
) -> None:
    """The queue holds codes, dates and ids only; the keys it uses are known and few."""
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    page.goto("/")
    inloggen(page)
    wacht_op_service_worker(page)
    context.set_offline(True)
    offline_registreren(page, "65 tot en met 79 jaar")
    [item] = page.evaluate(
        """() => new Promise((klaar) => {
        const open = indexedDB.open('wijkcontact');
        open.onsuccess = () => {
            const r = open.result.transaction('wachtrij').objectStore('wachtrij').getAll();
            r.onsuccess = () => klaar(r.result);
        };
    })"""
    )
    assert set(item) == {"id", "soort", "body", "account", "aangemaakt", "status", "samenvatting"}
    assert set(item["body"]) == {"id", "wijk", "leeftijdsgroep", "instroomroute", "gesprek"}
    assert set(item["body"]["gesprek"]) == {"id", "datum", "locatie", "vraagtypen", "afhandeling"}
    sleutels = page.evaluate("Object.keys(localStorage)")
    assert set(sleutels) <= {
        "wijkcontact.sessie",
        "wijkcontact.sessieNaam",
        "wijkcontact.codelijsten",
        "wijkcontact.wijken",
        "wijkcontact.vragenlijsten",
        "wijkcontact.werklijst",
        "wijkcontact.verstuurd",
        "wijkcontact.laatsteWijk",
    }
    context.set_offline(False)
    expect(wachtrij(page)).to_be_hidden()


def geen_verbinding(route: Route) -> None:
    route.abort("internetdisconnected")


def test_browser_sluiten_zonder_verbinding_verliest_niets(
    app: FastAPI, live_server: str, playwright: Playwright, tmp_path: Path
) -> None:
    """Quit the whole browser while offline, start it again (same profile), still offline."""
    headers = account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    profiel = tmp_path / "profiel"

    def start_browser() -> BrowserContext:
        return playwright.chromium.launch_persistent_context(
            profiel,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            base_url=live_server,
            viewport=TELEFOON,
            timezone_id=TIJDZONE,
        )

    eerste = start_browser()
    page = eerste.new_page()
    page.goto("/")
    inloggen(page)
    wacht_op_service_worker(page)
    # Chromium's offline emulation alone leaks: closing the browser lifts it a moment before
    # the page is gone (the form then sent its queue in about one run in ten), and a restarted
    # profile's service worker starts before it applies. So the service is also unreachable by
    # routing: nothing leaves the phone until the test says so.
    eerste.route("**/api/v1/**", geen_verbinding)
    eerste.set_offline(True)
    offline_registreren(page, "45 tot en met 64 jaar")
    eerste.close()
    assert trajecten(live_server, headers) == []

    tweede = start_browser()
    tweede.route("**/api/v1/**", geen_verbinding)
    tweede.set_offline(True)
    page = tweede.new_page()
    # The form tries to send the queue on every start: wait until that attempt has failed.
    with page.expect_event("requestfailed", lambda verzoek: verzoek.method == "POST"):
        antwoord = page.goto("/")
    assert antwoord is not None and antwoord.from_service_worker
    # The queue survived the browser: the item is still listed as not yet sent.
    expect(wachtrij(page, 1)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(GEEN_VERBINDING)
    assert trajecten(live_server, headers) == []

    # Back online: the 'online' event, or else the retry 10 s after the failed attempt, sends
    # it. The list of sent codes is only filled once the service has answered.
    tweede.unroute("**/api/v1/**", geen_verbinding)
    tweede.set_offline(False)
    verstuurd = page.get_by_role("region", name="Verstuurd vanaf dit toestel")
    expect(verstuurd.get_by_role("listitem")).to_have_count(1, timeout=25_000)
    expect(wachtrij(page)).to_be_hidden()
    [traject] = trajecten(live_server, headers)
    assert traject["leeftijdsgroep"] == "45_64"
    expect(verstuurd).to_contain_text(traject["code"])
    tweede.close()
