"""A rapportage account asks at most RAPPORTAGE_PER_UUR questions an hour, and each leaves a line.

The count is shared through the database (replicas and workers), raised atomically, per account
and per clock hour; the audit line holds the key's id, the route and the parameters, never the
token.
"""

import json
import math
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlmodel import col, select

from app.audit.models import Auditregel
from app.kern.db import as_utc, new_session, utcnow
from app.kern.settings import Settings
from app.main import create_app
from app.toegang.models import Account, RapportageTeller, Token
from app.toegang.rapportage import NIET_VASTGELEGD, venster_van
from app.toegang.tokens import hash_token, nieuwe_sleutel
from tests.conftest import account
from tests.dienst import Dienst
from tests.kern.test_invoer import invalid
from tests.toegang.test_toegang import EXPECTED, ROUTES

LIMIET = 4
# Routes that answer figures: each question counts and is on record.
VRAGEN = [
    "/api/v1/jaaranalyses/2025",
    "/api/v1/tellingen?van=2025-01-01&tot=2025-03-31&dimensies=wijk,vraagtype&meting=trajecten",
    "/api/v1/inzet/2025?wijk=09",
    "/api/v1/indicatoren/2025",
    "/api/v1/vragenlijsten/inwoners/resultaten?jaar=2025",
    "/api/v1/beschikkingen/2025",
]
# What any signed-in role may read (the configuration, its own session): it says nothing about
# residents, so it neither counts nor leaves a line.
VRIJ = {
    "/api/v1/wijken",
    "/api/v1/codelijsten",
    "/api/v1/indicatoren",
    "/api/v1/vragenlijsten",
    "/api/v1/sessies/huidige",
}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        inlog_vertraging_seconden=0.0,
        rapportage_per_uur=LIMIET,
        _env_file=None,  # type: ignore[call-arg]
    )


def token_id(app: FastAPI, headers: dict[str, str]) -> int:
    token = headers["Authorization"].removeprefix("Bearer ")
    with new_session(app.state.context.engine) as session:
        rij = session.exec(select(Token).where(Token.token_hash == hash_token(token))).one()
    assert rij.id is not None
    return rij.id


def vragen_van(app: FastAPI, naam: str) -> list[Auditregel]:
    with new_session(app.state.context.engine) as session:
        return list(
            session.exec(
                select(Auditregel)
                .join(Account, col(Account.id) == col(Auditregel.account_id))
                .where(Account.naam == naam, Auditregel.actie == "rapportage_vraag")
                .order_by(col(Auditregel.id))
            )
        )


def teller(app: FastAPI, naam: str) -> RapportageTeller | None:
    with new_session(app.state.context.engine) as session:
        return session.exec(
            select(RapportageTeller)
            .join(Account, col(Account.id) == col(RapportageTeller.account_id))
            .where(Account.naam == naam)
        ).first()


def test_the_question_over_the_limit_is_429_with_retry_after(
    app: FastAPI, client: TestClient
) -> None:
    rapportage = account(app, "dashboard", "rapportage")
    for _ in range(LIMIET):
        assert client.get(VRAGEN[0], headers=rapportage).status_code == 200
    voor = utcnow()
    response = client.get(VRAGEN[0], headers=rapportage)
    assert response.status_code == 429
    assert response.headers["content-type"].startswith("application/problem+json")
    probleem = response.json()
    assert probleem["status"] == 429
    assert probleem["title"] == "Te veel vragen"
    assert f"{LIMIET} vragen" in probleem["detail"]
    # Until the next whole hour (UTC), when the allowance returns.
    tot_het_uur = (venster_van(voor) + timedelta(hours=1) - voor).total_seconds()
    assert abs(int(response.headers["retry-after"]) - math.ceil(tot_het_uur)) <= 2
    assert 1 <= int(response.headers["retry-after"]) <= 3600

    # Another route is refused too: the allowance is the account's, not the route's.
    assert client.get(VRAGEN[1], headers=rapportage).status_code == 429
    # Refused questions are neither counted on nor written down.
    stand = teller(app, "dashboard")
    assert stand is not None and stand.aantal == LIMIET
    assert len(vragen_van(app, "dashboard")) == LIMIET


