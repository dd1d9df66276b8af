"""The request log holds method, route, status, duration and account: never what was sent."""

import json
import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import account
from tests.registraties import eerste_gesprek, gesprek

WACHTWOORD = "een heel geheim wachtwoord"


def test_log_lines_say_what_happened_but_not_what_was_sent(
    app: FastAPI, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    account(app, "anna", "preventiewerker", ["09"], wachtwoord=WACHTWOORD)
    with caplog.at_level(logging.INFO, logger="wijkcontact.verzoeken"):
        sessie = client.post("/api/v1/sessies", data={"username": "anna", "password": WACHTWOORD})
        token = sessie.json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        body = eerste_gesprek(
            leeftijdsgroep="80_plus",
            instroomroute="woningcorporatie",
            gesprek=gesprek(vraagtypen=["middelengebruik"], locatie="bibliotheek"),
        )
        code = client.post("/api/v1/trajecten", json=body, headers=headers).json()["code"]
        client.get(f"/api/v1/trajecten/{code}", headers=headers)
        client.get("/api/v1/trajecten?status=overgedragen&paginaGrootte=17", headers=headers)
        client.post("/api/v1/sessies", data={"username": "anna", "password": "fout " + WACHTWOORD})

    regels = [json.loads(r.getMessage()) for r in caplog.records if r.name.endswith("verzoeken")]
    assert [(r["method"], r["route"], r["status"]) for r in regels] == [
        ("POST", "/api/v1/sessies", 200),
        ("POST", "/api/v1/trajecten", 201),
        ("GET", "/api/v1/trajecten/{code}", 200),
        ("GET", "/api/v1/trajecten", 200),
        ("POST", "/api/v1/sessies", 401),
    ]
    assert [r["account"] for r in regels] == [None, 1, 1, 1, None]
    assert all(isinstance(r["duur_ms"], float) for r in regels)
    tekst = caplog.text
    for geheim in (WACHTWOORD, token, code, "overgedragen", "anna", "80_plus",
                   "woningcorporatie", "middelengebruik", "bibliotheek"):  # fmt: skip
        assert geheim not in tekst
