"""Inzet (part 1 of the annual analysis): hours and euros per wijk and year, beside the norm."""

import csv
import io
import json
import threading
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, Response
from schemathesis.checks import CheckContext
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import func, select

from app.inzet.demo import vul_demo
from app.inzet.jaarcijfers import jaarcijfers
from app.inzet.models import Inzet, InzetBedrag, InzetUren
from app.kern.db import new_session
from app.kern.settings import Settings
from app.main import create_app
from tests.conftest import account
from tests.kern.test_schemathesis import (
    CHECKS,
    REGELS,
    VOORBEELDEN,
    positive_data_acceptance_but_rules,
)

PAD = "/api/v1/inzet"
SCHAIJK = {
    "uren": [
        {"soort": "preventiewerker_jeugd", "urenPerWeek": 16},
        {"soort": "preventiewerker_volwassenen", "urenPerWeek": 12.5},
        {"soort": "welzijnswerk", "urenPerWeek": 0.29},
    ],
    "bedragen": [
        {"post": "wijkbudget", "euro": 10000},
        {"post": "subsidie_initiatieven", "euro": 2499.99},
    ],
}


def _wijk(antwoord: dict[str, Any], wijk: str) -> dict[str, Any]:
    return next(w for w in antwoord["wijken"] if w["wijk"] == wijk)


