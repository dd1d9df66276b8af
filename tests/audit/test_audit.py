from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.kern.db import new_session
from app.toegang.tokens import nieuwe_sleutel, trek_in, zet_wachtwoord
from tests.conftest import account
from tests.registraties import eerste_gesprek


def test_audit_trail_is_paged_filtered_and_for_the_beheerder_only(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    beheerder = account(app, "beheer", "beheerder")
    with new_session(app.state.context.engine) as session:
        zet_wachtwoord(session, "werker", "een lang genoeg wachtwoord")
        nieuwe_sleutel(session, "beheer")
    code = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker).json()["code"]
    client.patch(f"/api/v1/trajecten/{code}/gesprekken/1", json={"locatie": "school"},
                 headers=werker)  # fmt: skip

    alles = client.get("/api/v1/auditregels", headers=beheerder).json()
    assert alles["totaal"] == 5
    assert [r["actie"] for r in alles["items"]] == [
        "gesprek_gecorrigeerd", "sleutel_uitgegeven", "wachtwoord_gezet",
        "account_aangemaakt", "account_aangemaakt",
    ]  # fmt: skip
    assert alles["items"][-1]["onderwerp"] == "werker"
    assert alles["items"][-1]["wijzigingen"][0] == {"veld": "rol", "oud": None,
                                                    "nieuw": "preventiewerker"}  # fmt: skip

    van_werker = client.get("/api/v1/auditregels?account=werker", headers=beheerder).json()
    assert [r["actie"] for r in van_werker["items"]] == ["gesprek_gecorrigeerd"]
    pagina = client.get("/api/v1/auditregels?paginaGrootte=2&pagina=2", headers=beheerder).json()
    assert [r["actie"] for r in pagina["items"]] == ["wachtwoord_gezet", "account_aangemaakt"]
    leeg = client.get("/api/v1/auditregels?van=2020-01-01&tot=2020-12-31", headers=beheerder)
    assert leeg.json()["totaal"] == 0
    fout = client.get("/api/v1/auditregels?van=2025-02-01&tot=2025-01-01", headers=beheerder)
    assert fout.status_code == 400

    assert client.get("/api/v1/auditregels", headers=werker).status_code == 403
    with new_session(app.state.context.engine) as session:
        trek_in(session, "werker")
    laatste = client.get("/api/v1/auditregels", headers=beheerder).json()["items"][0]
    assert (laatste["actie"], laatste["onderwerp"]) == ("account_ingetrokken", "werker")