def test_a_kwartiermaker_is_not_limited(app: FastAPI, client: TestClient) -> None:
    kwartiermaker = account(app, "kwartiermaker", "kwartiermaker")
    for _ in range(3 * LIMIET):
        assert client.get(VRAGEN[1], headers=kwartiermaker).status_code == 200
    assert teller(app, "kwartiermaker") is None
    assert vragen_van(app, "kwartiermaker") == []


@pytest.mark.slow  # an hour's allowance of questions for two accounts, and a sign-in
def test_accounts_have_separate_counts_and_keys_of_one_account_share_one(
    app: FastAPI, client: TestClient
) -> None:
    wachtwoord = "een lang genoeg wachtwoord"
    eerste = account(app, "dashboard", "rapportage", wachtwoord=wachtwoord)
    ander = account(app, "raad", "rapportage")
    with new_session(app.state.context.engine) as session:
        tweede_sleutel = {"Authorization": f"Bearer {nieuwe_sleutel(session, 'dashboard')}"}
    for _ in range(LIMIET - 1):
        assert client.get(VRAGEN[0], headers=eerste).status_code == 200
    assert client.get(VRAGEN[0], headers=tweede_sleutel).status_code == 200
    # The account's allowance is used up, whichever key asks, and a new session brings no more.
    assert client.get(VRAGEN[0], headers=eerste).status_code == 429
    assert client.get(VRAGEN[0], headers=tweede_sleutel).status_code == 429
    sessie = client.post(
        "/api/v1/sessies", data={"username": "dashboard", "password": wachtwoord}
    ).json()
    sessie_headers = {"Authorization": f"Bearer {sessie['access_token']}"}
    assert client.get(VRAGEN[0], headers=sessie_headers).status_code == 429
    # Another account still has its own.
    for _ in range(LIMIET):
        assert client.get(VRAGEN[0], headers=ander).status_code == 200
    assert client.get(VRAGEN[0], headers=ander).status_code == 429
    gebruikt = Counter(
        next(w["nieuw"] for w in regel.wijzigingen if w["veld"] == "sleutel")
        for regel in vragen_van(app, "dashboard")
    )
    assert gebruikt == {token_id(app, eerste): LIMIET - 1, token_id(app, tweede_sleutel): 1}


def test_the_allowance_returns_in_the_next_hour(app: FastAPI, client: TestClient) -> None:
    rapportage = account(app, "dashboard", "rapportage")
    for _ in range(LIMIET):
        assert client.get(VRAGEN[2], headers=rapportage).status_code == 200
    assert client.get(VRAGEN[2], headers=rapportage).status_code == 429
    # An hour later, as far as the count knows.
    with new_session(app.state.context.engine) as session:
        stand = session.exec(select(RapportageTeller)).one()
        stand.venster = as_utc(stand.venster) - timedelta(hours=1)
        session.add(stand)
        session.commit()
    for _ in range(LIMIET):
        assert client.get(VRAGEN[2], headers=rapportage).status_code == 200
    assert client.get(VRAGEN[2], headers=rapportage).status_code == 429
    stand = teller(app, "dashboard")
    assert stand is not None
    assert as_utc(stand.venster) == venster_van(utcnow())
    assert stand.aantal == LIMIET


