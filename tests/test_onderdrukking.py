"""Small-cell suppression: no hidden count can be recomputed from one answer.

The checks here solve the published equations themselves, with exact fractions, instead of
trusting the service's own audit.
"""

import random
from fractions import Fraction
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.analyse.onderdrukking import bepaalde_cellen, onderdruk
from app.main import create_app
from app.settings import Settings
from tests.analyse_populatie import registreer_populatie
from tests.analyse_verwacht import contactcijfers
from tests.conftest import account

K = 5
K_KLEIN = 3


def bepaald(vergelijkingen: list[dict[Any, int]], verborgen: set[Any]) -> set[Any]:
    """Hidden cells fixed by the equations, by exact Gauss-Jordan elimination over fractions."""
    pivots: list[tuple[Any, dict[Any, Fraction]]] = []
    for vergelijking in vergelijkingen:
        rij = {c: Fraction(v) for c, v in vergelijking.items() if c in verborgen and v}
        for cel, pivotrij in pivots:
            if rij.get(cel):
                factor = rij[cel]
                for c, v in pivotrij.items():
                    rij[c] = rij.get(c, Fraction(0)) - factor * v
                rij = {c: v for c, v in rij.items() if v}
        if not rij:
            continue
        cel = next(iter(rij))
        rij = {c: v / rij[cel] for c, v in rij.items()}
        for i, (andere, anderrij) in enumerate(pivots):
            if anderrij.get(cel):
                factor = anderrij[cel]
                nieuw = dict(anderrij)
                for c, v in rij.items():
                    nieuw[c] = nieuw.get(c, Fraction(0)) - factor * v
                pivots[i] = (andere, {c: v for c, v in nieuw.items() if v})
        pivots.append((cel, rij))
    return {cel for cel, rij in pivots if len(rij) == 1}


def tabel_vergelijkingen(rijen: int, kolommen: int) -> list[dict[Any, int]]:
    """A wijk x code table with row totals, column totals and a grand total."""
    uit = []
    for r in range(rijen):
        uit.append({("r", r): -1, **{(r, k): 1 for k in range(kolommen)}})
    for k in range(kolommen):
        uit.append({("k", k): -1, **{(r, k): 1 for r in range(rijen)}})
    uit.append({"totaal": -1, **{("r", r): 1 for r in range(rijen)}})
    return uit


def test_a_single_small_cell_gets_the_smallest_nonzero_partner() -> None:
    waarden = {"totaal": 30, "a": 2, "b": 0, "c": 9, "d": 19}
    verborgen = onderdruk(waarden, [[("totaal", -1), ("a", 1), ("b", 1), ("c", 1), ("d", 1)]], K)
    assert verborgen == {"a", "c"}


def test_two_cycles_joined_by_one_cell_reveal_that_cell_and_the_audit_sees_it() -> None:
    vergelijkingen = tabel_vergelijkingen(4, 4)
    # Every row and column has two hidden cells or none, yet (1, 2) is the sum of rows 0 and 1
    # minus columns 0 and 1: a rule of thumb passes it, the exact audit does not.
    verborgen = {(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)}
    lijsten = [list(v.items()) for v in vergelijkingen]
    assert bepaald(vergelijkingen, verborgen) == {(1, 2)}
    assert bepaalde_cellen(lijsten, verborgen) == {(1, 2)}
    assert bepaalde_cellen(lijsten, verborgen - {(1, 2)}) == set()


