"""What a rapportage caller gets: the grid, every cell shown, noise within its bound, one value
per cell whichever route shows it, and values that stay once shown.

The attacker who combines every answer is in test_aanvaller.py; this file holds the promises a
reporting user relies on.
"""

import csv
import io
import statistics
from datetime import date, timedelta
from itertools import product
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.analyse.tellingen import LIJST
from app.publicatie import raster
from app.publicatie.ruis import MAX_RUIS, cel, celnaam, ruis, verstoor
from tests.analyse.populatie import registreer_populatie
from tests.analyse.verwacht import LIJSTEN, WIJKEN
from tests.conftest import account
from tests.publicatie.belofte import gepubliceerd

K = 5
GEHEIM = bytes(range(32))


def test_noise_is_fixed_per_cell_and_count_small_on_average_and_bounded() -> None:
    namen = [celnaam(cel("gesprekken", "2025", [("wijk", f"{i:02d}")])) for i in range(4000)]
    ruizen = [ruis(GEHEIM, naam, 17) for naam in namen]
    assert ruizen == [ruis(GEHEIM, naam, 17) for naam in namen]
    assert all(-MAX_RUIS <= n <= MAX_RUIS for n in ruizen)
    # Unbiased, and mostly 0 or one off: what the documentation promises a reporting user.
    assert abs(statistics.mean(ruizen)) < 0.15
    assert 1.1 < statistics.mean(abs(n) for n in ruizen) < 1.5
    assert 0.6 < sum(abs(n) <= 1 for n in ruizen) / len(ruizen) < 0.75
    # Another count of the same cell is another draw; another secret another release.
    assert ruizen != [ruis(GEHEIM, naam, 18) for naam in namen]
    assert ruizen != [ruis(bytes(32), naam, 17) for naam in namen]


def test_no_count_below_k_is_shown_and_no_value_below_k() -> None:
    verborgen = 0
    for wijk in range(200):
        naam = celnaam(cel("trajecten", "2025-03", [("wijk", f"{wijk:02d}")]))
        assert [verstoor(GEHEIM, naam, n, K) for n in range(K)] == [None] * K
        for n in range(K, 100):
            waarde = verstoor(GEHEIM, naam, n, K)
            if waarde is None:
                # Hidden above k only where the noise takes it below k: then it is what the
                # noise would have shown, below k.
                assert n + ruis(GEHEIM, naam, n) < K and n < K + MAX_RUIS
                verborgen += 1
            else:
                assert waarde >= K and waarde == n + ruis(GEHEIM, naam, n)
    # About a third of the fives, a sixth of the sixes, ...: some, never most.
    assert 0 < verborgen < 200 * 2


@pytest.mark.parametrize(
    ("van", "tot", "naam"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), "2025"),
        (date(2025, 4, 1), date(2025, 6, 30), "2025-K2"),
        (date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        (date(2025, 12, 1), date(2025, 12, 31), "2025-12"),
    ],
)
def test_the_grid_has_months_quarters_and_years(van: date, tot: date, naam: str) -> None:
    assert raster.lees_periode(van, tot).naam == naam


def rapportage_app(app: FastAPI) -> tuple[TestClient, dict[str, str]]:
    return TestClient(app), account(app, "dashboard", "rapportage")


