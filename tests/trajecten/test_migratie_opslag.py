"""Migration 0013 (fewer bytes per gesprek) keeps what was registered before it, retries too."""

import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.kern.db import normalise_url
from app.kern.migrate import downgrade, upgrade
from tests.registraties import eerste_gesprek, gesprek, warme_overdracht


def _registreer(client: TestClient, werker: dict[str, str]) -> list[tuple[dict[str, Any], str]]:
    """Trajecten with client ids, a follow-up and a handover: (create body, code) each."""
    trajecten = []
    for dag in ("2025-03-10", "2025-04-11", "2025-05-12"):
        body = eerste_gesprek(
            id=str(uuid.uuid4()), gesprek=gesprek(id=str(uuid.uuid4()), datum=dag)
        )
        antwoord = client.post("/api/v1/trajecten", json=body, headers=werker)
        assert antwoord.status_code == 201
        trajecten.append((body, antwoord.json()["code"]))
    code = trajecten[0][1]
    vervolg = gesprek(id=str(uuid.uuid4()), datum="2025-03-20", vraagtypen=["administratie"])
    assert client.post(
        f"/api/v1/trajecten/{code}/gesprekken", json=vervolg, headers=werker
    ).is_success
    overdracht = warme_overdracht(datum="2025-06-01")
    assert client.post(
        f"/api/v1/trajecten/{trajecten[1][1]}/gesprekken", json=overdracht, headers=werker
    ).is_success
    return trajecten


def test_registrations_made_before_0013_read_back_the_same_and_retries_are_recognised(
    app: FastAPI, client: TestClient, werker: dict[str, str], database_url: str
) -> None:
    trajecten = _registreer(client, werker)
    code = trajecten[0][1]
    vervolg = client.get(f"/api/v1/trajecten/{code}", headers=werker).json()["gesprekken"][1]
    voor = [client.get(f"/api/v1/trajecten/{c}", headers=werker).json() for _, c in trajecten]
    app.state.context.engine.dispose()

    downgrade(database_url, "0012")
    # Revision 0012 stored the whole SHA-256 in hexadecimal; the downgrade leaves its first half.
    engine = create_engine(normalise_url(database_url))
    with engine.begin() as connection:
        for tabel in ("traject", "gesprek"):
            lengtes = connection.execute(text(f"SELECT length(verzoek_hash) FROM {tabel}"))
            assert set(lengtes.scalars()) == {32}
            connection.execute(
                text(f"UPDATE {tabel} SET verzoek_hash = verzoek_hash || :rest"), {"rest": "0" * 32}
            )
    engine.dispose()
    upgrade(database_url)

    na = [client.get(f"/api/v1/trajecten/{c}", headers=werker).json() for _, c in trajecten]
    assert na == voor
    for body, code_ in trajecten:
        opnieuw = client.post("/api/v1/trajecten", json=body, headers=werker)
        assert opnieuw.status_code == 201
        assert opnieuw.json()["code"] == code_
    anders = eerste_gesprek(id=trajecten[0][0]["id"], leeftijdsgroep="18_26")
    assert client.post("/api/v1/trajecten", json=anders, headers=werker).status_code == 409
    body = gesprek(id=vervolg["id"], datum="2025-03-20", vraagtypen=["administratie"])
    opnieuw = client.post(f"/api/v1/trajecten/{code}/gesprekken", json=body, headers=werker)
    assert opnieuw.status_code == 201
    assert opnieuw.json()["aantalGesprekken"] == 2
    assert client.get(f"/api/v1/trajecten/{code}", headers=werker).json() == voor[0]