def test_every_route_that_answers_figures_counts_and_the_rest_does_not(database_url: str) -> None:
    # The access matrix is the list of what rapportage can reach: every route there is either a
    # question here or free to read, so a new route for rapportage cannot slip past the count.
    bereikbaar = {
        path.split("?")[0].format(jaar=2025, code="inwoners")
        for (method, path, _), status in zip(ROUTES, EXPECTED["rapportage"], strict=True)
        if status != 403 and method == "GET"
    }
    assert bereikbaar == {vraag.split("?")[0] for vraag in VRAGEN} | VRIJ

    app = create_app(
        Settings(database_url=database_url, rapportage_per_uur=len(VRAGEN), _env_file=None)  # type: ignore[call-arg]
    )
    try:
        client = TestClient(app)
        rapportage = account(app, "dashboard", "rapportage")
        for path in sorted(VRIJ):
            for _ in range(len(VRAGEN) + 1):
                assert client.get(path, headers=rapportage).status_code == 200
        assert teller(app, "dashboard") is None
        for nummer, vraag in enumerate(VRAGEN, start=1):
            # Beschikkingen of a year nobody uploaded: 404, still a question asked.
            assert client.get(vraag, headers=rapportage).status_code in (200, 404)
            stand = teller(app, "dashboard")
            assert stand is not None and stand.aantal == nummer, vraag
        for vraag in VRAGEN:
            assert client.get(vraag, headers=rapportage).status_code == 429, vraag
        assert [regel.onderwerp for regel in vragen_van(app, "dashboard")] == [
            "/api/v1/jaaranalyses/{jaar}",
            "/api/v1/tellingen",
            "/api/v1/inzet/{jaar}",
            "/api/v1/indicatoren/{jaar}",
            "/api/v1/vragenlijsten/{code}/resultaten",
            "/api/v1/beschikkingen/{jaar}",
        ]
    finally:
        app.state.context.engine.dispose()


def test_each_question_leaves_one_line_with_key_route_and_parameters_and_never_the_token(
    app: FastAPI, client: TestClient
) -> None:
    rapportage = account(app, "dashboard", "rapportage")
    beheerder = account(app, "beheer", "beheerder")
    assert client.get(VRAGEN[1], headers=rapportage).status_code == 200
    assert client.get(VRAGEN[0], headers=rapportage).status_code == 200
    sleutel = token_id(app, rapportage)

    log = client.get(
        "/api/v1/auditregels?account=dashboard&actie=rapportage_vraag", headers=beheerder
    ).json()
    assert log["totaal"] == 2
    jaaranalyse, tellingen = log["items"]  # newest first
    assert jaaranalyse["account"] == tellingen["account"] == "dashboard"
    assert jaaranalyse["actie"] == "rapportage_vraag"
    assert jaaranalyse["onderwerp"] == "/api/v1/jaaranalyses/{jaar}"
    assert jaaranalyse["wijzigingen"] == [
        {"veld": "sleutel", "oud": None, "nieuw": sleutel},
        {"veld": "jaar", "oud": None, "nieuw": "2025"},
    ]
    assert tellingen["onderwerp"] == "/api/v1/tellingen"
    assert tellingen["wijzigingen"] == [
        {"veld": "sleutel", "oud": None, "nieuw": sleutel},
        {"veld": "van", "oud": None, "nieuw": "2025-01-01"},
        {"veld": "tot", "oud": None, "nieuw": "2025-03-31"},
        {"veld": "dimensies", "oud": None, "nieuw": "wijk,vraagtype"},
        {"veld": "meting", "oud": None, "nieuw": "trajecten"},
    ]
    assert abs((utcnow() - as_utc(vragen_van(app, "dashboard")[0].tijdstip)).total_seconds()) < 60
    # The other actions stay apart.
    alle = client.get("/api/v1/auditregels?account=dashboard", headers=beheerder).json()
    assert {regel["actie"] for regel in alle["items"]} == {"rapportage_vraag"}
    assert (
        client.get("/api/v1/auditregels?actie=account_aangemaakt", headers=beheerder).json()[
            "totaal"
        ]
        == 2
    )

    token = rapportage["Authorization"].removeprefix("Bearer ")
    opgeslagen = json.dumps(
        [regel.model_dump(mode="json") for regel in vragen_van(app, "dashboard")]
    )
    assert token not in opgeslagen
    assert hash_token(token) not in opgeslagen


