"""The annual analysis and tellingen: every figure recomputed independently of the service."""

import csv
import io
import random
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.analyse import verwacht
from tests.analyse.populatie import registreer_populatie
from tests.conftest import account

DIMENSIES = ["wijk", "maand", "vraagtype", "leeftijdsgroep", "locatie", "instroomroute",
             "afhandeling", "overdrachtdoel"]  # fmt: skip


MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"]  # fmt: skip


def _sleutel(rij: dict[str, Any], dimensies: list[str]) -> tuple[Any, ...]:
    return tuple(rij[d] for d in dimensies)


@pytest.mark.slow  # a population of 140 trajecten
def test_jaaranalyse_and_tellingen_match_an_independent_recount(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    trajecten = registreer_populatie(app, client, seed=2025, aantal=140)

    for jaar in (2024, 2025, 2026):
        response = client.get(f"/api/v1/jaaranalyses/{jaar}", headers=kwartiermaker)
        assert response.status_code == 200, response.text
        assert verwacht.contactcijfers(response.json()) == verwacht.jaaranalyse(trajecten, jaar)

    gefilterd = verwacht.contactcijfers(
        client.get("/api/v1/jaaranalyses/2025?wijk=09", headers=kwartiermaker).json()
    )
    volledig = verwacht.jaaranalyse(trajecten, 2025)
    assert gefilterd["wijken"] == [w for w in volledig["wijken"] if w["wijk"] == "09"]
    assert gefilterd["totaal"] == volledig["totaal"]

    rnd = random.Random(7)
    vragen = [([], "gesprekken"), (["wijk"], "trajecten"), (DIMENSIES, "gesprekken"),
              (DIMENSIES, "trajecten")]  # fmt: skip
    vragen += [(rnd.sample(DIMENSIES, rnd.randint(1, 3)), rnd.choice(["gesprekken", "trajecten"]))
               for _ in range(10)]  # fmt: skip
    for dimensies, meting in vragen:
        van = date(2024, rnd.randint(1, 12), rnd.randint(1, 28))
        tot = date(2025, rnd.randint(1, 12), rnd.randint(1, 28))
        response = client.get(
            "/api/v1/tellingen",
            params={"van": van.isoformat(), "tot": tot.isoformat(),
                    "dimensies": ",".join(dimensies), "meting": meting},
            headers=kwartiermaker,
        )  # fmt: skip
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["van"], body["tot"], body["meting"], body["dimensies"]) == (
            van.isoformat(), tot.isoformat(), meting, dimensies)  # fmt: skip
        gekregen = {_sleutel(r, dimensies): r["aantal"] for r in body["rijen"]}
        assert len(gekregen) == len(body["rijen"])
        assert all(r["onderdrukt"] is False for r in body["rijen"])
        assert gekregen == verwacht.tellingen(trajecten, van, tot, dimensies, meting), (
            dimensies, meting)  # fmt: skip


def test_every_wijk_and_code_is_present_with_zeros_on_an_empty_database(
    client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    body = client.get("/api/v1/jaaranalyses/2025", headers=kwartiermaker).json()
    assert verwacht.contactcijfers(body) == verwacht.jaaranalyse([], 2025)
    assert len(body["wijken"]) == 11
    assert body["totaal"]["aandeelSocialeBasis"] is None
    assert list(body["totaal"]["perMaand"]) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert body["totaal"]["vraagtypen"]["eenzaamheid"] == 0


def test_tellingen_as_csv_with_and_without_dutch_labels(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    trajecten = registreer_populatie(app, client, seed=3, aantal=15)
    params = {"van": "2024-01-01", "tot": "2025-12-31", "dimensies": "wijk,vraagtype"}
    response = client.get(
        "/api/v1/tellingen", params=params, headers={**kwartiermaker, "Accept": "text/csv"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["API-Version"] == "1.0.0"
    regels = list(csv.reader(io.StringIO(response.text)))
    assert regels[0] == ["wijk", "vraagtype", "aantal", "onderdrukt"]
    verwachte = verwacht.tellingen(trajecten, date(2024, 1, 1), date(2025, 12, 31),
                                   ["wijk", "vraagtype"], "gesprekken")  # fmt: skip
    assert {(w, v): int(n) for w, v, n, _ in regels[1:]} == verwachte
    assert {status for *_, status in regels[1:]} == {"false"}

    response = client.get(
        "/api/v1/tellingen",
        params={**params, "labels": "true"},
        headers={**kwartiermaker, "Accept": "text/csv"},
    )
    regels = list(csv.reader(io.StringIO(response.text)))
    assert regels[0] == ["wijk", "wijkOmschrijving", "vraagtype", "vraagtypeOmschrijving",
                         "aantal", "onderdrukt"]  # fmt: skip
    namen = {w.code: w.naam for w in verwacht.WIJKEN}
    labels = {c.code: c.omschrijving for c in verwacht.LIJSTEN.lijsten["vraagtypen"]}
    for wijk, wijknaam, vraagtype, omschrijving, *_ in regels[1:]:
        assert wijknaam == namen[wijk]
        assert omschrijving == labels[vraagtype]

    json_rij = client.get(
        "/api/v1/tellingen",
        params={"van": "2024-01-01", "tot": "2025-12-31", "dimensies": "maand,overdrachtdoel",
                "labels": "true"},
        headers=kwartiermaker,
    ).json()["rijen"][0]  # fmt: skip
    maand, jaar = json_rij["maandOmschrijving"].split()
    assert (jaar, maand) == (json_rij["maand"][:4], MAANDEN[int(json_rij["maand"][5:]) - 1])
    assert json_rij["overdrachtdoelOmschrijving"]


@pytest.mark.parametrize(
    ("pad", "velden"),
    [
        ("/api/v1/jaaranalyses/1999", ["jaar"]),
        ("/api/v1/jaaranalyses/twintig", ["jaar"]),
        ("/api/v1/jaaranalyses/2025?wijk=99", ["wijk"]),
        ("/api/v1/tellingen?van=2025-01-01&tot=2025-12-31&dimensies=wijk,postcode", ["dimensies"]),
        ("/api/v1/tellingen?van=2025-01-01&tot=2025-12-31&dimensies=wijk,wijk", ["dimensies"]),
        ("/api/v1/tellingen?van=2025-12-31&tot=2025-01-01", ["tot"]),
        ("/api/v1/tellingen?van=2025-02-30&tot=2025-12-31&meting=personen", ["van", "meting"]),
        ("/api/v1/tellingen?tot=2025-12-31&labels=misschien", ["van", "labels"]),
    ],
)
def test_bad_parameters_are_400_with_every_problem_named(
    client: TestClient, kwartiermaker: dict[str, str], pad: str, velden: list[str]
) -> None:
    response = client.get(pad, headers=kwartiermaker)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert sorted({p["name"] for p in body["invalidParams"]}) == sorted(velden)
    assert "postcode" not in response.text and "personen" not in response.text


def test_only_kwartiermaker_and_rapportage_read_aggregates(
    app: FastAPI, client: TestClient
) -> None:
    for rol, status in [("kwartiermaker", 200), ("rapportage", 200), ("beheerder", 403),
                        ("preventiewerker", 403)]:  # fmt: skip
        headers = account(app, rol, rol, ["09"] if rol == "preventiewerker" else [])
        for pad in ("/api/v1/jaaranalyses/2025", "/api/v1/tellingen?van=2025-01-01&tot=2025-01-31"):
            assert client.get(pad, headers=headers).status_code == status, (rol, pad)
    assert client.get("/api/v1/jaaranalyses/2025").status_code == 401
