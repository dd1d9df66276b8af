"""Effect: outside figures per wijk and year, loaded as CSV or JSON and checked as a whole."""

import csv
import io
import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from sqlalchemy import select, text

from app.indicatoren.definities import laad_indicatoren
from app.indicatoren.demo import vul_demo
from app.indicatoren.jaarcijfers import jaarcijfers
from app.indicatoren.models import IndicatorWaarde
from app.indicatoren.waarden import TABEL, vervang_jaar
from app.kern.db import new_session
from app.kern.http_middleware import MAX_BODY_BYTES
from app.kern.settings import ConfiguratieFout, Settings
from app.main import create_app
from tests.conftest import account
from tests.kern.test_schemathesis import CHECKS

URL = "/api/v1/indicatoren"
WIJKEN = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"]


def zet_csv(
    client: TestClient, headers: dict[str, str], jaar: int, tekst: str, encoding: str = "utf-8"
) -> Any:
    return client.put(
        f"{URL}/{jaar}",
        content=tekst.encode(encoding),
        headers={**headers, "Content-Type": "text/csv"},
    )


def opgeslagen(app: FastAPI, jaar: int) -> dict[tuple[str, str], float]:
    with new_session(app.state.context.engine, alleen_lezen=True) as session:
        rijen = session.execute(
            select(TABEL.c.wijk, TABEL.c.indicator, TABEL.c.waarde).where(TABEL.c.jaar == jaar)
        ).all()
    return {(r.wijk, r.indicator): r.waarde for r in rijen}


