"""Corrections and withdrawals: by the author, within the period, always in the audit trail."""

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from app.kern.db import new_session
from app.trajecten.models import Gesprek, Traject
from tests.conftest import account
from tests.registraties import eerste_gesprek, gesprek, warme_overdracht


def start(client: TestClient, headers: dict[str, str], **velden: Any) -> str:
    response = client.post("/api/v1/trajecten", json=eerste_gesprek(**velden), headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["code"])


def audit(app: FastAPI, client: TestClient) -> list[dict[str, Any]]:
    beheerder = account(app, "beheer", "beheerder")
    response = client.get("/api/v1/auditregels", headers=beheerder)
    assert response.status_code == 200
    return [r for r in response.json()["items"] if r["actie"] != "account_aangemaakt"]


def test_author_corrects_a_gesprek_and_the_audit_trail_says_what_changed(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    code = start(client, werker)
    response = client.patch(
        f"/api/v1/trajecten/{code}/gesprekken/1",
        json={"locatie": "school", "vraagtypen": ["opvoeding"], "datum": "2025-03-13"},
        headers=werker,
    )
    assert response.status_code == 200
    [eerste] = response.json()["gesprekken"]
    assert (eerste["locatie"], eerste["vraagtypen"], eerste["datum"]) == (
        "school", ["opvoeding"], "2025-03-13"
    )  # fmt: skip
    [regel] = audit(app, client)
    assert regel["actie"] == "gesprek_gecorrigeerd"
    assert regel["account"] == "werker"
    assert regel["onderwerp"] == f"{code}/1"
    assert {w["veld"]: (w["oud"], w["nieuw"]) for w in regel["wijzigingen"]} == {
        "locatie": ("wijkgebouw", "school"),
        "vraagtypen": (["eenzaamheid", "geldzorgen"], ["opvoeding"]),
        "datum": ("2025-03-14", "2025-03-13"),
    }


def test_correction_without_change_writes_no_audit_line(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    code = start(client, werker)
    response = client.patch(f"/api/v1/trajecten/{code}/gesprekken/1",
                            json={"locatie": "wijkgebouw"}, headers=werker)  # fmt: skip
    assert response.status_code == 200
    assert audit(app, client) == []


def test_traject_codes_can_be_corrected(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    code = start(client, werker)
    response = client.patch(f"/api/v1/trajecten/{code}", json={"leeftijdsgroep": "80_plus"},
                            headers=werker)  # fmt: skip
    assert response.status_code == 200
    assert response.json()["leeftijdsgroep"] == "80_plus"
    [regel] = audit(app, client)
    assert regel["wijzigingen"] == [{"veld": "leeftijdsgroep", "oud": "65_79", "nieuw": "80_plus"}]


def test_corrections_are_validated_like_registrations(
    client: TestClient, werker: dict[str, str]
) -> None:
    code = start(client, werker)
    client.post(f"/api/v1/trajecten/{code}/gesprekken", json=gesprek(datum="2025-04-01"),
                headers=werker)  # fmt: skip
    response = client.patch(
        f"/api/v1/trajecten/{code}/gesprekken/1",
        json={"locatie": "0612345678", "naam": "Jan", "vraagtypen": []},
        headers=werker,
    )
    assert response.status_code == 400
    assert {p["name"] for p in response.json()["invalidParams"]} == {
        "locatie", "naam", "vraagtypen"
    }  # fmt: skip
    assert "0612345678" not in response.text
    na_volgende = client.patch(f"/api/v1/trajecten/{code}/gesprekken/1",
                               json={"datum": "2025-04-02"}, headers=werker)  # fmt: skip
    assert na_volgende.status_code == 400
    assert na_volgende.json()["invalidParams"][0]["name"] == "datum"
    warm = client.patch(f"/api/v1/trajecten/{code}/gesprekken/2",
                        json={"afhandeling": "warme_overdracht"}, headers=werker)  # fmt: skip
    assert warm.status_code == 400
    assert (
        client.get(f"/api/v1/trajecten/{code}", headers=werker).json()["gesprekken"][0]["locatie"]
        == "wijkgebouw"
    )


def test_only_the_author_may_correct(
    app: FastAPI, client: TestClient, werker: dict[str, str], kwartiermaker: dict[str, str]
) -> None:
    collega = account(app, "collega", "preventiewerker", ["09"])
    code = start(client, werker)
    for headers, status in ((collega, 403), (kwartiermaker, 403)):
        response = client.patch(f"/api/v1/trajecten/{code}/gesprekken/1",
                                json={"locatie": "school"}, headers=headers)  # fmt: skip
        assert response.status_code == status
    assert client.patch(f"/api/v1/trajecten/{code}", json={"instroomroute": "huisarts"},
                        headers=collega).status_code == 403  # fmt: skip


def _maak_oud(app: FastAPI, code: str, dagen: int) -> None:
    with new_session(app.state.context.engine) as session:
        traject = session.exec(select(Traject).where(Traject.code == code)).one()
        traject.aangemaakt_op -= timedelta(days=dagen)
        session.add(traject)
        for rij in session.exec(select(Gesprek).where(Gesprek.traject_id == traject.id)):
            rij.aangemaakt_op -= timedelta(days=dagen)
            session.add(rij)
        session.commit()


def test_correction_period_is_enforced(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    code = start(client, werker)
    client.post(f"/api/v1/trajecten/{code}/gesprekken", json=gesprek(), headers=werker)
    _maak_oud(app, code, 15)
    for response in (
        client.patch(f"/api/v1/trajecten/{code}/gesprekken/1", json={"locatie": "school"},
                     headers=werker),
        client.patch(f"/api/v1/trajecten/{code}", json={"leeftijdsgroep": "18_26"},
                     headers=werker),
        client.delete(f"/api/v1/trajecten/{code}/gesprekken/2", headers=werker),
        client.delete(f"/api/v1/trajecten/{code}", headers=werker),
    ):  # fmt: skip
        assert response.status_code == 409
        assert "14 dagen" in response.json()["detail"]
    assert audit(app, client) == []


def test_withdrawing_the_handover_gesprek_reopens_the_traject(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    code = start(client, werker)
    client.post(f"/api/v1/trajecten/{code}/gesprekken", json=warme_overdracht("ggz"),
                headers=werker)  # fmt: skip
    assert client.delete(f"/api/v1/trajecten/{code}/gesprekken/2", headers=werker).status_code == (
        204
    )
    traject = client.get(f"/api/v1/trajecten/{code}", headers=werker).json()
    assert (traject["status"], traject["aantalGesprekken"], traject["overdracht"]) == (
        "open", 1, None
    )  # fmt: skip
    [regel] = audit(app, client)
    assert regel["actie"] == "gesprek_ingetrokken"
    assert {"veld": "overdracht", "oud": "ggz", "nieuw": None} in regel["wijzigingen"]
    # The number is free again for the next gesprek.
    again = client.post(f"/api/v1/trajecten/{code}/gesprekken", json=gesprek(), headers=werker)
    assert again.json()["gesprekken"][-1]["volgnummer"] == 2


def test_only_the_last_gesprek_can_be_withdrawn_and_never_the_first(
    client: TestClient, werker: dict[str, str]
) -> None:
    code = start(client, werker)
    client.post(f"/api/v1/trajecten/{code}/gesprekken", json=gesprek(), headers=werker)
    client.post(f"/api/v1/trajecten/{code}/gesprekken", json=gesprek(), headers=werker)
    assert client.delete(f"/api/v1/trajecten/{code}/gesprekken/2", headers=werker).status_code == (
        409
    )
    eerste = client.delete(f"/api/v1/trajecten/{code}/gesprekken/1", headers=werker)
    assert eerste.status_code == 409
    assert f"DELETE /api/v1/trajecten/{code}" in eerste.json()["detail"]
    assert client.delete(f"/api/v1/trajecten/{code}/gesprekken/4", headers=werker).status_code == (
        404
    )


def test_withdrawing_a_whole_traject(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    code = start(client, werker)
    client.post(f"/api/v1/trajecten/{code}/gesprekken", json=gesprek(), headers=werker)
    assert client.delete(f"/api/v1/trajecten/{code}", headers=werker).status_code == 204
    assert client.get(f"/api/v1/trajecten/{code}", headers=werker).status_code == 404
    assert client.get("/api/v1/trajecten", headers=werker).json()["totaal"] == 0
    with new_session(app.state.context.engine) as session:
        assert session.exec(select(Gesprek)).all() == []
    [regel] = audit(app, client)
    assert regel["actie"] == "traject_ingetrokken"
    assert {"veld": "aantalGesprekken", "oud": 2, "nieuw": None} in regel["wijzigingen"]


def test_traject_with_a_colleagues_gesprek_cannot_be_withdrawn_whole(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    collega = account(app, "collega", "preventiewerker", ["09"])
    code = start(client, werker)
    client.post(f"/api/v1/trajecten/{code}/gesprekken", json=gesprek(), headers=collega)
    assert client.delete(f"/api/v1/trajecten/{code}", headers=werker).status_code == 409
    assert client.delete(f"/api/v1/trajecten/{code}/gesprekken/2", headers=werker).status_code == (
        403
    )
    assert client.delete(f"/api/v1/trajecten/{code}/gesprekken/2", headers=collega).status_code == (
        204
    )
    assert client.delete(f"/api/v1/trajecten/{code}", headers=werker).status_code == 204
