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
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.registraties import eerste_gesprek

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
DOCUMENT = json.loads(
    (Path(__file__).resolve().parent.parent / "openapi/openapi.json").read_text(encoding="utf-8")
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
        # Random codes only meet 404: half the cases go to a traject that exists.
        code = TestClient(app).post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker)
        bestaand = operation.as_strategy(mode, path_parameters={"code": code.json()["code"]})
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
