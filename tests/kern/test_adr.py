"""The NL API Design Rules that the OpenAPI document cannot show, tested on the running app."""

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import API_VERSION
from tests.registraties import eerste_gesprek

ROOT = Path(__file__).resolve().parents[2]
SECURITY_HEADERS = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def assert_headers(response) -> None:  # type: ignore[no-untyped-def]
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert response.headers["api-version"] == API_VERSION


def test_every_kind_of_response_carries_security_and_version_headers(
    client: TestClient, werker: dict[str, str]
) -> None:
    responses = [
        client.get("/api/v1/wijken", headers=werker),  # 200
        client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker),  # 201
        client.post("/api/v1/trajecten", json={}, headers=werker),  # 400
        client.get("/api/v1/wijken"),  # 401
        client.get("/api/v1/trajecten/ZZZZZZ", headers=werker),  # 404
        client.delete("/api/v1/wijken", headers=werker),  # 405
        client.post("/api/v1/trajecten", content=b"x", headers={"Content-Type": "text/plain"}),
        client.get("/health/live"),
        client.get("/api/v1/openapi.json"),
        # Outside /api/v1 but under /api: still a 404 with every header, no-store included.
        # (/ itself is the web form, with no-cache: tests/kern/test_formulier_http.py.)
        client.get("/api"),
    ]
    assert [r.status_code for r in responses] == [200, 201, 400, 401, 404, 405, 415, 200, 200, 404]
    for response in responses:
        assert_headers(response)


def test_a_405_names_every_method_of_the_resource_in_allow(
    client: TestClient, werker: dict[str, str]
) -> None:
    """Allow lists what the document says the path answers, not only the first route's."""
    document = client.get("/api/v1/openapi.json").json()
    voorbeeld = {"{code}": "ZZZZZZ", "{volgnummer}": "1", "{jaar}": "2025"}
    for pad, operaties in document["paths"].items():
        url = "/api/v1" + pad
        for sjabloon, waarde in voorbeeld.items():
            url = url.replace(sjabloon, waarde)
        response = client.options(url, headers=werker)
        assert response.status_code == 405, pad
        assert response.headers["content-type"] == "application/problem+json"
        toegestaan = set(response.headers["allow"].split(", "))
        # The document lists no HEAD; the OpenAPI document's own route answers it.
        assert toegestaan - {"HEAD"} == {m.upper() for m in operaties}, pad
    assert client.delete("/health/live").headers["allow"] == "GET"


def test_errors_are_problem_json_with_the_required_members(
    client: TestClient, werker: dict[str, str]
) -> None:
    for response in (
        client.get("/api/v1/wijken"),
        client.get("/api/v1/bestaat-niet", headers=werker),
        client.put("/api/v1/wijken", headers=werker),
        client.post("/api/v1/trajecten", json=[], headers=werker),
    ):
        assert response.status_code >= 400
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == response.status_code
        assert problem["title"] and problem["detail"] and problem["type"]
        assert problem["instance"].startswith("/api/v1/")


def test_unauthorised_answer_asks_for_a_bearer_token(client: TestClient) -> None:
    response = client.get("/api/v1/codelijsten")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "path", ["/api/v1/wijken/", "/api/v1/trajecten/", "/api/v1/codelijsten/", "/health/live/"]
)
def test_trailing_slash_is_404_not_a_redirect(
    client: TestClient, werker: dict[str, str], path: str
) -> None:
    response = client.get(path, headers=werker, follow_redirects=False)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_openapi_document_is_public_with_cors_for_everyone(client: TestClient) -> None:
    response = client.get("/api/v1/openapi.json", headers={"Origin": "https://example.org"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    document = response.json()
    assert document["info"]["version"] == API_VERSION
    assert document["servers"][0]["url"].endswith("/v1")


def test_other_routes_send_no_cors_header_without_configured_origins(
    client: TestClient, werker: dict[str, str]
) -> None:
    response = client.get("/api/v1/wijken", headers={**werker, "Origin": "https://example.org"})
    assert "access-control-allow-origin" not in response.headers


def test_committed_openapi_document_equals_what_the_app_serves(client: TestClient) -> None:
    committed = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    assert client.get("/api/v1/openapi.json").json() == committed


def test_query_keys_and_fields_are_lower_camel_case(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    names: list[str] = []
    for operations in document["paths"].values():
        for operation in operations.values():
            names += [p["name"] for p in operation.get("parameters", [])]
    for schema in document["components"]["schemas"].values():
        names += list(schema.get("properties", {}))
    assert names
    # RFC 6749 fixes the names of the OAuth2 sign-in form and its answer.
    oauth2 = {"username", "password", "grant_type", "access_token", "token_type", "expires_in"}
    for name in set(names) - oauth2:
        assert name[0].islower() and "_" not in name and "-" not in name, name


def test_vendored_ruleset_equals_shared_one() -> None:
    shared = ROOT.parent / "shared" / "adr" / "ruleset.yaml"
    if not shared.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert (ROOT / "openapi" / "adr-ruleset.yaml").read_bytes() == shared.read_bytes()


def test_invalid_input_is_never_422(client: TestClient, werker: dict[str, str]) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for operations in document["paths"].values():
        for operation in operations.values():
            assert "422" not in operation["responses"]
    assert client.post("/api/v1/trajecten", json={"x": 1}, headers=werker).status_code == 400
