"""`$filter` as OData defines it, and the shortcut that skips periods no row of which can match:
the rows a filter returns are exactly the rows of the whole set that satisfy it."""

from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.odata.filter import lees_filter
from app.odata.fouten import NietOndersteund, OngeldigeOptie
from app.odata.model import ENTITY_SETS
from tests.conftest import account

TELLINGEN = ENTITY_SETS["GesprekkenPerVraagtype"]
RIJ = {"Van": date(2025, 4, 1), "Wijk": None, "Aantal": None, "Periodesoort": "maand"}


@pytest.mark.parametrize(
    ("tekst", "verwacht"),
    [
        ("Van ge 2025-04-01", True),
        ("Van gt 2025-04-01", False),
        ("2025-05-01 gt Van", True),
        ("Van lt 2025-04-01 or Periodesoort eq 'maand'", True),
        ("not (Periodesoort eq 'maand')", False),
        ("Wijk eq null and Aantal eq null", True),
        ("Wijk ne null", False),
        # OData: an ordering with null is false, whichever way round.
        ("Aantal lt 5", False),
        ("Aantal ge 5", False),
        ("Van le '2025-04-01'", True),
    ],
)
def test_filter_follows_odata(tekst: str, verwacht: bool) -> None:
    assert lees_filter(tekst, TELLINGEN)(RIJ) is verwacht


def test_a_filter_on_what_a_row_does_not_hold_yet_is_undecided() -> None:
    filter_ = lees_filter("Periodesoort eq 'jaar' and Aantal gt 10", TELLINGEN)
    assert filter_({"Periodesoort": "maand"}) is False
    assert filter_({"Periodesoort": "jaar"}) is None


@pytest.mark.parametrize(
    ("tekst", "fout"),
    [
        ("Van ge", OngeldigeOptie),
        ("Onbekend eq 1", OngeldigeOptie),
        ("Van ge 5", OngeldigeOptie),
        ("Aantal eq true", OngeldigeOptie),
        ("contains(Wijknaam, 'Schaijk')", NietOndersteund),
        ("Aantal add 1 gt 5", NietOndersteund),
    ],
)
def test_a_filter_the_feed_cannot_answer_is_refused(tekst: str, fout: type[Exception]) -> None:
    with pytest.raises(fout):
        lees_filter(tekst, TELLINGEN)


@pytest.mark.slow  # the whole grid of a year read with and without each filter
@pytest.mark.parametrize(
    "tekst",
    [
        "Van ge 2025-04-01 and Tot le 2025-06-30",
        "Periodesoort eq 'jaar' or Wijk eq '09'",
        "not (Jaar eq 2025) and Wijk eq null",
        "Periode eq '2025-K2' and Vraagtype eq 'eenzaamheid'",
    ],
)
def test_skipping_periods_never_drops_a_row(app: FastAPI, client: TestClient, tekst: str) -> None:
    # Rapportage: every cell of the grid is a row, also without registrations.
    rapportage = account(app, "powerbi", "rapportage")
    pad = "/api/v1/odata/GesprekkenPerVraagtype"
    alle = client.get(pad, headers=rapportage).json()["value"]
    gefilterd = client.get(pad, params={"$filter": tekst}, headers=rapportage).json()["value"]
    filter_ = lees_filter(tekst, TELLINGEN)

    def python(rij: dict[str, Any]) -> dict[str, Any]:
        return {**rij, "Van": date.fromisoformat(rij["Van"]), "Tot": date.fromisoformat(rij["Tot"])}

    assert gefilterd
    assert gefilterd == [r for r in alle if filter_(python(r)) is True]
