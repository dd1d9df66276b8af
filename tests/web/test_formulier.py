"""The mobile form in a real browser: register, follow up, reach the limit, hand over."""

import re

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from tests.conftest import account
from tests.web.conftest import WACHTWOORD
from tests.web.formulier import (
    gesprek_invullen,
    inloggen,
    kies,
    nieuw_contact_invullen,
    registreren,
    trajectcode,
)

# Chromium drives the form against a live service: seconds per test.
pytestmark = pytest.mark.slow


def eerste_contact(live_server: str, headers: dict[str, str], gesprekken: int = 1) -> str:
    """A traject with this many gesprekken, made through the API (to set up the form tests)."""
    gesprek = {
        "datum": "2025-03-14",
        "locatie": "wijkgebouw",
        "vraagtypen": ["geldzorgen"],
        "afhandeling": "zelf_opgepakt",
    }
    body = {"wijk": "09", "leeftijdsgroep": "45_64", "instroomroute": "huisarts"}
    body["gesprek"] = gesprek
    with httpx.Client(base_url=live_server, headers=headers) as api:
        antwoord = api.post("/api/v1/trajecten", json=body)
        assert antwoord.status_code == 201, antwoord.text
        code = antwoord.json()["code"]
        for _ in range(gesprekken - 1):
            volgend = api.post(f"/api/v1/trajecten/{code}/gesprekken", json=gesprek)
            assert volgend.status_code == 201, volgend.text
    return code


def traject(live_server: str, headers: dict[str, str], code: str) -> dict:
    antwoord = httpx.get(f"{live_server}/api/v1/trajecten/{code}", headers=headers)
    assert antwoord.status_code == 200, antwoord.text
    return antwoord.json()


def test_eerste_contact_en_vervolggesprek(app: FastAPI, live_server: str, page: Page) -> None:
    headers = account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    page.goto("/")
    inloggen(page)

    # Date is today and the worker's only wijk is preselected: five chips and one button.
    expect(page.get_by_label("Datum van het gesprek")).not_to_have_value("")
    expect(page.locator("#vaste-wijk")).to_contain_text("Schaijk")
    tikken = nieuw_contact_invullen(page) + 1
    registreren(page)
    assert tikken == 6
    code = trajectcode(page)
    expect(page.locator("#klaar-tekst")).to_contain_text("1 van 5 gesprekken")
    opgeslagen = traject(live_server, headers, code)
    assert opgeslagen["aantalGesprekken"] == 1
    assert opgeslagen["leeftijdsgroep"] == "65_79"
    assert opgeslagen["gesprekken"][0]["vraagtypen"] == ["eenzaamheid"]

    # Follow-up from the worklist: recognisable without personal data.
    page.get_by_role("button", name="Naar vervolggesprekken").click()
    item = page.get_by_role("button", name=re.compile(code))
    expect(item).to_contain_text("Schaijk · 65 tot en met 79 jaar")
    expect(item).to_contain_text("Eenzaamheid en sociaal isolement")
    expect(item).to_contain_text("1 van 5 gesprekken")
    item.click()
    expect(page.get_by_role("heading", name=f"Vervolggesprek traject {code}")).to_be_visible()
    expect(page.locator("#traject-info")).to_contain_text(re.compile(r"gesprek 2\b.*nog 3"))
    gesprek_invullen(
        page,
        locatie="Telefonisch",
        vraagtypen=("Eenzaamheid en sociaal isolement", "Geldzorgen en schulden"),
        afhandeling="Opgepakt met het eigen netwerk van de inwoner",
    )
    registreren(page)
    expect(page.locator("#klaar-tekst")).to_contain_text("2 van 5 gesprekken")
    opgeslagen = traject(live_server, headers, code)
    assert opgeslagen["aantalGesprekken"] == 2
    assert opgeslagen["gesprekken"][1]["locatie"] == "telefonisch"
    assert sorted(opgeslagen["gesprekken"][1]["vraagtypen"]) == ["eenzaamheid", "geldzorgen"]


def test_vervolg_door_code_te_typen(app: FastAPI, live_server: str, page: Page) -> None:
    headers = account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    code = eerste_contact(live_server, headers)
    page.goto("/")
    inloggen(page)
    page.get_by_role("button", name="Vervolggesprek").click()
    page.get_by_label("Trajectcode").fill("ZZZZZZ")
    page.get_by_role("button", name="Openen").click()
    expect(page.locator("#code-fout")).to_have_text(re.compile("geen traject", re.IGNORECASE))
    page.get_by_label("Trajectcode").fill(code.lower())
    page.get_by_role("button", name="Openen").click()
    expect(page.get_by_role("heading", name=f"Vervolggesprek traject {code}")).to_be_visible()

    # Closing without a handover asks once more before it happens.
    afronden = page.get_by_role("button", name=re.compile("afronden|af te ronden", re.IGNORECASE))
    afronden.click()
    expect(afronden).to_have_accessible_name(re.compile("zeker", re.IGNORECASE))
    assert traject(live_server, headers, code)["status"] == "open"
    afronden.click()
    expect(page.locator("#klaar-tekst")).to_contain_text("afgerond")
    assert traject(live_server, headers, code)["status"] == "afgerond"


