"""The traject rules as a state machine: hypothesis drives random sequences of registrations,
follow-ups, handovers, closings and retries, and compares the service with a tiny model."""

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tests.registraties import eerste_gesprek, gesprek, warme_overdracht

# Hypothesis runs many random sequences of registrations.
pytestmark = pytest.mark.slow

OVERGANGEN = {
    ("open", "open"),
    ("open", "afgerond"),
    ("open", "overgedragen"),
    ("afgerond", "afgerond"),
    ("overgedragen", "overgedragen"),
}
AFHANDELINGEN = ["zelf_opgepakt", "eigen_netwerk", "collectieve_activiteit", "verwezen"]


@dataclass
class Model:
    status: str = "open"
    gesprekken: int = 1


def test_traject_rules_hold_in_every_sequence(app: FastAPI, werker: dict[str, str]) -> None:
    client = TestClient(app)

    def post(path: str, body: dict[str, Any]) -> Any:
        return client.post(f"/api/v1{path}", json=body, headers=werker)

    class Trajecten(RuleBasedStateMachine):
        codes = Bundle("codes")
        aanmaken = Bundle("aanmaken")
        vervolgen = Bundle("vervolgen")

        def __init__(self) -> None:
            super().__init__()
            self.model: dict[str, Model] = {}
            self.al_bestaand = client.get("/api/v1/trajecten", headers=werker).json()["totaal"]

        def vergelijk(self, code: str, antwoord: dict[str, Any], voor: str) -> None:
            verwacht = self.model[code]
            assert (voor, antwoord["status"]) in OVERGANGEN
            assert antwoord["status"] == verwacht.status
            assert antwoord["aantalGesprekken"] == verwacht.gesprekken <= 5
            assert [g["volgnummer"] for g in antwoord["gesprekken"]] == list(
                range(1, verwacht.gesprekken + 1)
            )
            assert antwoord["overdrachtVereist"] == (
                verwacht.status == "open" and verwacht.gesprekken == 5
            )

        @rule(target=aanmaken, met_id=st.booleans(), afhandeling=st.sampled_from(AFHANDELINGEN))
        def registreer(self, met_id: bool, afhandeling: str) -> dict[str, Any]:
            body = eerste_gesprek(gesprek=gesprek(afhandeling=afhandeling))
            if met_id:
                body = {**body, "id": str(uuid.uuid4())}
                body["gesprek"] = {**body["gesprek"], "id": str(uuid.uuid4())}
            response = post("/trajecten", body)
            assert response.status_code == 201, response.text
            code = response.json()["code"]
            self.model[code] = Model()
            self.vergelijk(code, response.json(), "open")
            return {"body": body, "code": code}

        @rule(target=codes, aanmaak=aanmaken)
        def onthoud_code(self, aanmaak: dict[str, Any]) -> str:
            return str(aanmaak["code"])

        @rule(aanmaak=aanmaken)
        def herhaal_registratie(self, aanmaak: dict[str, Any]) -> None:
            if "id" not in aanmaak["body"]:
                return
            response = post("/trajecten", aanmaak["body"])
            # A retry answers the stored traject as it is now, and never stores a second one.
            assert response.status_code == 201
            assert response.json()["code"] == aanmaak["code"]
            self.vergelijk(aanmaak["code"], response.json(), self.model[aanmaak["code"]].status)

        @rule(target=vervolgen, code=codes, warm=st.booleans())
        def vervolggesprek(self, code: str, warm: bool) -> dict[str, Any]:
            voor = self.model[code]
            body = (warme_overdracht if warm else gesprek)(id=str(uuid.uuid4()))
            response = post(f"/trajecten/{code}/gesprekken", body)
            if voor.status != "open":
                assert response.status_code == 409
                assert response.json()["type"].endswith("traject-afgesloten")
                return {"code": code, "body": body, "opgeslagen": False}
            if voor.gesprekken == 5:
                assert response.status_code == 409
                assert response.json()["type"].endswith("gesprekkenlimiet-bereikt")
                return {"code": code, "body": body, "opgeslagen": False}
            assert response.status_code == 201, response.text
            self.model[code] = Model("overgedragen" if warm else "open", voor.gesprekken + 1)
            self.vergelijk(code, response.json(), voor.status)
            return {"code": code, "body": body, "opgeslagen": True}

        @rule(vervolg=vervolgen)
        def herhaal_vervolggesprek(self, vervolg: dict[str, Any]) -> None:
            code = vervolg["code"]
            response = post(f"/trajecten/{code}/gesprekken", vervolg["body"])
            if vervolg["opgeslagen"]:
                # The same gesprek again, even after the traject closed: stored once, answered.
                assert response.status_code == 201
                self.vergelijk(code, response.json(), self.model[code].status)
            else:
                assert response.status_code == 409

        @rule(code=codes)
        def overdracht(self, code: str) -> None:
            voor = self.model[code].status
            response = client.put(
                f"/api/v1/trajecten/{code}/overdracht",
                json={"doel": "huisarts", "warm": True, "status": "aangemeld"},
                headers=werker,
            )
            if voor == "afgerond":
                assert response.status_code == 409
                return
            assert response.status_code == 200, response.text
            self.model[code].status = "overgedragen"
            self.vergelijk(code, response.json(), voor)

        @rule(code=consumes(codes) | codes)
        def afsluiting(self, code: str) -> None:
            voor = self.model[code].status
            response = post(f"/trajecten/{code}/afsluiting", {})
            if voor == "overgedragen":
                assert response.status_code == 409
                return
            assert response.status_code == 200, response.text
            self.model[code].status = "afgerond"
            self.vergelijk(code, response.json(), voor)

        @invariant()
        def niets_dubbel_geteld(self) -> None:
            totaal = client.get("/api/v1/trajecten", headers=werker).json()["totaal"]
            assert totaal == self.al_bestaand + len(self.model)

    run_state_machine_as_test(
        Trajecten,
        settings=settings(
            max_examples=12,
            stateful_step_count=25,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