@pytest.mark.parametrize("seed", range(30))
def test_random_tables_leave_no_hidden_cell_determined(seed: int) -> None:
    rnd = random.Random(seed)
    rijen, kolommen = rnd.randint(2, 8), rnd.randint(2, 10)
    waarden: dict[Any, int] = {
        (r, k): rnd.choice([0, 0, 1, 2, 3, 4, 6, 9, 15, 40])
        for r in range(rijen)
        for k in range(kolommen)
    }
    for r in range(rijen):
        waarden[("r", r)] = sum(waarden[(r, k)] for k in range(kolommen))
    for k in range(kolommen):
        waarden[("k", k)] = sum(waarden[(r, k)] for r in range(rijen))
    waarden["totaal"] = sum(waarden[("r", r)] for r in range(rijen))
    vergelijkingen = tabel_vergelijkingen(rijen, kolommen)
    verborgen = onderdruk(waarden, [list(v.items()) for v in vergelijkingen], K)
    assert {c for c, v in waarden.items() if 0 < v < K} <= verborgen
    assert bepaald(vergelijkingen, verborgen) == set()


def bladeren(knoop: Any, pad: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    if isinstance(knoop, dict):
        uit = {}
        for sleutel, waarde in knoop.items():
            uit.update(bladeren(waarde, (*pad, sleutel)))
        return uit
    return {pad: knoop}


def jaaranalyse_vergelijkingen(body: dict[str, Any]) -> list[dict[Any, int]]:
    """Every sum a reader can form from one jaaranalyse answer, written down from its shape."""
    scopes = {"totaal": body["totaal"], **{w["wijk"]: w for w in body["wijken"]}}
    uit: list[dict[Any, int]] = []
    for scope, c in scopes.items():

        def cel(*pad: str, _s: str = scope) -> tuple[Any, ...]:
            return (_s, *pad)

        def delen(figuur: str, veld: str | None = None, _c: dict = c) -> list[tuple[Any, ...]]:  # type: ignore[type-arg]
            return [cel(figuur, code, veld) if veld else cel(figuur, code) for code in _c[figuur]]

        trajecten, gesprekken = cel("aantalTrajecten"), cel("aantalGesprekken")
        for groep in (delen("gesprekkenPerTraject"), delen("leeftijdsgroepen"),
                      delen("instroomroutes"), delen("perMaand", "trajecten")):  # fmt: skip
            uit.append({trajecten: -1, **dict.fromkeys(groep, 1)})
        for groep in (delen("locaties"), delen("afhandelingen"), delen("perMaand", "gesprekken")):
            uit.append({gesprekken: -1, **dict.fromkeys(groep, 1)})
        uit.append({cel("overdrachtenWarm"): -1, cel("overdrachtenNietWarm"): -1,
                    **dict.fromkeys(delen("overdrachtdoelen"), 1)})  # fmt: skip
        uit.append({cel("trajectenLimietBereikt"): -1, cel("gesprekkenPerTraject", "5"): 1})
    wijken = [w["wijk"] for w in body["wijken"]]
    for pad, waarde in bladeren(body["totaal"]).items():
        if pad[-1] != "aandeelSocialeBasis" and not isinstance(waarde, float):
            uit.append({("totaal", *pad): -1, **{(w, *pad): 1 for w in wijken}})
    return uit


def cellen(body: dict[str, Any]) -> dict[tuple[Any, ...], Any]:
    uit = {("totaal", *p): v for p, v in bladeren(body["totaal"]).items()}
    for w in body["wijken"]:
        uit |= {(w["wijk"], *p): v for p, v in bladeren(w).items() if p[0] not in ("wijk", "naam")}
    return {c: v for c, v in uit.items() if c[-1] != "aandeelSocialeBasis"}


def test_rapportage_sees_no_small_count_and_cannot_recompute_one(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str], settings: Settings
) -> None:
    registreer_populatie(app, client, seed=11, aantal=70)
    rapportage = account(app, "powerbi", "rapportage")
    # A small population: with k = 3 enough cells stay visible to need secondary suppression.
    klein = create_app(settings.model_copy(update={"min_cel": K_KLEIN}))
    exact = contactcijfers(client.get("/api/v1/jaaranalyses/2025", headers=kwartiermaker).json())
    body = contactcijfers(
        TestClient(klein).get("/api/v1/jaaranalyses/2025", headers=rapportage).json()
    )
    klein.state.context.engine.dispose()
    exacte, getoond = cellen(exact), cellen(body)
    verborgen = {c for c, v in getoond.items() if v is None}
    primair = {c for c, v in exacte.items() if 0 < v < K_KLEIN}
    assert primair < verborgen
    assert all(getoond[c] == exacte[c] for c in getoond if c not in verborgen)
    assert bepaald(jaaranalyse_vergelijkingen(body), verborgen) == set()

    exact = contactcijfers(client.get("/api/v1/jaaranalyses/2025", headers=kwartiermaker).json())
    body = contactcijfers(client.get("/api/v1/jaaranalyses/2025", headers=rapportage).json())

    exacte, getoond = cellen(exact), cellen(body)
    assert exacte.keys() == getoond.keys()
    verborgen = {c for c, v in getoond.items() if v is None}
    assert {c for c, v in exacte.items() if 0 < v < K} <= verborgen
    assert all(getoond[c] == exacte[c] for c in getoond if c not in verborgen)
    assert bepaald(jaaranalyse_vergelijkingen(body), verborgen) == set()
    for scope in [body["totaal"], *body["wijken"]]:
        assert scope["aandeelSocialeBasis"] is None or isinstance(
            scope["aandeelSocialeBasis"], float
        )

    # The filter shows the same cells, so two calls reveal nothing one call does not.
    # The same holds for the other parts of the analysis.
    volledig = client.get("/api/v1/jaaranalyses/2025", headers=rapportage).json()
    gefilterd = client.get("/api/v1/jaaranalyses/2025?wijk=11", headers=rapportage).json()
    assert gefilterd["wijken"] == [w for w in volledig["wijken"] if w["wijk"] == "11"]
    assert gefilterd["totaal"] == volledig["totaal"]


