"""Several server processes on one PostgreSQL, under concurrent load, keep every rule."""

import itertools
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, text

from tests.conftest import account
from tests.dienst import Dienst
from tests.registraties import eerste_gesprek, gesprek

# Real `wijkcontact serve` processes, started and stopped per test.
pytestmark = pytest.mark.slow

TRAJECTEN = 12
VERVOLG_PER_TRAJECT = 10
HERHALINGEN = 4


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_three_processes_on_one_postgresql_never_make_a_sixth_or_a_double(
    database_url: str, werker: dict[str, str]
) -> None:
    # One server with two uvicorn workers and one more server: three processes, one database.
    with Dienst(database_url, workers=2) as a, Dienst(database_url) as b:
        servers = itertools.cycle([a.url, b.url])
        lock = threading.Lock()
        clients = {url: httpx.Client(base_url=url, timeout=30) for url in (a.url, b.url)}

        def post(path: str, body: dict[str, Any]) -> httpx.Response:
            with lock:
                base = next(servers)
            return clients[base].post(path, json=body, headers=werker)

        with httpx.Client(base_url=a.url) as client:
            codes = [
                client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker).json()[
                    "code"
                ]
                for _ in range(TRAJECTEN)
            ]
        nieuw = [
            eerste_gesprek(id=str(uuid.uuid4()), gesprek=gesprek(id=str(uuid.uuid4())))
            for _ in range(TRAJECTEN)
        ]
        taken: list[tuple[str, dict[str, Any]]] = [
            (f"/api/v1/trajecten/{code}/gesprekken", gesprek(id=str(uuid.uuid4())))
            for code in codes
            for _ in range(VERVOLG_PER_TRAJECT)
        ]
        # Every create goes out several times, to different processes, at the same time.
        taken += [("/api/v1/trajecten", body) for body in nieuw for _ in range(HERHALINGEN)]
        taken.sort(key=lambda _t: uuid.uuid4().int)  # interleave the kinds of work

        with ThreadPoolExecutor(max_workers=32) as pool:
            statuses = list(pool.map(lambda t: (t[0], post(*t).status_code), taken))
        for client in clients.values():
            client.close()

    vervolg = Counter(s for path, s in statuses if path.endswith("/gesprekken"))
    assert vervolg == {201: 4 * TRAJECTEN, 409: (VERVOLG_PER_TRAJECT - 4) * TRAJECTEN}
    assert Counter(s for path, s in statuses if path == "/api/v1/trajecten") == {
        201: TRAJECTEN * HERHALINGEN
    }
    engine = create_engine(database_url)
    with engine.connect() as connection:
        per_traject = connection.execute(
            text(
                "SELECT t.id, count(g.id), min(g.volgnummer), max(g.volgnummer) FROM traject t "
                "JOIN gesprek g ON g.traject_id = t.id GROUP BY t.id"
            )
        ).all()
        opgeslagen = connection.execute(
            text("SELECT count(*) FROM traject WHERE id = ANY(:ids)"),
            {"ids": [uuid.UUID(b["id"]) for b in nieuw]},
        ).scalar_one()
    engine.dispose()
    assert len(per_traject) == 2 * TRAJECTEN
    assert opgeslagen == TRAJECTEN
    volle = [rij for rij in per_traject if rij[1] == 5]
    assert len(volle) == TRAJECTEN
    assert all(rij[2] == 1 and rij[3] == rij[1] for rij in per_traject)


def test_replicas_starting_together_migrate_one_at_a_time(postgres_server: str) -> None:
    from app.kern.migrate import upgrade
    from tests.conftest import create_database

    url = create_database(postgres_server, "wijkcontact_samen")
    fouten: list[BaseException] = []

    def start() -> None:
        try:
            upgrade(url)
        except BaseException as fout:
            fouten.append(fout)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert fouten == []


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_lockout_holds_across_processes(database_url: str, app: FastAPI) -> None:
    wachtwoord = "een lang genoeg wachtwoord"
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=wachtwoord)
    with Dienst(database_url, workers=2) as a, Dienst(database_url) as b:
        urls = [a.url, b.url] * 4

        def mislukt(url: str) -> int:
            form = {"username": "anna", "password": "fout wachtwoord"}
            return httpx.post(f"{url}/api/v1/sessies", data=form, timeout=30).status_code

        # Eight failures at once, spread over three processes: the shared count must reach
        # the limit of five, whichever process handled which attempt.
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(mislukt, urls))
        assert set(statuses) <= {401, 429}
        for url in (a.url, b.url):
            goed = httpx.post(f"{url}/api/v1/sessies",
                              data={"username": "anna", "password": wachtwoord})  # fmt: skip
            assert goed.status_code == 429
            assert int(goed.headers["retry-after"]) > 0
