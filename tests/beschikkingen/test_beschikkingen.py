"""Gespecialiseerde inzet: beschikkingen per wijk and voorziening, read in as a whole, shown
beside the handovers to specialised care with a trend against the base year."""

import csv
import dataclasses
import io
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.beschikkingen.demo import vul_demo
from app.beschikkingen.jaarcijfers import jaarcijfers, overdrachtencel
from app.beschikkingen.models import BeschikkingAantal
from app.beschikkingen.tabel import TOTAAL
from app.indicatoren.models import IndicatorWaarde
from app.kern.db import new_session
from app.publicatie.jaaranalyse import celnaam
from app.trajecten.models import Traject
from tests.conftest import account
from tests.publicatie.belofte import gepubliceerd
from tests.registraties import eerste_gesprek, gesprek, warme_overdracht

PAD = "/api/v1/beschikkingen"
K = 5  # settings.min_cel by default
CSV = {"Content-Type": "text/csv"}
WIJKEN = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"]
VOORZIENINGEN = ["wmo_begeleiding", "wmo_huishoudelijke_hulp", "wmo_hulpmiddelen",
                 "wmo_dagbesteding", "jeugdhulp_ambulant", "jeugdhulp_verblijf",
                 "schuldhulpverlening", "participatie"]  # fmt: skip


def als_csv(regels: list[str], scheiding: str = ";", bom: bool = False) -> bytes:
    tekst = "\r\n".join(["wijk;voorziening;aantal".replace(";", scheiding), *regels]) + "\r\n"
    return (("\ufeff" if bom else "") + tekst).encode()


def volledig(aantal: int = 20) -> dict[str, Any]:
    """Every wijk and voorziening, with a count that tells them apart."""
    return {
        "aantallen": [
            {"wijk": w, "voorziening": v, "aantal": aantal + i * 10 + j}
            for i, w in enumerate(WIJKEN)
            for j, v in enumerate(VOORZIENINGEN)
        ]
    }


def tabel(antwoord: dict[str, Any]) -> dict[tuple[str, str], int | None]:
    return {(r["wijk"], r["voorziening"]): r["aantal"] for r in antwoord["aantallen"]}


def aantal_rijen(app: FastAPI) -> int:
    with new_session(app.state.context.engine) as session:
        return session.scalar(select(func.count()).select_from(BeschikkingAantal))  # type: ignore[no-any-return]


