"""`Accept: <xlsx>` on tellingen and the jaaranalyse: a workbook Excel opens by double-click,
whose numbers (read back with openpyxl) are those of the JSON answer; CSV stays as it was."""

import io

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.analyse.populatie import registreer_populatie
from tests.conftest import account

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_tellingen_as_xlsx_have_labels_and_the_numbers_of_the_json(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    registreer_populatie(app, client, seed=4, aantal=25)
    rapportage = account(app, "powerbi", "rapportage")
    params = {"van": "2025-01-01", "tot": "2025-12-31", "dimensies": "wijk,vraagtype"}
    getallen = 0
    for headers in (kwartiermaker, rapportage):
        json_rijen = client.get("/api/v1/tellingen", params=params, headers=headers).json()["rijen"]
        antwoord = client.get(
            "/api/v1/tellingen", params=params, headers={**headers, "Accept": XLSX}
        )
        assert antwoord.status_code == 200
        assert antwoord.headers["content-type"] == XLSX
        assert antwoord.headers["content-disposition"].endswith('.xlsx"')
        blad = load_workbook(io.BytesIO(antwoord.content)).active
        assert blad is not None
        rijen = list(blad.iter_rows(values_only=True))
        assert rijen[0] == ("Wijk", "Wijk (omschrijving)", "Vraagtype",
                            "Vraagtype (omschrijving)", "Aantal", "Onderdrukt")  # fmt: skip
        assert len(rijen) - 1 == len(json_rijen)
        for rij, verwacht in zip(rijen[1:], json_rijen, strict=True):
            assert rij[0] == verwacht["wijk"] and rij[2] == verwacht["vraagtype"]
            assert rij[1] and rij[3]  # labels, also without labels=true
            assert rij[4] == verwacht["aantal"]
            assert rij[5] == ("ja" if verwacht["onderdrukt"] else "nee")
        aantallen = [c for c in blad["E"][1:] if c.value is not None]
        assert all(isinstance(c.value, int) and c.number_format == "#,##0" for c in aantallen)
        getallen += len(aantallen)
    # The kwartiermaker's exact counts at least: the format was checked on real numbers.
    assert getallen > 0
    # CSV is unchanged by it.
    csv = client.get(
        "/api/v1/tellingen", params=params, headers={**kwartiermaker, "Accept": "text/csv"}
    )
    assert csv.text.startswith("wijk,vraagtype,aantal,onderdrukt\r\n")


def test_jaaranalyse_as_xlsx_has_a_sheet_per_part(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    registreer_populatie(app, client, seed=5, aantal=15)
    analyse = client.get("/api/v1/jaaranalyses/2025", headers=kwartiermaker).json()
    antwoord = client.get("/api/v1/jaaranalyses/2025", headers={**kwartiermaker, "Accept": XLSX})
    assert antwoord.status_code == 200
    boek = load_workbook(io.BytesIO(antwoord.content))
    assert boek.sheetnames == ["Registraties", "Inzet", "Activiteiten", "Effect", "Ervaring",
                               "Gespecialiseerde inzet"]  # fmt: skip
    blad = boek["Registraties"]
    kop = [c.value for c in blad[1]]
    assert kop[:2] == ["Kenmerk", "Hele gemeente"]
    assert len(kop) == 2 + len(analyse["wijken"])
    waarden = {r[0]: r[1:] for r in blad.iter_rows(min_row=2, values_only=True)}
    assert waarden["aantalGesprekken"][0] == analyse["totaal"]["aantalGesprekken"] > 0
    for i, wijk in enumerate(analyse["wijken"], start=1):
        assert waarden["aantalTrajecten"][i] == wijk["aantalTrajecten"]
        for code, aantal in wijk["vraagtypen"].items():
            assert waarden[f"vraagtypen.{code}"][i] == aantal
    inzet = {r[0]: r[1] for r in boek["Inzet"].iter_rows(min_row=2, values_only=True)}
    assert inzet["normUrenPerWeek"] == analyse["totaal"]["inzet"]["normUrenPerWeek"]
