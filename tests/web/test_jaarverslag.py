"""The jaarverslag in Chromium: the kwartiermaker's report on screen and printed to A4 PDF.

The database holds demo registrations for the last complete year and the two before it, and
the five parts of the analysis (as `wijkcontact demo` writes them); every figure the page shows
is compared with what the API answers for the same year and wijk.
"""

import io
import os
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from app.activiteiten import demo as activiteiten
from app.analyse.demo import vul_demo
from app.beschikkingen import demo as beschikkingen
from app.ervaring import demo as ervaring
from app.indicatoren import demo as indicatoren
from app.inzet import demo as inzet
from app.kern.db import new_session
from tests.conftest import account
from tests.web.conftest import TIJDZONE, WACHTWOORD
from tests.web.formulier import inloggen
from tests.web.test_toegankelijkheid import axe

# Chromium drives the form against a live service: seconds per test.
pytestmark = pytest.mark.slow

JAAR = datetime.now(ZoneInfo(TIJDZONE)).year - 1  # the last complete year: the default
# What the report prints for the demo data: a title page with the headline, then one or more
# pages per part (Contacten 4, Inzet 2, Activiteiten 1, Effect 2, Ervaring 2, Gespecialiseerd 1).
PAGINAS = 13
DELEN = [
    "Opgelost in de sociale basis",
    "Contacten",
    "Inzet",
    "Activiteiten",
    "Effect",
    "Ervaring: de monitor",
    "Gespecialiseerde inzet",
]
A4 = {"width": 794, "height": 1123}  # CSS pixels at 96 dpi
MAANDEN = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
SCHERMAFDRUKKEN = os.environ.get("WIJKCONTACT_SCHERMAFDRUKKEN")


@pytest.fixture
def demo(app: FastAPI) -> dict[str, str]:
    """Demo data for three years; answers the kwartiermaker's Authorization header."""
    context = app.state.context
    for jaar, gesprekken in ((JAAR - 2, 1500), (JAAR - 1, 2000), (JAAR, 2500)):
        vul_demo(context.engine, context.indeling, context.codelijsten, gesprekken, jaar, seed=jaar)
    with new_session(context.engine) as session:
        for deel in (inzet, activiteiten, indicatoren, ervaring, beschikkingen):
            for jaar in (JAAR - 1, JAAR):
                deel.vul_demo(session, context, jaar, 1)
    return account(app, "kim", "kwartiermaker", wachtwoord=WACHTWOORD)


def nl_procent(waarde: float | None) -> str:
    return "geen gegevens" if waarde is None else f"{waarde:.1f}%".replace(".", ",")


def nl_getal(waarde: int) -> str:
    return f"{waarde:,}".replace(",", ".")


def open_jaarverslag(page: Page) -> None:
    """Sign in as kwartiermaker in the form and follow its navigation to the report."""
    page.goto("/")
    page.get_by_label("Accountnaam").fill("kim")
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("navigation", name="Onderdelen").get_by_role(
        "link", name="Jaarverslag"
    ).click()
    wacht_op_verslag(page, JAAR, "")


def wacht_op_verslag(page: Page, jaar: int, wijk: str) -> None:
    expect(page.locator("#verslag")).to_have_attribute("data-geladen", f"{jaar}-{wijk}")


def kop_tabel(page: Page) -> list[list[str]]:
    """The headline's figures as the reader sees them after opening the table."""
    figuur = page.locator("#deel-sociale-basis figure")
    figuur.get_by_text("Cijfers als tabel").click()
    tabel = figuur.get_by_role("table")
    expect(tabel).to_be_visible()
    return [
        [cel.strip() for cel in rij.locator("th, td").all_inner_texts()]
        for rij in tabel.locator("tr").all()
    ]


def verwachte_kop(
    live_server: str, headers: dict[str, str], jaar: int, wijk: str
) -> list[list[str]]:
    """The same table computed from the API's answers for the year and the two before it."""
    q = f"?wijk={wijk}" if wijk else ""
    analyses = [
        httpx.get(f"{live_server}/api/v1/jaaranalyses/{j}{q}", headers=headers).json()
        for j in (jaar, jaar - 1, jaar - 2)
    ]
    jaren = [a for i, a in enumerate(analyses) if i == 0 or a["totaal"]["aantalTrajecten"] > 0]
    gemeente = httpx.get(f"{live_server}/api/v1/wijken", headers=headers).json()[0]["gemeente"]
    rijen = [["Wijk", *[str(a["jaar"]) for a in jaren]]]
    for w in analyses[0]["wijken"]:
        per_jaar = [next(x for x in a["wijken"] if x["wijk"] == w["wijk"]) for a in jaren]
        rijen.append([w["naam"], *[nl_procent(x["aandeelSocialeBasis"]) for x in per_jaar]])
    rijen.append(
        [f"Gemeente {gemeente}", *[nl_procent(a["totaal"]["aandeelSocialeBasis"]) for a in jaren]]
    )
    return rijen


