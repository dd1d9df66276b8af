"""problem+json (RFC 9457): the one place where every error becomes a response.

Domain code raises a `Probleem`; FastAPI's own errors (validation, 404, 405), the HTTP
middleware's refusals at the door and unexpected exceptions become one too, and
`probleem_antwoord` alone turns a `Probleem` into a response. Submitted values are never echoed
back.
"""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:wijkcontact:probleem:"


class InvalidParam(BaseModel):
    name: str = Field(description="Het veld of de parameter, met punten voor geneste velden.")
    reason: str = Field(description="Wat er mis is, in het Nederlands.")


class Problem(BaseModel):
    """Foutmelding volgens RFC 9457."""

    type: str = Field(description="URI die de soort fout aanduidt.")
    title: str = Field(description="Korte vaste omschrijving van de soort fout.")
    status: int = Field(description="De HTTP-statuscode.")
    detail: str = Field(description="Uitleg voor deze keer, met wat u kunt doen.")
    instance: str = Field(description="Het pad van het verzoek.")
    invalidParams: list[InvalidParam] | None = Field(
        default=None, description="Bij ongeldige invoer: alle problemen tegelijk."
    )


INTERNE_FOUT = (
    "Er ging iets mis aan onze kant; er is niets half opgeslagen. Probeer het later opnieuw."
)


class Probleem(Exception):
    """A domain error that knows its problem type, title and HTTP status."""

    status = 500
    soort = "interne-fout"
    titel = "Interne fout"

    def __init__(
        self,
        detail: str,
        *,
        invalid_params: Sequence[InvalidParam] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.invalid_params = list(invalid_params)
        self.headers = headers or {}


class OngeldigeInvoer(Probleem):
    status, soort, titel = 400, "ongeldige-invoer", "Ongeldige invoer"

    def __init__(self, invalid_params: Sequence[InvalidParam], detail: str | None = None) -> None:
        super().__init__(
            detail or "Het verzoek bevat ongeldige invoer; zie invalidParams voor elk probleem.",
            invalid_params=invalid_params,
        )


class NietIngelogd(Probleem):
    status, soort, titel = 401, "niet-ingelogd", "Niet ingelogd"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="wijkcontact"'})


class GeenToegang(Probleem):
    status, soort, titel = 403, "geen-toegang", "Geen toegang"


class NietGevonden(Probleem):
    status, soort, titel = 404, "niet-gevonden", "Niet gevonden"


class Conflict(Probleem):
    status = 409


class DatabaseOnbereikbaar(Probleem):
    status, soort, titel = 503, "database-onbereikbaar", "Tijdelijk niet beschikbaar"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(
            detail
            or "De database is op dit moment niet bereikbaar. Probeer het over enkele seconden "
            "opnieuw; er is niets opgeslagen.",
            headers={"Retry-After": "5"},
        )


def database_probleem(exc: DBAPIError) -> DatabaseOnbereikbaar:
    """Say which database trouble it is, for the operator reading the answer; never the SQL."""
    oorzaak = str(exc.orig).lower()
    if "readonly" in oorzaak or "read-only" in oorzaak:
        return DatabaseOnbereikbaar(
            "De database kan niet worden beschreven (alleen-lezen bestand, map of server). Er "
            "is niets opgeslagen; de beheerder moet de schrijfrechten herstellen."
        )
    if "locked" in oorzaak or "busy" in oorzaak:
        return DatabaseOnbereikbaar(
            "De database is bezet door een ander proces. Probeer het over enkele seconden "
            "opnieuw; er is niets opgeslagen."
        )
    return DatabaseOnbereikbaar()


def probleem_antwoord(probleem: Probleem, instance: str) -> JSONResponse:
    """The one builder of a problem+json answer: the exception handlers use it through
    `render`, and the HTTP middleware sends it (a `Response` is an ASGI app) before any route
    runs."""
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + probleem.soort,
        "title": probleem.titel,
        "status": probleem.status,
        "detail": probleem.detail,
        "instance": instance,
    }
    if probleem.invalid_params:
        body["invalidParams"] = [p.model_dump() for p in probleem.invalid_params]
    return JSONResponse(
        body, status_code=probleem.status, media_type=PROBLEM_JSON, headers=probleem.headers
    )


def render(request: Request, probleem: Probleem) -> JSONResponse:
    return probleem_antwoord(probleem, request.url.path)


REDENEN = {
    "missing": "Dit veld is verplicht.",
    "extra_forbidden": "Onbekend veld: dit veld hoort niet bij dit verzoek.",
    "string_type": "Moet een tekst zijn.",
    "int_type": "Moet een geheel getal zijn.",
    "int_parsing": "Moet een geheel getal zijn.",
    "int_from_float": "Moet een geheel getal zijn.",
    "float_type": "Moet een getal zijn.",
    "float_parsing": "Moet een getal zijn.",
    "finite_number": "Moet een eindig getal zijn.",
    "bool_type": "Moet true of false zijn.",
    "bool_parsing": "Moet true of false zijn.",
    "list_type": "Moet een lijst zijn.",
    "dict_type": "Moet een object zijn.",
    "model_type": "Moet een object zijn.",
    "model_attributes_type": "Moet een object zijn.",
    "string_pattern_mismatch": "Heeft niet de vorm van een code (kleine letters, cijfers en _).",
    "date_type": "Moet een datum zijn in de vorm JJJJ-MM-DD.",
    "date_parsing": "Moet een datum zijn in de vorm JJJJ-MM-DD.",
    "date_from_datetime_parsing": "Moet een datum zijn in de vorm JJJJ-MM-DD.",
    "date_from_datetime_inexact": "Moet een datum zijn zonder tijd (JJJJ-MM-DD).",
    "uuid_type": "Moet een UUID zijn.",
    "uuid_parsing": "Moet een UUID zijn.",
    "json_invalid": "De body is geen geldige JSON.",
    "json_type": "De body is geen geldige JSON.",
}


