"""The OpenAPI document as the NL API Design Rules want it.

FastAPI generates the paths and schemas; this adds what the rules ask of every operation in one
pass (problem+json errors, API-Version headers, Dutch descriptions), instead of repeating it on
every route.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from app import API_VERSION
from app.kern.http_middleware import MAX_BODY_BYTES
from app.kern.problems import PROBLEM_JSON, InvalidParam, Problem

SERVER = {"url": "/api/v1", "description": "Deze dienst, versie 1 van de API."}
CONTACT = {
    "name": "Team wijkcontact",
    "email": "wijkcontact@maashorst.nl",
    "url": "https://www.maashorst.nl",
}
DESCRIPTION = (
    "Anonieme registratie van contacten van preventiewerkers met inwoners in de sociale basis, "
    "met de grens van vijf gesprekken per traject en de warme overdracht. Er worden geen "
    "persoonsgegevens vastgelegd: alle velden zijn codes uit `/codelijsten`.\n\n"
    "Fouten zijn `application/problem+json` (RFC 9457); ongeldige invoer geeft 400 met alle "
    "problemen tegelijk in `invalidParams`."
)
PROBLEM_RESPONSES = {
    "400": "Ongeldige invoer; `invalidParams` noemt elk probleem.",
    "401": "Niet ingelogd, of het token is verlopen of ingetrokken.",
    "403": "Deze rol heeft hier geen toegang.",
    "404": "Niet gevonden.",
    "409": "Conflict met de huidige stand van het traject.",
    "413": f"De body is groter dan {MAX_BODY_BYTES // 1024} KB.",
    "415": "De body is geen JSON.",
    "429": "Te veel pogingen; probeer het na `Retry-After` seconden.",
    "500": "Interne fout; er is niets half opgeslagen.",
    "503": "De database is tijdelijk niet bereikbaar; probeer het na `Retry-After` seconden.",
}
SUCCESS_DESCRIPTIONS = {"200": "Gelukt.", "201": "Aangemaakt.", "204": "Gelukt; geen inhoud."}


def operation_id(route: APIRoute) -> str:
    """`lees_jaaranalyse` becomes `leesJaaranalyse`: short and stable names for generated clients.

    FastAPI's default glues path and method onto the name (`lees_jaaranalyse_jaaranalyses__jaar__
    get`), so a client's method names would change with every path edit.
    """
    eerste, *rest = route.name.split("_")
    return eerste + "".join(woord.capitalize() for woord in rest)


def _problem(code: str, description: str | None = None) -> dict[str, Any]:
    return {
        "description": description or PROBLEM_RESPONSES[code],
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _een_per_naam(parameters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A parameter a route describes itself (`openapi_extra`, after FastAPI's in the list)
    replaces what FastAPI derived from the same field of its query parameter model: FastAPI
    cannot say everything (`/tellingen`'s `dimensies` is a comma list, `explode: false`)."""
    laatste = {(p["name"], p["in"]): i for i, p in enumerate(parameters)}
    return [p for i, p in enumerate(parameters) if laatste[(p["name"], p["in"])] == i]


def build_openapi(api: FastAPI) -> dict[str, Any]:
    if api.openapi_schema:
        return api.openapi_schema
    schema = get_openapi(
        title="wijkcontact",
        version=API_VERSION,
        summary="Anonieme contactregistratie in de sociale basis",
        description=DESCRIPTION,
        routes=api.routes,
        servers=[SERVER],
        contact=CONTACT,
        tags=[
            {"name": "Sessies", "description": "Inloggen, uitloggen en wie ben ik."},
            {"name": "Trajecten", "description": "Registreren van gesprekken en overdrachten."},
            {"name": "Gebieden", "description": "De gebiedsindeling in werkgebieden."},
            {"name": "Codelijsten", "description": "Alle codes met hun omschrijving."},
            {"name": "Audit", "description": "Wie wijzigde wat en wanneer (beheerder)."},
            {"name": "Analyse", "description": "Jaaranalyse en tellingen voor rapportages."},
            {"name": "Inzet", "description": "Deel 1: uren en budgetten per wijk en jaar."},
            {"name": "Activiteiten", "description": "Deel 2: collectieve activiteiten per wijk."},
            {"name": "Effect", "description": "Deel 3: indicatoren van buiten per wijk en jaar."},
            {"name": "Ervaring", "description": "Deel 4: de vragenlijsten van de monitor."},
            {
                "name": "Gespecialiseerde inzet",
                "description": "Deel 5: beschikkingen per wijk en voorziening.",
            },
        ],
    )
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["InvalidParam"] = InvalidParam.model_json_schema()
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    problem.pop("$defs", None)
    schemas["Problem"] = problem
    components["headers"] = {
        "API-Version": {
            "description": "De volledige versie van de API (semver).",
            "schema": {"type": "string", "example": API_VERSION},
        },
        "Location": {
            "description": "Adres van het aangemaakte of bijgewerkte traject.",
            "schema": {"type": "string", "example": "/api/v1/trajecten/7K3M9Q"},
        },
    }
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            if "parameters" in operation:
                operation["parameters"] = _een_per_naam(operation["parameters"])
            responses: dict[str, Any] = operation.setdefault("responses", {})
            responses.pop("422", None)
            for code, response in responses.items():
                if code[0] in "23":
                    response["description"] = SUCCESS_DESCRIPTIONS.get(
                        code, response["description"]
                    )
                    headers = response.setdefault("headers", {})
                    headers["API-Version"] = {"$ref": "#/components/headers/API-Version"}
                    if code == "201":
                        headers["Location"] = {"$ref": "#/components/headers/Location"}
                elif code[0] in "45":
                    responses[code] = _problem(code, response.get("description"))
            needed = ["500", "503"]
            if operation.get("parameters") or operation.get("requestBody"):
                needed.append("400")
            if operation.get("security"):
                needed += ["401", "403"]
            if "{" in path:
                needed.append("404")
            if operation.get("requestBody"):
                needed += ["413", "415"]
            for code in needed:
                responses.setdefault(code, _problem(code))
            operation["responses"] = dict(sorted(responses.items()))
    api.openapi_schema = schema
    return schema
