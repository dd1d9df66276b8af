"""Collective activities per wijk: counts only, idempotent, corrected by their author in time."""

import csv
import io
import uuid
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import col, delete, select

from app.activiteiten.demo import vul_demo
from app.activiteiten.jaarcijfers import jaarcijfers
from app.activiteiten.models import Activiteit
from app.kern.db import new_session
from app.toegang.models import Account
from tests.conftest import account

PAD = "/api/v1/activiteiten"
SOORTEN = [
    "ontmoeting", "bewegen", "cursus", "voorlichting", "jeugdactiviteit", "mantelzorg",
    "buurtinitiatief", "spreekuur",
]  # fmt: skip


def activiteit(**velden: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "wijk": "09",
        "datum": "2025-03-14",
        "soort": "ontmoeting",
        "bijeenkomsten": 12,
        "deelnemers": 18,
        "vrijwilligers": 3,
        "initiatief": "bewoners",
    }
    body.update(velden)
    return body


def registreer(client: TestClient, headers: dict[str, str], **velden: Any) -> dict[str, Any]:
    response = client.post(PAD, json=activiteit(**velden), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def aantal_opgeslagen(app: FastAPI) -> int:
    with new_session(app.state.context.engine) as session:
        return int(session.exec(select(func.count()).select_from(Activiteit)).one())


def audit(app: FastAPI, client: TestClient) -> list[dict[str, Any]]:
    beheerder = account(app, "beheer", "beheerder")
    response = client.get("/api/v1/auditregels", headers=beheerder)
    assert response.status_code == 200
    return [r for r in response.json()["items"] if r["actie"].startswith("activiteit_")]


def maak_oud(app: FastAPI, id: str, dagen: int) -> None:
    with new_session(app.state.context.engine) as session:
        rij = session.get(Activiteit, uuid.UUID(id))
        assert rij is not None
        rij.aangemaakt_op -= timedelta(days=dagen)
        session.add(rij)
        session.commit()


def test_worker_registers_an_activity_and_reads_it_back(
    client: TestClient, werker: dict[str, str]
) -> None:
    response = client.post(PAD, json=activiteit(), headers=werker)
    assert response.status_code == 201
    body = response.json()
    assert response.headers["Location"] == f"{PAD}/{body['id']}"
    assert {k: body[k] for k in activiteit()} == activiteit()
    assert set(body) == {*activiteit(), "id", "aangemaaktOp"}
    assert client.get(response.headers["Location"], headers=werker).json() == body
    lijst = client.get(PAD, headers=werker).json()
    assert lijst == {"items": [body], "totaal": 1, "pagina": 1, "paginaGrootte": 20}


def test_kwartiermaker_registers_in_any_wijk(
    client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    body = registreer(client, kwartiermaker, wijk="01", initiatief="professionals")
    assert (body["wijk"], body["initiatief"]) == ("01", "professionals")


def test_every_problem_is_listed_at_once_and_nothing_is_stored(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    # The service's today (Europe/Amsterdam), not the machine's: between 23:00 and 24:00 UTC
    # the machine's tomorrow is already today in Maashorst.
    morgen = (app.state.context.vandaag() + timedelta(days=1)).isoformat()
    body = {
        "wijk": "99",
        "datum": morgen,
        "soort": "karaoke",
        "bijeenkomsten": 0,
        "deelnemers": -1,
        "vrijwilligers": 2.5,
        "initiatief": "gemeente",
        "naam": "Jan",
    }
    response = client.post(PAD, json=body, headers=werker)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    namen = {p["name"] for p in response.json()["invalidParams"]}
    assert namen == {
        "wijk", "datum", "soort", "bijeenkomsten", "deelnemers", "vrijwilligers", "initiatief",
        "naam",
    }  # fmt: skip
    # Never an echo of what was sent.
    assert "Jan" not in response.text and "karaoke" not in response.text
    assert aantal_opgeslagen(app) == 0


@pytest.mark.parametrize(
    ("veld", "waarde"),
    [
        ("bijeenkomsten", 367),
        ("deelnemers", 10_001),
        ("vrijwilligers", 1_001),
        ("bijeenkomsten", True),
        ("deelnemers", "12"),
        ("deelnemers", 12.5),
        ("datum", "2023-12-31"),  # before the start date of the registration
        ("datum", "2025-03-14T10:00:00"),
        ("soort", "Ontmoeting"),
        ("id", "geen-uuid"),
    ],
)
def test_values_outside_the_rules_are_refused(
    app: FastAPI, client: TestClient, werker: dict[str, str], veld: str, waarde: Any
) -> None:
    response = client.post(PAD, json=activiteit(**{veld: waarde}), headers=werker)
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == [veld]
    assert aantal_opgeslagen(app) == 0


def test_a_wijk_outside_the_workers_own_is_refused(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    response = client.post(PAD, json=activiteit(wijk="01"), headers=werker)
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [
        {"name": "wijk", "reason": "Dit is niet een van uw eigen wijken."}
    ]
    assert aantal_opgeslagen(app) == 0


def test_limits_are_accepted_at_their_edges(client: TestClient, werker: dict[str, str]) -> None:
    body = registreer(client, werker, bijeenkomsten=366, deelnemers=10_000, vrijwilligers=0)
    assert (body["bijeenkomsten"], body["deelnemers"]) == (366, 10_000)
    body = registreer(client, werker, bijeenkomsten=1, deelnemers=0, datum="2024-01-01")
    assert body["datum"] == "2024-01-01"
    # JSON Schema's integer includes 12.0.
    assert registreer(client, werker, deelnemers=12.0)["deelnemers"] == 12


def test_same_id_and_body_returns_the_stored_activity_once(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    body = activiteit(id=str(uuid.uuid4()))
    eerste = client.post(PAD, json=body, headers=werker)
    opnieuw = client.post(PAD, json=body, headers=werker)
    assert eerste.status_code == opnieuw.status_code == 201
    assert opnieuw.json() == eerste.json()
    assert opnieuw.json()["id"] == body["id"]
    assert opnieuw.headers["Location"] == eerste.headers["Location"]
    assert aantal_opgeslagen(app) == 1


def test_same_id_with_another_body_or_author_is_a_conflict(
    app: FastAPI, client: TestClient, werker: dict[str, str], kwartiermaker: dict[str, str]
) -> None:
    id = str(uuid.uuid4())
    registreer(client, werker, id=id)
    collega = account(app, "collega", "preventiewerker", ["09"])
    for headers, body in (
        (werker, activiteit(id=id, deelnemers=19)),
        (collega, activiteit(id=id)),
        (kwartiermaker, activiteit(id=id)),
    ):
        response = client.post(PAD, json=body, headers=headers)
        assert response.status_code == 409
        assert response.json()["type"].endswith("id-al-gebruikt")
    assert client.get(f"{PAD}/{id}", headers=werker).json()["deelnemers"] == 18
    assert aantal_opgeslagen(app) == 1


ROUTES = [
    ("post", PAD, activiteit()),
    ("get", PAD, None),
    ("get", f"{PAD}/{uuid.uuid4()}", None),
    ("patch", f"{PAD}/{uuid.uuid4()}", {"deelnemers": 4}),
    ("delete", f"{PAD}/{uuid.uuid4()}", None),
]


@pytest.mark.parametrize(("methode", "pad", "body"), ROUTES)
def test_every_route_answers_every_role(
    app: FastAPI, client: TestClient, methode: str, pad: str, body: dict[str, Any] | None
) -> None:
    def vraag(headers: dict[str, str]) -> int:
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs["json"] = body
        return client.request(methode.upper(), pad, **kwargs).status_code

    assert vraag({}) == 401
    assert vraag({"Authorization": "Bearer onzin"}) == 401
    for rol in ("rapportage", "beheerder"):
        assert vraag(account(app, rol, rol)) == 403
    # A random id is unknown: 404 for both roles that have access here.
    verwacht = {"post": 201, "get": 200, "patch": 404, "delete": 404}[methode]
    if methode == "get" and pad != PAD:
        verwacht = 404
    assert vraag(account(app, "werker", "preventiewerker", ["09"])) == verwacht
    if methode == "post":
        body = {**activiteit(), "wijk": "01"}
    assert vraag(account(app, "kwartiermaker", "kwartiermaker")) == verwacht


def test_invalid_input_without_access_is_still_401_or_403(app: FastAPI, client: TestClient) -> None:
    rapportage = account(app, "rapportage", "rapportage")
    assert client.post(PAD, json={"naam": "Jan"}, headers=rapportage).status_code == 403
    assert client.post(PAD, json={"naam": "Jan"}).status_code == 401
    assert client.patch(f"{PAD}/{uuid.uuid4()}", json={"naam": "Jan"}).status_code == 401


def test_the_list_shows_a_worker_the_activities_of_their_own_wijken(
    app: FastAPI, client: TestClient, werker: dict[str, str], kwartiermaker: dict[str, str]
) -> None:
    collega = account(app, "collega", "preventiewerker", ["09"])
    elders = account(app, "elders", "preventiewerker", ["01"])
    van_collega = registreer(client, collega)
    van_elders = registreer(client, elders, wijk="01")
    eigen = registreer(client, werker, datum="2025-04-01")
    assert [a["id"] for a in client.get(PAD, headers=werker).json()["items"]] == [
        eigen["id"], van_collega["id"],
    ]  # fmt: skip
    alles = client.get(PAD, headers=kwartiermaker).json()
    assert alles["totaal"] == 3
    # Someone else's wijk is answered like an unknown id.
    assert client.get(f"{PAD}/{van_elders['id']}", headers=werker).status_code == 404
    assert client.get(f"{PAD}/{van_elders['id']}", headers=kwartiermaker).status_code == 200
    assert client.get(PAD, params={"wijk": "01"}, headers=werker).json()["totaal"] == 0


def test_the_list_is_newest_first_filtered_and_paged(
    client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    datums = ["2024-05-01", "2025-01-10", "2025-06-30", "2025-12-31", "2026-02-01"]
    for datum in datums:
        registreer(client, kwartiermaker, datum=datum, wijk="01")
    registreer(client, kwartiermaker, datum="2025-07-01", wijk="02")

    def datums_van(**params: Any) -> tuple[list[str], int]:
        body = client.get(PAD, params=params, headers=kwartiermaker).json()
        return [a["datum"] for a in body["items"]], body["totaal"]

    assert datums_van(wijk="01", jaar=2025) == (["2025-12-31", "2025-06-30", "2025-01-10"], 3)
    assert datums_van(jaar=2025, paginaGrootte=2, pagina=2) == (["2025-06-30", "2025-01-10"], 4)
    assert datums_van(wijk="02") == (["2025-07-01"], 1)
    assert datums_van(jaar=2023) == ([], 0)
    for params in ({"wijk": "99"}, {"jaar": "2025.0"}, {"paginaGrootte": 1001}, {"pagina": 0}):
        assert client.get(PAD, params=params, headers=kwartiermaker).status_code == 400


def test_the_list_as_csv(client: TestClient, werker: dict[str, str]) -> None:
    a = registreer(client, werker, datum="2025-02-01")
    b = registreer(client, werker, datum="2025-03-01", soort="cursus", initiatief="samen")
    response = client.get(PAD, headers={**werker, "Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.text.endswith("\r\n")
    rijen = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rijen[0]) == [
        "id", "wijk", "datum", "soort", "bijeenkomsten", "deelnemers", "vrijwilligers",
        "initiatief", "aangemaaktOp",
    ]  # fmt: skip
    assert [(r["id"], r["soort"], r["initiatief"]) for r in rijen] == [
        (b["id"], "cursus", "samen"), (a["id"], "ontmoeting", "bewoners"),
    ]  # fmt: skip
    assert rijen[0]["deelnemers"] == "18"
    # Same filters and pages as the JSON answer.
    response = client.get(
        PAD, params={"paginaGrootte": 1}, headers={**werker, "Accept": "text/csv"}
    )
    assert len(list(csv.DictReader(io.StringIO(response.text)))) == 1


def test_author_corrects_and_the_audit_trail_keeps_old_and_new(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    id = registreer(client, werker)["id"]
    response = client.patch(
        f"{PAD}/{id}",
        json={
            "deelnemers": 21,
            "datum": "2025-03-13",
            "initiatief": "samen",
            "soort": "ontmoeting",
        },
        headers=werker,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["deelnemers"], body["datum"], body["initiatief"], body["bijeenkomsten"]) == (
        21, "2025-03-13", "samen", 12,
    )  # fmt: skip
    assert client.get(f"{PAD}/{id}", headers=werker).json() == body
    [regel] = audit(app, client)
    assert (regel["actie"], regel["account"], regel["onderwerp"]) == (
        "activiteit_gecorrigeerd", "werker", id,
    )  # fmt: skip
    assert regel["wijzigingen"] == [
        {"veld": "datum", "oud": "2025-03-14", "nieuw": "2025-03-13"},
        {"veld": "deelnemers", "oud": 18, "nieuw": 21},
        {"veld": "initiatief", "oud": "bewoners", "nieuw": "samen"},
    ]


def test_correction_without_change_writes_no_audit_line(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    id = registreer(client, werker)["id"]
    assert client.patch(f"{PAD}/{id}", json={"deelnemers": 18}, headers=werker).status_code == 200
    assert client.patch(f"{PAD}/{id}", json={}, headers=werker).status_code == 200
    # null, as for trajecten, leaves a field as it is: no count can be emptied.
    response = client.patch(f"{PAD}/{id}", json={"bijeenkomsten": None}, headers=werker)
    assert response.json()["bijeenkomsten"] == 12
    assert audit(app, client) == []


def test_corrections_are_validated_like_registrations(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    id = registreer(client, werker)["id"]
    for body, veld in (
        ({"deelnemers": -3}, "deelnemers"),
        ({"soort": "karaoke"}, "soort"),
        ({"wijk": "01"}, "wijk"),
        ({"naam": "Jan"}, "naam"),
        ({"datum": "2099-01-01"}, "datum"),
    ):
        response = client.patch(f"{PAD}/{id}", json=body, headers=werker)
        assert response.status_code == 400, body
        assert [p["name"] for p in response.json()["invalidParams"]] == [veld]
    assert client.get(f"{PAD}/{id}", headers=werker).json()["deelnemers"] == 18
    assert audit(app, client) == []


def test_only_the_author_corrects_or_withdraws(
    app: FastAPI, client: TestClient, werker: dict[str, str], kwartiermaker: dict[str, str]
) -> None:
    collega = account(app, "collega", "preventiewerker", ["09"])
    id = registreer(client, werker)["id"]
    for headers in (collega, kwartiermaker):
        assert (
            client.patch(f"{PAD}/{id}", json={"deelnemers": 4}, headers=headers).status_code == 403
        )
        assert client.delete(f"{PAD}/{id}", headers=headers).status_code == 403
    # The kwartiermaker corrects what they registered themselves, in any wijk.
    eigen = registreer(client, kwartiermaker, wijk="03")["id"]
    response = client.patch(f"{PAD}/{eigen}", json={"wijk": "04"}, headers=kwartiermaker)
    assert response.json()["wijk"] == "04"
    assert client.get(f"{PAD}/{id}", headers=werker).json()["deelnemers"] == 18


def test_author_withdraws_and_the_audit_trail_keeps_what_it_held(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    id = registreer(client, werker)["id"]
    response = client.delete(f"{PAD}/{id}", headers=werker)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"{PAD}/{id}", headers=werker).status_code == 404
    assert client.delete(f"{PAD}/{id}", headers=werker).status_code == 404
    assert aantal_opgeslagen(app) == 0
    [regel] = audit(app, client)
    assert regel["actie"] == "activiteit_ingetrokken"
    assert {w["veld"]: (w["oud"], w["nieuw"]) for w in regel["wijzigingen"]} == {
        "wijk": ("09", None), "datum": ("2025-03-14", None), "soort": ("ontmoeting", None),
        "bijeenkomsten": (12, None), "deelnemers": (18, None), "vrijwilligers": (3, None),
        "initiatief": ("bewoners", None),
    }  # fmt: skip


def test_correction_period_is_enforced(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    id = registreer(client, werker)["id"]
    maak_oud(app, id, 13)
    assert client.patch(f"{PAD}/{id}", json={"deelnemers": 19}, headers=werker).status_code == 200
    maak_oud(app, id, 2)
    for response in (
        client.patch(f"{PAD}/{id}", json={"deelnemers": 20}, headers=werker),
        client.delete(f"{PAD}/{id}", headers=werker),
    ):
        assert response.status_code == 409
        assert response.json()["type"].endswith("correctie-niet-mogelijk")
        assert "14 dagen" in response.json()["detail"]
    assert client.get(f"{PAD}/{id}", headers=werker).json()["deelnemers"] == 19


def voeg_toe(app: FastAPI, *rijen: tuple[str, str, str, str, int, int, int]) -> None:
    """Activities straight into the table, as many as a test needs."""
    with new_session(app.state.context.engine) as session:
        account_id = session.exec(select(func.min(col(Account.id)))).one()
        for wijk, datum, soort, initiatief, bijeenkomsten, deelnemers, vrijwilligers in rijen:
            session.add(
                Activiteit(
                    id=uuid.uuid4(), wijk=wijk, datum=date.fromisoformat(datum), soort=soort,
                    initiatief=initiatief, bijeenkomsten=bijeenkomsten, deelnemers=deelnemers,
                    vrijwilligers=vrijwilligers, account_id=account_id, verzoek_hash=b"x",
                )
            )  # fmt: skip
        session.commit()


def test_jaarcijfers_per_wijk_and_for_the_gemeente_with_the_year_before(
    app: FastAPI, werker: dict[str, str]
) -> None:
    voeg_toe(
        app,
        ("09", "2025-01-01", "ontmoeting", "bewoners", 10, 20, 3),
        ("09", "2025-12-31", "cursus", "samen", 4, 8, 0),
        ("09", "2025-06-15", "ontmoeting", "bewoners", 2, 30, 1),
        ("01", "2025-03-01", "spreekuur", "professionals", 40, 55, 0),
        ("01", "2024-12-31", "bewegen", "bewoners", 20, 12, 2),
        ("09", "2024-02-02", "voorlichting", "professionals", 1, 35, 0),
        ("09", "2023-12-31", "ontmoeting", "bewoners", 99, 99, 99),  # two years back
        ("09", "2026-01-01", "ontmoeting", "bewoners", 99, 99, 99),  # the year after
    )
    context = app.state.context
    with new_session(context.engine, alleen_lezen=True) as session:
        cijfers = jaarcijfers(session, context, 2025, None)
        beschermd = jaarcijfers(session, context, 2025, 5)
    assert list(cijfers) == [*context.indeling.codes, None]
    schaijk = cijfers["09"].model_dump(by_alias=True)
    assert schaijk == {
        "aantalActiviteiten": 3,
        "bijeenkomsten": 16,
        "deelnemers": 58,
        "vrijwilligers": 4,
        "perSoort": {s: {"ontmoeting": 2, "cursus": 1}.get(s, 0) for s in SOORTEN},
        "perInitiatief": {"bewoners": 2, "professionals": 0, "samen": 1},
        "vorigJaar": {
            "aantalActiviteiten": 1,
            "bijeenkomsten": 1,
            "deelnemers": 35,
            "vrijwilligers": 0,
            "perSoort": {s: int(s == "voorlichting") for s in SOORTEN},
            "perInitiatief": {"bewoners": 0, "professionals": 1, "samen": 0},
        },
    }
    gemeente = cijfers[None]
    assert (gemeente.aantal_activiteiten, gemeente.bijeenkomsten, gemeente.deelnemers) == (
        4, 56, 113,
    )  # fmt: skip
    assert gemeente.per_initiatief == {"bewoners": 2, "professionals": 1, "samen": 1}
    assert (gemeente.vorig_jaar.aantal_activiteiten, gemeente.vorig_jaar.deelnemers) == (2, 47)
    leeg = cijfers["05"]
    assert (leeg.aantal_activiteiten, leeg.deelnemers, leeg.vorig_jaar.aantal_activiteiten) == (
        0, 0, 0,
    )  # fmt: skip
    assert set(leeg.per_soort.values()) == {0}
    # Counts of collective activities are not about residents: rapportage sees them exactly.
    assert beschermd == cijfers


def test_jaarcijfers_follow_a_correction_and_a_withdrawal(
    client: TestClient, app: FastAPI, werker: dict[str, str]
) -> None:
    a = registreer(client, werker, datum="2025-05-05")["id"]
    b = registreer(client, werker, datum="2025-05-06", deelnemers=7)["id"]
    client.patch(f"{PAD}/{a}", json={"datum": "2024-12-30"}, headers=werker)
    client.delete(f"{PAD}/{b}", headers=werker)
    context = app.state.context
    with new_session(context.engine, alleen_lezen=True) as session:
        cijfers = jaarcijfers(session, context, 2025, None)["09"]
    assert (cijfers.aantal_activiteiten, cijfers.vorig_jaar.aantal_activiteiten) == (0, 1)
    assert cijfers.vorig_jaar.deelnemers == 18


def test_demo_fills_every_wijk_plausibly_and_the_same_seed_gives_the_same(app: FastAPI) -> None:
    context = app.state.context

    def inhoud() -> list[tuple[Any, ...]]:
        with new_session(context.engine) as session:
            return [
                tuple(r)
                for r in session.exec(
                    select(
                        Activiteit.id, Activiteit.wijk, Activiteit.datum, Activiteit.soort,
                        Activiteit.deelnemers, Activiteit.initiatief,
                    ).order_by(col(Activiteit.id))
                ).all()
            ]  # fmt: skip

    with new_session(context.engine) as session:
        aantal = vul_demo(session, context, 2025, seed=7)
        aantal += vul_demo(session, context, 2024, seed=7)
    rijen = inhoud()
    assert aantal == len(rijen) > 200
    per_wijk = Counter(r[1] for r in rijen if r[2].year == 2025)
    assert set(per_wijk) == set(context.indeling.codes)
    # Zeeland (7 buurten) has more going on than Odiliapeel (2).
    assert per_wijk["11"] > 2 * per_wijk["08"]
    per_maand = Counter(r[2].month for r in rijen)
    assert per_maand[7] + per_maand[8] < per_maand[3] + per_maand[10]
    assert all(r[3] in SOORTEN and r[4] >= 0 for r in rijen)
    with new_session(context.engine, alleen_lezen=True) as session:
        cijfers = jaarcijfers(session, context, 2025, None)[None]
    assert cijfers.aantal_activiteiten == sum(per_wijk.values())
    assert cijfers.vorig_jaar.aantal_activiteiten == aantal - cijfers.aantal_activiteiten

    with new_session(context.engine) as session:
        session.execute(delete(Activiteit))
        session.commit()
        assert vul_demo(session, context, 2025, seed=7) + vul_demo(
            session, context, 2024, seed=7
        ) == len(rijen)
    assert inhoud() == rijen