def test_kop_per_wijk_zoals_de_api_en_jaar_en_wijk_kiezen(
    live_server: str, page: Page, demo: dict[str, str]
) -> None:
    open_jaarverslag(page)
    expect(page.get_by_label("Jaar", exact=True)).to_have_value(str(JAAR))
    expect(page.get_by_label("Wijk", exact=True)).to_have_value("")
    verwacht = verwachte_kop(live_server, demo, JAAR, "")
    assert len(verwacht) == 1 + 11 + 1 and len(verwacht[0]) == 1 + 3  # 11 wijken, 3 years
    assert kop_tabel(page) == verwacht
    totaal = httpx.get(f"{live_server}/api/v1/jaaranalyses/{JAAR}", headers=demo).json()["totaal"]
    expect(page.locator("#kernzin")).to_contain_text(
        f"In {JAAR} is {nl_procent(totaal['aandeelSocialeBasis'])} van de afgesloten trajecten"
    )
    expect(page.locator("#kernzin")).to_contain_text("Het doel voor 2030 is 80,0%.")
    # Dutch notation: thousands with a point, decimals with a comma.
    assert totaal["aantalGesprekken"] >= 1000
    kerncijfers = page.locator("#deel-contacten .kerncijfers")
    expect(kerncijfers).to_contain_text(f"Gesprekken{nl_getal(totaal['aantalGesprekken'])}")
    labels = page.locator("svg[role=img] text.waarde").all_text_contents()
    waarden = [re.sub(r"^(\d{4}|[a-z]+): ", "", t) for t in labels if t != "geen gegevens"]
    nederlands = re.compile(r"^(€\s)?\d{1,3}(\.\d{3})*(,\d)?%?$")
    assert len(waarden) > 250
    assert [w for w in waarden if not nederlands.match(w)] == []
    assert any("." in w for w in waarden) and any("," in w for w in waarden)

    page.get_by_label("Jaar", exact=True).select_option(str(JAAR - 1))
    wacht_op_verslag(page, JAAR - 1, "")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Jaarverslag {JAAR - 1}")
    vorig = verwachte_kop(live_server, demo, JAAR - 1, "")
    assert len(vorig[0]) == 1 + 2  # the year before JAAR - 2 has no registrations
    assert kop_tabel(page) == vorig != verwacht

    page.get_by_label("Wijk", exact=True).select_option(label="Schaijk")
    wacht_op_verslag(page, JAAR - 1, "09")
    schaijk = kop_tabel(page)
    assert schaijk == verwachte_kop(live_server, demo, JAAR - 1, "09")
    assert [r[0] for r in schaijk] == ["Wijk", "Schaijk", "Gemeente Maashorst"]
    expect(page.locator(".titelblok")).to_contain_text("wijk Schaijk")
    # The choice is in the address: reloading or sharing it shows the same report.
    page.reload()
    wacht_op_verslag(page, JAAR - 1, "09")
    expect(page.get_by_label("Wijk", exact=True)).to_have_value("09")


def test_preventiewerker_heeft_geen_jaarverslag(app: FastAPI, page: Page) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    page.goto("/")
    inloggen(page)
    menu = page.get_by_role("navigation", name="Onderdelen")
    expect(menu.get_by_role("button", name="Vragenlijst")).to_be_visible()
    expect(page.get_by_role("link", name="Jaarverslag")).to_have_count(0)
    page.goto("/jaarverslag.html")
    expect(page.get_by_text("Het jaarverslag is alleen voor de kwartiermaker.")).to_be_visible()
    expect(page.get_by_label("Jaar", exact=True)).to_be_hidden()


def test_elke_grafiek_is_een_benoemd_beeld_met_tabel_en_axe_vindt_niets_ernstigs(
    page: Page, demo: dict[str, str]
) -> None:
    open_jaarverslag(page)
    figuren = page.locator("figure.grafiek")
    assert figuren.count() >= 15
    for figuur in figuren.all():
        beeld = figuur.locator("svg")
        expect(beeld).to_have_attribute("role", "img")
        naam = figuur.locator("figcaption").inner_text()
        expect(beeld).to_have_accessible_name(naam)
        assert len(naam) > 20
        # As many table rows as the chart has categories, one column per series.
        assert figuur.locator("table tbody tr").count() >= 2
        assert figuur.locator("table caption").text_content() == naam
    assert page.locator("svg:not([role=img])").count() == 0
    for figuur in figuren.all():  # open every table: axe checks them too
        figuur.get_by_text("Cijfers als tabel").click()
    axe(page, "jaarverslag, alle wijken")
    page.get_by_label("Wijk", exact=True).select_option(label="Odiliapeel")
    wacht_op_verslag(page, JAAR, "08")
    axe(page, "jaarverslag, een wijk")


