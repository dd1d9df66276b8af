"""Simultaneous requests against a real server: the database keeps the five-conversation rule."""

import threading
import uuid
from collections import Counter

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from app.kern.db import new_session
from app.trajecten.models import Gesprek, Traject
from tests.registraties import eerste_gesprek, gesprek

# Concurrent clients against a real uvicorn server.
pytestmark = pytest.mark.slow

GELIJKTIJDIG = 16


def fire_together(url: str, headers: dict[str, str], bodies: list[dict]) -> list[int]:  # type: ignore[type-arg]
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = []

    def one(body: dict) -> None:  # type: ignore[type-arg]
        with httpx.Client(timeout=30) as client:
            barrier.wait()
            statuses.append(client.post(url, json=body, headers=headers).status_code)

    threads = [threading.Thread(target=one, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_simultaneous_requests_for_the_last_gesprek_make_exactly_one(
    live_server: str, werker: dict[str, str]
) -> None:
    with httpx.Client(base_url=live_server) as client:
        code = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker).json()[
            "code"
        ]
        for _ in range(3):
            r = client.post(f"/api/v1/trajecten/{code}/gesprekken", json=gesprek(), headers=werker)
            assert r.status_code == 201
    statuses = fire_together(
        f"{live_server}/api/v1/trajecten/{code}/gesprekken",
        werker,
        [gesprek() for _ in range(GELIJKTIJDIG)],
    )
    assert Counter(statuses) == {201: 1, 409: GELIJKTIJDIG - 1}
    with httpx.Client(base_url=live_server) as client:
        traject = client.get(f"/api/v1/trajecten/{code}", headers=werker).json()
    assert traject["aantalGesprekken"] == 5
    assert [g["volgnummer"] for g in traject["gesprekken"]] == [1, 2, 3, 4, 5]


def test_simultaneous_retries_of_one_registration_store_it_once(
    live_server: str, werker: dict[str, str]
) -> None:
    body = eerste_gesprek(id=str(uuid.uuid4()), gesprek=gesprek(id=str(uuid.uuid4())))
    statuses = fire_together(f"{live_server}/api/v1/trajecten", werker, [body] * 8)
    assert statuses == [201] * 8
    with httpx.Client(base_url=live_server) as client:
        assert client.get("/api/v1/trajecten", headers=werker).json()["totaal"] == 1


def _traject_met_gesprek(app: FastAPI, werker: dict[str, str]) -> uuid.UUID:
    from fastapi.testclient import TestClient

    code = (
        TestClient(app)
        .post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker)
        .json()["code"]
    )
    with new_session(app.state.context.engine) as session:
        traject = session.exec(select(Traject).where(Traject.code == code)).one()
        return traject.id


@pytest.mark.parametrize("volgnummer", [0, 1, 6])
def test_database_refuses_a_volgnummer_outside_one_to_five_or_twice(
    app: FastAPI, werker: dict[str, str], volgnummer: int
) -> None:
    traject_id = _traject_met_gesprek(app, werker)
    with new_session(app.state.context.engine) as session:
        gesprek_rij = session.exec(select(Gesprek).where(Gesprek.traject_id == traject_id)).one()
        session.add(
            Gesprek(
                id=uuid.uuid4(),
                traject_id=traject_id,
                volgnummer=volgnummer,
                datum=gesprek_rij.datum,
                locatie="wijkgebouw",
                afhandeling="zelf_opgepakt",
                account_id=gesprek_rij.account_id,
                verzoek_hash=b"x",
            )
        )
        with pytest.raises(IntegrityError):
            session.commit()


def test_more_simultaneous_writes_than_worker_threads_all_complete(
    live_server: str, werker: dict[str, str]
) -> None:
    # More requests than the 40 threads of the pool: on SQLite a write lock held from one
    # thread to the next once starved the pool until the busy timeout ran out (503s).
    bodies = [eerste_gesprek() for _ in range(60)]
    statuses = fire_together(f"{live_server}/api/v1/trajecten", werker, bodies)
    assert statuses == [201] * 60
