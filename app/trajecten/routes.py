from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel
from sqlmodel import Session

from app.deps import AppContext, ContextDep
from app.kern.api_model import ALLEEN_CIJFERS, Pagina
from app.kern.db import new_session
from app.toegang.deps import Aanmelding, Gebruiker, Preventiewerker, TrajectLezer
from app.trajecten import correcties, regels
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

router = APIRouter(prefix="/trajecten", tags=["Trajecten"])

Code = Annotated[
    str,
    Path(
        max_length=20,
        description="De trajectcode (6 tekens; hoofd- of kleine letters en streepjes mogen).",
    ),
]


M = TypeVar("M", bound=BaseModel)


def _locatie(traject: TrajectUit) -> dict[str, str]:
    return {"Location": f"/api/v1/trajecten/{traject.code}"}


async def _werk(
    context: AppContext,
    aanmelding: Aanmelding,
    werk: Callable[[Session, Gebruiker], M | None],
    *,
    status_code: int = 200,
    headers: Callable[[M], dict[str, str]] | None = None,
    alleen_lezen: bool = False,
) -> Response:
    """Sign-in check, the rule and the JSON answer, in one worker thread and one transaction.

    Each trip through the thread pool, and each transaction, costs a registration time under
    load; the answer is a model built from what was just read or written, so it is serialised
    here rather than validated again by FastAPI (the route's response_model documents it).
    """

    def in_thread() -> Response:
        if alleen_lezen or context.engine.dialect.name != "sqlite":
            with new_session(context.engine, alleen_lezen=alleen_lezen) as session:
                uitkomst = werk(session, aanmelding.controleer(session))
        else:
            # SQLite has one writer at a time: look up the token before taking the write lock,
            # so that the lock is held for the rule's own work only.
            with new_session(context.engine, alleen_lezen=True) as session:
                gebruiker = aanmelding.controleer(session)
            with new_session(context.engine) as session:
                uitkomst = werk(session, gebruiker)
        if uitkomst is None:
            return Response(status_code=status.HTTP_204_NO_CONTENT)
        return Response(
            uitkomst.model_dump_json(by_alias=True),
            status_code=status_code,
            headers=headers(uitkomst) if headers else None,
            media_type="application/json",
        )

    return await context.database_threads.run(in_thread)


@router.post(
    "",
    response_model=TrajectUit,
    status_code=status.HTTP_201_CREATED,
    summary="Eerste gesprek registreren",
    description="Registreert het eerste gesprek met een inwoner en maakt daarmee een anoniem "
    "traject aan. Hetzelfde `id` opnieuw met dezelfde inhoud geeft het opgeslagen traject "
    "terug zonder iets dubbel te tellen; met andere inhoud volgt 409.",
    responses={409: {"description": "Het id is al gebruikt voor een andere registratie."}},
)
async def maak_traject(
    invoer: TrajectInvoer, context: ContextDep, aanmelding: Preventiewerker
) -> Response:
    return await _werk(
        context,
        aanmelding,
        lambda session, gebruiker: regels.registreer_traject(session, context, gebruiker, invoer),
        status_code=status.HTTP_201_CREATED,
        headers=_locatie,
    )


@router.get(
    "",
    response_model=Werklijst,
    summary="Werklijst van trajecten",
    description="Trajecten met de laatste activiteit eerst. Een preventiewerker ziet alleen "
    "de eigen trajecten, een kwartiermaker alle.",
)
async def lijst_trajecten(
    context: ContextDep,
    aanmelding: TrajectLezer,
    status: Annotated[Status | None, Query(description="Alleen trajecten met deze status.")] = None,
    wijk: Annotated[Wijkcode | None, Query(description="Alleen trajecten in deze wijk.")] = None,
    pagina: Pagina = 1,
    pagina_grootte: Annotated[
        int,
        Query(alias="paginaGrootte", ge=1, le=100, description="Trajecten per pagina."),
        ALLEEN_CIJFERS,
    ] = 20,
) -> Response:
    context.controleer_wijkfilter(wijk)
    return await _werk(
        context,
        aanmelding,
        lambda session, gebruiker: regels.werklijst(
            session, gebruiker, status, wijk, pagina, pagina_grootte
        ),
        alleen_lezen=True,
    )


@router.get(
    "/{code}",
    response_model=TrajectUit,
    summary="Eén traject",
    description="Het traject met al zijn gesprekken en de overdracht.",
)
async def lees_traject(code: Code, context: ContextDep, aanmelding: TrajectLezer) -> Response:
    return await _werk(
        context,
        aanmelding,
        lambda session, gebruiker: regels.lees_traject(session, context, gebruiker, code),
        alleen_lezen=True,
    )