def pdf_teksten(pdf: bytes) -> list[str]:
    """Each page's text, without white space (line breaks differ) and ligatures undone."""
    return [
        re.sub(r"\s+", "", unicodedata.normalize("NFKC", p.extract_text()))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def test_afdruk_op_a4_heeft_elk_deel_op_een_eigen_pagina_en_geen_gesneden_grafiek(
    browser: Browser, live_server: str, demo: dict[str, str]
) -> None:
    context = browser.new_context(
        base_url=live_server, viewport=A4, locale="nl-NL", timezone_id=TIJDZONE
    )
    page = context.new_page()
    open_jaarverslag(page)
    grafieken = page.locator("figure.grafiek").evaluate_all(
        """fs => fs.map(f => [f.querySelector('figcaption').textContent,
                             ...[...f.querySelectorAll('svg text')].map(t => t.textContent)])"""
    )
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    context.close()
    paginas = pdf_teksten(pdf)
    assert len(paginas) == PAGINAS

    def pagina_van(tekst: str) -> int:
        gevonden = [i for i, p in enumerate(paginas) if re.sub(r"\s+", "", tekst) in p]
        assert gevonden, f"{tekst!r} staat in geen enkele pagina"
        return gevonden[0]

    # Gemeente, year and print date on the first page and on the first page of every part.
    datum = afdrukdatum()
    assert f"Jaarverslag{JAAR}" in paginas[0] and "GemeenteMaashorst" in paginas[0]
    assert f"Afgedruktop{datum}" in paginas[0]
    begin = [pagina_van(f"{deel}GemeenteMaashorst·jaarverslag{JAAR}") for deel in DELEN[1:]]
    assert all(f"afgedruktop{datum}" in paginas[p] for p in begin)
    # Each part starts a page: its heading directly after the page number in the margin.
    for deel, p in zip(DELEN[1:], begin, strict=True):
        kop = re.escape(re.sub(r"\s+", "", deel))
        assert re.match(rf"pagina{p + 1}van{PAGINAS}{kop}", paginas[p]), deel
    assert begin == sorted(begin) and len(set(begin)) == len(begin)

    # No chart cut: on the page of its caption, all its texts follow in drawing order.
    for teksten in grafieken:
        pagina = paginas[pagina_van(teksten[0])]
        positie = pagina.index(re.sub(r"\s+", "", teksten[0]))
        for tekst in teksten[1:]:
            gezocht = re.sub(r"\s+", "", tekst)
            positie = pagina.find(gezocht, positie)
            assert positie >= 0, f"grafiek {teksten[0]!r} doorgesneden bij {tekst!r}"


def afdrukdatum() -> str:
    """Today as the report writes it (Intl nl-NL, day month year)."""
    maanden = (
        "januari februari maart april mei juni juli augustus september oktober november december"
    )
    nu = datetime.now(ZoneInfo(TIJDZONE))
    return f"{nu.day}{maanden.split()[nu.month - 1]}{nu.year}"


def test_schermafdrukken_van_het_jaarverslag(
    browser: Browser, live_server: str, page: Page, demo: dict[str, str], tmp_path: Path
) -> None:
    """Phone and A4; `WIJKCONTACT_SCHERMAFDRUKKEN=docs` writes them for the README."""
    map_ = Path(SCHERMAFDRUKKEN) if SCHERMAFDRUKKEN else tmp_path
    map_.mkdir(parents=True, exist_ok=True)
    open_jaarverslag(page)
    page.screenshot(path=map_ / "jaarverslag-telefoon.png")
    # The first printed page as a picture: print media in an A4-sized window, with the page
    # margin that @page gives on paper added for the picture only (hence bypass_csp).
    context = browser.new_context(
        base_url=live_server, viewport=A4, locale="nl-NL", timezone_id=TIJDZONE, bypass_csp=True
    )
    a4 = context.new_page()
    open_jaarverslag(a4)
    a4.emulate_media(media="print")
    a4.add_style_tag(content="body { margin: 14mm 15mm; }")
    a4.screenshot(path=map_ / "jaarverslag-a4.png")
    context.close()
    for naam in ("telefoon", "a4"):
        assert (map_ / f"jaarverslag-{naam}.png").stat().st_size > 1000
