"""Ervaring: the monitor's questionnaires, their answers, the results and their protection."""

import copy
import csv
import io
import json
import uuid
from collections import Counter
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.ervaring.demo import vul_demo
from app.ervaring.jaarcijfers import jaarcijfers
from app.ervaring.models import ErvaringAntwoord, ErvaringRespons
from app.ervaring.resultaten import gemiddelde
from app.ervaring.vragenlijsten import laad_vragenlijsten
from app.kern.db import new_session
from app.kern.settings import ConfiguratieFout, Settings
from app.main import create_app
from app.publicatie.ruis import MAX_RUIS
from tests.conftest import account
from tests.publicatie.belofte import gepubliceerd

ROOT = Path(__file__).resolve().parents[2]
STANDAARD = json.loads((ROOT / "app/ervaring/vragenlijsten.json").read_text(encoding="utf-8"))
LIJSTEN = "/api/v1/vragenlijsten"
VASTGESTELD = 2025  # a closed year, shown to rapportage
K = 5  # settings.min_cel by default
INWONERS = f"{LIJSTEN}/inwoners/antwoorden"


def vandaag(app: FastAPI) -> date:
    return app.state.context.vandaag()  # type: ignore[no-any-return]


def antwoord(app: FastAPI, **anders: Any) -> dict[str, Any]:
    return {
        "wijk": "09",
        "datum": vandaag(app).isoformat(),
        "antwoorden": {"goed_geholpen": 4, "team_bereikbaar": None},
    } | anders


def aantal_rijen(app: FastAPI) -> tuple[int, int]:
    with new_session(app.state.context.engine, alleen_lezen=True) as session:
        return (
            session.scalar(select(func.count()).select_from(ErvaringRespons)) or 0,
            session.scalar(select(func.count()).select_from(ErvaringAntwoord)) or 0,
        )


def test_every_signed_in_role_reads_the_questionnaires_with_their_scale(
    app: FastAPI, client: TestClient
) -> None:
    assert client.get(LIJSTEN).status_code == 401
    for rol in ("preventiewerker", "kwartiermaker", "rapportage", "beheerder"):
        headers = account(app, rol, rol, ["09"] if rol == "preventiewerker" else [])
        response = client.get(LIJSTEN, headers=headers)
        assert response.status_code == 200, rol
    body = response.json()
    assert [s["waarde"] for s in body["schaal"]] == [1, 2, 3, 4, 5]
    assert body["schaal"][0]["omschrijving"] == "Helemaal niet mee eens"
    assert body["schaal"][4]["omschrijving"] == "Helemaal mee eens"
    assert body["weetNiet"] == "Weet niet"
    lijsten = {v["code"]: v for v in body["vragenlijsten"]}
    assert set(lijsten) == {"partners", "inwoners", "preventiewerkers"}
    for lijst in lijsten.values():
        assert set(lijst) == {"code", "titel", "doelgroep", "vragen"}
        assert 4 <= len(lijst["vragen"]) <= 7
        assert all(set(v) == {"code", "tekst"} for v in lijst["vragen"])
    assert "ruimte" in {v["code"] for v in lijsten["preventiewerkers"]["vragen"]}
    assert "goed_geholpen" in {v["code"] for v in lijsten["inwoners"]["vragen"]}


def test_the_open_tips_question_is_left_out_on_purpose() -> None:
    assert "tips is bewust weggelaten" in STANDAARD["toelichting"]
    teksten = [v["tekst"].lower() for lijst in STANDAARD["vragenlijsten"] for v in lijst["vragen"]]
    assert not any("tip" in t for t in teksten)


def _kapot(pad: str, waarde: Any) -> dict[str, Any]:
    data = copy.deepcopy(STANDAARD)
    doel: Any = data
    *weg, laatste = pad.split("/")
    for stap in weg:
        doel = doel[int(stap)] if stap.isdigit() else doel[stap]
    if waarde is KeyError:
        del doel[int(laatste) if laatste.isdigit() else laatste]
    elif laatste.isdigit():
        doel[int(laatste)] = waarde
    else:
        doel[laatste] = waarde
    return data


