"""What a preventiewerker does in the form, as reusable steps for the browser tests."""

from playwright.sync_api import Page, expect

from tests.web.conftest import WACHTWOORD


def inloggen(page: Page, naam: str = "anna", wachtwoord: str = WACHTWOORD) -> None:
    page.get_by_label("Accountnaam").fill(naam)
    page.get_by_label("Wachtwoord").fill(wachtwoord)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Nieuw contact")).to_be_visible()


def kies(page: Page, groep: str, *opties: str) -> int:
    """Tap chips in a fieldset by their labels; answers the number of taps."""
    fieldset = page.get_by_role("group", name=groep)
    for optie in opties:
        fieldset.get_by_text(optie, exact=True).click()
    return len(opties)


def gesprek_invullen(
    page: Page,
    locatie: str = "Huisbezoek",
    vraagtypen: tuple[str, ...] = ("Eenzaamheid en sociaal isolement",),
    afhandeling: str = "Zelf opgepakt door de preventiewerker",
    doel: str | None = None,
) -> int:
    tikken = kies(page, "Waar was het gesprek?", locatie)
    tikken += kies(page, "Soort vraag (één of meer)", *vraagtypen)
    tikken += kies(page, "Hoe is de vraag opgepakt?", afhandeling)
    if doel:
        tikken += kies(page, "Warme overdracht naar", doel)
    return tikken


def nieuw_contact_invullen(
    page: Page,
    leeftijd: str = "65 tot en met 79 jaar",
    route: str = "Via buren, familie of vrienden",
    **gesprek: object,
) -> int:
    tikken = kies(page, "Leeftijd", leeftijd)
    tikken += kies(page, "Hoe kwam het contact tot stand?", route)
    return tikken + gesprek_invullen(page, **gesprek)  # type: ignore[arg-type]


def registreren(page: Page) -> None:
    page.get_by_role("button", name="Registreren").click()


def trajectcode(page: Page) -> str:
    code = page.locator(".code-groot strong")
    expect(code).to_be_visible()
    return code.inner_text().strip()


def wacht_op_service_worker(page: Page) -> None:
    """Until the service worker controls the page (its app shell is then in the cache)."""
    page.evaluate(
        """() => new Promise((klaar) => {
        if (navigator.serviceWorker.controller) return klaar();
        navigator.serviceWorker.addEventListener('controllerchange', () => klaar());
    })"""
    )
