"""The questionnaire screen: a preventiewerker hands the phone to a respondent and gets it back."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from tests.conftest import account
from tests.web.conftest import TIJDZONE, WACHTWOORD
from tests.web.formulier import inloggen, kies, wacht_op_service_worker
from tests.web.test_offline import wachtrij
from tests.web.test_toegankelijkheid import axe

# Chromium drives the form against a live service: seconds per test.
pytestmark = pytest.mark.slow

INWONERS = [
    "Ik voel me goed geholpen.",
    "Ik voelde me serieus genomen.",
    "De preventiewerker was gemakkelijk te bereiken.",
    "Ik weet waar ik in mijn wijk terecht kan met een vraag.",
    "Ik weet nu beter wat ik zelf kan doen en wie mij verder kan helpen.",
]
PARTNERS = 6
NAAR_DE_WERKER = "Terug naar de preventiewerker"
IK_BEN_DE_WERKER = "Ja, ik ben de preventiewerker"


def jaar() -> int:
    return datetime.now(ZoneInfo(TIJDZONE)).year


def resultaten(live_server: str, headers: dict[str, str], code: str) -> dict:
    antwoord = httpx.get(
        f"{live_server}/api/v1/vragenlijsten/{code}/resultaten",
        params={"jaar": jaar(), "wijk": "09"},
        headers=headers,
    )
    assert antwoord.status_code == 200, antwoord.text
    return antwoord.json()


def per_vraag(uitslag: dict) -> dict[str, dict]:
    return {v["vraag"]: v for v in uitslag["vragen"]}


def vragenlijst_starten(page: Page, titel: str) -> None:
    page.get_by_role("navigation", name="Onderdelen").get_by_role(
        "button", name="Vragenlijst"
    ).click()
    kies(page, "Welke vragenlijst?", titel)
    page.get_by_role("button", name="Vragenlijst starten").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Vraag 1 van \d$"))).to_be_visible()


def antwoord(page: Page, nummer: int, totaal: int, keuze: str, vraag: str | None = None) -> None:
    """Tap an answer once this question is on screen; its group is named by the statement."""
    expect(page.get_by_role("heading", name=f"Vraag {nummer} van {totaal}")).to_be_visible()
    groep = page.get_by_role("group", name=vraag) if vraag else page.locator("fieldset.vraag")
    groep.get_by_role("button", name=keuze, exact=True).click()


def gekozen(page: Page, keuze: str) -> None:
    """This answer is shown as the one chosen (after going back), and no other."""
    knop = page.get_by_role("button", name=keuze, exact=True)
    expect(knop).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".antwoord[aria-pressed=true]")).to_have_count(1)


def is_verzonden_antwoord(verzoek: Request) -> bool:
    return verzoek.method == "POST" and verzoek.url.endswith("/antwoorden")


def wachtrij_items(page: Page) -> list[dict]:
    return page.evaluate(
        """() => new Promise((klaar) => {
        const open = indexedDB.open('wijkcontact');
        open.onsuccess = () => {
            const r = open.result.transaction('wachtrij').objectStore('wachtrij').getAll();
            r.onsuccess = () => klaar(r.result);
        };
    })"""
    )


def terug_naar_de_werker(page: Page) -> None:
    page.get_by_role("button", name=NAAR_DE_WERKER).click()
    page.get_by_role("dialog").get_by_role("button", name=IK_BEN_DE_WERKER).click()


def test_respondent_vult_in_met_weet_niet_en_een_stap_terug(
    app: FastAPI, live_server: str, page: Page
) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    kwartiermaker = account(app, "kim", "kwartiermaker")
    page.goto("/")
    inloggen(page)
    menu = page.get_by_role("navigation", name="Onderdelen")
    menu.get_by_role("button", name="Vragenlijst").click()
    expect(page.locator("#vragenlijst-velden")).to_contain_text("Wijk: Schaijk")
    page.get_by_role("button", name="Vragenlijst starten").click()
    expect(page.get_by_role("group", name="Welke vragenlijst?")).to_have_accessible_description(
        "Kies een vragenlijst."
    )
    kies(page, "Welke vragenlijst?", "Inwoners")
    page.get_by_role("button", name="Vragenlijst starten").click()

    # The respondent sees the questionnaire only: no menu, no account, no way to sign out.
    expect(page.get_by_role("heading", name="Vraag 1 van 5")).to_be_visible()
    expect(menu).to_be_hidden()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_hidden()
    expect(page.get_by_role("button", name="Vorige vraag")).to_be_hidden()
    antwoord(page, 1, 5, "4 Mee eens", INWONERS[0])
    antwoord(page, 2, 5, "Weet niet", INWONERS[1])
    antwoord(page, 3, 5, "2 Niet mee eens", INWONERS[2])

    # Back twice: each earlier answer shows as chosen; question 2 gets another answer.
    expect(page.get_by_role("heading", name="Vraag 4 van 5")).to_be_visible()
    page.get_by_role("button", name="Vorige vraag").click()
    expect(page.get_by_role("group", name=INWONERS[2])).to_be_visible()
    gekozen(page, "2 Niet mee eens")
    page.get_by_role("button", name="Vorige vraag").click()
    expect(page.get_by_role("group", name=INWONERS[1])).to_be_visible()
    gekozen(page, "Weet niet")
    antwoord(page, 2, 5, "5 Helemaal mee eens", INWONERS[1])
    gekozen(page, "2 Niet mee eens")
    page.get_by_role("button", name="Volgende vraag").click()
    antwoord(page, 4, 5, "Weet niet", INWONERS[3])
    with page.expect_response(lambda r: is_verzonden_antwoord(r.request)) as verzonden:
        antwoord(page, 5, 5, "3 Neutraal", INWONERS[4])
    assert verzonden.value.status == 201
    expect(page.get_by_role("heading", name="Bedankt voor het invullen")).to_be_focused()
    expect(menu).to_be_hidden()

    uitslag = resultaten(live_server, kwartiermaker, "inwoners")
    assert uitslag["aantalRespondenten"] == 1
    vragen = per_vraag(uitslag)
    assert vragen["goed_geholpen"]["verdeling"]["4"] == 1
    assert vragen["serieus_genomen"]["verdeling"]["5"] == 1
    assert vragen["serieus_genomen"]["aantalWeetNiet"] == 0
    assert vragen["team_bereikbaar"]["verdeling"]["2"] == 1
    # "Weet niet" is stored as an answer (null): counted as a respondent, not as a score.
    assert vragen["team_zichtbaar"]["aantalRespondenten"] == 1
    assert vragen["team_zichtbaar"]["aantalWeetNiet"] == 1
    assert vragen["team_zichtbaar"]["gemiddelde"] is None
    assert vragen["verder_geholpen"]["gemiddelde"] == 3

    # Back to the worker only through the confirm; "no" keeps the thank-you screen.
    page.get_by_role("button", name=NAAR_DE_WERKER).click()
    dialoog = page.get_by_role("dialog", name="Terug naar de preventiewerker?")
    expect(dialoog).to_be_visible()
    dialoog.get_by_role("button", name="Nee, blijf hier").click()
    expect(dialoog).to_be_hidden()
    expect(page.get_by_role("heading", name="Bedankt voor het invullen")).to_be_visible()
    terug_naar_de_werker(page)
    expect(page.get_by_role("heading", name="Vragenlijst", exact=True)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="ingevuld")).to_be_visible()
    expect(menu.get_by_role("button", name="Vragenlijst")).to_have_attribute("aria-current", "page")


def test_stoppen_halverwege_bewaart_niets(app: FastAPI, live_server: str, page: Page) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    kwartiermaker = account(app, "kim", "kwartiermaker")
    page.goto("/")
    inloggen(page)
    vragenlijst_starten(page, "Inwoners")
    antwoord(page, 1, 5, "4 Mee eens")
    terug_naar_de_werker(page)
    expect(page.get_by_role("status").filter(has_text="niets bewaard")).to_be_visible()
    assert wachtrij_items(page) == []
    assert resultaten(live_server, kwartiermaker, "inwoners")["aantalRespondenten"] == 0


def test_offline_invullen_herladen_en_eenmaal_versturen(
    app: FastAPI, live_server: str, context: BrowserContext, page: Page
) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    kwartiermaker = account(app, "kim", "kwartiermaker")
    verzonden: list[Request] = []
    context.on(
        "requestfinished", lambda v: verzonden.append(v) if is_verzonden_antwoord(v) else None
    )
    page.goto("/")
    inloggen(page)
    wacht_op_service_worker(page)

    # Offline the questionnaires come from the device, like the code lists.
    context.set_offline(True)
    vragenlijst_starten(page, "Partners in het netwerk")
    antwoord(page, 1, PARTNERS, "5 Helemaal mee eens")
    antwoord(page, 2, PARTNERS, "Weet niet")

    # A reload (here: without a connection) carries on where the respondent was.
    herladen = page.reload()
    assert herladen is not None and herladen.from_service_worker
    expect(page.get_by_role("heading", name=f"Vraag 3 van {PARTNERS}")).to_be_visible()
    expect(page.get_by_role("navigation", name="Onderdelen")).to_be_hidden()
    page.get_by_role("button", name="Vorige vraag").click()
    gekozen(page, "Weet niet")
    page.get_by_role("button", name="Volgende vraag").click()
    for nummer in range(3, PARTNERS + 1):
        antwoord(page, nummer, PARTNERS, "4 Mee eens")
    expect(page.get_by_role("heading", name="Bedankt voor het invullen")).to_be_visible()

    # On the device: codes and scores only.
    [item] = wachtrij_items(page)
    assert set(item) == {
        "id",
        "soort",
        "code",
        "account",
        "body",
        "aangemaakt",
        "status",
        "samenvatting",
    }
    assert (item["soort"], item["code"]) == ("vragenlijst", "partners")
    assert set(item["body"]) == {"id", "wijk", "datum", "antwoorden"}
    assert list(item["body"]["antwoorden"].values()) == [5, None, 4, 4, 4, 4]
    opgeslagen = page.evaluate("({...localStorage})")
    assert set(opgeslagen) <= {
        "wijkcontact.sessie",
        "wijkcontact.sessieNaam",
        "wijkcontact.codelijsten",
        "wijkcontact.wijken",
        "wijkcontact.vragenlijsten",
        "wijkcontact.respondent",
        "wijkcontact.laatsteWijk",
    }
    assert opgeslagen["wijkcontact.respondent"] == '{"klaar":true}'

    # Reloaded again, the respondent is still on the thank-you screen, not the worker's.
    page.reload()
    expect(page.get_by_role("heading", name="Bedankt voor het invullen")).to_be_visible()
    expect(page.get_by_role("navigation", name="Onderdelen")).to_be_hidden()
    terug_naar_de_werker(page)
    rij = wachtrij(page, 1)
    expect(rij).to_contain_text("Vragenlijst Partners in het netwerk, Schaijk")
    assert verzonden == []

    context.set_offline(False)
    expect(wachtrij(page)).to_be_hidden(timeout=25_000)
    uitslag = resultaten(live_server, kwartiermaker, "partners")
    assert uitslag["aantalRespondenten"] == 1
    assert per_vraag(uitslag)["team_bereikbaar"]["aantalWeetNiet"] == 1
    assert len(verzonden) == 1, "de vragenlijst ging meer dan eens naar de dienst"


def test_verlopen_sessie_houdt_de_vragenlijst_in_de_wachtrij(
    app: FastAPI, live_server: str, page: Page
) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    kwartiermaker = account(app, "kim", "kwartiermaker")
    page.goto("/")
    inloggen(page)
    vragenlijst_starten(page, "Inwoners")
    # The session ends on the server while the respondent fills in (signed out elsewhere).
    token = page.evaluate("JSON.parse(localStorage.getItem('wijkcontact.sessie')).token")
    afmelden = httpx.delete(
        f"{live_server}/api/v1/sessies/huidige", headers={"Authorization": f"Bearer {token}"}
    )
    assert afmelden.status_code == 204
    for nummer in range(1, 5):
        antwoord(page, nummer, 5, "3 Neutraal")
    with page.expect_response(lambda r: is_verzonden_antwoord(r.request)) as verzonden:
        antwoord(page, 5, 5, "3 Neutraal")
    assert verzonden.value.status == 401

    # The respondent is not shown the sign-in; the worker is, after taking the device back.
    expect(page.get_by_role("heading", name="Bedankt voor het invullen")).to_be_visible()
    terug_naar_de_werker(page)
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    expect(page.locator("#inloggen-uitleg")).to_contain_text("sessie is verlopen")
    expect(wachtrij(page, 1)).to_contain_text("Vragenlijst Inwoners")
    assert resultaten(live_server, kwartiermaker, "inwoners")["aantalRespondenten"] == 0

    inloggen(page)
    expect(wachtrij(page)).to_be_hidden()
    assert resultaten(live_server, kwartiermaker, "inwoners")["aantalRespondenten"] == 1


def test_geweigerde_vragenlijst_toont_de_uitleg_met_verwijderen(
    app: FastAPI, live_server: str, context: BrowserContext, page: Page
) -> None:
    anna = account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    kwartiermaker = account(app, "kim", "kwartiermaker")
    page.goto("/")
    inloggen(page)
    wacht_op_service_worker(page)
    context.set_offline(True)
    vragenlijst_starten(page, "Preventiewerkers")
    for nummer in range(1, 7):
        antwoord(page, nummer, 6, "2 Niet mee eens")
    expect(page.get_by_role("heading", name="Bedankt voor het invullen")).to_be_visible()

    # Meanwhile the service got other answers under the same id: sending it is a 409.
    [item] = wachtrij_items(page)
    ander = {**item["body"], "antwoorden": {"ruimte": 1}}
    eerder = httpx.post(
        f"{live_server}/api/v1/vragenlijsten/preventiewerkers/antwoorden", headers=anna, json=ander
    )
    assert eerder.status_code == 201, eerder.text
    terug_naar_de_werker(page)
    context.set_offline(False)

    rij = wachtrij(page, 1)
    expect(rij).to_contain_text("Niet geaccepteerd", timeout=25_000)
    expect(rij).to_contain_text("al gebruikt")
    rij.get_by_role("button", name="Verwijderen").click()
    expect(wachtrij(page)).to_be_hidden()
    assert wachtrij_items(page) == []
    uitslag = resultaten(live_server, kwartiermaker, "preventiewerkers")
    assert uitslag["aantalRespondenten"] == 1
    assert per_vraag(uitslag)["ruimte"]["verdeling"]["1"] == 1


def test_toegankelijk_op_360_pixels_en_met_het_toetsenbord(
    app: FastAPI, browser: Browser, live_server: str
) -> None:
    account(app, "bert", "preventiewerker", ["09", "10"], wachtwoord=WACHTWOORD)
    context = browser.new_context(
        base_url=live_server, viewport={"width": 360, "height": 640}, timezone_id=TIJDZONE
    )
    page = context.new_page()
    page.goto("/")
    inloggen(page, "bert")
    page.get_by_role("navigation", name="Onderdelen").get_by_role(
        "button", name="Vragenlijst"
    ).click()
    expect(page.get_by_role("group", name="Wijk").get_by_label("Schaijk")).to_be_checked()
    axe(page, "vragenlijst kiezen")
    page.get_by_role("button", name="Vragenlijst starten").click()
    expect(page.locator("#v-fout-vragenlijst")).not_to_be_empty()
    axe(page, "vragenlijst kiezen met fout")
    kies(page, "Wijk", "Reek")
    kies(page, "Welke vragenlijst?", "Inwoners")
    page.get_by_role("button", name="Vragenlijst starten").click()

    expect(page.get_by_role("group", name=INWONERS[0])).to_be_visible()
    axe(page, "vraag")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "horizontaal scrollen"
    hoogtes = page.evaluate(
        "[...document.querySelectorAll('#scherm-vraag button')]"
        ".filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)"
    )
    assert len(hoogtes) == 7 and min(hoogtes) >= 48, f"aanraakdoelen: {hoogtes}"

    # Keyboard only: the heading has focus, Tab reaches the answers, focus is visible.
    expect(page.get_by_role("heading", name="Vraag 1 van 5")).to_be_focused()
    for _ in range(4):
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="4 Mee eens")).to_be_focused()
    omlijning = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert omlijning == "solid", "geen zichtbare focus op een antwoord"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Vraag 2 van 5")).to_be_focused()
    page.get_by_role("button", name="Vorige vraag").click()
    gekozen(page, "4 Mee eens")
    axe(page, "vraag met gekozen antwoord")

    page.get_by_role("button", name=NAAR_DE_WERKER).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    axe(page, "bevestiging terug naar de preventiewerker")
    page.get_by_role("button", name="Nee, verder met de vragen").click()
    for nummer in range(1, 6):
        antwoord(page, nummer, 5, "Weet niet")
    expect(page.get_by_role("heading", name="Bedankt voor het invullen")).to_be_visible()
    axe(page, "bedankt")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    terug_naar_de_werker(page)
    expect(page.get_by_role("heading", name="Vragenlijst", exact=True)).to_be_visible()
    # The menu with its third button still fits.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