@pytest.mark.parametrize(
    ("data", "melding"),
    [
        (_kapot("vragenlijsten/1/code", "Inwoners"), "vragenlijsten[1]: code 'Inwoners' moet"),
        (_kapot("vragenlijsten/2/code", "partners"), "[2]: vragenlijst partners staat"),
        (_kapot("vragenlijsten/0/vragen/3/code", "team_bereikbaar"),
         "vragenlijsten[0].vragen[3]: vraag team_bereikbaar staat twee keer in partners"),
        (_kapot("vragenlijsten/0/vragen/0/tekst", " "), "vragenlijsten[0].vragen[0].tekst: moet"),
        (_kapot("vragenlijsten/0/vragen/0/tip", "x"), "[0].vragen[0]: onbekende sleutel 'tip'"),
        (_kapot("vragenlijsten/1/vrgen", []), "vragenlijsten[1]: onbekende sleutel 'vrgen'"),
        (_kapot("vragenlijsten/1/vragen", []), "vragenlijsten[1]: vragen moet 1 tot 20 vragen"),
        (_kapot("vragenlijsten/1/doelgroep", KeyError), "vragenlijsten[1].doelgroep: moet"),
        (_kapot("schaal/2", {"waarde": 4, "omschrijving": "x"}), "schaal[2]: waarde moet 3 zijn"),
        (_kapot("schaal/4", KeyError), "schaal moet precies de waarden 1 tot en met 5"),
        (_kapot("weetNiet", KeyError), "weetNiet: moet een niet-lege tekst zijn"),
        (_kapot("vragenlijsten", []), "vragenlijsten is leeg"),
    ],
)  # fmt: skip
def test_a_wrong_questionnaire_file_stops_the_start_naming_the_entry(
    tmp_path: Path, database_url: str, data: Any, melding: str
) -> None:
    pad = tmp_path / "vragenlijsten.json"
    pad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfiguratieFout) as fout:
        create_app(Settings(database_url=database_url, vragenlijsten=pad, _env_file=None))  # type: ignore[call-arg]
    assert melding in str(fout.value)
    assert str(pad) in str(fout.value)
    assert "\n" not in str(fout.value)


def test_a_gemeente_replaces_the_questionnaires_with_its_own_file(
    tmp_path: Path, database_url: str
) -> None:
    eigen = {
        "schaal": STANDAARD["schaal"],
        "weetNiet": "Geen idee",
        "vragenlijsten": [
            {"code": "clubs", "titel": "Verenigingen", "doelgroep": "Sportclubs",
             "vragen": [{"code": "contact", "tekst": "Het contact is goed."}]}
        ],
    }  # fmt: skip
    pad = tmp_path / "eigen.json"
    pad.write_text(json.dumps(eigen), encoding="utf-8")
    app = create_app(Settings(database_url=database_url, vragenlijsten=pad, _env_file=None))  # type: ignore[call-arg]
    try:
        client = TestClient(app)
        werker = account(app, "w", "preventiewerker", ["09"])
        body = client.get(LIJSTEN, headers=werker).json()
        assert [v["code"] for v in body["vragenlijsten"]] == ["clubs"]
        assert body["weetNiet"] == "Geen idee"
        datum = vandaag(app).isoformat()
        goed = {"wijk": "09", "datum": datum, "antwoorden": {"contact": 5}}
        assert (
            client.post(f"{LIJSTEN}/clubs/antwoorden", json=goed, headers=werker).status_code == 201
        )
        assert client.post(INWONERS, json=goed, headers=werker).status_code == 404
    finally:
        app.state.context.engine.dispose()


def test_answers_are_stored_as_numbers_only(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    invoer = antwoord(app, antwoorden={"team_bereikbaar": None, "goed_geholpen": 4})
    response = client.post(INWONERS, json=invoer, headers=werker)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"id", "vragenlijst", "wijk", "datum", "antwoorden"}
    assert body["vragenlijst"] == "inwoners"
    assert (body["wijk"], body["datum"]) == ("09", invoer["datum"])
    # In the questionnaire's order; null is "weet niet", stored as an answer.
    assert list(body["antwoorden"].items()) == [("goed_geholpen", 4), ("team_bereikbaar", None)]
    uuid.UUID(body["id"])
    assert aantal_rijen(app) == (1, 2)

    # JSON does not tell 4 from 4.0.
    rond = client.post(
        INWONERS, json=antwoord(app, antwoorden={"goed_geholpen": 4.0}), headers=werker
    )
    assert rond.json()["antwoorden"] == {"goed_geholpen": 4}
    assert aantal_rijen(app) == (2, 3)

    alles_weet_niet = antwoord(app, antwoorden={"goed_geholpen": None})
    assert client.post(INWONERS, json=alles_weet_niet, headers=werker).status_code == 201
    assert aantal_rijen(app) == (3, 4)


