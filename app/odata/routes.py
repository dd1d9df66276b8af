"""The feed's routes: service document, `$metadata` and one collection per entity set.

Not in the OpenAPI document (include_in_schema=False): an OData service describes itself with
its `$metadata`, its query options start with `$`, and its errors have OData's shape, none of
which the API design rules (problem+json, camelCase parameters) are written for. The URLs are
fixed, `/api/v1/odata/<EntitySet>`: Power BI's scheduled refresh keeps only static ones.
"""

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlmodel import Session

from app.deps import AppContext, ContextDep, SessionDep
from app.kern.api_model import QueryParameters
from app.kern.problems import NietGevonden
from app.odata import rijen
from app.odata.fouten import ODATA_VERSION, ODataRoute
from app.odata.model import ENTITY_SETS, TELSET_VAN, metadata_xml
from app.odata.opties import Opties, lees_opties, maak_token, pas_toe
from app.odata.toegang import OData, tel_vraag
from app.toegang.deps import Gebruiker


class Systeemopties(QueryParameters):
    """The system query options by name, so that any other key is refused; they are read and
    checked in app/odata/opties.py (the last four: 501, as OData asks for an option a service
    does not support)."""

    filter: str | None = Field(None, alias="$filter")
    select: str | None = Field(None, alias="$select")
    orderby: str | None = Field(None, alias="$orderby")
    top: str | None = Field(None, alias="$top")
    skip: str | None = Field(None, alias="$skip")
    count: str | None = Field(None, alias="$count")
    skiptoken: str | None = Field(None, alias="$skiptoken")
    format: str | None = Field(None, alias="$format")
    expand: str | None = Field(None, alias="$expand")
    search: str | None = Field(None, alias="$search")
    apply: str | None = Field(None, alias="$apply")
    compute: str | None = Field(None, alias="$compute")


async def systeemopties(_opties: Annotated[Systeemopties, Query()]) -> None:
    """Only the options' names: the routes read the options as sent (a repeat is an error)."""


router = APIRouter(
    prefix="/odata",
    route_class=ODataRoute,
    include_in_schema=False,
    dependencies=[Depends(systeemopties)],
)
JSON = "application/json;odata.metadata=minimal;odata.streaming=true"
METADATA = metadata_xml()


def _basis(request: Request) -> str:
    """The service root as the client reached it (behind a proxy: see docs/reverse-proxy.md)."""
    return str(request.url.replace(query="", fragment="")).split("/odata", 1)[0] + "/odata"


def _json(inhoud: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(inhoud, media_type=JSON, headers={**ODATA_VERSION, **(headers or {})})


@router.get("")
@router.get("/")
def servicedocument(request: Request, _gebruiker: OData) -> JSONResponse:
    return _json(
        {
            "@odata.context": f"{_basis(request)}/$metadata",
            "value": [
                {"name": s.naam, "kind": "EntitySet", "url": s.naam} for s in ENTITY_SETS.values()
            ],
        }
    )


@router.get("/$metadata")
def metadata(_gebruiker: OData) -> Response:
    return Response(METADATA, media_type="application/xml", headers=ODATA_VERSION)


def _waarde(waarde: Any) -> Any:
    return waarde.isoformat() if isinstance(waarde, date) else waarde


def _rijen(
    entity_set: str,
    request: Request,
    session: Session,
    context: AppContext,
    gebruiker: Gebruiker,
    prefer: str | None,
) -> tuple[Opties, Iterator[dict[str, Any]]]:
    """The options, and the rows of the set before them; a question for figures is counted."""
    beschrijving = ENTITY_SETS.get(entity_set)
    if beschrijving is None:
        raise NietGevonden(
            f"Geen entity set {entity_set[:40]!r}; zie het servicedocument voor de namen."
        )
    if beschrijving.telt_als_vraag:
        # Before the options are read: a question with an invalid option counts too, as on
        # /tellingen (docs/rapportage.md).
        tel_vraag(request, context, gebruiker)
    opties = lees_opties(
        request.query_params.multi_items(), beschrijving, prefer, context.vandaag()
    )
    if entity_set in TELSET_VAN:
        return opties, rijen.telrijen(session, context, gebruiker, entity_set, opties.filter)
    if entity_set == "Jaarcijfers":
        return opties, rijen.jaarcijfers(session, context, gebruiker, opties.filter)
    if entity_set == "Wijken":
        return opties, rijen.wijken(context)
    return opties, rijen.codes(context)


@router.get("/{entity_set}/$count")
def telling(
    entity_set: str,
    request: Request,
    session: SessionDep,
    context: ContextDep,
    gebruiker: OData,
) -> Response:
    """The number of rows that match `$filter`, as plain text (OData's `/$count` segment)."""
    opties, alle = _rijen(entity_set, request, session, context, gebruiker, None)
    _, gevonden, _ = pas_toe(alle, opties)
    return Response(str(gevonden), media_type="text/plain", headers=ODATA_VERSION)


@router.get("/{entity_set}")
def collectie(
    entity_set: str,
    request: Request,
    session: SessionDep,
    context: ContextDep,
    gebruiker: OData,
    prefer: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    opties, alle = _rijen(entity_set, request, session, context, gebruiker, prefer)
    vandaag = context.vandaag()
    pagina, aantal, meer = pas_toe(alle, opties)
    basis = _basis(request)
    context_url = f"{basis}/$metadata#{entity_set}"
    if opties.select:
        context_url += f"({','.join(opties.select)})"
    inhoud: dict[str, Any] = {"@odata.context": context_url}
    if opties.count:
        inhoud["@odata.count"] = aantal
    inhoud["value"] = [{k: _waarde(v) for k, v in r.items()} for r in pagina]
    headers = {}
    if opties.gevraagde_pagina:
        headers["Preference-Applied"] = f"odata.maxpagesize={opties.gevraagde_pagina}"
    if meer:
        vervolg = [(k, v) for k, v in request.query_params.multi_items() if k != "$skiptoken"]
        token = maak_token(opties.positie + len(pagina), opties.vingerafdruk, vandaag)
        vervolg.append(("$skiptoken", token))
        inhoud["@odata.nextLink"] = f"{basis}/{entity_set}?{urlencode(vervolg, safe='$,')}"
    return _json(inhoud, headers)


@router.get("/{pad:path}")
def onbekend(pad: str, _gebruiker: OData) -> None:
    raise NietGevonden("Dit adres bestaat niet in de feed; zie het servicedocument.")