def test_rapportage_tellingen_hide_small_rows_and_protect_them_against_margins(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    registreer_populatie(app, client, seed=12, aantal=70)
    rapportage = account(app, "powerbi", "rapportage")
    for dimensies in (["wijk", "leeftijdsgroep"], ["wijk", "maand", "afhandeling"], ["wijk"]):
        params = {"van": "2024-01-01", "tot": "2025-12-31", "dimensies": ",".join(dimensies)}
        exact = client.get("/api/v1/tellingen", params=params, headers=kwartiermaker).json()
        body = client.get("/api/v1/tellingen", params=params, headers=rapportage).json()
        assert [[r[d] for d in dimensies] for r in body["rijen"]] == [
            [r[d] for d in dimensies] for r in exact["rijen"]
        ]
        for getoond, echt in zip(body["rijen"], exact["rijen"], strict=True):
            assert getoond["onderdrukt"] is (getoond["aantal"] is None)
            if 0 < echt["aantal"] < K:
                assert getoond["onderdrukt"]
            if not getoond["onderdrukt"]:
                assert getoond["aantal"] == echt["aantal"]
        # A call with one dimension fewer shows each group's sum; with one hidden row in a
        # group whose sum is shown, that row would follow.
        for j in range(len(dimensies)):
            groepen: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
            for getoond, echt in zip(body["rijen"], exact["rijen"], strict=True):
                sleutel = tuple(echt[d] for i, d in enumerate(dimensies) if i != j)
                groepen.setdefault(sleutel, []).append({**echt, "verborgen": getoond["onderdrukt"]})
            for leden in groepen.values():
                if sum(r["aantal"] for r in leden) >= K:
                    assert sum(r["verborgen"] for r in leden) != 1
        csv = client.get(
            "/api/v1/tellingen", params=params, headers={**rapportage, "Accept": "text/csv"}
        ).text.splitlines()
        assert len(csv) == len(body["rijen"]) + 1
        assert sum(regel.endswith(",") for regel in csv[1:]) == sum(
            r["onderdrukt"] for r in body["rijen"]
        )
