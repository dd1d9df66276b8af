"""Faults: a server killed mid-load, PostgreSQL going away and coming back, a locked or
read-only SQLite file. Every acknowledged registration survives; the service says clearly when
it cannot work, and recovers on its own."""

import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from app.kern.db import PING_NA_STILTE_SECONDEN, tabel_van
from app.kern.migrate import upgrade
from app.kern.settings import Settings
from app.main import create_app
from app.trajecten.models import Gesprek, Traject
from tests.conftest import account, create_database
from tests.dienst import Dienst
from tests.postgres import PostgresServer
from tests.registraties import eerste_gesprek, gesprek, warme_overdracht

# Real `wijkcontact serve` processes, started and stopped per test.
pytestmark = pytest.mark.slow

INTEGRITEIT = {
    "traject zonder gesprek 1": "SELECT count(*) FROM traject t WHERE NOT EXISTS "
    "(SELECT 1 FROM gesprek g WHERE g.traject_id = t.id AND g.volgnummer = 1)",
    "gat in de volgnummers": "SELECT count(*) FROM (SELECT traject_id FROM gesprek "
    "GROUP BY traject_id HAVING max(volgnummer) <> count(*)) AS gaten",
    "gesprek zonder vraagtype": "SELECT count(*) FROM gesprek g WHERE NOT EXISTS "
    "(SELECT 1 FROM gesprek_vraagtype v WHERE v.gesprek_id = g.id)",
    "overgedragen zonder overdracht": "SELECT count(*) FROM traject t WHERE "
    "(t.status = 'overgedragen') <> EXISTS (SELECT 1 FROM overdracht o WHERE o.traject_id = t.id)",
    "afgesloten zonder tijdstip": "SELECT count(*) FROM traject "
    "WHERE (status = 'open') = (afgesloten_op IS NOT NULL)",
}


