"""Dates in Dutch, whatever the browser's language: an English browser shows mm/dd/yyyy in the
native date field, so the form writes every date out in Dutch as well."""

import re

import pytest
from fastapi import FastAPI
from playwright.sync_api import BrowserContext, Page, expect

from tests.conftest import account
from tests.web.conftest import WACHTWOORD
from tests.web.formulier import gesprek_invullen, inloggen, nieuw_contact_invullen, registreren

# Chromium drives the form against a live service: seconds per test.
pytestmark = pytest.mark.slow

DAGEN = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
MAANDEN = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
AMERIKAANS = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
ENGELS = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")


def alleen_nederlandse_datums(page: Page) -> None:
    tekst = page.locator("body").inner_text()
    assert not AMERIKAANS.findall(tekst), tekst
    assert not ENGELS.findall(tekst), tekst


# West of UTC as well: an ISO date read as local midnight would show the day before there.
@pytest.mark.parametrize(("taal", "tijdzone"), [("en-US", "America/New_York")])
def test_datums_in_het_nederlands_in_een_engelse_browser(
    app: FastAPI, live_server: str, context: BrowserContext, page: Page
) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    page.goto("/")
    assert page.evaluate("navigator.language") == "en-US"
    inloggen(page)

    # The date field is described by the chosen date in Dutch words, updated as it changes.
    datum = page.get_by_label("Datum van het gesprek")
    expect(datum).to_have_accessible_description(
        re.compile(rf"^({DAGEN}) \d{{1,2}} ({MAANDEN}) \d{{4}} \(vandaag\)$")
    )
    alleen_nederlandse_datums(page)
    datum.fill("2025-03-14")
    expect(datum).to_have_accessible_description("vrijdag 14 maart 2025")
    expect(page.get_by_text("vrijdag 14 maart 2025", exact=True)).to_be_visible()

    nieuw_contact_invullen(page)
    registreren(page)
    expect(page.locator("#klaar-tekst")).to_contain_text("vrijdag 14 maart 2025")
    alleen_nederlandse_datums(page)

    # The worklist and the traject view.
    page.get_by_role("button", name="Naar vervolggesprekken").click()
    item = page.locator(".werklijst li").first
    expect(item).to_contain_text("Laatste gesprek vr 14 mrt 2025")
    alleen_nederlandse_datums(page)
    item.get_by_role("button").click()
    expect(page.locator("#traject-info")).to_contain_text("Vorig gesprek vr 14 mrt 2025")
    alleen_nederlandse_datums(page)

    # Offline, the form itself refuses a date before the previous gesprek, in Dutch ...
    context.set_offline(True)
    gesprek_invullen(page)
    datum.fill("2025-03-10")
    expect(datum).to_have_accessible_description(re.compile("^maandag 10 maart 2025"))
    registreren(page)
    expect(page.locator("#fout-datum")).to_contain_text("vr 14 mrt 2025")
    expect(datum).to_have_attribute("aria-invalid", "true")

    # ... and the queue of unsent registrations shows the date in Dutch.
    datum.fill("2025-03-17")
    registreren(page)
    expect(page.get_by_role("heading", name=re.compile("bewaard", re.IGNORECASE))).to_be_visible()
    expect(page.locator("#klaar-tekst")).to_contain_text("maandag 17 maart 2025")
    wachtrij = page.get_by_role("region", name=re.compile("nog niet verstuurd"))
    expect(wachtrij.get_by_role("listitem")).to_have_count(1)
    expect(wachtrij).to_contain_text("ma 17 mrt 2025")
    alleen_nederlandse_datums(page)
