"""Hostile input generated from the served OpenAPI document, signed in as a preventiewerker:
no operation answers 5xx, and every answer matches the document."""

import json
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, Response
from schemathesis.checks import CHECKS as REGISTRY
from schemathesis.checks import CheckContext, load_all_checks
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.registraties import eerste_gesprek

# Generated requests over every operation of the document.
pytestmark = pytest.mark.slow

# Rules that a JSON schema cannot state, each described in the document: codes and wijken come
# from the configuration (another gemeente, other codes), dates depend on today, the start date
# and the traject's earlier gesprekken, and a handover depends on the afhandeling beside it.
REGELS = (
    "Onbekende code; kies een code uit codelijst ",
    "Onbekende wijk; kies uit /wijken.",
    "Dit is niet een van uw eigen wijken.",
    "De datum ligt in de toekomst",
    "De datum ligt vóór de start van de registratie",
    "De datum ligt vóór het vorige gesprek",
    "De gesprekken blijven op volgorde",
    "De einddatum ligt vóór de begindatum",
    "tot ligt vóór van.",
    "Verplicht bij afhandeling warme_overdracht",
    "Bij afhandeling warme_overdracht is de overdracht warm",
    "Alleen invullen bij afhandeling warme_overdracht.",
    "Een warme overdracht kan niet via een correctie",
    # Indicatorwaarden: codes from the configuration, a unit's range, one row per wijk and
    # indicator, and a CSV body (any text, to the schema) read line by line.
    "Onbekende indicator; kies een code uit /indicatoren.",
    "Een percentage ligt tussen",
    "Een aantal ligt tussen",
    "Een aantal per 1.000",
    "Een rapportcijfer ligt tussen",
    "Een aantal is een geheel getal",
    "Deze wijk en indicator komen al voor",
    "De eerste regel moet de kolommen",
    "Verwacht 3 kolommen",
    "De waarde is geen getal",
    "De waarde ontbreekt",
    "De waarde mag niet negatief zijn.",
    "Er staan geen waarden in",
    "Er zijn meer dan 100 problemen",
    "Onbekende vraag voor deze vragenlijst",
)


def positive_data_acceptance_but_rules(
    ctx: CheckContext, response: Response, case: schemathesis.Case
) -> bool | None:
    """schemathesis's own check, except for a 400 that names only such rules."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        redenen = [p["reason"] for p in response.json().get("invalidParams", [])]
        if response.status_code == 400 and redenen and all(r.startswith(REGELS) for r in redenen):
            return None
        raise


def negative_data_rejection_or_too_large(
    ctx: CheckContext, response: Response, case: schemathesis.Case
) -> bool | None:
    """schemathesis's own check, with our 413 (a body over the limit) counted as rejected: a
    generated list far past its maxItems can be too large before it is invalid."""
    if response.status_code == 413:
        return None
    return negative_data_rejection(ctx, response, case)


# Every check schemathesis has (its CLI's `--checks all`), not only "no 5xx".
load_all_checks()
VERVANGEN = {
    positive_data_acceptance: positive_data_acceptance_but_rules,
    negative_data_rejection: negative_data_rejection_or_too_large,
}
CHECKS = [VERVANGEN.get(check, check) for check in REGISTRY.get_all()]
assert set(VERVANGEN.values()) <= set(CHECKS)
DOCUMENT = json.loads(
    (Path(__file__).resolve().parents[2] / "openapi/openapi.json").read_text(encoding="utf-8")
)
OPERATIES = [
    (method.upper(), path)
    for path, operations in DOCUMENT["paths"].items()
    for method in operations
]
VOORBEELDEN = 25


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIES, ids=[f"{m} {p}" for m, p in OPERATIES])
def test_no_operation_fails_or_strays_from_the_document(
    app: FastAPI, werker: dict[str, str], method: str, path: str, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operation = next(
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().method.upper() == method and result.ok().path == path
    )
    strategy = operation.as_strategy(mode)
    if "{code}" in path:
        # Random codes only meet 404: half the cases go to a traject or questionnaire that exists.
        if path.startswith("/vragenlijsten/"):
            code = "inwoners"
        else:
            traject = TestClient(app).post(
                "/api/v1/trajecten", json=eerste_gesprek(), headers=werker
            )
            code = traject.json()["code"]
        bestaand = operation.as_strategy(mode, path_parameters={"code": code})
        strategy = st.one_of(strategy, bestaand)

    @given(case=strategy)
    @settings(
        max_examples=VOORBEELDEN,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=werker, checks=CHECKS)

    run()