def half_geschreven(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        gevonden = {
            naam: connection.execute(text(sql)).scalar_one() for naam, sql in INTEGRITEIT.items()
        }
    engine.dispose()
    return {naam: aantal for naam, aantal in gevonden.items() if aantal}


class Belasting:
    """Preventiewerkers in threads: first contacts, follow-ups and handovers, each with its own
    client ids, remembering every registration the server acknowledged with 201."""

    def __init__(self, url: str, headers: dict[str, str], threads: int = 12) -> None:
        self.url, self.headers = url, headers
        self.bevestigd: dict[str, set[str]] = {}  # traject id -> acknowledged gesprek ids
        self.statussen: list[int] = []
        self.lock = threading.Lock()
        self.stoppen = threading.Event()
        self.threads = [threading.Thread(target=self._werker, daemon=True) for _ in range(threads)]

    def __enter__(self) -> "Belasting":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stoppen.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def _post(self, client: httpx.Client, path: str, body: dict[str, Any]) -> int:
        try:
            status = client.post(path, json=body, headers=self.headers).status_code
        except httpx.TransportError:
            status = 0
        with self.lock:
            self.statussen.append(status)
        return status

    def _werker(self) -> None:
        with httpx.Client(base_url=self.url, timeout=10) as client:
            while not self.stoppen.is_set():
                traject_id, gesprek_id = str(uuid.uuid4()), str(uuid.uuid4())
                body = eerste_gesprek(id=traject_id, gesprek=gesprek(id=gesprek_id))
                if self._post(client, "/api/v1/trajecten", body) != 201:
                    time.sleep(0.05)
                    continue
                with self.lock:
                    self.bevestigd[traject_id] = {gesprek_id}
                code = self._code(client, traject_id)
                for volgnummer in range(2, 6):
                    if self.stoppen.is_set() or code is None:
                        break
                    vervolg_id = str(uuid.uuid4())
                    vervolg = (warme_overdracht if volgnummer == 5 else gesprek)(id=vervolg_id)
                    if self._post(client, f"/api/v1/trajecten/{code}/gesprekken", vervolg) != 201:
                        break
                    with self.lock:
                        self.bevestigd[traject_id].add(vervolg_id)

    def _code(self, client: httpx.Client, traject_id: str) -> str | None:
        # The create answered 201; asking for it again with the same ids is the idempotent way
        # to learn its code without keeping the response around.
        body = eerste_gesprek(
            id=traject_id, gesprek=gesprek(id=next(iter(self.bevestigd[traject_id])))
        )
        try:
            response = client.post("/api/v1/trajecten", json=body, headers=self.headers)
        except httpx.TransportError:
            return None
        return response.json()["code"] if response.status_code == 201 else None


def test_sigkill_mid_load_loses_no_acknowledged_registration_and_leaves_nothing_half(
    database_url: str, werker: dict[str, str]
) -> None:
    dienst = Dienst(database_url, workers=2)
    try:
        with Belasting(dienst.url, werker) as belasting:
            time.sleep(2.5)
            dienst.kill()
    finally:
        dienst.stop()
    assert belasting.statussen.count(201) > 20, "the load never got going"
    assert 0 in belasting.statussen, "the kill did not land mid-load"
    assert half_geschreven(database_url) == {}

    # After a restart the service finds every acknowledged registration, whole.
    with Dienst(database_url) as herstart, httpx.Client(base_url=herstart.url) as client:
        lijst = client.get("/api/v1/trajecten?paginaGrootte=100", headers=werker).json()
        assert lijst["totaal"] >= len(belasting.bevestigd)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        opgeslagen = {str(i) for i in connection.execute(select(tabel_van(Gesprek).c.id)).scalars()}
        trajecten = {str(i) for i in connection.execute(select(tabel_van(Traject).c.id)).scalars()}
    engine.dispose()
    for traject_id, gesprek_ids in belasting.bevestigd.items():
        assert traject_id in trajecten
        assert gesprek_ids <= opgeslagen


@pytest.fixture
def eigen_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test alone, so stopping it hurts no other test."""
    server = PostgresServer()
    server.start()
    try:
        yield server
    finally:
        server.remove()


def database_met_werker(server: PostgresServer) -> tuple[str, dict[str, str]]:
    """A migrated database on this server with one preventiewerker: its URL and headers."""
    database_url = create_database(server.url, "wijkcontact")
    upgrade(database_url)
    app = create_app(Settings(database_url=database_url, _env_file=None))  # type: ignore[call-arg]
    headers = account(app, "werker", "preventiewerker", ["09"])
    app.state.context.engine.dispose()
    return database_url, headers


def wacht_tot(voorwaarde: Any, binnen: float = 20) -> None:
    deadline = time.monotonic() + binnen
    while not voorwaarde():
        if time.monotonic() > deadline:
            raise AssertionError("de verwachte toestand kwam er niet binnen de tijd")
        time.sleep(0.1)


def test_postgresql_stopped_under_load_gives_503_and_the_service_recovers_by_itself(
    eigen_postgres: PostgresServer,
) -> None:
    database_url, headers = database_met_werker(eigen_postgres)

    with Dienst(database_url, workers=2) as dienst, httpx.Client(base_url=dienst.url) as client:
        with Belasting(dienst.url, headers, threads=6) as belasting:
            time.sleep(1)
            eigen_postgres.stop()
            gestopt = time.monotonic()

            def onbereikbaar() -> bool:
                return client.get("/health/ready").status_code == 503

            wacht_tot(onbereikbaar, binnen=10)
            response = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=headers)
            assert time.monotonic() - gestopt < 15
            assert response.status_code == 503
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["retry-after"] == "5"
            assert response.json()["type"] == "urn:wijkcontact:probleem:database-onbereikbaar"
            assert "psycopg" not in response.text and "127.0.0.1" not in response.text
            ready = client.get("/health/ready")
            assert ready.status_code == 503 and ready.headers["retry-after"] == "5"
            time.sleep(1)
            tijdens = len(belasting.statussen)
            eigen_postgres.start()

            def hersteld() -> bool:
                return client.get("/health/ready").status_code == 200

            wacht_tot(hersteld)
            time.sleep(PING_NA_STILTE_SECONDEN + 0.5)
        na = belasting.statussen[tijdens:]
        response = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=headers)
        assert response.status_code == 201
        assert dienst.process.poll() is None, "the server must not have been restarted"

    # Under the outage the load saw 503s and never a 500; afterwards it got 201s again.
    assert 503 in belasting.statussen
    assert 500 not in belasting.statussen
    assert 201 in na[len(na) // 2 :]
    assert half_geschreven(database_url) == {}


def test_after_a_postgresql_restart_while_idle_the_first_registration_succeeds(
    eigen_postgres: PostgresServer,
) -> None:
    """A pooled connection that went stale while nobody used it is replaced before use."""
    database_url, headers = database_met_werker(eigen_postgres)

    with Dienst(database_url) as dienst, httpx.Client(base_url=dienst.url) as client:
        # Fill the pool with connections that the restart below breaks.
        for _ in range(3):
            response = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=headers)
            assert response.status_code == 201
        eigen_postgres.stop()
        eigen_postgres.start()
        time.sleep(PING_NA_STILTE_SECONDEN + 0.5)
        statussen = [
            client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=headers).status_code
            for _ in range(3)
        ]
    assert statussen == [201, 201, 201]


def _houd_vast(path: Path) -> subprocess.Popen[str]:
    """Another process that takes the SQLite write lock and keeps it until told to stop."""
    houder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('vast', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert houder.stdout is not None and houder.stdout.readline().strip() == "vast"
    return houder


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_locked_sqlite_file_gives_a_quick_503_not_a_hang(
    database_url: str, app: FastAPI, werker: dict[str, str]
) -> None:
    settings = Settings(database_url=database_url, sqlite_busy_timeout=0.3, _env_file=None)  # type: ignore[call-arg]
    snel = create_app(settings)
    client = TestClient(snel)
    houder = _houd_vast(Path(database_url.removeprefix("sqlite:///")))
    try:
        started = time.perf_counter()
        response = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker)
        assert time.perf_counter() - started < 3
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "5"
        assert "bezet door een ander proces" in response.json()["detail"]
        assert client.get("/health/ready").status_code == 503
    finally:
        assert houder.stdin is not None
        houder.stdin.close()
        houder.wait(timeout=10)
        assert houder.stdout is not None
        houder.stdout.close()
    assert (
        client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker).status_code == 201
    )
    snel.state.context.engine.dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_read_only_sqlite_file_gives_a_clear_503(
    database_url: str, app: FastAPI, werker: dict[str, str]
) -> None:
    path = database_url.removeprefix("sqlite:///")
    alleen_lezen = f"sqlite:///file:{path}?mode=ro&uri=true"
    settings = Settings(database_url=alleen_lezen, sqlite_busy_timeout=0.3, _env_file=None)  # type: ignore[call-arg]
    readonly = create_app(settings)
    client = TestClient(readonly)
    started = time.perf_counter()
    response = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker)
    assert time.perf_counter() - started < 3
    assert response.status_code == 503
    assert "alleen-lezen" in response.json()["detail"]
    # Reading still works: the worklist stays available while nothing can be registered.
    assert client.get("/api/v1/trajecten", headers=werker).status_code == 200
    # The operator's readiness check says so too, and why.
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert "alleen-lezen" in ready.json()["detail"]
    readonly.state.context.engine.dispose()