def test_rapportage_asks_the_grid_only_and_closed_periods_only(
    app: FastAPI, kwartiermaker: dict[str, str]
) -> None:
    client, rapportage = rapportage_app(app)
    vandaag = app.state.context.vandaag()
    deze_maand = date(vandaag.year, vandaag.month, 1)
    laatste = (deze_maand + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    pad = "/api/v1/tellingen"
    for van, tot in [
        ("2025-01-02", "2025-01-31"),  # not the first day
        ("2025-01-01", "2025-01-30"),  # not the last
        ("2025-02-01", "2025-04-30"),  # three months, not a quarter
        ("2024-01-01", "2025-12-31"),  # two years
    ]:
        antwoord = client.get(pad, params={"van": van, "tot": tot}, headers=rapportage)
        assert antwoord.status_code == 400, (van, tot)
        assert "hele kalendermaand, een heel kwartaal of een heel jaar" in antwoord.text
        # The kwartiermaker counts any window.
        assert client.get(pad, params={"van": van, "tot": tot}, headers=kwartiermaker).is_success
    lopend = {"van": deze_maand.isoformat(), "tot": laatste.isoformat()}
    antwoord = client.get(pad, params=lopend, headers=rapportage)
    assert antwoord.status_code == 400
    assert "nog niet vastgesteld" in antwoord.json()["invalidParams"][0]["reason"]
    antwoord = client.get(f"/api/v1/jaaranalyses/{vandaag.year}", headers=rapportage)
    assert antwoord.status_code == 400
    assert "nog niet vastgesteld" in antwoord.text
    assert client.get(f"/api/v1/jaaranalyses/{vandaag.year}", headers=kwartiermaker).is_success
    vier = {"van": "2025-01-01", "tot": "2025-12-31",
            "dimensies": "wijk,vraagtype,leeftijdsgroep,locatie"}  # fmt: skip
    antwoord = client.get(pad, params=vier, headers=rapportage)
    assert antwoord.status_code == 400
    assert "hoogstens 3 dimensies" in antwoord.text


def waarden(dimensie: str, maanden: list[str]) -> list[Any]:
    if dimensie == "wijk":
        return [w.code for w in WIJKEN]
    if dimensie == "maand":
        return maanden
    lijst = LIJST[dimensie]
    codes: list[Any] = LIJSTEN.codes(lijst)
    return [*codes, None] if dimensie == "overdrachtdoel" else codes


TABELLEN = [
    ("2025-01-01", "2025-12-31", ["wijk", "vraagtype"], "gesprekken"),
    ("2025-04-01", "2025-06-30", ["wijk", "maand"], "gesprekken"),
    ("2025-01-01", "2025-03-31", ["overdrachtdoel"], "trajecten"),
    ("2025-01-01", "2025-12-31", ["vraagtype"], "gesprekken"),
]


@pytest.mark.slow  # a population of 100 or more trajecten
def test_every_cell_is_a_row_small_ones_hidden_the_rest_near_the_truth(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    registreer_populatie(app, client, seed=21, aantal=300)
    rapportage = account(app, "dashboard", "rapportage")
    getoond, grootste = 0, 0
    for van, tot, dimensies, meting in TABELLEN:
        n, m = controleer_tabel(client, kwartiermaker, rapportage, van, tot, dimensies, meting)
        getoond, grootste = getoond + n, max(grootste, m)
    # Cells of k + MAX_RUIS or more show whatever the noise: the population has them.
    assert grootste >= K + MAX_RUIS
    assert getoond > 0


def controleer_tabel(
    client: TestClient,
    kwartiermaker: dict[str, str],
    rapportage: dict[str, str],
    van: str,
    tot: str,
    dimensies: list[str],
    meting: str,
) -> tuple[int, int]:
    """Checks one table; answers how many cells it shows and its largest true count."""
    params = {"van": van, "tot": tot, "dimensies": ",".join(dimensies), "meting": meting}
    exact = client.get("/api/v1/tellingen", params=params, headers=kwartiermaker).json()
    echt = {tuple(r[d] for d in dimensies): r["aantal"] for r in exact["rijen"]}
    body = client.get("/api/v1/tellingen", params=params, headers=rapportage).json()
    maanden = raster.lees_periode(date.fromisoformat(van), date.fromisoformat(tot)).maanden()
    # Every combination, in the order of the code lists, whether it occurred or not: a row
    # that only occurring combinations get would say "at least one" with its count hidden.
    verwacht = list(product(*(waarden(d, maanden) for d in dimensies)))
    assert [tuple(r[d] for d in dimensies) for r in body["rijen"]] == verwacht
    getoond = 0
    for rij in body["rijen"]:
        n = echt.get(tuple(rij[d] for d in dimensies), 0)
        assert rij["onderdrukt"] is (rij["aantal"] is None)
        assert gepubliceerd(rij["aantal"], n)
        getoond += not rij["onderdrukt"]
    # CSV: the same rows, an empty count beside onderdrukt=true for Excel and Power BI.
    antwoord = client.get(
        "/api/v1/tellingen", params=params, headers={**rapportage, "Accept": "text/csv"}
    )
    regels = list(csv.DictReader(io.StringIO(antwoord.text)))
    assert list(regels[0]) == [*dimensies, "aantal", "onderdrukt"]
    assert [r["aantal"] for r in regels] == [
        "" if r["aantal"] is None else str(r["aantal"]) for r in body["rijen"]
    ]
    assert [r["onderdrukt"] for r in regels] == [
        str(r["onderdrukt"]).lower() for r in body["rijen"]
    ]
    return getoond, max(echt.values(), default=0)


@pytest.mark.slow  # a population of 100 or more trajecten
def test_one_cell_has_one_value_in_every_table_and_route(app: FastAPI, client: TestClient) -> None:
    registreer_populatie(app, client, seed=22, aantal=150)
    rapportage = account(app, "dashboard", "rapportage")

    def tabel(van: str, tot: str, dimensies: str, meting: str = "gesprekken") -> dict[Any, Any]:
        params = {"van": van, "tot": tot, "dimensies": dimensies, "meting": meting}
        body = client.get("/api/v1/tellingen", params=params, headers=rapportage).json()
        return {tuple(v for k, v in r.items() if k not in ("aantal", "onderdrukt")): r["aantal"]
                for r in body["rijen"]}  # fmt: skip

    per_maand = tabel("2025-01-01", "2025-12-31", "wijk,maand")
    for m in range(1, 13):
        maand = raster.maand(f"2025-{m:02d}")
        los = tabel(maand.van.isoformat(), maand.tot.isoformat(), "wijk")
        assert los == {(w,): per_maand[(w, maand.naam)] for w in [w.code for w in WIJKEN]}
    analyse = client.get("/api/v1/jaaranalyses/2025", headers=rapportage).json()
    vraagtypen = tabel("2025-01-01", "2025-12-31", "wijk,vraagtype")
    leeftijden = tabel("2025-01-01", "2025-12-31", "leeftijdsgroep", "trajecten")
    totalen = tabel("2025-01-01", "2025-12-31", "", "trajecten")
    for wijk in analyse["wijken"]:
        for code, aantal in wijk["vraagtypen"].items():
            assert aantal == vraagtypen[(wijk["wijk"], code)]
        for maand, cijfers in wijk["perMaand"].items():
            assert cijfers["gesprekken"] == per_maand[(wijk["wijk"], maand)]
    assert analyse["totaal"]["leeftijdsgroepen"] == {c: leeftijden[(c,)] for c in
                                                     LIJSTEN.codes("leeftijdsgroepen")}  # fmt: skip
    assert analyse["totaal"]["aantalTrajecten"] == totalen[()]
    # The year before is the same cell as that year's own analysis shows.
    vorig = client.get("/api/v1/jaaranalyses/2024", headers=rapportage).json()
    assert analyse["totaal"]["vorigJaar"]["aantalTrajecten"] == vorig["totaal"]["aantalTrajecten"]
    # A limit of 5 gesprekken is the fifth column of gesprekkenPerTraject: one cell, one value.
    for scope in [analyse["totaal"], *analyse["wijken"]]:
        assert scope["trajectenLimietBereikt"] == scope["gesprekkenPerTraject"]["5"]
    gefilterd = client.get("/api/v1/jaaranalyses/2025?wijk=09", headers=rapportage).json()
    assert gefilterd["wijken"] == [w for w in analyse["wijken"] if w["wijk"] == "09"]
    assert gefilterd["totaal"] == analyse["totaal"]


@pytest.mark.slow  # a population of 100 or more trajecten
def test_a_value_once_shown_stays_when_a_closed_period_changes_later(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    registreer_populatie(app, client, seed=23, aantal=120)
    rapportage = account(app, "dashboard", "rapportage")
    params = {"van": "2025-01-01", "tot": "2025-12-31", "dimensies": "wijk,leeftijdsgroep",
              "meting": "trajecten"}  # fmt: skip
    eerst = client.get("/api/v1/tellingen", params=params, headers=rapportage).json()
    analyse = client.get("/api/v1/jaaranalyses/2025", headers=rapportage).json()
    exact = client.get("/api/v1/tellingen", params=params, headers=kwartiermaker).json()
    # Late registrations in the busiest cell, K - 1 of them: the cells they fall in change
    # their count (a value made afresh would differ), while no empty cell can reach K; that
    # one case (K late registrations in one empty cell) is the documented limit of the store.
    drukst = max(exact["rijen"], key=lambda r: r["aantal"])
    werker = account(app, "laat", "preventiewerker", [drukst["wijk"]])
    for _ in range(K - 1):
        antwoord = client.post(
            "/api/v1/trajecten",
            json={"wijk": drukst["wijk"], "leeftijdsgroep": drukst["leeftijdsgroep"],
                  "instroomroute": LIJSTEN.codes("instroomroutes")[0],
                  "gesprek": {"datum": "2025-06-10", "locatie": LIJSTEN.codes("locaties")[0],
                              "vraagtypen": [LIJSTEN.codes("vraagtypen")[0]],
                              "afhandeling": "zelf_opgepakt"}},
            headers=werker,
        )  # fmt: skip
        assert antwoord.status_code == 201, antwoord.text
    later = client.get("/api/v1/tellingen", params=params, headers=kwartiermaker).json()
    assert [r["aantal"] for r in later["rijen"]].count(drukst["aantal"] + K - 1) >= 1
    assert client.get("/api/v1/tellingen", params=params, headers=rapportage).json() == eerst
    assert client.get("/api/v1/jaaranalyses/2025", headers=rapportage).json() == analyse
