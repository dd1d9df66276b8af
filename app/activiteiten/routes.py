import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response, status
from pydantic import Field

from app.activiteiten import regels
from app.activiteiten.schemas import (
    ActiviteitCorrectie,
    Activiteitenlijst,
    ActiviteitInvoer,
    ActiviteitUit,
)
from app.deps import ContextDep, GeenQuery, SessionDep
from app.kern.api_model import ALLEEN_CIJFERS, Pagina, QueryParameters
from app.kern.csv_uitvoer import CSV, csv_antwoord, vraagt_csv
from app.toegang.deps import Gebruiker, vereist_rol
from app.trajecten.schemas import Wijkcode

router = APIRouter(prefix="/activiteiten", tags=["Activiteiten"])

Registrant = Annotated[Gebruiker, vereist_rol("preventiewerker", "kwartiermaker")]
Id = Annotated[uuid.UUID, Path(description="Het id van de activiteit (een UUID).")]


def _locatie(activiteit: ActiviteitUit) -> dict[str, str]:
    return {"Location": f"/api/v1/activiteiten/{activiteit.id}"}


@router.post(
    "",
    response_model=ActiviteitUit,
    status_code=status.HTTP_201_CREATED,
    summary="Collectieve activiteit registreren",
    description="Registreert een collectieve activiteit in een wijk met alleen aantallen: "
    "bijeenkomsten, deelnemers en vrijwilligers, de soort en wie het initiatief nam. Een "
    "preventiewerker registreert in de eigen wijken, een kwartiermaker in elke wijk. Hetzelfde "
    "`id` opnieuw met dezelfde inhoud geeft de opgeslagen activiteit terug zonder iets dubbel "
    "te tellen; met andere inhoud volgt 409.",
    responses={409: {"description": "Het id is al gebruikt voor een andere registratie."}},
)
def maak_activiteit(
    invoer: ActiviteitInvoer, session: SessionDep, gebruiker: Registrant, _geen: GeenQuery
) -> Response:
    activiteit = regels.registreer_activiteit(session, gebruiker, invoer)
    return Response(
        activiteit.model_dump_json(by_alias=True),
        status_code=status.HTTP_201_CREATED,
        headers=_locatie(activiteit),
        media_type="application/json",
    )


class ActiviteitenParameters(QueryParameters):
    wijk: Annotated[Wijkcode | None, Field(description="Alleen activiteiten in deze wijk.")] = None
    jaar: Annotated[
        int | None,
        Field(ge=2000, le=2100, description="Alleen activiteiten met een datum in dit jaar."),
        ALLEEN_CIJFERS,
    ] = None
    pagina: Pagina = 1
    pagina_grootte: Annotated[
        int,
        Field(alias="paginaGrootte", ge=1, le=1000, description="Activiteiten per pagina."),
        ALLEEN_CIJFERS,
    ] = 20


@router.get(
    "",
    response_model=Activiteitenlijst,
    summary="Lijst van activiteiten",
    description="Collectieve activiteiten, de nieuwste (naar datum) eerst. Een preventiewerker "
    "ziet die van de eigen wijken, een kwartiermaker alle. Met `Accept: text/csv` volgen "
    "dezelfde rijen als CSV (UTF-8) met een kopregel; kies een grote `paginaGrootte` voor een "
    "heel jaar.",
    responses={
        200: {
            "content": {
                CSV: {
                    "schema": {"type": "string"},
                    "example": "id,wijk,datum,soort,bijeenkomsten,deelnemers,vrijwilligers,"
                    "initiatief,aangemaaktOp\r\n3f0c6c1e-8a55-4c43-9d43-2b0f4b6b9a10,09,"
                    "2025-03-14,ontmoeting,12,18,3,bewoners,2025-03-14T10:00:00Z\r\n",
                }
            }
        }
    },
)
def lijst_activiteiten(
    session: SessionDep,
    context: ContextDep,
    gebruiker: Registrant,
    parameters: Annotated[ActiviteitenParameters, Query()],
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response | Activiteitenlijst:
    q = parameters
    context.controleer_wijkfilter(q.wijk)
    lijst = regels.lijst_activiteiten(
        session, gebruiker, q.wijk, q.jaar, q.pagina, q.pagina_grootte
    )
    if vraagt_csv(accept):
        return csv_antwoord(regels.als_csv(lijst), "activiteiten.csv")
    return lijst


@router.get(
    "/{id}",
    response_model=ActiviteitUit,
    summary="Eén activiteit",
    description="Een preventiewerker ziet de activiteiten van de eigen wijken, een "
    "kwartiermaker alle.",
)
def lees_activiteit(
    id: Id, session: SessionDep, gebruiker: Registrant, _geen: GeenQuery
) -> ActiviteitUit:
    return regels.lees_activiteit(session, gebruiker, id)


@router.patch(
    "/{id}",
    response_model=ActiviteitUit,
    summary="Activiteit corrigeren",
    description="Corrigeert een activiteit, door wie haar registreerde en binnen de "
    "correctietermijn; alleen de meegestuurde velden veranderen. Elke wijziging komt met de "
    "oude en de nieuwe waarde in het auditlog.",
    responses={409: {"description": "De correctietermijn is verstreken."}},
)
def wijzig_activiteit(
    id: Id,
    invoer: ActiviteitCorrectie,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Registrant,
    _geen: GeenQuery,
) -> ActiviteitUit:
    return regels.corrigeer_activiteit(session, context, gebruiker, id, invoer)


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Activiteit intrekken",
    description="Trekt een per vergissing geregistreerde activiteit in, door wie haar "
    "registreerde en binnen de correctietermijn. Het auditlog houdt vast wat er is ingetrokken.",
    responses={409: {"description": "De correctietermijn is verstreken."}},
)
def verwijder_activiteit(
    id: Id, session: SessionDep, context: ContextDep, gebruiker: Registrant, _geen: GeenQuery
) -> Response:
    regels.trek_activiteit_in(session, context, gebruiker, id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
