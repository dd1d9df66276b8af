from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import Field

from app.deps import ContextDep, GeenQuery, SessionDep
from app.kern.api_model import ALLEEN_CIJFERS, Pagina, QueryParameters
from app.toegang.deps import Preventiewerker, TrajectLezer
from app.trajecten import aanmaken, correcties, gesprekken, overdracht, stand, werklijst
from app.trajecten.schemas import (
    AfsluitingInvoer,
    GesprekCorrectie,
    GesprekInvoer,
    OverdrachtInvoer,
    Status,
    TrajectCorrectie,
    TrajectInvoer,
    TrajectUit,
    Werklijst,
    Wijkcode,
)

# A route that answers a model is `async def` and hands its database work to the database
# threads in one call (`context.draden.run`, app.kern.draden): as a plain `def`, FastAPI would
# run the route in its pool and then validate its answer in a second trip through the pool,
# which under load costs more than the validation itself. The routes without an answer stay
# plain `def`, one trip either way.
# Each rule commits before it returns, so that no transaction (on SQLite: no write lock) is held
# while the answer is serialised.

router = APIRouter(prefix="/trajecten", tags=["Trajecten"])

Code = Annotated[
    str,
    Path(
        max_length=20,
        description="De trajectcode (6 tekens; hoofd- of kleine letters en streepjes mogen).",
    ),
]


def _locatie(response: Response, traject: TrajectUit) -> TrajectUit:
    response.headers["Location"] = f"/api/v1/trajecten/{traject.code}"
    return traject


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Eerste gesprek registreren",
    description="Registreert het eerste gesprek met een inwoner en maakt daarmee een anoniem "
    "traject aan. Hetzelfde `id` opnieuw met dezelfde inhoud geeft het opgeslagen traject "
    "terug zonder iets dubbel te tellen; met andere inhoud volgt 409.",
    responses={409: {"description": "Het id is al gebruikt voor een andere registratie."}},
)
async def maak_traject(
    invoer: TrajectInvoer,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Preventiewerker,
    response: Response,
    _geen: GeenQuery,
) -> TrajectUit:
    traject = await context.draden.run(
        aanmaken.registreer_traject, session, context, gebruiker, invoer
    )
    return _locatie(response, traject)


class WerklijstParameters(QueryParameters):
    status: Annotated[Status | None, Field(description="Alleen trajecten met deze status.")] = None
    wijk: Annotated[Wijkcode | None, Field(description="Alleen trajecten in deze wijk.")] = None
    pagina: Pagina = 1
    pagina_grootte: Annotated[
        int,
        Field(alias="paginaGrootte", ge=1, le=100, description="Trajecten per pagina."),
        ALLEEN_CIJFERS,
    ] = 20


@router.get(
    "",
    summary="Werklijst van trajecten",
    description="Trajecten met de laatste activiteit eerst. Een preventiewerker ziet alleen "
    "de eigen trajecten, een kwartiermaker alle.",
)
async def lijst_trajecten(
    session: SessionDep,
    context: ContextDep,
    gebruiker: TrajectLezer,
    parameters: Annotated[WerklijstParameters, Query()],
) -> Werklijst:
    q = parameters
    context.controleer_wijkfilter(q.wijk)
    return await context.draden.run(
        werklijst.werklijst, session, gebruiker, q.status, q.wijk, q.pagina, q.pagina_grootte
    )


@router.get(
    "/{code}",
    summary="Eén traject",
    description="Het traject met al zijn gesprekken en de overdracht.",
)
async def lees_traject(
    code: Code, session: SessionDep, context: ContextDep, gebruiker: TrajectLezer, _geen: GeenQuery
) -> TrajectUit:
    return await context.draden.run(stand.lees_traject, session, context, gebruiker, code)


@router.post(
    "/{code}/gesprekken",
    status_code=status.HTTP_201_CREATED,
    summary="Vervolggesprek registreren",
    description="Een volgend gesprek in het traject (hoogstens 5 in totaal). Een zesde gesprek "
    "of een gesprek in een afgesloten traject wordt geweigerd met 409 en uitleg.",
    responses={409: {"description": "Limiet van 5 gesprekken bereikt of traject afgesloten."}},
)
async def maak_gesprek(
    code: Code,
    invoer: GesprekInvoer,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Preventiewerker,
    response: Response,
    _geen: GeenQuery,
) -> TrajectUit:
    traject = await context.draden.run(
        gesprekken.registreer_gesprek, session, context, gebruiker, code, invoer
    )
    return _locatie(response, traject)