@router.post(
    "/{code}/gesprekken",
    response_model=TrajectUit,
    status_code=status.HTTP_201_CREATED,
    summary="Vervolggesprek registreren",
    description="Een volgend gesprek in het traject (hoogstens 5 in totaal). Een zesde gesprek "
    "of een gesprek in een afgesloten traject wordt geweigerd met 409 en uitleg.",
    responses={409: {"description": "Limiet van 5 gesprekken bereikt of traject afgesloten."}},
)
async def maak_gesprek(
    code: Code, invoer: GesprekInvoer, context: ContextDep, aanmelding: Preventiewerker
) -> Response:
    return await _werk(
        context,
        aanmelding,
        lambda session, gebruiker: regels.registreer_gesprek(
            session, context, gebruiker, code, invoer
        ),
        status_code=status.HTTP_201_CREATED,
        headers=_locatie,
    )


@router.put(
    "/{code}/overdracht",
    response_model=TrajectUit,
    summary="Warme overdracht vastleggen",
    description="Legt de warme overdracht vast of werkt haar bij (bijvoorbeeld status "
    "geaccepteerd). Vastleggen sluit het traject af als overgedragen.",
    responses={409: {"description": "Het traject is al afgerond zonder overdracht."}},
)
async def zet_overdracht(
    code: Code, invoer: OverdrachtInvoer, context: ContextDep, aanmelding: Preventiewerker
) -> Response:
    return await _werk(
        context,
        aanmelding,
        lambda session, gebruiker: regels.leg_overdracht_vast(
            session, context, gebruiker, code, invoer
        ),
    )


@router.post(
    "/{code}/afsluiting",
    response_model=TrajectUit,
    summary="Traject afsluiten zonder overdracht",
    description="De vraag is opgelost: het traject wordt afgerond. Nog eens afsluiten is "
    "onschadelijk. De body is een leeg object.",
    responses={409: {"description": "Het traject is al overgedragen."}},
)
async def maak_afsluiting(
    code: Code, _invoer: AfsluitingInvoer, context: ContextDep, aanmelding: Preventiewerker
) -> Response:
    return await _werk(
        context,
        aanmelding,
        lambda session, gebruiker: regels.sluit_af(session, context, gebruiker, code),
    )


Volgnummer = Annotated[
    int, Path(ge=1, le=5, description="Volgnummer van het gesprek (1 tot 5)."), ALLEEN_CIJFERS
]


@router.patch(
    "/{code}",
    response_model=TrajectUit,
    summary="Traject corrigeren",
    description="Corrigeert leeftijdsgroep of instroomroute, door de preventiewerker die het "
    "traject begon en binnen de correctietermijn. Elke wijziging komt in het auditlog.",
    responses={409: {"description": "De correctietermijn is verstreken."}},
)
async def wijzig_traject(
    code: Code, invoer: TrajectCorrectie, context: ContextDep, aanmelding: Preventiewerker
) -> Response:
    return await _werk(
        context,
        aanmelding,
        lambda session, gebruiker: correcties.corrigeer_traject(
            session, context, gebruiker, code, invoer
        ),
    )


@router.delete(
    "/{code}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Traject intrekken",
    description="Trekt een per vergissing geregistreerd traject met al zijn gesprekken in, "
    "binnen de correctietermijn. Het auditlog houdt vast wat er is ingetrokken.",
    responses={409: {"description": "Termijn verstreken of gesprekken van een collega."}},
)
async def verwijder_traject(
    code: Code, context: ContextDep, aanmelding: Preventiewerker
) -> Response:
    return await _werk(
        context,
        aanmelding,
        lambda session, gebruiker: correcties.trek_traject_in(session, context, gebruiker, code),
    )


@router.patch(
    "/{code}/gesprekken/{volgnummer}",
    response_model=TrajectUit,
    summary="Gesprek corrigeren",
    description="Corrigeert datum, locatie, vraagtypen of afhandeling van een gesprek, door wie "
    "het registreerde en binnen de correctietermijn. Elke wijziging komt in het auditlog.",
    responses={409: {"description": "De correctietermijn is verstreken."}},
)
async def wijzig_gesprek(
    code: Code,
    volgnummer: Volgnummer,
    invoer: GesprekCorrectie,
    context: ContextDep,
    aanmelding: Preventiewerker,
) -> Response:
    return await _werk(
        context,
        aanmelding,
        lambda session, gebruiker: correcties.corrigeer_gesprek(
            session, context, gebruiker, code, volgnummer, invoer
        ),
    )


@router.delete(
    "/{code}/gesprekken/{volgnummer}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Gesprek intrekken",
    description="Trekt het laatste gesprek in (per vergissing geregistreerd). Was daarin een "
    "warme overdracht vastgelegd, dan gaat die mee en staat het traject weer open.",
    responses={409: {"description": "Niet het laatste gesprek, gesprek 1, of termijn verstreken."}},
)
async def verwijder_gesprek(
    code: Code, volgnummer: Volgnummer, context: ContextDep, aanmelding: Preventiewerker
) -> Response:
    return await _werk(
        context,
        aanmelding,
        lambda session, gebruiker: correcties.trek_gesprek_in(
            session, context, gebruiker, code, volgnummer
        ),
    )