def _grens(waarde: Any) -> Any:
    # A float field's bound arrives as 0.0; a Dutch reader would see a stray ".0".
    return int(waarde) if isinstance(waarde, float) and waarde.is_integer() else waarde


def reden(fout: dict[str, Any]) -> str:
    soort = fout.get("type", "")
    ctx = fout.get("ctx") or {}
    if soort == "missing" and tuple(fout.get("loc", ())) == ("body",):
        return "De body ontbreekt; stuur een JSON-object."
    if soort.startswith("wk_"):
        # Our own checks (codes, dates) word their messages in Dutch, without the value.
        return str(fout.get("msg"))
    if soort in REDENEN:
        return REDENEN[soort]
    if soort == "too_short":
        return f"Moet minstens {ctx.get('min_length')} element(en) bevatten."
    if soort == "too_long":
        return f"Mag hoogstens {ctx.get('max_length')} element(en) bevatten."
    if soort == "string_too_long":
        return f"Mag hoogstens {ctx.get('max_length')} tekens lang zijn."
    if soort == "string_too_short":
        return f"Moet minstens {ctx.get('min_length')} teken(s) lang zijn."
    if soort in ("greater_than_equal", "greater_than"):
        return f"Moet minstens {_grens(ctx.get('ge', ctx.get('gt')))} zijn."
    if soort in ("less_than_equal", "less_than"):
        return f"Mag hoogstens {_grens(ctx.get('le', ctx.get('lt')))} zijn."
    if soort in ("literal_error", "enum"):
        return f"Moet een van deze waarden zijn: {ctx.get('expected')}."
    if soort == "value_error":
        # Our own validators raise Dutch messages that never contain the submitted value.
        return str(ctx.get("error") or "Ongeldige waarde.")
    return "Ongeldige waarde."


def veldnaam(loc: Sequence[str | int]) -> str:
    delen = list(loc)
    if delen and delen[0] in ("body", "query", "path", "header"):
        delen = delen[1:] or ["body"]
    naam = ""
    for deel in delen:
        if isinstance(deel, int):
            naam += f"[{deel}]"
        else:
            naam += ("." if naam else "") + deel
    return naam or "body"


def invalid_params_from(errors: Sequence[Any]) -> list[InvalidParam]:
    params: list[InvalidParam] = []
    for fout in errors:
        # A JSON syntax error's location is a character offset, not a field.
        naam = "body" if fout.get("type") == "json_invalid" else veldnaam(fout.get("loc", ()))
        param = InvalidParam(name=naam, reason=reden(fout))
        if param not in params:
            params.append(param)
    return params


async def _probleem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Probleem)
    return render(request, exc)


async def validatiefout(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return render(request, OngeldigeInvoer(invalid_params_from(exc.errors())))


HTTP_TITELS = {
    400: ("ongeldig-verzoek", "Ongeldig verzoek", "Het verzoek kan niet worden gelezen."),
    404: (
        "niet-gevonden",
        "Niet gevonden",
        "Dit adres bestaat niet. Let op: zonder / aan het eind.",
    ),
    405: ("methode-niet-toegestaan", "Methode niet toegestaan", "Deze methode kan hier niet."),
    406: ("niet-aanvaardbaar", "Niet aanvaardbaar", "Dit formaat kan niet worden geleverd."),
    413: ("verzoek-te-groot", "Verzoek te groot", "Het verzoek is te groot."),
    415: ("onjuist-inhoudstype", "Onjuist inhoudstype", "Stuur de body als application/json."),
}


class HttpFout(Probleem):
    """An error of the HTTP layer itself: Starlette's (404, 405) or the middleware's (413, 415)."""

    def __init__(
        self, status: int, detail: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        self.status = status
        self.soort, self.titel, standaard = HTTP_TITELS.get(
            status, ("http-fout", "Fout", "Het verzoek kan niet worden verwerkt.")
        )
        super().__init__(detail or standaard, headers=headers)


METHODEN = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def toegestane_methoden(request: Request) -> str:
    """Every method some route on this path answers. Starlette's own 405 names only the first
    route's, so `OPTIONS /trajecten` would say `Allow: POST` although GET exists too. Asked of
    each route through its public `matches`, once per method: a 405 is rare. A mount matches
    every method; the only one that refuses methods itself holds the form's static files."""
    routes = [route for route in request.app.router.routes if not isinstance(route, Mount)]
    toegestaan = [
        methode
        for methode in METHODEN
        if any(
            route.matches({**request.scope, "method": methode})[0] == Match.FULL for route in routes
        )
    ]
    return ", ".join(toegestaan or ["GET", "HEAD"])


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = toegestane_methoden(request)
    return render(request, HttpFout(exc.status_code, headers=headers))


async def _database(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OperationalError)
    return render(request, database_probleem(exc))


async def _onverwacht(request: Request, exc: Exception) -> JSONResponse:
    return render(request, Probleem(INTERNE_FOUT))


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Probleem, _probleem)
    app.add_exception_handler(RequestValidationError, validatiefout)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(OperationalError, _database)
    app.add_exception_handler(Exception, _onverwacht)