def test_limiet_en_warme_overdracht(app: FastAPI, live_server: str, page: Page) -> None:
    headers = account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    code = eerste_contact(live_server, headers)
    page.goto("/")
    inloggen(page)
    page.get_by_role("button", name="Vervolggesprek").click()
    page.get_by_role("button", name=re.compile(code)).click()

    # Gesprekken 2, 3 and 4 through the form; before the 5th the form says it is the last.
    for nummer in (2, 3, 4):
        gesprek_invullen(page, afhandeling="Informatie of advies gegeven")
        registreren(page)
        expect(page.locator("#klaar-tekst")).to_contain_text(f"{nummer} van 5 gesprekken")
        if nummer == 4:
            expect(page.locator("#klaar-tekst")).to_contain_text("Nog één gesprek mogelijk")
        page.get_by_role("button", name="Naar vervolggesprekken").click()
        if nummer == 4:
            item = page.get_by_role("button", name=re.compile(code))
            expect(item).to_contain_text("Nog één gesprek mogelijk")
            expect(item).to_contain_text("4 van 5 gesprekken")
        page.get_by_role("button", name=re.compile(code)).click()
    expect(page.locator("#traject-info")).to_contain_text("laatste gesprek (5 van 5)")
    gesprek_invullen(page, afhandeling="Informatie of advies gegeven")
    registreren(page)
    expect(page.locator("#klaar-tekst")).to_contain_text("vijfde gesprek")
    assert traject(live_server, headers, code)["overdrachtVereist"] is True

    # In the worklist it is on top, and the form guides to the warm handover.
    ander = eerste_contact(live_server, headers)
    page.get_by_role("button", name="Vervolggesprek").click()
    eerste = page.locator(".werklijst li").first
    expect(eerste).to_contain_text(code)
    expect(eerste).to_contain_text("Warme overdracht nodig")
    expect(page.locator(".werklijst li").nth(1)).to_contain_text(ander)
    eerste.get_by_role("button").click()
    expect(page.locator("#traject-info")).to_contain_text("vijf gesprekken")
    expect(page.get_by_role("button", name="Registreren")).to_be_hidden()
    page.get_by_role("button", name="Warme overdracht vastleggen").click()
    expect(page.locator("#o-fout-doel")).not_to_be_empty()
    kies(page, "Warme overdracht naar", "Algemeen maatschappelijk werk")
    page.get_by_role("button", name="Warme overdracht vastleggen").click()
    expect(page.locator("#klaar-tekst")).to_contain_text("overgedragen")
    opgeslagen = traject(live_server, headers, code)
    assert opgeslagen["status"] == "overgedragen"
    assert opgeslagen["overdracht"]["doel"] == "algemeen_maatschappelijk_werk"
    assert opgeslagen["aantalGesprekken"] == 5


def test_409_van_de_dienst_wordt_getoond(app: FastAPI, live_server: str, page: Page) -> None:
    """A colleague's 5th gesprek lands while the form is open: the service's guidance shows."""
    headers = account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    code = eerste_contact(live_server, headers, gesprekken=4)
    page.goto("/")
    inloggen(page)
    page.get_by_role("button", name="Vervolggesprek").click()
    page.get_by_role("button", name=re.compile(code)).click()
    expect(page.locator("#traject-info")).to_contain_text("laatste gesprek (5 van 5)")
    vijfde = httpx.post(
        f"{live_server}/api/v1/trajecten/{code}/gesprekken",
        headers=headers,
        json={
            "datum": "2025-03-14",
            "locatie": "wijkgebouw",
            "vraagtypen": ["geldzorgen"],
            "afhandeling": "zelf_opgepakt",
        },
    )
    assert vijfde.status_code == 201
    gesprek_invullen(page)
    registreren(page)
    fout = page.locator("#registratie-fout")
    expect(fout).to_contain_text("warme overdracht")
    expect(fout).not_to_contain_text("409")
    expect(fout).not_to_contain_text("{")
    assert traject(live_server, headers, code)["aantalGesprekken"] == 5


def test_fouten_staan_bij_het_veld(app: FastAPI, live_server: str, page: Page) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    page.goto("/")
    inloggen(page)
    registreren(page)
    expect(page.get_by_role("group", name="Leeftijd")).to_have_accessible_description(
        re.compile(".")
    )
    expect(page.locator("#fout-vraagtypen")).not_to_be_empty()
    expect(page.locator("#fout-doel")).to_be_hidden()

    # The service's invalidParams (here: a date before the start of registration) land next
    # to their field, with the service's own reason.
    nieuw_contact_invullen(page)
    page.get_by_label("Datum van het gesprek").fill("2020-01-01")
    registreren(page)
    expect(page.locator("#fout-datum")).to_contain_text("vóór de start")
    expect(page.get_by_label("Datum van het gesprek")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#fout-leeftijdsgroep")).to_be_hidden()

    # The handover target appears only for a warm handover, and is then required.
    page.get_by_label("Datum van het gesprek").fill("2025-03-14")
    kies(page, "Hoe is de vraag opgepakt?", "Warme overdracht naar een andere voorziening")
    expect(page.get_by_role("group", name="Warme overdracht naar")).to_be_visible()
    registreren(page)
    expect(page.locator("#fout-doel")).not_to_be_empty()


def test_verkeerd_wachtwoord_en_meerdere_wijken(app: FastAPI, live_server: str, page: Page) -> None:
    account(app, "bert", "preventiewerker", ["09", "10"], wachtwoord=WACHTWOORD)
    page.goto("/")
    page.get_by_label("Accountnaam").fill("bert")
    page.get_by_label("Wachtwoord").fill("niet het wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("#inloggen-fout")).not_to_be_empty()
    inloggen(page, "bert")
    wijk = page.get_by_role("group", name="Wijk")
    expect(wijk.get_by_label("Schaijk")).to_be_checked()
    wijk.get_by_text("Reek").click()
    nieuw_contact_invullen(page)
    registreren(page)
    trajectcode(page)
    # The last chosen wijk is remembered for the next contact.
    page.get_by_role("button", name="Nieuw contact").last.click()
    expect(page.get_by_role("group", name="Wijk").get_by_label("Reek")).to_be_checked()