def test_the_same_id_again_is_a_retry_and_another_body_a_conflict(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    invoer = antwoord(app, id=str(uuid.uuid4()))
    eerste = client.post(INWONERS, json=invoer, headers=werker)
    assert eerste.status_code == 201
    opnieuw = client.post(INWONERS, json=invoer, headers=werker)
    assert opnieuw.status_code == 201
    assert opnieuw.json() == eerste.json()
    assert eerste.json()["id"] == invoer["id"]
    assert aantal_rijen(app) == (1, 2)

    anders = invoer | {"antwoorden": {"goed_geholpen": 5}}
    collega = account(app, "collega", "preventiewerker", ["09"])
    for pad, body, headers in [
        (INWONERS, anders, werker),
        (f"{LIJSTEN}/partners/antwoorden", invoer | {"antwoorden": {"team_bereikbaar": 4}}, werker),
        (INWONERS, invoer, collega),
    ]:
        response = client.post(pad, json=body, headers=headers)
        assert response.status_code == 409, pad
        assert response.json()["type"].endswith("id-al-gebruikt")
        assert "nieuw id" in response.json()["detail"]
    assert aantal_rijen(app) == (1, 2)


def test_invalid_answers_list_every_problem_and_store_nothing(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    morgen = (vandaag(app) + timedelta(days=1)).isoformat()
    response = client.post(
        INWONERS,
        json={"wijk": "99", "datum": morgen, "naam": "Jan", "antwoorden": {
            "goed_geholpen": 0, "serieus_genomen": 6, "team_bereikbaar": "4",
            "team_zichtbaar": 4.5, "verder_geholpen": True}},
        headers=werker,
    )  # fmt: skip
    assert response.status_code == 400
    problemen = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert set(problemen) == {
        "wijk", "datum", "naam", "antwoorden.goed_geholpen", "antwoorden.serieus_genomen",
        "antwoorden.team_bereikbaar", "antwoorden.team_zichtbaar", "antwoorden.verder_geholpen",
    }  # fmt: skip
    assert problemen["wijk"] == "Onbekende wijk; kies uit /wijken."
    assert problemen["datum"].startswith("De datum ligt in de toekomst")
    assert "Jan" not in response.text

    # Rules that need the questionnaire and the worker, together.
    response = client.post(
        INWONERS,
        json=antwoord(app, wijk="01", antwoorden={"goed_geholpen": 4, "tips": 3, "ruimte": 2}),
        headers=werker,
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {"name": "wijk", "reason": "Dit is niet een van uw eigen wijken."},
        {"name": "antwoorden.tips", "reason": "Onbekende vraag voor deze vragenlijst; de vragen "
         "staan in /vragenlijsten."},
        {"name": "antwoorden.ruimte", "reason": "Onbekende vraag voor deze vragenlijst; de vragen "
         "staan in /vragenlijsten."},
    ]  # fmt: skip

    fouten: list[tuple[dict[str, Any], str, str]] = [
        ({"antwoorden": {}}, "antwoorden", "Moet minstens 1"),
        ({"antwoorden": {"Naam van de buurvrouw": 3}}, "antwoorden", "Elke sleutel is een"),
        ({"antwoorden": [4, 5]}, "antwoorden", "Moet een object zijn."),
        ({"datum": "2023-12-31"}, "datum", "De datum ligt vóór de start van de registratie"),
        ({"datum": "2025-02-30"}, "datum", "Moet een bestaande datum"),
        ({"id": "niet-een-uuid"}, "id", "Moet een UUID zijn."),
    ]  # fmt: skip
    for fout, veld, reden in fouten:
        response = client.post(INWONERS, json=antwoord(app, **fout), headers=werker)
        assert response.status_code == 400, fout
        assert [p["name"] for p in response.json()["invalidParams"]] == [veld], fout
        assert response.json()["invalidParams"][0]["reason"].startswith(reden), fout
        assert "buurvrouw" not in response.text
    assert aantal_rijen(app) == (0, 0)


def test_an_unknown_questionnaire_is_404(
    app: FastAPI, client: TestClient, werker: dict[str, str], kwartiermaker: dict[str, str]
) -> None:
    response = client.post(f"{LIJSTEN}/tevredenheid/antwoorden", json=antwoord(app), headers=werker)
    assert response.status_code == 404
    assert "vragenlijst" in response.json()["detail"]
    pad = f"{LIJSTEN}/tevredenheid/resultaten?jaar=2026"
    assert client.get(pad, headers=kwartiermaker).status_code == 404
    assert aantal_rijen(app) == (0, 0)


def test_only_preventiewerkers_enter_answers(app: FastAPI, client: TestClient) -> None:
    assert client.post(INWONERS, json=antwoord(app)).status_code == 401
    slecht = {"Authorization": "Bearer onzin"}
    assert client.post(INWONERS, json=antwoord(app), headers=slecht).status_code == 401
    for rol in ("kwartiermaker", "rapportage", "beheerder"):
        response = client.post(INWONERS, json=antwoord(app), headers=account(app, rol, rol))
        assert response.status_code == 403, rol
    # Invalid input from a caller without access still says 401/403 first.
    assert client.post(INWONERS, json={"naam": "x"}).status_code == 401
    assert aantal_rijen(app) == (0, 0)


def test_only_kwartiermaker_and_rapportage_read_results(app: FastAPI, client: TestClient) -> None:
    pad = f"{LIJSTEN}/inwoners/resultaten?jaar={VASTGESTELD}"
    assert client.get(pad).status_code == 401
    for rol, status in [("kwartiermaker", 200), ("rapportage", 200), ("beheerder", 403),
                        ("preventiewerker", 403)]:  # fmt: skip
        headers = account(app, rol, rol, ["09"] if rol == "preventiewerker" else [])
        assert client.get(pad, headers=headers).status_code == status, rol
        if status == 200:
            for slecht in ("jaar=2025&wijk=99", "jaar=1999", "jaar=2025.0", "wijk=09", "jr=2025"):
                response = client.get(f"{LIJSTEN}/inwoners/resultaten?{slecht}", headers=headers)
                assert response.status_code == 400, slecht
    # The year that is still running: the kwartiermaker's, not yet rapportage's.
    open_jaar = f"{LIJSTEN}/inwoners/resultaten?jaar={vandaag(app).year}"
    rapportage = account(app, "rapportage2", "rapportage")
    te_vroeg = client.get(open_jaar, headers=rapportage)
    assert te_vroeg.status_code == 400
    assert [p["name"] for p in te_vroeg.json()["invalidParams"]] == ["jaar"]
    assert client.get(open_jaar, headers=account(app, "km", "kwartiermaker")).status_code == 200


def _vul(app: FastAPI, client: TestClient, werker: dict[str, str], wijk: str, datum: date,
         antwoorden: list[dict[str, int | None]], lijst: str = "inwoners") -> None:  # fmt: skip
    for a in antwoorden:
        body = {"wijk": wijk, "datum": datum.isoformat(), "antwoorden": a}
        response = client.post(f"{LIJSTEN}/{lijst}/antwoorden", json=body, headers=werker)
        assert response.status_code == 201, response.text


def _gemiddelde(scores: list[int]) -> float:
    return _gemiddelde_van(sum(scores), len(scores))


def test_results_count_respondents_weet_niet_mean_and_distribution(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    werker = account(app, "werker", "preventiewerker", ["09", "01"])
    dit_jaar = vandaag(app)
    scores_09 = [5, 4, 4, 3, 5, 2]
    _vul(app, client, werker, "09", dit_jaar, [{"goed_geholpen": s} for s in scores_09])
    _vul(app, client, werker, "09", dit_jaar, [{"goed_geholpen": None, "team_bereikbaar": 1}])
    _vul(app, client, werker, "01", dit_jaar, [{"goed_geholpen": 4}, {"team_bereikbaar": 2}])
    # Another year and another questionnaire are counted apart.
    _vul(app, client, werker, "09", date(dit_jaar.year - 1, 6, 1), [{"goed_geholpen": 1}])
    _vul(app, client, werker, "09", dit_jaar, [{"team_bereikbaar": 1}], lijst="partners")

    pad = f"{LIJSTEN}/inwoners/resultaten"
    wijk = client.get(pad, params={"jaar": dit_jaar.year, "wijk": "09"}, headers=kwartiermaker)
    assert wijk.status_code == 200, wijk.text
    body = wijk.json()
    assert (body["vragenlijst"], body["jaar"], body["wijk"]) == ("inwoners", dit_jaar.year, "09")
    assert body["aantalRespondenten"] == 7
    vragen = {v["vraag"]: v for v in body["vragen"]}
    assert list(vragen) == [v["code"] for v in STANDAARD["vragenlijsten"][1]["vragen"]]
    assert vragen["goed_geholpen"] == {
        "vraag": "goed_geholpen", "tekst": "Ik voel me goed geholpen.",
        "aantalRespondenten": 7, "aantalWeetNiet": 1, "gemiddelde": _gemiddelde(scores_09),
        "verdeling": {"1": 0, "2": 1, "3": 1, "4": 2, "5": 2},
    }  # fmt: skip
    assert _gemiddelde(scores_09) == 3.8
    assert vragen["team_bereikbaar"]["gemiddelde"] == 1.0
    assert vragen["serieus_genomen"] == {
        "vraag": "serieus_genomen", "tekst": "Ik voelde me serieus genomen.",
        "aantalRespondenten": 0, "aantalWeetNiet": 0, "gemiddelde": None,
        "verdeling": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
    }  # fmt: skip

    gemeente = client.get(pad, params={"jaar": dit_jaar.year}, headers=kwartiermaker).json()
    assert gemeente["wijk"] is None
    assert gemeente["aantalRespondenten"] == 9
    goed = next(v for v in gemeente["vragen"] if v["vraag"] == "goed_geholpen")
    assert goed["gemiddelde"] == _gemiddelde([*scores_09, 4])
    assert goed["verdeling"] == {"1": 0, "2": 1, "3": 1, "4": 3, "5": 2}
    vorig = client.get(pad, params={"jaar": dit_jaar.year - 1}, headers=kwartiermaker).json()
    assert vorig["aantalRespondenten"] == 1
    assert vorig["vragen"][0]["verdeling"]["1"] == 1

    csv_antwoord = client.get(
        pad, params={"jaar": dit_jaar.year}, headers=kwartiermaker | {"Accept": "text/csv"}
    )
    assert csv_antwoord.status_code == 200
    assert csv_antwoord.headers["content-type"].startswith("text/csv")
    assert "\r\n" in csv_antwoord.text
    rijen = list(csv.DictReader(io.StringIO(csv_antwoord.text)))
    assert list(rijen[0]) == [
        "vragenlijst", "jaar", "wijk", "respondentenVragenlijst", "vraag", "aantalRespondenten",
        "aantalWeetNiet", "gemiddelde", "score1", "score2", "score3", "score4", "score5",
    ]  # fmt: skip
    assert len(rijen) == len(gemeente["vragen"])
    assert rijen[0] == {
        "vragenlijst": "inwoners", "jaar": str(dit_jaar.year), "wijk": "",
        "respondentenVragenlijst": "9", "vraag": "goed_geholpen", "aantalRespondenten": "8",
        "aantalWeetNiet": "1", "gemiddelde": str(goed["gemiddelde"]), "score1": "0",
        "score2": "1", "score3": "1", "score4": "3", "score5": "2",
    }  # fmt: skip


def _gemiddelde_van(som: int, aantal: int) -> float:
    return float((Decimal(som) / aantal).quantize(Decimal("0.1"), ROUND_HALF_UP))


def binnen_de_ruis(getoond: float | None, som: int, aantal: int) -> bool:
    """What the release promises of a shown mean over `aantal` scores adding up to `som`: the
    published sum (at least k, at most MAX_RUIS off) over the published number of scores (the
    same), kept on the scale 1..5 and rounded to one decimal. Hidden only where the noise could
    take the sum or the number below k."""
    if getoond is None:
        return min(som, aantal) < K + MAX_RUIS
    laag = max(Fraction(1), Fraction(max(K, som - MAX_RUIS), aantal + MAX_RUIS))
    hoog = min(Fraction(5), Fraction(som + MAX_RUIS, max(K, aantal - MAX_RUIS)))
    return laag - Fraction(1, 20) <= Fraction(str(getoond)) <= hoog + Fraction(1, 20)


def _aantallen(body: dict[str, Any]) -> dict[tuple[str, str], int | None]:
    """Every count of a results answer, by question and figure."""
    uit: dict[tuple[str, str], int | None] = {("", "respondenten"): body["aantalRespondenten"]}
    for v in body["vragen"]:
        uit[(v["vraag"], "respondenten")] = v["aantalRespondenten"]
        uit[(v["vraag"], "weetNiet")] = v["aantalWeetNiet"]
        uit |= {(v["vraag"], s): n for s, n in v["verdeling"].items()}
    return uit


def test_rapportage_sees_published_counts_one_value_per_cell_fixed_once_shown(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    rapportage = account(app, "rapportage", "rapportage")
    werker = account(app, "werker", "preventiewerker", ["09", "01"])
    assert app.state.context.settings.min_cel == K
    datum = date(VASTGESTELD, 6, 1)
    # goed_geholpen: every score at least k; serieus_genomen: a 0 and a 2 among the scores, its
    # mean shown all the same; 'weet niet' 3 times. In 01 two respondents only.
    goed = [1] * 5 + [2] * 6 + [3] * 8 + [4] * 10 + [5] * 7
    serieus = [3] * 12 + [4] * 10 + [5] * 9 + [2] * 2 + [None] * 3
    paren = zip(goed, serieus, strict=True)
    _vul(
        app,
        client,
        werker,
        "09",
        datum,
        [{"goed_geholpen": g, "serieus_genomen": s} for g, s in paren],
    )
    _vul(app, client, werker, "01", datum, [{"goed_geholpen": 4}, {"goed_geholpen": 5}])

    pad = f"{LIJSTEN}/inwoners/resultaten"
    vragen: dict[str | None, dict[str, Any]] = {}
    afwijkingen: list[int] = []
    for wijk in ("09", "01", None):
        params = {"jaar": VASTGESTELD} | ({"wijk": wijk} if wijk else {})
        antwoord = client.get(pad, params=params, headers=rapportage)
        assert antwoord.status_code == 200, antwoord.text
        vragen[wijk] = antwoord.json()
        exact = client.get(pad, params=params, headers=kwartiermaker).json()
        echt, getoond = _aantallen(exact), _aantallen(vragen[wijk])
        assert all(gepubliceerd(getoond[c], n) for c, n in echt.items()), wijk
        afwijkingen += [
            g - n for c, n in echt.items() if (g := getoond[c]) is not None and n is not None
        ]
        # The mean from the published sum and number of scores: shown wherever at least k
        # scored, within the noise's bound of the exact one.
        for v, e in zip(vragen[wijk]["vragen"], exact["vragen"], strict=True):
            scores = sum(e["verdeling"].values())
            som = sum(int(s) * n for s, n in e["verdeling"].items())
            if scores < K:
                assert v["gemiddelde"] is None, (wijk, v["vraag"])
            else:
                assert binnen_de_ruis(v["gemiddelde"], som, scores), (wijk, v, som, scores)
    getoond_09 = {v["vraag"]: v for v in vragen["09"]["vragen"]}
    assert getoond_09["goed_geholpen"]["gemiddelde"] is not None
    assert getoond_09["serieus_genomen"]["gemiddelde"] is not None
    assert getoond_09["serieus_genomen"]["verdeling"]["1"] is None  # a zero, hidden too
    assert getoond_09["serieus_genomen"]["verdeling"]["2"] is None
    assert getoond_09["team_bereikbaar"]["gemiddelde"] is None  # nobody scored it
    assert vragen["01"]["aantalRespondenten"] is None
    # Noise, not the exact counts: about 20 counts shown (how many depends on the secret's draw;
    # the 12 of 8 or more almost always), all of them exact would be a broken release (by
    # chance about 1 in 3**20).
    assert len(afwijkingen) >= 10 and any(afwijkingen)
    # CSV: the same values, a hidden one an empty field.
    export = client.get(
        pad, params={"jaar": VASTGESTELD, "wijk": "09"}, headers=rapportage | {"Accept": "text/csv"}
    )
    rij = next(
        r for r in csv.DictReader(io.StringIO(export.text)) if r["vraag"] == "serieus_genomen"
    )
    verdeling = getoond_09["serieus_genomen"]["verdeling"]
    assert [rij[f"score{s}"] for s in "12345"] == ["" if verdeling[s] is None else str(verdeling[s])
                                                   for s in "12345"]  # fmt: skip
    assert rij["gemiddelde"] == str(getoond_09["serieus_genomen"]["gemiddelde"])

    # The jaaranalyse shows the same cells with the same values.
    analyse = client.get(f"/api/v1/jaaranalyses/{VASTGESTELD}", headers=rapportage)
    assert analyse.status_code == 200, analyse.text
    secties = {w["wijk"]: w["ervaring"] for w in analyse.json()["wijken"]}
    secties[None] = analyse.json()["totaal"]["ervaring"]
    for wijk, body in vragen.items():
        inwoners = secties[wijk]["vragenlijsten"]["inwoners"]
        assert inwoners["aantalRespondenten"] == body["aantalRespondenten"]
        for v in body["vragen"]:
            assert inwoners["vragen"][v["vraag"]]["gemiddelde"] == v["gemiddelde"]
    with new_session(app.state.context.engine, alleen_lezen=True) as session:
        exact_jaar = jaarcijfers(session, app.state.context, VASTGESTELD, None)
    for wijk in ("09", None):
        for vraag, cijfers in secties[wijk]["vragenlijsten"]["inwoners"]["vragen"].items():
            scores = exact_jaar[wijk].vragenlijsten["inwoners"].vragen[vraag].aantal
            assert gepubliceerd(cijfers["aantal"], scores), (wijk, vraag)

    # Late answers for the closed year: the kwartiermaker counts them, rapportage sees what it saw.
    _vul(app, client, werker, "09", datum, [{"goed_geholpen": 1, "serieus_genomen": 1}] * 4)
    _vul(app, client, werker, "01", datum, [{"goed_geholpen": 4}] * 6)
    for wijk, body in vragen.items():
        params = {"jaar": VASTGESTELD} | ({"wijk": wijk} if wijk else {})
        assert client.get(pad, params=params, headers=rapportage).json() == body
    opnieuw = client.get(f"/api/v1/jaaranalyses/{VASTGESTELD}", headers=rapportage).json()
    assert opnieuw["totaal"]["ervaring"] == secties[None]
    assert all(w["ervaring"] == secties[w["wijk"]] for w in opnieuw["wijken"])
    nu = client.get(pad, params={"jaar": VASTGESTELD, "wijk": "01"}, headers=kwartiermaker)
    assert nu.json()["aantalRespondenten"] == 8


def test_a_published_mean_stays_on_the_scale_and_is_none_without_scores() -> None:
    # A sum shown high over a number of scores shown low, and the other way round.
    assert gemiddelde(36, 6) == 5.0
    assert gemiddelde(5, 9) == 1.0
    assert gemiddelde(27, 7) == 3.9  # as the kwartiermaker's, half up
    assert gemiddelde(45, 20) == 2.3
    assert gemiddelde(None, 9) is None
    assert gemiddelde(30, None) is None
    assert gemiddelde(0, 0) is None


def _exacte_verdelingen(app: FastAPI) -> dict[tuple[str, str | None, str], Counter[int]]:
    """Per (vragenlijst, wijk or None for the gemeente, vraag) the scores given, from the table."""
    r, a = ErvaringRespons.__table__, ErvaringAntwoord.__table__  # type: ignore[attr-defined]
    with new_session(app.state.context.engine, alleen_lezen=True) as session:
        rijen = session.execute(
            select(r.c.vragenlijst, r.c.wijk, a.c.vraag, a.c.score, func.count())
            .join_from(a, r, a.c.respons_id == r.c.id)
            .where(a.c.score.is_not(None))
            .group_by(r.c.vragenlijst, r.c.wijk, a.c.vraag, a.c.score)
        ).all()
    uit: dict[tuple[str, str | None, str], Counter[int]] = {}
    for lijst, wijk, vraag, score, n in rijen:
        for scope in (wijk, None):
            uit.setdefault((lijst, scope, vraag), Counter())[score] += n
    return uit


@pytest.mark.slow  # a published year of the monitor's answers
def test_rapportage_sees_the_monitor_means_from_the_published_sum_within_the_noise(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    """The demo population: scores 1 and 2 seldom reach k in a wijk, so a mean from the published
    distribution would hardly ever be shown; from the published sum it is, wherever k scored."""
    context = app.state.context
    with new_session(context.engine) as session:
        assert vul_demo(session, context, VASTGESTELD, seed=3) > 0
    exact = _exacte_verdelingen(app)
    rapportage = account(app, "rapportage", "rapportage")
    analyses = {
        rol: client.get(f"/api/v1/jaaranalyses/{VASTGESTELD}", headers=headers).json()
        for rol, headers in (("rapportage", rapportage), ("kwartiermaker", kwartiermaker))
    }
    secties = {
        rol: {w["wijk"]: w["ervaring"] for w in a["wijken"]} | {None: a["totaal"]["ervaring"]}
        for rol, a in analyses.items()
    }
    verborgen = getoond = met_verborgen_score = anders = 0
    for wijk, sectie in secties["rapportage"].items():
        for lijst, cijfers in sectie["vragenlijsten"].items():
            for vraag, gezien in cijfers["vragen"].items():
                verdeling = exact.get((lijst, wijk, vraag), Counter())
                scores, som = verdeling.total(), sum(s * n for s, n in verdeling.items())
                kwartiermaker_ziet = secties["kwartiermaker"][wijk]["vragenlijsten"][lijst]
                precies = kwartiermaker_ziet["vragen"][vraag]["gemiddelde"]
                assert precies == (_gemiddelde_van(som, scores) if scores else None)
                if scores < K:
                    assert gezien == {"gemiddelde": None, "aantal": None}, (wijk, lijst, vraag)
                    verborgen += 1
                    continue
                assert gepubliceerd(gezien["aantal"], scores), (wijk, lijst, vraag)
                assert binnen_de_ruis(gezien["gemiddelde"], som, scores), (wijk, lijst, vraag)
                getoond += 1
                met_verborgen_score += any(verdeling[s] < K for s in range(1, 6))
                anders += gezien["gemiddelde"] != precies
    # All three happen in the demo: hidden means, shown means whose distribution has a hidden
    # count (before the sum was published none of those was shown), and means the noise moved.
    assert verborgen > 0 and met_verborgen_score > 0 and anders > 0, (verborgen, getoond)

    # The results route shows the same cells with the same values, JSON and CSV.
    for lijst in ("partners", "inwoners", "preventiewerkers"):
        pad = f"{LIJSTEN}/{lijst}/resultaten"
        for wijk in [*context.indeling.codes, None]:
            params = {"jaar": VASTGESTELD} | ({"wijk": wijk} if wijk else {})
            body = client.get(pad, params=params, headers=rapportage).json()
            vragen = secties["rapportage"][wijk]["vragenlijsten"][lijst]["vragen"]
            assert {v["vraag"]: v["gemiddelde"] for v in body["vragen"]} == {
                vraag: cijfers["gemiddelde"] for vraag, cijfers in vragen.items()
            }, (lijst, wijk)
        export = client.get(
            pad, params={"jaar": VASTGESTELD}, headers=rapportage | {"Accept": "text/csv"}
        )
        vragen = secties["rapportage"][None]["vragenlijsten"][lijst]["vragen"]
        assert {r["vraag"]: r["gemiddelde"] for r in csv.DictReader(io.StringIO(export.text))} == {
            vraag: "" if c["gemiddelde"] is None else str(c["gemiddelde"])
            for vraag, c in vragen.items()
        }


def test_jaarcijfers_per_wijk_and_gemeente_with_the_year_before(
    app: FastAPI, client: TestClient
) -> None:
    werker = account(app, "werker", "preventiewerker", ["09", "01"])
    context = app.state.context
    dit_jaar = vandaag(app)
    vorig = date(dit_jaar.year - 1, 3, 1)
    _vul(app, client, werker, "09", dit_jaar, [{"goed_geholpen": s} for s in (5, 4, 4, 4, 3, 5)])
    _vul(app, client, werker, "01", dit_jaar, [{"goed_geholpen": 2}])
    _vul(app, client, werker, "09", vorig, [{"goed_geholpen": s} for s in (3, 3, 4, 4, 2)])
    _vul(app, client, werker, "09", vorig, [{"ruimte": 4}] * 5, lijst="preventiewerkers")

    with new_session(context.engine, alleen_lezen=True) as session:
        exact = jaarcijfers(session, context, dit_jaar.year, None)
    assert set(exact) == {*context.indeling.codes, None}

    inwoners = exact["09"].vragenlijsten["inwoners"]
    assert inwoners.aantal_respondenten == 6
    assert inwoners.vragen["goed_geholpen"].model_dump() == {"gemiddelde": 4.2, "aantal": 6}
    assert inwoners.vragen["serieus_genomen"].model_dump() == {"gemiddelde": None, "aantal": 0}
    assert inwoners.vorig_jaar.aantal_respondenten == 5
    assert inwoners.vorig_jaar.vragen["goed_geholpen"].model_dump() == {
        "gemiddelde": 3.2,
        "aantal": 5,
    }
    assert (
        exact["09"].vragenlijsten["preventiewerkers"].vorig_jaar.vragen["ruimte"].gemiddelde == 4.0
    )
    assert exact["01"].vragenlijsten["inwoners"].vragen["goed_geholpen"].model_dump() == {
        "gemiddelde": 2.0, "aantal": 1}  # fmt: skip
    gemeente = exact[None].vragenlijsten["inwoners"]
    assert gemeente.aantal_respondenten == 7
    assert gemeente.vragen["goed_geholpen"].gemiddelde == 3.9  # 27 / 7
    assert exact["05"].vragenlijsten["partners"].aantal_respondenten == 0
    assert set(exact["05"].vragenlijsten) == {"partners", "inwoners", "preventiewerkers"}

    als_json = exact[None].model_dump(mode="json", by_alias=True)
    assert set(als_json["vragenlijsten"]["inwoners"]) == {
        "aantalRespondenten",
        "vragen",
        "vorigJaar",
    }


def test_demo_fills_every_wijk_and_questionnaire_plausibly_and_repeatably(app: FastAPI) -> None:
    context = app.state.context
    jaar = vandaag(app).year - 1

    def vul() -> tuple[int, list[Any]]:
        with new_session(context.engine) as session:
            aantal = vul_demo(session, context, jaar, seed=3) + vul_demo(
                session, context, jaar - 1, seed=3
            )
        with new_session(context.engine, alleen_lezen=True) as session:
            r = ErvaringRespons.__table__  # type: ignore[attr-defined]
            a = ErvaringAntwoord.__table__  # type: ignore[attr-defined]
            rijen = session.execute(
                select(r.c.id, r.c.vragenlijst, r.c.wijk, r.c.datum, a.c.vraag, a.c.score)
                .join_from(a, r, a.c.respons_id == r.c.id)
                .order_by(r.c.id, a.c.vraag)
            ).all()
        return aantal, [tuple(r) for r in rijen]

    aantal, rijen = vul()
    responsen, antwoorden = aantal_rijen(app)
    assert aantal == responsen + antwoorden > 0
    assert len(rijen) == antwoorden
    per = Counter((r[1], r[2], r[3].year) for r in {(r[0], r[1], r[2], r[3]) for r in rijen})
    for wijk in context.indeling.codes:
        for j in (jaar, jaar - 1):
            assert 10 <= per[("inwoners", wijk, j)] <= 40
            assert 3 <= per[("partners", wijk, j)] <= 12
            assert 2 <= per[("preventiewerkers", wijk, j)] <= 5
    scores = Counter(r[5] for r in rijen)
    assert sum(scores[s] for s in (3, 4, 5)) / len(rijen) > 0.75
    assert 0 < scores[None] / len(rijen) < 0.15
    assert all(date(jaar - 1, 1, 1) <= r[3] <= date(jaar, 12, 31) for r in rijen)

    with new_session(context.engine) as session:
        session.execute(ErvaringAntwoord.__table__.delete())  # type: ignore[attr-defined]
        session.execute(ErvaringRespons.__table__.delete())  # type: ignore[attr-defined]
        session.commit()
    assert vul() == (aantal, rijen)

    with new_session(context.engine) as session:
        assert vul_demo(session, context, vandaag(app).year + 1, seed=3) == 0


def test_the_packaged_file_loads_and_every_question_code_is_unique_per_questionnaire() -> None:
    lijsten = laad_vragenlijsten()
    assert [v.code for v in lijsten.lijsten] == ["partners", "inwoners", "preventiewerkers"]
    for lijst in lijsten.lijsten:
        assert len(set(lijst.vraagcodes)) == len(lijst.vraagcodes)