def test_a_submitted_text_is_not_written_down(app: FastAPI, client: TestClient) -> None:
    rapportage = account(app, "dashboard", "rapportage")
    response = client.get(
        "/api/v1/tellingen", params={"van": "Jan de Vries", "tot": "2025-03-31"}, headers=rapportage
    )
    assert response.status_code == 400
    [regel] = vragen_van(app, "dashboard")
    assert {"veld": "van", "oud": None, "nieuw": NIET_VASTGELEGD} in regel.wijzigingen
    assert "Vries" not in json.dumps(regel.wijzigingen)


def test_a_submitted_text_as_parameter_name_is_not_written_down(
    app: FastAPI, client: TestClient
) -> None:
    """An unknown key is refused after the question was counted: the key is input too."""
    rapportage = account(app, "dashboard", "rapportage")
    response = client.get(
        "/api/v1/jaaranalyses/2025", params={"Jan de Vries": "1", "wijk_": "09"}, headers=rapportage
    )
    assert set(invalid(response)) == {"Jan de Vries", "wijk_"}
    [regel] = vragen_van(app, "dashboard")
    assert {"veld": NIET_VASTGELEGD, "oud": None, "nieuw": "1"} in regel.wijzigingen
    assert {"veld": "wijk_", "oud": None, "nieuw": "09"} in regel.wijzigingen
    assert "Vries" not in json.dumps(regel.wijzigingen)


@pytest.mark.slow  # concurrent clients against a real uvicorn server
def test_simultaneous_questions_never_pass_the_limit(app: FastAPI, live_server: str) -> None:
    rapportage = account(app, "dashboard", "rapportage")
    with (
        httpx.Client(base_url=live_server, timeout=30) as client,
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        statuses = list(
            pool.map(lambda _: client.get(VRAGEN[2], headers=rapportage).status_code, range(20))
        )
    assert Counter(statuses) == {200: LIMIET, 429: 20 - LIMIET}
    assert len(vragen_van(app, "dashboard")) == LIMIET


@pytest.mark.slow  # real server processes
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_limit_holds_across_server_processes(database_url: str, app: FastAPI) -> None:
    limiet = 10
    rapportage = account(app, "dashboard", "rapportage")
    omgeving = {"WIJKCONTACT_RAPPORTAGE_PER_UUR": str(limiet)}
    # One server with two uvicorn workers and one more server: three processes, one database.
    with (
        Dienst(database_url, workers=2, env=omgeving) as a,
        Dienst(database_url, env=omgeving) as b,
    ):
        urls = [a.url, b.url] * 15
        lock = threading.Lock()
        clients: dict[str, httpx.Client] = {}

        def vraag(url: str) -> tuple[str, int]:
            with lock:
                client = clients.setdefault(url, httpx.Client(base_url=url, timeout=30))
            return url, client.get(VRAGEN[1], headers=rapportage).status_code

        with ThreadPoolExecutor(max_workers=12) as pool:
            uitslagen = list(pool.map(vraag, urls))
        for client in clients.values():
            client.close()
        # Each process has answered: the shared count, not one process's memory, said no.
        assert {url for url, status in uitslagen if status == 429} == {a.url, b.url}
        retry = httpx.get(f"{b.url}{VRAGEN[0]}", headers=rapportage)
        assert retry.status_code == 429 and int(retry.headers["retry-after"]) > 0
    assert Counter(status for _, status in uitslagen) == {200: limiet, 429: 30 - limiet}
    engine = create_engine(database_url)
    with engine.connect() as connection:
        regels = connection.execute(
            text("SELECT count(*) FROM auditregel WHERE actie = 'rapportage_vraag'")
        ).scalar_one()
    engine.dispose()
    assert regels == limiet
