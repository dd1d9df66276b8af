"""Errors in OData's JSON error format, from the same `Probleem` exceptions as the rest.

An OData client (Power BI, Excel, python-odata) shows `error.message` to its user; it does not
read problem+json. The route class below catches every error of a feed route, also those its
dependencies raise (sign-in, the rapportage allowance), and renders it this way, with the same
status and headers (WWW-Authenticate, Retry-After) as problem+json would have.
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from app.kern.problems import (
    InvalidParam,
    OngeldigeInvoer,
    Probleem,
    database_probleem,
    invalid_params_from,
)

ODATA_VERSION = {"OData-Version": "4.0"}


class OngeldigeOptie(OngeldigeInvoer):
    def __init__(self, optie: str, reden: str) -> None:
        super().__init__([InvalidParam(name=optie, reason=reden)], detail=reden)


class NietOndersteund(Probleem):
    status, soort, titel = 501, "niet-ondersteund", "Niet ondersteund"


def odata_fout(probleem: Probleem) -> JSONResponse:
    fout: dict[str, Any] = {"code": probleem.soort, "message": probleem.detail}
    if probleem.invalid_params:
        fout["target"] = probleem.invalid_params[0].name
        fout["details"] = [
            {"code": probleem.soort, "target": p.name, "message": p.reason}
            for p in probleem.invalid_params
        ]
    return JSONResponse(
        {"error": fout},
        status_code=probleem.status,
        headers={**probleem.headers, **ODATA_VERSION},
    )


def _als_probleem(fout: Exception) -> Probleem | None:
    if isinstance(fout, Probleem):
        return fout
    if isinstance(fout, RequestValidationError):
        return OngeldigeInvoer(invalid_params_from(fout.errors()))
    if isinstance(fout, OperationalError):
        return database_probleem(fout)
    if isinstance(fout, HTTPException):
        probleem = Probleem(str(fout.detail), headers=dict(fout.headers or {}))
        probleem.status, probleem.soort, probleem.titel = fout.status_code, "http-fout", "Fout"
        return probleem
    return None


class ODataRoute(APIRoute):
    """A route whose every error, from its dependencies too, is an OData error."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        origineel = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await origineel(request)
            except Exception as fout:
                probleem = _als_probleem(fout)
                if probleem is None:
                    raise
                return odata_fout(probleem)

        return handler