def test_a_csv_file_from_excel_replaces_the_year_and_reads_back_with_zeros(
    client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    # Excel's export: semicolons, a BOM, the leading zero of 09 lost, an empty line at the end.
    regels = ["9;wmo_begeleiding;12", "01;jeugdhulp_verblijf;0", " 02 ; participatie ; 7", ""]
    body = als_csv(regels, bom=True)
    response = client.put(f"{PAD}/2025", content=body, headers={**kwartiermaker, **CSV})
    assert response.status_code == 200, response.text
    assert response.json()["jaar"] == 2025

    gelezen = client.get(f"{PAD}/2025", headers=kwartiermaker)
    assert gelezen.status_code == 200
    assert gelezen.json() == response.json()
    aantallen = tabel(gelezen.json())
    assert len(aantallen) == len(WIJKEN) * len(VOORZIENINGEN)
    assert aantallen[("09", "wmo_begeleiding")] == 12
    assert aantallen[("02", "participatie")] == 7
    assert sum(v for v in aantallen.values() if v) == 19
    assert not any(r["onderdrukt"] for r in gelezen.json()["aantallen"])

    # A new file for the year replaces it as a whole, with commas this time.
    body = als_csv(["03,wmo_dagbesteding,5"], scheiding=",")
    assert client.put(f"{PAD}/2025", content=body, headers={**kwartiermaker, **CSV}).is_success
    aantallen = tabel(client.get(f"{PAD}/2025", headers=kwartiermaker).json())
    assert aantallen[("09", "wmo_begeleiding")] == 0
    assert aantallen[("03", "wmo_dagbesteding")] == 5
    assert sum(v for v in aantallen.values() if v) == 5
    # Another year is untouched and unknown until read in.
    assert client.get(f"{PAD}/2024", headers=kwartiermaker).status_code == 404


def test_json_body_and_csv_export_round_trip(
    client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    response = client.put(f"{PAD}/2024", json=volledig(), headers=kwartiermaker)
    assert response.status_code == 200, response.text
    export = client.get(f"{PAD}/2024", headers={**kwartiermaker, "Accept": "text/csv"})
    assert export.status_code == 200
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    assert export.text.startswith("wijk,voorziening,aantal\r\n")
    rijen = list(csv.DictReader(io.StringIO(export.text)))
    assert len(rijen) == len(WIJKEN) * len(VOORZIENINGEN)
    assert {(r["wijk"], r["voorziening"]): int(r["aantal"]) for r in rijen} == {
        (r["wijk"], r["voorziening"]): r["aantal"] for r in volledig()["aantallen"]
    }
    # The export is a valid upload for another year.
    opnieuw = client.put(f"{PAD}/2023", content=export.content, headers={**kwartiermaker, **CSV})
    assert opnieuw.status_code == 200, opnieuw.text
    assert tabel(opnieuw.json()) == tabel(response.json())


def test_one_bad_row_refuses_the_file_and_names_every_bad_row(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    assert client.put(f"{PAD}/2025", json=volledig(), headers=kwartiermaker).is_success
    body = als_csv([
        "01;wmo_begeleiding;12",      # 2: good
        "99;wmo_begeleiding;3",       # 3: unknown wijk
        "02;bestaat_niet;3",          # 4: unknown voorziening
        "03;participatie;2,5",        # 5: not a whole number
        "04;participatie;-3",         # 6: negative
        "01;wmo_begeleiding;1",       # 7: duplicate of line 2
        "05;participatie",            # 8: a column short
        "06;participatie;",           # 9: no count
        "99;bestaat_niet;x",          # 10: three problems at once
    ])  # fmt: skip
    response = client.put(f"{PAD}/2025", content=body, headers={**kwartiermaker, **CSV})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problemen = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert set(problemen) == {
        "regel[3].wijk", "regel[4].voorziening", "regel[5].aantal", "regel[6].aantal",
        "regel[7]", "regel[8]", "regel[9].aantal", "regel[10].wijk", "regel[10].voorziening",
        "regel[10].aantal",
    }  # fmt: skip
    assert problemen["regel[3].wijk"] == "Onbekende wijk; kies uit /wijken."
    assert problemen["regel[6].aantal"] == "Mag niet negatief zijn."
    assert "regel[2]" in problemen["regel[7]"]
    # Never an echo of what was sent.
    assert "bestaat_niet" not in response.text and "2,5" not in response.text
    # Nothing stored: the earlier upload of the year stands.
    aantallen = tabel(client.get(f"{PAD}/2025", headers=kwartiermaker).json())
    assert aantallen == {
        (r["wijk"], r["voorziening"]): r["aantal"] for r in volledig()["aantallen"]
    }
    assert aantal_rijen(app) == len(WIJKEN) * len(VOORZIENINGEN)


def test_bad_json_names_every_problem_and_stores_nothing(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    body = {
        "aantallen": [
            {"wijk": "01", "voorziening": "wmo_begeleiding", "aantal": 3},
            {"wijk": "01", "voorziening": "wmo_begeleiding", "aantal": 4},
            {"wijk": "77", "voorziening": "geen_code", "aantal": -1},
            {"wijk": "02", "voorziening": "participatie", "aantal": 2.5},
            {"wijk": "03", "voorziening": "participatie", "aantal": "4"},
            {"wijk": "04", "voorziening": "participatie", "aantal": 4, "naam": "Jansen"},
            {"wijk": "05", "voorziening": "participatie"},
        ],
        "bron": "x",
    }
    response = client.put(f"{PAD}/2025", json=body, headers=kwartiermaker)
    assert response.status_code == 400
    namen = {p["name"] for p in response.json()["invalidParams"]}
    assert namen == {
        "aantallen[1]", "aantallen[2].wijk", "aantallen[2].voorziening", "aantallen[2].aantal",
        "aantallen[3].aantal", "aantallen[4].aantal", "aantallen[5].naam",
        "aantallen[6].aantal", "bron",
    }  # fmt: skip
    assert "Jansen" not in response.text
    assert aantal_rijen(app) == 0

    for fout, naam in [(b"{", "body"), (b'{"aantallen": []}', "aantallen"), (b"[]", "body")]:
        response = client.put(
            f"{PAD}/2025",
            content=fout,
            headers={**kwartiermaker, "Content-Type": "application/json"},
        )
        assert response.status_code == 400, fout
        assert [p["name"] for p in response.json()["invalidParams"]] == [naam]
    assert aantal_rijen(app) == 0


def test_a_file_that_is_no_table_of_beschikkingen_is_refused(
    client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    gevallen = {
        b"wijk;voorziening\r\n01;participatie\r\n": "regel[1]",
        b"wijk;voorziening;aantal;naam\r\n01;participatie;3;Jansen\r\n": "regel[1]",
        b"": "regel[1]",
        b"wijk;voorziening;aantal\r\n": "body",
        "wijk;voorziening;aantal\r\n01;participatie;3\r\n".encode("utf-16"): "body",
    }
    for body, naam in gevallen.items():
        response = client.put(f"{PAD}/2025", content=body, headers={**kwartiermaker, **CSV})
        assert response.status_code == 400, body
        assert [p["name"] for p in response.json()["invalidParams"]] == [naam], body
    assert client.get(f"{PAD}/2025", headers=kwartiermaker).status_code == 404


def test_the_request_gate_lets_csv_through_only_here_and_keeps_the_size_limit(
    client: TestClient, kwartiermaker: dict[str, str], werker: dict[str, str]
) -> None:
    tekst = {**kwartiermaker, "Content-Type": "text/plain"}
    response = client.put(f"{PAD}/2025", content=b"wijk;voorziening;aantal\r\n", headers=tekst)
    assert response.status_code == 415
    assert "text/csv" in response.json()["detail"]
    # Elsewhere CSV stays refused.
    response = client.post("/api/v1/trajecten", content=b"a;b\r\n", headers={**werker, **CSV})
    assert response.status_code == 415
    groot = als_csv(["01;participatie;3"] * 5000)
    assert len(groot) > 64 * 1024
    response = client.put(f"{PAD}/2025", content=groot, headers={**kwartiermaker, **CSV})
    assert response.status_code == 413


def test_every_role_gets_its_answer(app: FastAPI, client: TestClient) -> None:
    kwartiermaker = account(app, "kwartiermaker", "kwartiermaker")
    assert client.put(f"{PAD}/2025", json=volledig(), headers=kwartiermaker).is_success
    rollen = {
        "kwartiermaker": (200, 200),
        "rapportage": (403, 200),
        "preventiewerker": (403, 403),
        "beheerder": (403, 403),
    }
    for rol, (schrijven, lezen) in rollen.items():
        headers = (
            kwartiermaker
            if rol == "kwartiermaker"
            else account(app, rol, rol, ["09"] if rol == "preventiewerker" else None)
        )
        assert client.put(f"{PAD}/2025", json=volledig(), headers=headers).status_code == schrijven
        assert client.put(f"{PAD}/2025", content=als_csv(["01;participatie;3"]),
                          headers={**headers, **CSV}).status_code == schrijven  # fmt: skip
        assert client.get(f"{PAD}/2025", headers=headers).status_code == lezen
    # Without a token; and a caller without access learns nothing about its input.
    assert client.put(f"{PAD}/2025", json=volledig()).status_code == 401
    assert client.put(f"{PAD}/2025", content=b"x", headers=CSV).status_code == 401
    assert client.get(f"{PAD}/2025").status_code == 401
    werker = account(app, "werker", "preventiewerker", ["09"])
    assert client.put(f"{PAD}/2025", content=b"x", headers={**werker, **CSV}).status_code == 403
    assert client.get(f"{PAD}/2025", headers={"Authorization": "Bearer onzin"}).status_code == 401


def klein_jaar(groot: int = 40) -> dict[str, Any]:
    """Large counts everywhere, except jeugdhulp_verblijf in 08 (0), 09 (2) and 10 (1)."""
    body = volledig(groot)
    klein = {"08": 0, "09": 2, "10": 1}
    for rij in body["aantallen"]:
        if rij["voorziening"] == "jeugdhulp_verblijf" and rij["wijk"] in klein:
            rij["aantal"] = klein[rij["wijk"]]
    return body


def gecorrigeerd(groot: int) -> dict[str, Any]:
    """A new file for a klein_jaar: every count changed, the 2, the 1 and the 0 now 50."""
    body = klein_jaar(groot)
    for rij in body["aantallen"]:
        if rij["voorziening"] == "jeugdhulp_verblijf" and rij["wijk"] in ("08", "09", "10"):
            rij["aantal"] = 50
    return body


def test_rapportage_sees_published_counts_that_a_new_upload_does_not_change(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    rapportage = account(app, "rapportage", "rapportage")
    # Asked before the year is read in: that must not fix its cells as hidden.
    assert client.get(f"{PAD}/2025", headers=rapportage).status_code == 404
    body = klein_jaar()
    assert client.put(f"{PAD}/2025", json=body, headers=kwartiermaker).is_success
    echt = tabel(body)
    antwoord = client.get(f"{PAD}/2025", headers=rapportage)
    assert antwoord.status_code == 200
    aantallen = tabel(antwoord.json())
    assert all(gepubliceerd(aantallen[c], n) for c, n in echt.items())
    assert [aantallen[(w, "jeugdhulp_verblijf")] for w in ("08", "09", "10")] == [None] * 3
    assert all(r["onderdrukt"] == (r["aantal"] is None) for r in antwoord.json()["aantallen"])
    # Noise, not the exact counts: with 85 counts shown, all exact would be a broken release.
    assert any(v is not None and v != echt[c] for c, v in aantallen.items())
    export = client.get(f"{PAD}/2025", headers={**rapportage, "Accept": "text/csv"})
    rijen = list(csv.DictReader(io.StringIO(export.text)))
    assert {(r["wijk"], r["voorziening"]): int(r["aantal"]) if r["aantal"] else None
            for r in rijen} == aantallen  # fmt: skip

    # A new upload for the closed year: the kwartiermaker sees it, rapportage what it saw, also
    # where a hidden 2, 1 and 0 have grown past k (a new file may fill any cell, so the
    # beschikkingen store their empty cells too).
    nieuw = gecorrigeerd(200)
    assert client.put(f"{PAD}/2025", json=nieuw, headers=kwartiermaker).is_success
    assert client.get(f"{PAD}/2025", headers=rapportage).json() == antwoord.json()
    assert tabel(client.get(f"{PAD}/2025", headers=kwartiermaker).json()) == tabel(nieuw)

    # A year that is not over (and its wachttijd passed) is refused, read in or not.
    dit_jaar = app.state.context.vandaag().year
    assert client.put(f"{PAD}/{dit_jaar}", json=volledig(), headers=kwartiermaker).is_success
    te_vroeg = client.get(f"{PAD}/{dit_jaar}", headers=rapportage)
    assert te_vroeg.status_code == 400
    assert [p["name"] for p in te_vroeg.json()["invalidParams"]] == ["jaar"]
    assert client.get(f"{PAD}/{dit_jaar}", headers=kwartiermaker).status_code == 200


def registreer(client: TestClient, app: FastAPI) -> None:
    """Handovers in 2025 in Schaijk (09): two to specialised care, one to the sociale basis;
    and one to specialised care in 2024 in Centrum (01)."""
    schaijk = account(app, "schaijk", "preventiewerker", ["09"])
    centrum = account(app, "centrum", "preventiewerker", ["01"])
    for doel in ("gemeentelijke_toegang", "ggz", "welzijnswerk"):
        body = eerste_gesprek(gesprek=warme_overdracht(doel, datum="2025-02-03"))
        assert client.post("/api/v1/trajecten", json=body, headers=schaijk).status_code == 201
    # Begun in 2024, handed over in 2025: it counts in 2024, the year of its first gesprek.
    body = eerste_gesprek(wijk="01", gesprek=gesprek(datum="2024-11-20"))
    begin = client.post("/api/v1/trajecten", json=body, headers=centrum)
    assert begin.status_code == 201, begin.text
    vervolg = warme_overdracht("huisarts", datum="2025-01-10")
    assert client.post(f"/api/v1/trajecten/{begin.json()['code']}/gesprekken", json=vervolg,
                       headers=centrum).status_code == 201  # fmt: skip


def zet_inwoners(app: FastAPI, jaar: int, per_wijk: dict[str, float]) -> None:
    with new_session(app.state.context.engine) as session:
        for wijk, waarde in per_wijk.items():
            session.add(IndicatorWaarde(jaar=jaar, wijk=wijk, indicator="inwoners", waarde=waarde))
        session.commit()


def test_jaarcijfers_for_the_kwartiermaker(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    registreer(client, app)
    for jaar, aantal in ((2023, 50), (2024, 40), (2025, 30)):
        assert client.put(f"{PAD}/{jaar}", json=volledig(aantal), headers=kwartiermaker).is_success
    # Population of 2024 only: 2025 uses it (CBS lags); every wijk known, so also the gemeente.
    zet_inwoners(app, 2024, {w: 1000.0 + 100 * i for i, w in enumerate(WIJKEN)})
    context = app.state.context
    with new_session(context.engine) as session:
        cijfers = jaarcijfers(session, context, 2025, None)
    assert set(cijfers) == {*WIJKEN, None}

    schaijk = cijfers["09"]  # index 8: counts 30 + 80 + j in 2025, 40 + 80 + j in 2024 (base)
    assert (schaijk.jaar, schaijk.ingelezen) == (2025, True)
    assert schaijk.voorzieningen["wmo_begeleiding"] == 110
    assert schaijk.vorig_jaar.voorzieningen["wmo_begeleiding"] == 120
    assert schaijk.basisjaar.jaar == 2024 == context.settings.beschikkingen_basisjaar
    assert schaijk.basisjaar.voorzieningen["participatie"] == 127
    assert schaijk.trend["wmo_begeleiding"] == round(100 * 110 / 120, 1) == 91.7
    assert schaijk.totaal == sum(110 + j for j in range(8))
    assert schaijk.trend_totaal == round(100 * schaijk.totaal / schaijk.basisjaar.totaal, 1)
    assert schaijk.totaal_per_1000_inwoners == round(1000 * schaijk.totaal / 1800, 1)
    assert schaijk.overdrachten_gespecialiseerd == 2
    assert schaijk.vorig_jaar.overdrachten_gespecialiseerd == 0
    assert cijfers["01"].overdrachten_gespecialiseerd == 0
    assert cijfers["01"].vorig_jaar.overdrachten_gespecialiseerd == 1

    gemeente = cijfers[None]
    assert gemeente.totaal == sum(r["aantal"] for r in volledig(30)["aantallen"])
    assert gemeente.voorzieningen["participatie"] == sum(30 + 10 * i + 7 for i in range(11))
    assert gemeente.overdrachten_gespecialiseerd == 2
    assert gemeente.vorig_jaar.overdrachten_gespecialiseerd == 1
    inwoners = sum(1000.0 + 100 * i for i in range(11))
    assert gemeente.totaal_per_1000_inwoners == round(1000 * gemeente.totaal / inwoners, 1)
    # 2022 is not read in: its figures are empty, not zero.
    assert cijfers["09"].vorig_jaar.ingelezen is True
    with new_session(context.engine) as session:
        ouder = jaarcijfers(session, context, 2023, None)["09"]
    assert ouder.vorig_jaar.ingelezen is False
    assert (
        ouder.vorig_jaar.totaal is None and ouder.vorig_jaar.voorzieningen["participatie"] is None
    )
    assert ouder.totaal_per_1000_inwoners is None  # no population for 2023 or before

    # Another base year: the trend follows the setting; a base of 0 gives no index.
    body = volledig(50)
    body["aantallen"][8 * 8]["aantal"] = 0  # 09, wmo_begeleiding
    assert client.put(f"{PAD}/2023", json=body, headers=kwartiermaker).is_success
    anders = dataclasses.replace(
        context, settings=context.settings.model_copy(update={"beschikkingen_basisjaar": 2023})
    )
    with new_session(context.engine) as session:
        schaijk = jaarcijfers(session, anders, 2025, None)["09"]
    assert schaijk.basisjaar.jaar == 2023
    assert schaijk.trend["wmo_begeleiding"] is None
    assert schaijk.trend["participatie"] == round(100 * 117 / 137, 1)


def overdrachten_in_2024(client: TestClient, app: FastAPI, aantal: int) -> None:
    """Trajecten begun in Schaijk (09) in 2024, each handed over to ggz (gespecialiseerd)."""
    schaijk = account(app, f"schaijk{aantal}", "preventiewerker", ["09"])
    for _ in range(aantal):
        body = eerste_gesprek(gesprek=warme_overdracht("ggz", datum="2024-03-05"))
        assert client.post("/api/v1/trajecten", json=body, headers=schaijk).status_code == 201


def index(nu: int | None, basis: int | None) -> float | None:
    return None if nu is None or not basis else round(100 * nu / basis, 1)


def test_the_jaaranalyse_shows_rapportage_the_same_cells_and_derives_from_what_is_shown(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    registreer(client, app)
    overdrachten_in_2024(client, app, 35)
    assert client.put(f"{PAD}/2025", json=klein_jaar(), headers=kwartiermaker).is_success
    assert client.put(f"{PAD}/2024", json=klein_jaar(60), headers=kwartiermaker).is_success
    zet_inwoners(app, 2025, {w: 2000.0 for w in WIJKEN})
    rapportage = account(app, "rapportage", "rapportage")
    context = app.state.context
    with new_session(context.engine) as session:
        exact = jaarcijfers(session, context, 2025, None)

    analyse = client.get("/api/v1/jaaranalyses/2025", headers=rapportage)
    assert analyse.status_code == 200, analyse.text
    secties: dict[str | None, dict[str, Any]] = {
        w["wijk"]: w["gespecialiseerdeInzet"] for w in analyse.json()["wijken"]
    }
    secties[None] = analyse.json()["totaal"]["gespecialiseerdeInzet"]
    # One count, one value: the table route and the jaaranalyse show the same.
    route = {j: tabel(client.get(f"{PAD}/{j}", headers=rapportage).json()) for j in (2024, 2025)}
    for w in WIJKEN:
        assert secties[w]["voorzieningen"] == {v: route[2025][(w, v)] for v in VOORZIENINGEN}
        for jaar in ("vorigJaar", "basisjaar"):
            assert secties[w][jaar]["voorzieningen"] == {
                v: route[2024][(w, v)] for v in VOORZIENINGEN
            }
    for scope, sectie in secties.items():
        e = exact[scope]
        for getoond, echt in ((sectie, e), (sectie["vorigJaar"], e.vorig_jaar),
                              (sectie["basisjaar"], e.basisjaar)):  # fmt: skip
            for v in VOORZIENINGEN:
                assert gepubliceerd(getoond["voorzieningen"][v], echt.voorzieningen[v]), scope
            assert gepubliceerd(getoond["totaal"], echt.totaal), scope
            assert gepubliceerd(
                getoond["overdrachtenGespecialiseerd"], echt.overdrachten_gespecialiseerd
            ), scope
        # Derived figures come from the shown counts, so they tell nothing more.
        assert sectie["totaalPer1000Inwoners"] == round(
            1000 * sectie["totaal"] / (2000 if scope else 2000 * len(WIJKEN)), 1
        )
        assert sectie["trend"] == {
            v: index(sectie["voorzieningen"][v], sectie["basisjaar"]["voorzieningen"][v])
            for v in VOORZIENINGEN
        }
        assert sectie["trendTotaal"] == index(sectie["totaal"], sectie["basisjaar"]["totaal"])
    schaijk = secties["09"]
    assert schaijk["trend"]["jeugdhulp_verblijf"] is None
    # 35 in 2024: at least k + MAX_RUIS, so shown whatever the noise.
    assert schaijk["vorigJaar"]["overdrachtenGespecialiseerd"] is not None
    assert schaijk["overdrachtenGespecialiseerd"] is None  # 2 in 2025

    # Later data for the closed years changes nothing rapportage was shown: not the table, not
    # the handovers of 2024, which the jaaranalyse of 2024 shows as its own year's.
    overdrachten_in_2024(client, app, 3)
    assert client.put(f"{PAD}/2025", json=gecorrigeerd(300), headers=kwartiermaker).is_success
    opnieuw = client.get("/api/v1/jaaranalyses/2025", headers=rapportage).json()
    assert opnieuw["totaal"]["gespecialiseerdeInzet"] == secties[None]
    assert [w["gespecialiseerdeInzet"] for w in opnieuw["wijken"]] == [secties[w] for w in WIJKEN]
    for scope in ("09", TOTAAL):
        assert overdrachtencel(2024, scope) == celnaam(
            2024, (scope, "overdrachtenGespecialiseerd", "")
        )
    vorig = client.get("/api/v1/jaaranalyses/2024", headers=rapportage).json()
    assert (
        vorig["totaal"]["gespecialiseerdeInzet"]["overdrachtenGespecialiseerd"]
        == (secties[None]["vorigJaar"]["overdrachtenGespecialiseerd"])
    )
    assert (
        next(w for w in vorig["wijken"] if w["wijk"] == "09")["gespecialiseerdeInzet"][
            "overdrachtenGespecialiseerd"
        ]
        == schaijk["vorigJaar"]["overdrachtenGespecialiseerd"]
    )
    # The kwartiermaker's view has no gaps and follows the new data.
    with new_session(context.engine) as session:
        nu = jaarcijfers(session, context, 2025, None)
    assert nu["09"].vorig_jaar.overdrachten_gespecialiseerd == 35 + 3
    assert nu["09"].voorzieningen["jeugdhulp_verblijf"] == 50


def test_demo_fills_every_wijk_and_voorziening_deterministically_and_damping(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    context = app.state.context
    with new_session(context.engine) as session:
        assert vul_demo(session, context, 2026, seed=7) == 2 * 88  # and the empty base year 2024
        assert vul_demo(session, context, 2025, seed=7) == 88
        eerst = client.get(f"{PAD}/2026", headers=kwartiermaker).json()
        assert vul_demo(session, context, 2026, seed=7) == 88  # the base year is there now
        assert client.get(f"{PAD}/2026", headers=kwartiermaker).json() == eerst
        assert vul_demo(session, context, 2026, seed=8) == 88
        assert client.get(f"{PAD}/2026", headers=kwartiermaker).json() != eerst
        vul_demo(session, context, 2026, seed=7)
        cijfers = jaarcijfers(session, context, 2026, None)
    assert all(n is not None and n > 0 for s in cijfers.values() for n in s.voorzieningen.values()
               if s is not cijfers[None])  # fmt: skip
    gemeente = cijfers[None]
    assert gemeente.totaal < gemeente.vorig_jaar.totaal < gemeente.basisjaar.totaal
    assert gemeente.trend_totaal is not None and 85 < gemeente.trend_totaal < 96
    with new_session(context.engine) as session:
        assert session.scalar(select(func.count()).select_from(Traject)) == 0


@pytest.mark.slow  # concurrent clients against a real uvicorn server
def test_two_uploads_of_one_year_at_once_leave_one_of_them_whole(
    app: FastAPI, live_server: str
) -> None:
    kwartiermaker = account(app, "kwartiermaker", "kwartiermaker")
    bestanden = [volledig(100 * i) for i in range(1, 7)]
    with httpx.Client(base_url=live_server, headers=kwartiermaker, timeout=30) as client:
        with ThreadPoolExecutor(len(bestanden)) as pool:
            antwoorden = list(pool.map(lambda b: client.put(f"{PAD}/2025", json=b), bestanden))
        assert [a.status_code for a in antwoorden] == [200] * len(bestanden)
        eind = tabel(client.get(f"{PAD}/2025").json())
    verwacht = [{(r["wijk"], r["voorziening"]): r["aantal"] for r in b["aantallen"]}
                for b in bestanden]  # fmt: skip
    assert eind in verwacht
    assert aantal_rijen(app) == len(WIJKEN) * len(VOORZIENINGEN)


def test_every_upload_is_in_the_audit_log_with_its_year_and_row_counts(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    beheerder = account(app, "beheerder", "beheerder")
    assert client.put(f"{PAD}/2025", json=volledig(), headers=kwartiermaker).is_success
    body = als_csv(["03;wmo_dagbesteding;5", "04;participatie;2"])
    assert client.put(f"{PAD}/2025", content=body, headers={**kwartiermaker, **CSV}).is_success
    # A refused file changes nothing, so it leaves no line either.
    slecht = als_csv(["99;participatie;1"])
    assert client.put(f"{PAD}/2025", content=slecht, headers={**kwartiermaker, **CSV}).is_error

    regels = [
        r
        for r in client.get("/api/v1/auditregels", headers=beheerder).json()["items"]
        if r["actie"] == "beschikkingen_geladen"
    ]
    alle = len(volledig()["aantallen"])
    assert [(r["account"], r["onderwerp"], r["wijzigingen"]) for r in regels] == [
        ("kwartiermaker", "2025", [{"veld": "aantallen", "oud": alle, "nieuw": 2}]),
        ("kwartiermaker", "2025", [{"veld": "aantallen", "oud": 0, "nieuw": alle}]),
    ]