def redenen(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [(p["name"], p["reason"]) for p in response.json()["invalidParams"]]


# The definitions


def test_definitions_are_served_to_every_signed_in_role(app: FastAPI, client: TestClient) -> None:
    assert client.get(URL).status_code == 401
    for rol in ("preventiewerker", "kwartiermaker", "rapportage", "beheerder"):
        wijken = ["09"] if rol == "preventiewerker" else []
        response = client.get(URL, headers=account(app, f"a-{rol}", rol, wijken))
        assert response.status_code == 200, rol
        codes = {i["code"]: i for i in response.json()}
    for nodig in ("inwoners", "eenzaamheid_ernstig", "ervaren_regie", "mantelzorgers",
                  "wmo_clienten_per_1000", "jeugdzorg_jongeren_per_1000",
                  "ervaren_gezondheid_goed"):  # fmt: skip
        assert nodig in codes
    assert codes["inwoners"] == {
        "code": "inwoners",
        "omschrijving": "Aantal inwoners op 1 januari",
        "eenheid": "aantal",
        "bron": codes["inwoners"]["bron"],
        "hogerIsBeter": None,
        "modelschatting": False,
    }
    # GGD figures per wijk are model estimates, and say so.
    assert codes["eenzaamheid_ernstig"]["modelschatting"] is True
    assert "GGD" in codes["eenzaamheid_ernstig"]["bron"]
    assert codes["eenzaamheid_ernstig"]["hogerIsBeter"] is False
    assert codes["ervaren_regie"]["hogerIsBeter"] is True


def schrijf(tmp_path: Path, indicatoren: list[dict[str, Any]]) -> Path:
    pad = tmp_path / "indicatoren.json"
    pad.write_text(json.dumps({"indicatoren": indicatoren}), encoding="utf-8")
    return pad


INWONERS = {
    "code": "inwoners", "omschrijving": "Inwoners", "eenheid": "aantal", "bron": "CBS",
    "hogerIsBeter": None, "modelschatting": False,
}  # fmt: skip


@pytest.mark.parametrize(
    ("fout", "melding"),
    [
        ([INWONERS, INWONERS], "indicatoren[1] (inwoners): de code inwoners staat er twee keer in"),
        ([{**INWONERS, "eenheid": "procenten"}], "indicatoren[0] (inwoners).eenheid: moet een van"),
        ([{**INWONERS, "hogerIsBeter": 1}], "indicatoren[0] (inwoners).hogerIsBeter: moet true"),
        ([{k: v for k, v in INWONERS.items() if k != "hogerIsBeter"}], ".hogerIsBeter: moet true"),
        ([{**INWONERS, "modelschatting": "ja"}], "(inwoners).modelschatting: moet true of false"),
        ([{**INWONERS, "naam": "x"}], "indicatoren[0] (inwoners): onbekend veld 'naam'"),
        ([{**INWONERS, "code": "Inwoners"}], "(Inwoners): de code moet uit kleine letters"),
        ([{**INWONERS, "bron": ""}], "indicatoren[0] (inwoners).bron: moet een niet-lege tekst"),
        ([{**INWONERS, "code": "bewoners"}], "de indicator inwoners (eenheid aantal) ontbreekt"),
        ([{**INWONERS, "eenheid": "procent"}], "de indicator inwoners (eenheid aantal) ontbreekt"),
    ],
)
def test_a_wrong_definition_stops_start_up_naming_the_entry(
    tmp_path: Path, fout: list[dict[str, Any]], melding: str
) -> None:
    pad = schrijf(tmp_path, fout)
    with pytest.raises(ConfiguratieFout) as fout_info:
        create_app(Settings(database_url="sqlite://", indicatoren=pad, _env_file=None))  # type: ignore[call-arg]
    bericht = str(fout_info.value)
    assert "\n" not in bericht
    assert bericht.startswith(str(pad))
    assert melding in bericht


def test_a_gemeente_replaces_the_definitions_with_its_own_file(
    tmp_path: Path, database_url: str
) -> None:
    eigen = {**INWONERS, "code": "sporters", "omschrijving": "Wekelijkse sporters",
             "eenheid": "procent", "bron": "Eigen peiling", "hogerIsBeter": True}  # fmt: skip
    pad = schrijf(tmp_path, [INWONERS, eigen])
    app = create_app(Settings(database_url=database_url, indicatoren=pad, _env_file=None))  # type: ignore[call-arg]
    try:
        client = TestClient(app)
        kwartiermaker = account(app, "k", "kwartiermaker")
        assert [i["code"] for i in client.get(URL, headers=kwartiermaker).json()] == [
            "inwoners",
            "sporters",
        ]
        response = zet_csv(client, kwartiermaker, 2025, "wijk;indicator;waarde\n01;sporters;55\n")
        assert response.status_code == 200, response.text
        fout = zet_csv(client, kwartiermaker, 2025, "wijk;indicator;waarde\n01;eenzaamheid;5\n")
        assert redenen(fout) == [
            ("regel 2", "Onbekende indicator; kies een code uit /indicatoren.")
        ]
    finally:
        app.state.context.engine.dispose()


def test_the_packaged_definitions_load_and_every_unit_is_known() -> None:
    indicatoren = laad_indicatoren()
    assert len(indicatoren.codes) == len(set(indicatoren.codes)) >= 7


# Loading a year


DUTCH_EXCEL = (
    "\ufeffwijk;indicator;waarde\r\n"
    "01;inwoners;7215\r\n"
    "9;eenzaamheid_ernstig;12,5\r\n"  # Excel dropped the leading zero of 09
    "09;ervaren_regie;91\r\n"
    ";;\r\n"
    "\r\n"
    "gemeente;eenzaamheid_ernstig;11,2;;\r\n"
    "10;wmo_clienten_per_1000;64,25\r\n"
)


def test_dutch_excel_csv_is_stored_and_read_back(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    response = zet_csv(client, kwartiermaker, 2025, DUTCH_EXCEL)
    assert response.status_code == 200, response.text
    assert opgeslagen(app, 2025) == {
        ("01", "inwoners"): 7215,
        ("09", "eenzaamheid_ernstig"): 12.5,
        ("09", "ervaren_regie"): 91,
        ("gemeente", "eenzaamheid_ernstig"): 11.2,
        ("10", "wmo_clienten_per_1000"): 64.25,
    }
    body = client.get(f"{URL}/2025", headers=kwartiermaker).json()
    assert body == response.json()
    assert body["jaar"] == 2025
    # Per werkgebied in the order of /wijken, the gemeente last; indicators in their order.
    assert [(w["wijk"], w["indicator"]) for w in body["waarden"]] == [
        ("01", "inwoners"),
        ("09", "eenzaamheid_ernstig"),
        ("09", "ervaren_regie"),
        ("10", "wmo_clienten_per_1000"),
        ("gemeente", "eenzaamheid_ernstig"),
    ]
    schaijk = body["waarden"][1]
    assert schaijk["wijkNaam"] == "Schaijk"
    assert schaijk["waarde"] == 12.5
    assert (schaijk["eenheid"], schaijk["modelschatting"], schaijk["hogerIsBeter"]) == (
        "procent",
        True,
        False,
    )
    assert body["waarden"][-1]["wijkNaam"] == "Maashorst"


def test_comma_separated_csv_with_decimal_points_and_json_give_the_same(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    komma = 'wijk,indicator,waarde\n09,eenzaamheid_ernstig,12.5\n"01","inwoners","7215"\n'
    assert zet_csv(client, kwartiermaker, 2025, komma).status_code == 200
    uit_csv = opgeslagen(app, 2025)
    waarden = [
        {"wijk": "09", "indicator": "eenzaamheid_ernstig", "waarde": 12.5},
        {"wijk": "01", "indicator": "inwoners", "waarde": 7215},
    ]
    response = client.put(f"{URL}/2024", json={"waarden": waarden}, headers=kwartiermaker)
    assert response.status_code == 200, response.text
    assert (
        opgeslagen(app, 2024)
        == uit_csv
        == {
            ("09", "eenzaamheid_ernstig"): 12.5,
            ("01", "inwoners"): 7215,
        }
    )
    # Columns in another order are read by their names.
    omgekeerd = "waarde;wijk;indicator\n13;09;eenzaamheid_ernstig\n"
    assert zet_csv(client, kwartiermaker, 2023, omgekeerd).status_code == 200
    assert opgeslagen(app, 2023) == {("09", "eenzaamheid_ernstig"): 13}


def test_a_load_replaces_the_whole_year_and_only_that_year(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    kop = "wijk;indicator;waarde\n"
    zet_csv(client, kwartiermaker, 2024, kop + "01;inwoners;7000\n01;mantelzorgers;15\n")
    zet_csv(client, kwartiermaker, 2025, kop + "01;inwoners;7100\n01;mantelzorgers;16\n")
    response = zet_csv(client, kwartiermaker, 2025, kop + "01;inwoners;7150\n")
    assert response.status_code == 200
    assert opgeslagen(app, 2025) == {("01", "inwoners"): 7150}
    assert opgeslagen(app, 2024) == {("01", "inwoners"): 7000, ("01", "mantelzorgers"): 15}
    # The same file again changes nothing.
    assert zet_csv(client, kwartiermaker, 2025, kop + "01;inwoners;7150\n").json() == (
        response.json()
    )


def test_every_bad_csv_line_is_named_and_nothing_is_stored(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    goed = "wijk;indicator;waarde\n01;inwoners;7000\n"
    assert zet_csv(client, kwartiermaker, 2025, goed).status_code == 200
    slecht = (
        "wijk;indicator;waarde\n"
        "01;inwoners;7215\n"  # 2: good
        "99;eenzaamheid;12\n"  # 3: unknown wijk
        "01;eenzaam;12\n"  # 4: unknown indicator
        "01;eenzaamheid;twaalf\n"  # 5: not a number
        "01;eenzaamheid_ernstig;100,5\n"  # 6: percentage above 100
        "01;mantelzorgers;-3\n"  # 7: negative
        "01;inwoners;7.215,0\n"  # 8: thousands separator, and a duplicate of line 2
        "02;inwoners;7215,5\n"  # 9: a count with decimals
        "02;rapportcijfer_leefbaarheid;11\n"  # 10: a rapportcijfer above 10
        "02;wmo_clienten_per_1000;\n"  # 11: empty
        "02;mantelzorgers\n"  # 12: a cell missing
        "03;mantelzorgers;12%\n"  # 13: a % sign
        "04;mantelzorgers;1e3\n"  # 14: an exponent
        "05;mantelzorgers;nan\n"  # 15: not a number for Python either
    )
    gegeven = {
        ("regel 3", "Onbekende wijk; kies uit /wijken. Of gemeente voor de hele gemeente."),
        ("regel 4", "Onbekende indicator; kies een code uit /indicatoren."),
        ("regel 6", "Een percentage ligt tussen 0 en 100."),
        ("regel 7", "De waarde mag niet negatief zijn."),
        ("regel 8", "Deze wijk en indicator komen al voor in regel 2; elke combinatie mag "
                    "één keer."),
        ("regel 9", "Een aantal is een geheel getal (zonder decimalen of duizendtallen)."),
        ("regel 10", "Een rapportcijfer ligt tussen 1 en 10."),
        ("regel 11", "De waarde ontbreekt; laat de regel weg als het cijfer niet bekend is."),
        ("regel 12", "Verwacht 3 kolommen (wijk, indicator, waarde) met het scheidingsteken van "
                     "de eerste regel; deze regel heeft er 2."),
    }  # fmt: skip
    geen_getal = (
        "De waarde is geen getal; schrijf bijvoorbeeld 12,5 of 12.5, zonder duizendtallen, "
        "spaties of %-teken."
    )
    gegeven |= {(f"regel {n}", geen_getal) for n in (5, 8, 13, 14, 15)}
    problemen = redenen(zet_csv(client, kwartiermaker, 2025, slecht))
    assert set(problemen) == gegeven
    assert len(problemen) == len(gegeven)
    # In the order of the file, so the reader can walk down it.
    nummers = [int(naam.split()[1]) for naam, _ in problemen]
    assert nummers == sorted(nummers)
    assert opgeslagen(app, 2025) == {("01", "inwoners"): 7000}


@pytest.mark.parametrize(
    ("tekst", "verwacht"),
    [
        ("", ("regel 1", "De eerste regel moet")),
        ("\n\n", ("regel 1", "De eerste regel moet")),
        ("wijk;indicator;waarde\n", ("body", "Er staan geen waarden in")),
        ("wijk;indicator;waarde;naam\n01;inwoners;5;x\n", ("regel 1", "De eerste regel moet")),
        ("wijk;waarde\n01;5\n", ("regel 1", "De eerste regel moet")),
        ("01;inwoners;7000\n", ("regel 1", "De eerste regel moet")),
        ('wijk;indicator;waarde\n"01;inwoners;7000\n', ("regel 2", "Verwacht 3 kolommen")),
        ("\n\nwijk;indicator;waarde\n01;inwoners\n", ("regel 4", "Verwacht 3 kolommen")),
    ],
)
def test_a_file_without_its_header_or_rows_is_refused(
    app: FastAPI,
    client: TestClient,
    kwartiermaker: dict[str, str],
    tekst: str,
    verwacht: tuple[str, str],
) -> None:
    [(naam, reden)] = redenen(zet_csv(client, kwartiermaker, 2025, tekst))
    assert naam == verwacht[0]
    assert reden.startswith(verwacht[1])
    assert opgeslagen(app, 2025) == {}


def test_csv_in_another_encoding_fails_on_its_codes_not_with_a_crash(
    client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    tekst = "wijk;indicator;waarde\nZeeland é;inwoners;5\n01;inwoners;5\n"
    assert redenen(zet_csv(client, kwartiermaker, 2025, tekst, encoding="cp1252")) == [
        ("regel 2", "Onbekende wijk; kies uit /wijken. Of gemeente voor de hele gemeente.")
    ]
    nul = zet_csv(client, kwartiermaker, 2025, "wijk;indicator;waarde\n01;inw\x00oners;5\n")
    assert redenen(nul) == [("regel 2", "Onbekende indicator; kies een code uit /indicatoren.")]


def test_many_bad_lines_are_cut_off_after_a_hundred(
    client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    tekst = "wijk;indicator;waarde\n" + "".join(f"x{n};inwoners;5\n" for n in range(300))
    problemen = redenen(zet_csv(client, kwartiermaker, 2025, tekst))
    assert len(problemen) == 101
    assert problemen[-1][0] == "body"
    assert problemen[-1][1].startswith("Er zijn meer dan 100 problemen")


def test_every_bad_json_row_is_named_and_nothing_is_stored(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    def zet(body: Any) -> Any:
        return client.put(f"{URL}/2025", json=body, headers=kwartiermaker)

    goed = {"wijk": "01", "indicator": "inwoners", "waarde": 7000}
    assert zet({"waarden": [goed]}).status_code == 200
    # Shape: unknown fields, a number as text, a negative number, a field missing.
    assert set(
        redenen(
            zet(
                {
                    "waarden": [
                        {**goed, "naam": "Jan"},
                        {**goed, "waarde": "12,5"},
                        {**goed, "waarde": -1},
                        {"wijk": "01", "indicator": "inwoners"},
                    ],
                    "opmerking": "x",
                }
            )
        )
    ) == {
        ("waarden[0].naam", "Onbekend veld: dit veld hoort niet bij dit verzoek."),
        ("waarden[1].waarde", "Moet een getal zijn."),
        ("waarden[2].waarde", "Moet minstens 0 zijn."),
        ("waarden[3].waarde", "Dit veld is verplicht."),
        ("opmerking", "Onbekend veld: dit veld hoort niet bij dit verzoek."),
    }
    # The rules: all rows at once, each problem on its field.
    assert redenen(
        zet(
            {
                "waarden": [
                    goed,
                    {"wijk": "99", "indicator": "eenzaamheid", "waarde": 12},
                    {"wijk": "01", "indicator": "bestaat_niet", "waarde": 12},
                    {"wijk": "01", "indicator": "eenzaamheid", "waarde": 101},
                    {**goed, "waarde": 7001},
                    {"wijk": "02", "indicator": "inwoners", "waarde": 70.5},
                ]
            }
        )
    ) == [
        ("waarden[1].wijk", "Onbekende wijk; kies uit /wijken. Of gemeente voor de hele gemeente."),
        ("waarden[2].indicator", "Onbekende indicator; kies een code uit /indicatoren."),
        ("waarden[3].waarde", "Een percentage ligt tussen 0 en 100."),
        ("waarden[4]", "Deze wijk en indicator komen al voor in waarden[0]; elke combinatie mag "
                       "één keer."),
        ("waarden[5].waarde", "Een aantal is een geheel getal (zonder decimalen of "
                              "duizendtallen)."),
    ]  # fmt: skip
    assert redenen(zet({"waarden": []})) == [("waarden", "Moet minstens 1 element(en) bevatten.")]
    # JSON codes are exact: no leading zero added back as for a spreadsheet's CSV.
    assert redenen(zet({"waarden": [{**goed, "wijk": "1"}]}))[0][0] == "waarden[0].wijk"
    kapot = client.put(
        f"{URL}/2025",
        content=b'{"waarden": [',
        headers={**kwartiermaker, "Content-Type": "application/json"},
    )
    assert redenen(kapot) == [("body", "De body is geen geldige JSON.")]
    assert opgeslagen(app, 2025) == {("01", "inwoners"): 7000}


# Who may do what


def test_every_role_gets_its_answer_on_the_values(app: FastAPI, client: TestClient) -> None:
    csv_kop = {"Content-Type": "text/csv"}
    tekst = b"wijk;indicator;waarde\n01;inwoners;7000\n"
    assert client.put(f"{URL}/2025", content=tekst, headers=csv_kop).status_code == 401
    assert client.get(f"{URL}/2025").status_code == 401
    kwartiermaker = account(app, "k", "kwartiermaker")
    rapportage = account(app, "r", "rapportage")
    for rol, kop in (
        ("preventiewerker", account(app, "w", "preventiewerker", ["01"])),
        ("rapportage", rapportage),
        ("beheerder", account(app, "b", "beheerder")),
    ):
        response = client.put(f"{URL}/2025", content=tekst, headers={**kop, **csv_kop})
        assert response.status_code == 403, rol
        assert response.headers["content-type"] == "application/problem+json"
    # A wrong role hears 403 before anything about its (bad) input.
    slecht = client.put(f"{URL}/2025", content=b"onzin", headers={**rapportage, **csv_kop})
    assert slecht.status_code == 403
    assert opgeslagen(app, 2025) == {}
    assert client.put(f"{URL}/2025", content=tekst, headers={**kwartiermaker, **csv_kop}).is_success
    for rol, kop in (
        ("preventiewerker", account(app, "w2", "preventiewerker", ["01"])),
        ("beheerder", account(app, "b2", "beheerder")),
    ):
        assert client.get(f"{URL}/2025", headers=kop).status_code == 403, rol
    # Published figures: the rapportage role sees them as they are, also a small count.
    exact = client.get(f"{URL}/2025", headers=kwartiermaker).json()
    assert client.get(f"{URL}/2025", headers=rapportage).json() == exact
    assert exact["waarden"][0]["waarde"] == 7000


# The request gate


def test_only_this_path_takes_csv_and_the_size_limit_holds(
    client: TestClient, werker: dict[str, str], kwartiermaker: dict[str, str]
) -> None:
    tekst = b"wijk;indicator;waarde\n01;inwoners;7000\n"
    elders = client.post(
        "/api/v1/trajecten", content=tekst, headers={**werker, "Content-Type": "text/csv"}
    )
    assert elders.status_code == 415
    assert elders.json()["detail"] == "Stuur de body als JSON met 'Content-Type: application/json'."
    platte_tekst = client.put(
        f"{URL}/2025", content=tekst, headers={**kwartiermaker, "Content-Type": "text/plain"}
    )
    assert platte_tekst.status_code == 415
    assert "text/csv" in platte_tekst.json()["detail"]
    groot = b"wijk;indicator;waarde\n" + b"01;inwoners;7000\n" * (MAX_BODY_BYTES // 17 + 1)
    te_groot = client.put(
        f"{URL}/2025", content=groot, headers={**kwartiermaker, "Content-Type": "text/csv"}
    )
    assert te_groot.status_code == 413
    # Brackets mean nothing in CSV: the JSON nesting check does not apply to it.
    haken = "wijk;indicator;waarde\n" + "[" * 40 + ";inwoners;5\n"
    assert redenen(zet_csv(client, kwartiermaker, 2025, haken))[0][0] == "regel 2"
    # A charset parameter is fine.
    met_charset = client.put(
        f"{URL}/2025",
        content=tekst,
        headers={**kwartiermaker, "Content-Type": "text/csv; charset=utf-8"},
    )
    assert met_charset.status_code == 200


def test_values_as_rfc_4180_csv(client: TestClient, kwartiermaker: dict[str, str]) -> None:
    zet_csv(client, kwartiermaker, 2025, DUTCH_EXCEL)
    response = client.get(f"{URL}/2025", headers={**kwartiermaker, "Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text.startswith(
        "jaar,wijk,wijkNaam,indicator,waarde,eenheid,modelschatting,hogerIsBeter,omschrijving,"
        "bron\r\n2025,01,Centrum,inwoners,7215,aantal,false,,Aantal inwoners op 1 januari,"
    )
    rijen = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["wijk"], r["indicator"], r["waarde"]) for r in rijen] == [
        ("01", "inwoners", "7215"),
        ("09", "eenzaamheid_ernstig", "12.5"),
        ("09", "ervaren_regie", "91"),
        ("10", "wmo_clienten_per_1000", "64.25"),
        ("gemeente", "eenzaamheid_ernstig", "11.2"),
    ]
    assert rijen[1]["modelschatting"] == "true"
    assert rijen[1]["hogerIsBeter"] == "false"
    assert "," in rijen[1]["bron"]  # quoted as RFC 4180 asks
    leeg = client.get(f"{URL}/2019", headers={**kwartiermaker, "Accept": "text/csv"})
    assert leeg.text.count("\r\n") == 1


# The jaarcijfers section


def test_jaarcijfers_give_this_year_the_year_before_and_the_direction(app: FastAPI) -> None:
    context = app.state.context
    with new_session(context.engine) as session:
        vorig = [("01", "eenzaamheid_ernstig", 12.0), ("01", "ervaren_regie", 90.0),
                 ("01", "mantelzorgers", 15.0), ("01", "vrijwilligerswerk", 30.0),
                 ("02", "eenzaamheid_ernstig", 10.0),
                 ("gemeente", "eenzaamheid_ernstig", 11.0)]  # fmt: skip
        nu = [("01", "eenzaamheid_ernstig", 10.5), ("01", "ervaren_regie", 88.0),
              ("01", "mantelzorgers", 16.0), ("01", "vrijwilligerswerk", 30.0),
              ("03", "eenzaamheid_ernstig", 9.0),
              ("gemeente", "eenzaamheid_ernstig", 10.0)]  # fmt: skip
        vervang_jaar(session, 2024, vorig)
        vervang_jaar(session, 2025, nu)
        vervang_jaar(session, 2023, [("01", "eenzaamheid_ernstig", 50.0)])
        cijfers = jaarcijfers(session, context, 2025, None)
        beschermd = jaarcijfers(session, context, 2025, context.settings.min_cel)
    assert beschermd == cijfers  # published figures: no small-number protection
    assert list(cijfers) == [*WIJKEN, None]
    for effect in cijfers.values():
        assert list(effect.indicatoren) == context.indicatoren.codes
    centrum = {c: v.model_dump(by_alias=True) for c, v in cijfers["01"].indicatoren.items()}
    assert centrum["eenzaamheid_ernstig"] == {
        "waarde": 10.5, "vorigJaar": 12.0, "verschil": -1.5, "richting": "beter",
        "modelschatting": True, "berekend": False,
    }  # fmt: skip
    assert centrum["ervaren_regie"]["richting"] == "slechter"
    assert centrum["mantelzorgers"]["richting"] == "hoger"  # neutral: no judgement
    assert centrum["vrijwilligerswerk"]["richting"] == "gelijk"
    assert centrum["inwoners"] == {
        "waarde": None, "vorigJaar": None, "verschil": None, "richting": None,
        "modelschatting": False, "berekend": False,
    }  # fmt: skip
    west = cijfers["02"].indicatoren["eenzaamheid_ernstig"]
    midden = cijfers["03"].indicatoren["eenzaamheid_ernstig"]
    assert (west.waarde, west.vorig_jaar, west.richting) == (None, 10.0, None)
    assert (midden.waarde, midden.vorig_jaar, midden.richting) == (9.0, None, None)
    gemeente = cijfers[None].indicatoren["eenzaamheid_ernstig"]
    assert (gemeente.waarde, gemeente.vorig_jaar, gemeente.richting) == (10.0, 11.0, "beter")
    assert gemeente.berekend is False
    # A share is not computed from the wijken: only the source gives it for the gemeente.
    assert cijfers[None].indicatoren["ervaren_regie"].waarde is None


def test_gemeente_counts_and_rates_follow_from_every_wijk(app: FastAPI) -> None:
    context = app.state.context
    inwoners = {w: 1000 * (n + 1) for n, w in enumerate(WIJKEN)}
    wmo = {w: 50.0 + n for n, w in enumerate(WIJKEN)}
    nu = [(w, "inwoners", float(inwoners[w])) for w in WIJKEN]
    nu += [(w, "wmo_clienten_per_1000", wmo[w]) for w in WIJKEN]
    with new_session(context.engine) as session:
        vervang_jaar(session, 2025, nu)
        # One wijk missing the year before: no gemeente figure then.
        vervang_jaar(session, 2024, [r for r in nu if r[0] != "11"])
        cijfers = jaarcijfers(session, context, 2025, None)
        # The gemeente's own figure wins over the computed one.
        vervang_jaar(session, 2025, [*nu, ("gemeente", "inwoners", 70_000.0)])
        gegeven = jaarcijfers(session, context, 2025, None)
    totaal = cijfers[None].indicatoren["inwoners"]
    assert (totaal.waarde, totaal.vorig_jaar, totaal.berekend) == (66_000, None, True)
    clienten = sum(inwoners[w] * wmo[w] / 1000 for w in WIJKEN)
    per_1000 = cijfers[None].indicatoren["wmo_clienten_per_1000"]
    assert per_1000.waarde == round(1000 * clienten / 66_000, 1)
    assert per_1000.berekend is True
    assert gegeven[None].indicatoren["inwoners"].waarde == 70_000
    assert gegeven[None].indicatoren["inwoners"].berekend is False


# Demo data


def test_demo_fills_every_wijk_and_indicator_plausibly_and_deterministically(
    app: FastAPI,
) -> None:
    context = app.state.context
    with new_session(context.engine) as session:
        aantal = vul_demo(session, context, 2025, seed=7)
        vul_demo(session, context, 2024, seed=7)
        eerste = opgeslagen(app, 2025)
        assert aantal == len(eerste)
        assert vul_demo(session, context, 2025, seed=7) == aantal
        assert opgeslagen(app, 2025) == eerste
        vul_demo(session, context, 2025, seed=8)
        assert opgeslagen(app, 2025) != eerste
        vul_demo(session, context, 2025, seed=7)
        cijfers = jaarcijfers(session, context, 2025, None)
    assert {(w, i) for w in WIJKEN for i in context.indicatoren.codes} <= set(eerste)
    for wijk in WIJKEN:
        for code, cijfer in cijfers[wijk].indicatoren.items():
            assert cijfer.waarde is not None and cijfer.vorig_jaar is not None, (wijk, code)
            assert cijfer.richting is not None
        inwoners = eerste[(wijk, "inwoners")]
        # Uden's areas are larger than the villages (Volkel .. Zeeland).
        assert (5_000 <= inwoners <= 9_500) if wijk <= "06" else (1_500 <= inwoners <= 6_500)
        assert 0 <= eerste[(wijk, "eenzaamheid_ernstig")] <= 100
        assert 1 <= eerste[(wijk, "rapportcijfer_leefbaarheid")] <= 10
    for code in context.indicatoren.codes:
        assert cijfers[None].indicatoren[code].waarde is not None, code


# Two loads of one year at once


def test_two_loads_of_one_year_at_once_leave_the_last_one(app: FastAPI, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one write at a time: the loads cannot overlap")
    context = app.state.context
    # The first load has written its row but not yet committed.
    eerste = new_session(context.engine)
    eerste.execute(
        IndicatorWaarde.__table__.insert(),  # type: ignore[attr-defined]
        {"jaar": 2025, "wijk": "01", "indicator": "inwoners", "waarde": 1.0},
    )
    fout: list[BaseException] = []

    def tweede() -> None:
        try:
            with new_session(context.engine) as session:
                vervang_jaar(session, 2025, [("01", "inwoners", 2.0)])
        except BaseException as e:
            fout.append(e)

    draad = threading.Thread(target=tweede)
    draad.start()
    # Wait until the second load waits for the first one's uncommitted row.
    with new_session(context.engine) as kijker:
        einde = time.monotonic() + 10
        while not kijker.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar():
            assert time.monotonic() < einde, "de tweede lading wacht niet"
            kijker.rollback()
            time.sleep(0.01)
    eerste.commit()
    eerste.close()
    draad.join(10)
    assert fout == []
    assert opgeslagen(app, 2025) == {("01", "inwoners"): 2.0}


# Hostile input as the kwartiermaker (the shared schemathesis test signs in as a worker, who
# only ever hears 403 here)

OPERATIES = [
    ("GET", "/indicatoren"),
    ("PUT", "/indicatoren/{jaar}"),
    ("GET", "/indicatoren/{jaar}"),
]


@pytest.mark.slow  # generated requests (schemathesis)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIES, ids=[f"{m} {p}" for m, p in OPERATIES])
def test_no_operation_fails_or_strays_from_the_document_for_the_kwartiermaker(
    app: FastAPI, kwartiermaker: dict[str, str], method: str, path: str, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operation = next(
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().method.upper() == method and result.ok().path == path
    )

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=40,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=kwartiermaker, checks=CHECKS)

    run()


def test_every_load_is_in_the_audit_log_with_its_year_and_row_counts(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    beheerder = account(app, "beheerder", "beheerder")
    kop = "wijk;indicator;waarde\n"
    assert zet_csv(client, kwartiermaker, 2024, kop + "01;inwoners;7000\n").status_code == 200
    drie = kop + "01;inwoners;7100\n02;inwoners;5000\ngemeente;inwoners;70000\n"
    assert zet_csv(client, kwartiermaker, 2024, drie).status_code == 200
    # A refused file changes nothing, so it leaves no line either.
    assert zet_csv(client, kwartiermaker, 2024, kop + "99;inwoners;1\n").status_code == 400

    regels = [
        r
        for r in client.get("/api/v1/auditregels", headers=beheerder).json()["items"]
        if r["actie"] == "indicatoren_geladen"
    ]
    assert [(r["account"], r["onderwerp"], r["wijzigingen"]) for r in regels] == [
        ("kwartiermaker", "2024", [{"veld": "waarden", "oud": 1, "nieuw": 3}]),
        ("kwartiermaker", "2024", [{"veld": "waarden", "oud": 0, "nieuw": 1}]),
    ]
