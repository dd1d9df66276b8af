"""Signing in with a password: tokens with an expiry, signing out, and brute-force protection."""

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from app.kern.db import new_session, utcnow
from app.kern.settings import Settings
from app.main import create_app
from app.toegang import wachtwoorden
from app.toegang.inloggen import OnjuisteInlog, meld_aan
from app.toegang.models import Inlogpoging, Token
from tests.conftest import account

WACHTWOORD = "correct paard batterij"


def inloggen(client: TestClient, naam: str, wachtwoord: str, adres: str = "testclient"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/sessies",
        data={"username": naam, "password": wachtwoord, "grant_type": "password"},
    )


def test_sign_in_answers_a_bearer_token_with_an_expiry(app: FastAPI, client: TestClient) -> None:
    account(app, "anna", "preventiewerker", ["09", "10"], wachtwoord=WACHTWOORD)
    response = inloggen(client, "anna", WACHTWOORD)
    assert response.status_code == 200
    sessie = response.json()
    assert sessie["token_type"] == "bearer"
    assert sessie["expires_in"] == 9 * 3600
    assert sessie["verlooptOp"].endswith("Z")
    headers = {"Authorization": f"Bearer {sessie['access_token']}"}
    ik = client.get("/api/v1/sessies/huidige", headers=headers).json()
    assert ik == {
        "naam": "anna",
        "rol": "preventiewerker",
        "wijken": ["09", "10"],
        "soort": "sessie",
        "verlooptOp": sessie["verlooptOp"],
    }


def test_sign_out_revokes_the_token_at_once(app: FastAPI, client: TestClient) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    token = inloggen(client, "anna", WACHTWOORD).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/wijken", headers=headers).status_code == 200
    assert client.delete("/api/v1/sessies/huidige", headers=headers).status_code == 204
    assert client.get("/api/v1/wijken", headers=headers).status_code == 401


def test_expired_session_answers_401(app: FastAPI, client: TestClient) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    token = inloggen(client, "anna", WACHTWOORD).json()["access_token"]
    with new_session(app.state.context.engine) as session:
        for rij in session.exec(select(Token).where(Token.soort == "sessie")):
            rij.verloopt_op = utcnow() - timedelta(seconds=1)
            session.add(rij)
        session.commit()
    response = client.get("/api/v1/wijken", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "verlopen" in response.json()["detail"]


def test_wrong_password_and_unknown_name_get_the_same_answer(
    app: FastAPI, client: TestClient
) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    fout = inloggen(client, "anna", "verkeerd wachtwoord")
    onbekend = inloggen(client, "niemand", "verkeerd wachtwoord")
    assert fout.status_code == onbekend.status_code == 401
    assert fout.json() == onbekend.json()
    assert "WWW-Authenticate" in fout.headers


def test_unknown_name_costs_the_same_password_check_as_a_known_one(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    controles: list[str] = []
    echt = wachtwoorden._hasher

    class TelVerify:
        def verify(self, opgeslagen: str, wachtwoord: str) -> bool:
            controles.append(opgeslagen[:9])
            return echt.verify(opgeslagen, wachtwoord)

    monkeypatch.setattr(wachtwoorden, "_hasher", TelVerify())
    inloggen(client, "anna", "verkeerd wachtwoord")
    inloggen(client, "bert", "verkeerd wachtwoord")
    # One full argon2id verification each, with the same parameters: equal work, equal time.
    assert controles == ["$argon2id", "$argon2id"]


def test_account_without_password_cannot_sign_in(app: FastAPI, client: TestClient) -> None:
    account(app, "rapport", "rapportage")
    assert inloggen(client, "rapport", "").status_code == 400
    assert inloggen(client, "rapport", "wat dan ook hier").status_code == 401


@pytest.mark.slow  # many password hashes, one per failed sign-in
def test_repeated_failures_are_slowed_then_refused_with_retry_after(
    app: FastAPI, client: TestClient
) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    statuses = [inloggen(client, "anna", f"fout {i}").status_code for i in range(5)]
    assert statuses == [401] * 5
    geblokkeerd = inloggen(client, "anna", WACHTWOORD)  # even the right password, for a while
    assert geblokkeerd.status_code == 429
    assert geblokkeerd.headers["content-type"] == "application/problem+json"
    assert 0 < int(geblokkeerd.headers["retry-after"]) <= 15 * 60
    # An unknown name is locked the same way: nothing reveals which names exist.
    for i in range(5):
        inloggen(client, "bestaat-niet", f"fout {i}")
    assert inloggen(client, "bestaat-niet", "x").status_code == 429


@pytest.mark.slow  # many password hashes, one per failed sign-in
def test_lock_expires_and_success_resets_the_count(app: FastAPI, client: TestClient) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    for i in range(5):
        inloggen(client, "anna", f"fout {i}")
    with new_session(app.state.context.engine) as session:
        for poging in session.exec(select(Inlogpoging)):
            poging.geblokkeerd_tot = utcnow() - timedelta(seconds=1)
            session.add(poging)
        session.commit()
    assert inloggen(client, "anna", WACHTWOORD).status_code == 200
    for i in range(4):
        assert inloggen(client, "anna", f"fout {i}").status_code == 401
    assert inloggen(client, "anna", WACHTWOORD).status_code == 200


@pytest.mark.slow  # many password hashes, one per failed sign-in
def test_one_address_trying_many_names_is_refused_too(app: FastAPI, client: TestClient) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    limiet = app.state.context.settings.inlog_max_pogingen_per_adres
    for i in range(limiet):
        inloggen(client, f"naam{i}", "fout")
    assert inloggen(client, "anna", WACHTWOORD).status_code == 429


def test_sign_in_form_problems_are_400(client: TestClient) -> None:
    response = client.post("/api/v1/sessies", data={"username": "anna"})
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["password"]
    response = client.post(
        "/api/v1/sessies",
        data={"username": "a", "password": "b", "grant_type": "client_credentials"},
    )
    assert response.status_code == 400


@pytest.mark.slow  # many password hashes, one per failed sign-in
def test_failures_from_the_third_on_are_answered_more_slowly(database_url: str) -> None:
    settings = Settings(
        database_url=database_url,
        inlog_vertraging_seconden=0.5,
        _env_file=None,  # type: ignore[call-arg]
    )
    app = create_app(settings)
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    vertragingen: list[float] = []
    for i in range(4):
        with pytest.raises(OnjuisteInlog) as fout:
            meld_aan(app.state.context.engine, settings, "anna", f"fout {i}", "192.0.2.1")
        assert fout.value.status == 401
        vertragingen.append(fout.value.vertraging)
    assert vertragingen == [0.0, 0.0, 0.5, 1.0]
    app.state.context.engine.dispose()