def test_kwartiermaker_records_inzet_and_sees_it_beside_the_norm(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    response = client.put(f"{PAD}/2025/09", json=SCHAIJK, headers=kwartiermaker)
    assert response.status_code == 200, response.text
    opgeslagen = response.json()
    assert opgeslagen["jaar"] == 2025 and opgeslagen["wijk"] == "09"
    assert opgeslagen["naam"] == app.state.context.indeling.wijk("09").naam
    assert opgeslagen["uren"]["preventiewerker_jeugd"] == 16
    assert opgeslagen["uren"]["preventiewerker_volwassenen"] == 12.5
    assert opgeslagen["uren"]["welzijnswerk"] == 0.29
    assert opgeslagen["uren"]["jongerenwerk"] == 0
    assert opgeslagen["urenPerWeekTotaal"] == 28.79
    assert opgeslagen["normUrenPerWeek"] == 32
    assert opgeslagen["verschilMetNorm"] == -3.21
    assert opgeslagen["percentageVanNorm"] == 90.0
    assert opgeslagen["bedragen"]["wijkbudget"] == 10000
    assert opgeslagen["bedragen"]["subsidie_initiatieven"] == 2499.99
    assert opgeslagen["euroTotaal"] == 12499.99
    assert opgeslagen["wijkenIngevuld"] == 1 and opgeslagen["bijgewerktOp"] is not None

    jaar = client.get(f"{PAD}/2025", headers=kwartiermaker).json()
    codes = app.state.context.indeling.codes
    assert [w["wijk"] for w in jaar["wijken"]] == codes
    schaijk = _wijk(jaar, "09")
    assert {k: v for k, v in schaijk.items()} == {
        k: v for k, v in opgeslagen.items() if k != "jaar"
    }
    leeg = _wijk(jaar, codes[0])
    assert leeg["wijkenIngevuld"] == 0 and leeg["bijgewerktOp"] is None
    assert leeg["urenPerWeekTotaal"] == 0 and leeg["euroTotaal"] == 0
    assert leeg["verschilMetNorm"] is None and leeg["percentageVanNorm"] is None
    assert set(leeg["uren"]) == set(app.state.context.codelijsten.codes("uursoorten"))
    assert set(leeg["bedragen"]) == set(app.state.context.codelijsten.codes("budgetposten"))
    totaal = jaar["totaal"]
    assert totaal["wijkenIngevuld"] == 1
    assert totaal["normUrenPerWeek"] == 32 * len(codes)
    assert totaal["urenPerWeekTotaal"] == 28.79 and totaal["euroTotaal"] == 12499.99
    assert totaal["percentageVanNorm"] == round(100 * 28.79 / (32 * len(codes)), 1)


def test_large_amounts_are_stored_to_the_cent(
    client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    # 171798691.83 * 100 is 17179869183.000002 in floating point: still a whole cent.
    groot = {"uren": [], "bedragen": [{"post": "welzijnsopdracht", "euro": 171_798_691.83},
                                      {"post": "overig", "euro": 1_000_000_000}]}  # fmt: skip
    response = client.put(f"{PAD}/2025/09", json=groot, headers=kwartiermaker)
    assert response.status_code == 200, response.text
    assert response.json()["bedragen"]["welzijnsopdracht"] == 171_798_691.83
    assert response.json()["euroTotaal"] == 1_171_798_691.83


def test_a_put_replaces_the_wijk_year_wholly_and_nothing_else(
    client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    for pad in (f"{PAD}/2025/09", f"{PAD}/2025/01", f"{PAD}/2024/09"):
        assert client.put(pad, json=SCHAIJK, headers=kwartiermaker).status_code == 200
    kleiner = {"uren": [{"soort": "jongerenwerk", "urenPerWeek": 3}], "bedragen": []}
    assert client.put(f"{PAD}/2025/09", json=kleiner, headers=kwartiermaker).status_code == 200

    schaijk = _wijk(client.get(f"{PAD}/2025", headers=kwartiermaker).json(), "09")
    assert {s: n for s, n in schaijk["uren"].items() if n} == {"jongerenwerk": 3}
    assert schaijk["euroTotaal"] == 0 and schaijk["wijkenIngevuld"] == 1
    for jaar, wijk in ((2025, "01"), (2024, "09")):
        ander = _wijk(client.get(f"{PAD}/{jaar}", headers=kwartiermaker).json(), wijk)
        assert ander["urenPerWeekTotaal"] == 28.79 and ander["euroTotaal"] == 12499.99

    # Recorded as empty is recorded: the wijk then counts as filled in, with 0 hours.
    leeg = {"uren": [], "bedragen": []}
    assert client.put(f"{PAD}/2025/09", json=leeg, headers=kwartiermaker).status_code == 200
    schaijk = _wijk(client.get(f"{PAD}/2025", headers=kwartiermaker).json(), "09")
    assert schaijk["wijkenIngevuld"] == 1 and schaijk["percentageVanNorm"] == 0


def _aantal_rijen(app: FastAPI) -> int:
    with new_session(app.state.context.engine) as session:
        return sum(
            session.execute(select(func.count()).select_from(m)).scalar_one()  # type: ignore[call-overload]
            for m in (Inzet, InzetUren, InzetBedrag)
        )


def test_invalid_input_is_400_naming_every_problem_and_stores_nothing(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    slecht = {
        "uren": [
            {"soort": "preventiewerker_jeugd", "urenPerWeek": 16},
            {"soort": "preventiewerker_jeugd", "urenPerWeek": 4},
            {"soort": "tovenaar", "urenPerWeek": 8},
            {"soort": "welzijnswerk", "urenPerWeek": 400.01},
            {"soort": "jongerenwerk", "urenPerWeek": 1.005},
            {"soort": "verbinder", "urenPerWeek": "8"},
            {"soort": "maatschappelijk_werk", "urenPerWeek": -1},
        ],
        "bedragen": [
            {"post": "wijkbudget", "euro": 10000},
            {"post": "wijkbudget", "euro": 5},
            {"post": "overig", "euro": 0.001},
            {"post": "kwartiermaker", "euro": True},
            {"post": "preventiewerkers", "euro": 100, "naam": "Jansen"},
            {"post": "welzijnsopdracht", "euro": 999_999_999.999},
        ],
        "toelichting": "vrije tekst",
    }
    response = client.put(f"{PAD}/2025/zz", json=slecht, headers=kwartiermaker)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problemen = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert problemen == {
        "wijk": "Onbekende wijk; kies uit /wijken.",
        "uren[1].soort": "Elke uursoort mag maar één keer voorkomen.",
        "uren[2].soort": "Onbekende code; kies een code uit codelijst uursoorten.",
        "uren[3].urenPerWeek": "Mag hoogstens 400 zijn.",
        "uren[4].urenPerWeek": "Hoogstens twee cijfers achter de komma.",
        "uren[5].urenPerWeek": "Moet een getal zijn.",
        "uren[6].urenPerWeek": "Moet minstens 0 zijn.",
        "bedragen[1].post": "Elke budgetpost mag maar één keer voorkomen.",
        "bedragen[2].euro": "Hoogstens twee cijfers achter de komma.",
        "bedragen[3].euro": "Moet een getal zijn.",
        "bedragen[4].naam": "Onbekend veld: dit veld hoort niet bij dit verzoek.",
        "bedragen[5].euro": "Hoogstens twee cijfers achter de komma.",
        "toelichting": "Onbekend veld: dit veld hoort niet bij dit verzoek.",
    }
    assert "Jansen" not in response.text and "vrije tekst" not in response.text
    assert _aantal_rijen(app) == 0

    for pad in (f"{PAD}/1999/09", f"{PAD}/2101/09", f"{PAD}/2025.0/09", f"{PAD}/2025/0 9"):
        assert client.put(pad, json=SCHAIJK, headers=kwartiermaker).status_code == 400, pad
    for body in ({}, {"uren": []}, [], {"uren": [], "bedragen": {}}):
        assert client.put(f"{PAD}/2025/09", json=body, headers=kwartiermaker).status_code == 400
    assert _aantal_rijen(app) == 0


def test_bad_parameters_of_the_overview_are_400(
    client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    for pad in (f"{PAD}/1999", f"{PAD}/abc", f"{PAD}/2025?wijk=zz", f"{PAD}/2025?wjik=09"):
        response = client.get(pad, headers=kwartiermaker)
        assert response.status_code == 400, pad
    onbekend = client.get(f"{PAD}/2025?wijk=zz", headers=kwartiermaker).json()
    assert onbekend["invalidParams"] == [
        {"name": "wijk", "reason": "Onbekende wijk; kies uit /wijken."}
    ]


def test_every_role_gets_its_answer(app: FastAPI, client: TestClient) -> None:
    rollen = {
        rol: account(app, rol, rol, ["09"] if rol == "preventiewerker" else [])
        for rol in ("kwartiermaker", "rapportage", "beheerder", "preventiewerker")
    }
    schrijven = {"kwartiermaker": 200, "rapportage": 403, "beheerder": 403, "preventiewerker": 403}
    lezen = {"kwartiermaker": 200, "rapportage": 200, "beheerder": 403, "preventiewerker": 403}
    for rol, headers in rollen.items():
        put = client.put(f"{PAD}/2025/09", json=SCHAIJK, headers=headers)
        assert put.status_code == schrijven[rol], rol
        get = client.get(f"{PAD}/2025", headers=headers)
        assert get.status_code == lezen[rol], rol
        csv_ = client.get(f"{PAD}/2025", headers={**headers, "Accept": "text/csv"})
        assert csv_.status_code == lezen[rol], rol
    assert client.put(f"{PAD}/2025/09", json=SCHAIJK).status_code == 401
    assert client.get(f"{PAD}/2025").status_code == 401
    # A role without access learns nothing about its input, not even that it is invalid.
    assert client.put(f"{PAD}/2025/zz", json={}, headers=rollen["rapportage"]).status_code == 403
    # Hours and euros are not about residents: rapportage sees the exact figures.
    kwartier = client.get(f"{PAD}/2025", headers=rollen["kwartiermaker"]).json()
    assert client.get(f"{PAD}/2025", headers=rollen["rapportage"]).json() == kwartier


def test_every_change_is_in_the_audit_log_and_a_same_put_adds_nothing(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    beheerder = account(app, "beheerder", "beheerder")
    client.put(f"{PAD}/2025/09", json=SCHAIJK, headers=kwartiermaker)
    client.put(f"{PAD}/2025/09", json=SCHAIJK, headers=kwartiermaker)
    anders = {
        "uren": [{"soort": "preventiewerker_jeugd", "urenPerWeek": 20}],
        "bedragen": [{"post": "wijkbudget", "euro": 10000}],
    }
    client.put(f"{PAD}/2025/09", json=anders, headers=kwartiermaker)
    regels = [
        r
        for r in client.get("/api/v1/auditregels", headers=beheerder).json()["items"]
        if r["actie"] == "inzet_vastgelegd"
    ]
    assert len(regels) == 2
    nieuwste, eerste = regels
    assert eerste["account"] == "kwartiermaker" and eerste["onderwerp"] == "2025/09"
    assert {"veld": "uren.preventiewerker_jeugd", "oud": None, "nieuw": 16} in eerste["wijzigingen"]
    assert len(eerste["wijzigingen"]) == 5
    assert sorted(nieuwste["wijzigingen"], key=lambda w: w["veld"]) == [
        {"veld": "bedragen.subsidie_initiatieven", "oud": 2499.99, "nieuw": None},
        {"veld": "uren.preventiewerker_jeugd", "oud": 16, "nieuw": 20},
        {"veld": "uren.preventiewerker_volwassenen", "oud": 12.5, "nieuw": None},
        {"veld": "uren.welzijnswerk", "oud": 0.29, "nieuw": None},
    ]


def test_overview_as_tidy_csv_one_line_per_wijk_and_code(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    client.put(f"{PAD}/2025/09", json=SCHAIJK, headers=kwartiermaker)
    response = client.get(f"{PAD}/2025", headers={**kwartiermaker, "Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text.endswith("\r\n")
    rijen = list(csv.reader(io.StringIO(response.text)))
    assert rijen[0] == [
        "jaar", "wijk", "wijknaam", "onderdeel", "code", "omschrijving", "waarde", "eenheid"
    ]  # fmt: skip
    context = app.state.context
    soorten = context.codelijsten.codes("uursoorten")
    posten = context.codelijsten.codes("budgetposten")
    assert len(rijen) == 1 + len(context.indeling.codes) * (len(soorten) + len(posten))
    schaijk = {(r[3], r[4]): (r[6], r[7]) for r in rijen[1:] if r[1] == "09"}
    assert schaijk[("uren", "preventiewerker_volwassenen")] == ("12.50", "uur per week")
    assert schaijk[("bedragen", "subsidie_initiatieven")] == ("2499.99", "euro")
    assert schaijk[("uren", "jongerenwerk")] == ("0.00", "uur per week")
    # A wijk filter narrows the table, as it narrows the JSON.
    alleen = client.get(f"{PAD}/2025?wijk=09", headers={**kwartiermaker, "Accept": "text/csv"})
    assert {r[1] for r in list(csv.reader(io.StringIO(alleen.text)))[1:]} == {"09"}
    json_ = client.get(f"{PAD}/2025?wijk=09", headers=kwartiermaker).json()
    assert [w["wijk"] for w in json_["wijken"]] == ["09"]
    assert json_["totaal"]["normUrenPerWeek"] == 32 * len(context.indeling.codes)


def test_the_norm_is_a_setting(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"inzet_norm_uren_per_week": 25.0}))
    try:
        client = TestClient(app)
        headers = account(app, "kwartiermaker", "kwartiermaker")
        schaijk = client.put(f"{PAD}/2025/09", json=SCHAIJK, headers=headers).json()
        assert schaijk["normUrenPerWeek"] == 25
        assert schaijk["verschilMetNorm"] == 3.79 and schaijk["percentageVanNorm"] == 115.2
    finally:
        app.state.context.engine.dispose()


def test_jaarcijfers_per_wijk_and_gemeente_with_the_year_before(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    client.put(f"{PAD}/2025/09", json=SCHAIJK, headers=kwartiermaker)
    client.put(
        f"{PAD}/2025/01",
        json={"uren": [{"soort": "preventiewerker_jeugd", "urenPerWeek": 32}], "bedragen": []},
        headers=kwartiermaker,
    )
    client.put(
        f"{PAD}/2024/09",
        json={"uren": [], "bedragen": [{"post": "wijkbudget", "euro": 9000.5}]},
        headers=kwartiermaker,
    )
    context = app.state.context
    with new_session(context.engine, alleen_lezen=True) as session:
        exact = jaarcijfers(session, context, 2025, None)
        beschermd = jaarcijfers(session, context, 2025, context.settings.min_cel)
    assert set(exact) == {*context.indeling.codes, None}
    # Not about residents, so nothing is suppressed: rapportage sees the same figures.
    assert beschermd == exact

    schaijk = exact["09"]
    assert schaijk.uren_per_week_totaal == 28.79 and schaijk.euro_totaal == 12499.99
    assert schaijk.vorig_jaar.wijken_ingevuld == 1
    assert schaijk.vorig_jaar.bedragen["wijkbudget"] == 9000.5
    assert schaijk.vorig_jaar.uren_per_week_totaal == 0
    assert schaijk.vorig_jaar.percentage_van_norm == 0
    assert exact["01"].percentage_van_norm == 100.0 and exact["01"].vorig_jaar.wijken_ingevuld == 0

    gemeente = exact[None]
    aantal = len(context.indeling.codes)
    assert gemeente.wijken_ingevuld == 2
    assert gemeente.norm_uren_per_week == 32 * aantal
    assert gemeente.uren["preventiewerker_jeugd"] == 48
    assert gemeente.uren_per_week_totaal == 60.79
    assert gemeente.euro_totaal == 12499.99
    assert gemeente.vorig_jaar.euro_totaal == 9000.5 and gemeente.vorig_jaar.wijken_ingevuld == 1
    zonder = exact[context.indeling.codes[-1]]
    assert zonder.wijken_ingevuld == 0 and zonder.percentage_van_norm is None
    assert json.loads(schaijk.model_dump_json(by_alias=True))["vorigJaar"]["euroTotaal"] == 9000.5


def test_demo_is_plausible_and_the_same_for_the_same_seed(app: FastAPI) -> None:
    context = app.state.context
    wijken = context.indeling.codes
    with new_session(context.engine) as session:
        vorig = vul_demo(session, context, 2024, seed=7)
        dit = vul_demo(session, context, 2025, seed=7)
    per_wijk = len(context.codelijsten.codes("uursoorten")) + len(
        context.codelijsten.codes("budgetposten")
    )
    assert vorig == dit == len(wijken) * per_wijk
    assert _aantal_rijen(app) == 2 * len(wijken) + vorig + dit
    with new_session(context.engine, alleen_lezen=True) as session:
        eerst = jaarcijfers(session, context, 2025, None)
    with new_session(context.engine) as session:
        # Again with the same seed: the same figures, so nothing to write.
        assert vul_demo(session, context, 2025, seed=7) == 0
    with new_session(context.engine, alleen_lezen=True) as session:
        assert jaarcijfers(session, context, 2025, None) == eerst

    secties = [eerst[w] for w in wijken]
    assert all(s.wijken_ingevuld == 1 and s.vorig_jaar.wijken_ingevuld == 1 for s in secties)
    assert all(s.bedragen["wijkbudget"] == 10_000 for s in secties)
    preventie = [
        s.uren["preventiewerker_jeugd"] + s.uren["preventiewerker_volwassenen"] for s in secties
    ]
    # About the norm of 32, some wijken clearly below it.
    assert any(p < 28 for p in preventie) and any(p >= 30 for p in preventie)
    assert all(12 <= p <= 37 for p in preventie)
    assert eerst[None].euro_totaal != eerst[None].vorig_jaar.euro_totaal

    with new_session(context.engine) as session:
        vul_demo(session, context, 2025, seed=8)
    with new_session(context.engine, alleen_lezen=True) as session:
        assert jaarcijfers(session, context, 2025, None) != eerst


@pytest.mark.slow  # concurrent clients against a real uvicorn server
@pytest.mark.parametrize("database_url", ["postgresql", "sqlite"], indirect=True)
def test_simultaneous_replacements_never_mix(
    app: FastAPI, live_server: str, kwartiermaker: dict[str, str]
) -> None:
    bodies = [
        {
            "uren": [{"soort": soort, "urenPerWeek": i + 1}],
            "bedragen": [{"post": "wijkbudget", "euro": 1000 * (i + 1)}],
        }
        for i, soort in enumerate(["preventiewerker_jeugd", "verbinder", "welzijnswerk"] * 4)
    ]
    statussen: list[int] = []

    def zet(body: dict[str, Any]) -> None:
        with httpx.Client(base_url=live_server, timeout=30) as client:
            statussen.append(
                client.put(f"{PAD}/2025/09", json=body, headers=kwartiermaker).status_code
            )

    draden = [threading.Thread(target=zet, args=(b,)) for b in bodies]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join()
    assert statussen == [200] * len(bodies)
    schaijk = _wijk(httpx.get(f"{live_server}{PAD}/2025", headers=kwartiermaker).json(), "09")
    uren = {s: n for s, n in schaijk["uren"].items() if n}
    assert len(uren) == 1
    ((soort, n),) = uren.items()
    assert bodies[int(n) - 1]["uren"][0]["soort"] == soort
    assert schaijk["bedragen"]["wijkbudget"] == 1000 * n


EIGEN_REGELS = (*REGELS, "Elke uursoort mag maar één keer", "Elke budgetpost mag maar één keer")


def _positief_behalve_regels(
    ctx: CheckContext, response: Response, case: schemathesis.Case
) -> bool | None:
    """The shared check, plus this part's rule that the schema cannot state: each code once."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        redenen = [p["reason"] for p in response.json().get("invalidParams", [])]
        if (
            response.status_code == 400
            and redenen
            and all(r.startswith(EIGEN_REGELS) for r in redenen)
        ):
            return None
        raise


EIGEN_CHECKS = [
    _positief_behalve_regels if check is positive_data_acceptance_but_rules else check
    for check in CHECKS
]


@pytest.mark.slow  # generated requests (schemathesis)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(
    ("method", "path"), [("PUT", "/inzet/{jaar}/{wijk}"), ("GET", "/inzet/{jaar}")]
)
def test_no_inzet_operation_fails_or_strays_from_the_document_for_the_kwartiermaker(
    app: FastAPI, kwartiermaker: dict[str, str], method: str, path: str, mode: GenerationMode
) -> None:
    """As the shared schemathesis test, but signed in as the role that may use these."""
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operation = next(
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().method.upper() == method and result.ok().path == path
    )
    strategy = operation.as_strategy(mode)
    if mode is GenerationMode.POSITIVE:
        # Random wijk codes only meet "unknown wijk": half the cases go to one that exists.
        bestaand = operation.as_strategy(
            mode, path_parameters={"wijk": "09"} if "{wijk}" in path else None
        )
        strategy = st.one_of(strategy, bestaand)

    @given(case=strategy)
    @settings(
        max_examples=VOORBEELDEN,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=kwartiermaker, checks=EIGEN_CHECKS)

    run()