@router.put(
    "/{code}/overdracht",
    summary="Warme overdracht vastleggen",
    description="Legt de warme overdracht vast of werkt haar bij (bijvoorbeeld status "
    "geaccepteerd). Vastleggen sluit het traject af als overgedragen.",
    responses={409: {"description": "Het traject is al afgerond zonder overdracht."}},
)
async def zet_overdracht(
    code: Code,
    invoer: OverdrachtInvoer,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Preventiewerker,
    _geen: GeenQuery,
) -> TrajectUit:
    return await context.draden.run(
        overdracht.leg_overdracht_vast, session, context, gebruiker, code, invoer
    )


@router.post(
    "/{code}/afsluiting",
    summary="Traject afsluiten zonder overdracht",
    description="De vraag is opgelost: het traject wordt afgerond. Nog eens afsluiten is "
    "onschadelijk. De body is een leeg object.",
    responses={409: {"description": "Het traject is al overgedragen."}},
)
async def maak_afsluiting(
    code: Code,
    _invoer: AfsluitingInvoer,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Preventiewerker,
    _geen: GeenQuery,
) -> TrajectUit:
    return await context.draden.run(overdracht.sluit_af, session, context, gebruiker, code)


Volgnummer = Annotated[
    int, Path(ge=1, le=5, description="Volgnummer van het gesprek (1 tot 5)."), ALLEEN_CIJFERS
]


@router.patch(
    "/{code}",
    summary="Traject corrigeren",
    description="Corrigeert leeftijdsgroep of instroomroute, door de preventiewerker die het "
    "traject begon en binnen de correctietermijn. Elke wijziging komt in het auditlog.",
    responses={409: {"description": "De correctietermijn is verstreken."}},
)
async def wijzig_traject(
    code: Code,
    invoer: TrajectCorrectie,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Preventiewerker,
    _geen: GeenQuery,
) -> TrajectUit:
    return await context.draden.run(
        correcties.corrigeer_traject, session, context, gebruiker, code, invoer
    )


@router.delete(
    "/{code}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Traject intrekken",
    description="Trekt een per vergissing geregistreerd traject met al zijn gesprekken in, "
    "binnen de correctietermijn. Het auditlog houdt vast wat er is ingetrokken.",
    responses={409: {"description": "Termijn verstreken of gesprekken van een collega."}},
)
def verwijder_traject(
    code: Code,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Preventiewerker,
    _geen: GeenQuery,
) -> None:
    correcties.trek_traject_in(session, context, gebruiker, code)


@router.patch(
    "/{code}/gesprekken/{volgnummer}",
    summary="Gesprek corrigeren",
    description="Corrigeert datum, locatie, vraagtypen of afhandeling van een gesprek, door wie "
    "het registreerde en binnen de correctietermijn. Elke wijziging komt in het auditlog.",
    responses={409: {"description": "De correctietermijn is verstreken."}},
)
async def wijzig_gesprek(
    code: Code,
    volgnummer: Volgnummer,
    invoer: GesprekCorrectie,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Preventiewerker,
    _geen: GeenQuery,
) -> TrajectUit:
    return await context.draden.run(
        correcties.corrigeer_gesprek, session, context, gebruiker, code, volgnummer, invoer
    )


@router.delete(
    "/{code}/gesprekken/{volgnummer}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Gesprek intrekken",
    description="Trekt het laatste gesprek in (per vergissing geregistreerd). Was daarin een "
    "warme overdracht vastgelegd, dan gaat die mee en staat het traject weer open.",
    responses={409: {"description": "Niet het laatste gesprek, gesprek 1, of termijn verstreken."}},
)
def verwijder_gesprek(
    code: Code,
    volgnummer: Volgnummer,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Preventiewerker,
    _geen: GeenQuery,
) -> None:
    correcties.trek_gesprek_in(session, context, gebruiker, code, volgnummer)
