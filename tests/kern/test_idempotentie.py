"""The mobile form retries after being offline: the same client id never counts twice."""

import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import account
from tests.registraties import eerste_gesprek, gesprek


def test_same_id_and_body_returns_the_stored_traject(
    client: TestClient, werker: dict[str, str]
) -> None:
    body = eerste_gesprek(id=str(uuid.uuid4()), gesprek=gesprek(id=str(uuid.uuid4())))
    first = client.post("/api/v1/trajecten", json=body, headers=werker)
    again = client.post("/api/v1/trajecten", json=body, headers=werker)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert client.get("/api/v1/trajecten", headers=werker).json()["totaal"] == 1


def test_same_id_with_other_body_is_a_conflict(client: TestClient, werker: dict[str, str]) -> None:
    traject_id = str(uuid.uuid4())
    client.post("/api/v1/trajecten", json=eerste_gesprek(id=traject_id), headers=werker)
    other = eerste_gesprek(id=traject_id, leeftijdsgroep="18_26")
    response = client.post("/api/v1/trajecten", json=other, headers=werker)
    assert response.status_code == 409
    assert response.json()["type"].endswith("id-al-gebruikt")
    traject = client.get("/api/v1/trajecten", headers=werker).json()["items"][0]
    assert traject["leeftijdsgroep"] == "65_79"


def test_same_id_from_another_worker_is_a_conflict(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    collega = account(app, "collega", "preventiewerker", ["09"])
    body = eerste_gesprek(id=str(uuid.uuid4()))
    assert client.post("/api/v1/trajecten", json=body, headers=werker).status_code == 201
    assert client.post("/api/v1/trajecten", json=body, headers=collega).status_code == 409


def test_retried_follow_up_is_not_counted_twice(client: TestClient, werker: dict[str, str]) -> None:
    code = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker).json()["code"]
    body = gesprek(id=str(uuid.uuid4()), datum="2025-03-20")
    first = client.post(f"/api/v1/trajecten/{code}/gesprekken", json=body, headers=werker)
    again = client.post(f"/api/v1/trajecten/{code}/gesprekken", json=body, headers=werker)
    assert first.status_code == again.status_code == 201
    assert again.json()["aantalGesprekken"] == 2
    changed = client.post(
        f"/api/v1/trajecten/{code}/gesprekken", json={**body, "locatie": "school"}, headers=werker
    )
    assert changed.status_code == 409


def test_retry_of_the_handover_gesprek_after_it_closed_the_traject(
    client: TestClient, werker: dict[str, str]
) -> None:
    code = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker).json()["code"]
    body = gesprek(
        id=str(uuid.uuid4()),
        afhandeling="warme_overdracht",
        overdracht={"doel": "ggz", "warm": True, "status": "aangemeld"},
    )
    first = client.post(f"/api/v1/trajecten/{code}/gesprekken", json=body, headers=werker)
    again = client.post(f"/api/v1/trajecten/{code}/gesprekken", json=body, headers=werker)
    assert first.json()["status"] == "overgedragen"
    assert again.status_code == 201
    assert again.json() == first.json()


def test_gesprek_id_used_in_another_traject_is_a_conflict(
    client: TestClient, werker: dict[str, str]
) -> None:
    gesprek_id = str(uuid.uuid4())
    client.post(
        "/api/v1/trajecten", json=eerste_gesprek(gesprek=gesprek(id=gesprek_id)), headers=werker
    )
    code = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker).json()["code"]
    follow_up = client.post(
        f"/api/v1/trajecten/{code}/gesprekken", json=gesprek(id=gesprek_id), headers=werker
    )
    assert follow_up.status_code == 409
    new = client.post(
        "/api/v1/trajecten", json=eerste_gesprek(gesprek=gesprek(id=gesprek_id)), headers=werker
    )
    assert new.status_code == 409
    assert client.get("/api/v1/trajecten", headers=werker).json()["totaal"] == 2
