from typing import Annotated

from fastapi import APIRouter, Header, Path, Query
from pydantic import Field

from app.deps import ContextDep, GeenQuery, SessionDep
from app.inzet.cijfers import als_csv, inzet_jaar, inzet_vastgelegd
from app.inzet.schemas import InzetInvoer, InzetJaar, InzetVastgelegd
from app.inzet.vastleggen import vervang_inzet
from app.kern.api_model import Jaar, QueryParameters
from app.kern.csv_uitvoer import CSV, csv_antwoord, vraagt_csv
from app.toegang.deps import TE_VEEL_VRAGEN, Analist, Gebruiker, vereist_rol
from app.trajecten.schemas import Wijk, Wijkcode

router = APIRouter(prefix="/inzet", tags=["Inzet"])

Kwartiermaker = Annotated[Gebruiker, vereist_rol("kwartiermaker")]
GEEN_ONDERDRUKKING = (
    " Uren en bedragen gaan over medewerkers en budgetten, niet over inwoners: ook de rol "
    "rapportage ziet ze exact."
)


@router.put(
    "/{jaar}/{wijk}",
    summary="Inzet van een wijk vastleggen",
    description="Legt voor één wijk en één jaar de uren per week per uursoort en de euro per "
    "budgetpost vast. Vervangt in zijn geheel wat er voor die wijk en dat jaar stond; een "
    "uursoort of post die ontbreekt, telt als 0. Elke wijziging komt in het auditlog. Het "
    "antwoord is de opgeslagen inzet met de norm ernaast. Alleen voor de kwartiermaker.",
)
def zet_inzet(
    jaar: Jaar,
    wijk: Annotated[Wijk, Path(description="De wijkcode uit /wijken.")],
    invoer: InzetInvoer,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Kwartiermaker,
    _geen: GeenQuery,
) -> InzetVastgelegd:
    vervang_inzet(session, jaar, wijk, invoer, gebruiker.id)
    return inzet_vastgelegd(session, context, jaar, wijk)


class InzetParameters(QueryParameters):
    wijk: Annotated[Wijkcode | None, Field(description="Alleen deze wijk tonen.")] = None


@router.get(
    "/{jaar}",
    summary="Inzet per wijk",
    description="Per wijk de uren per week per uursoort en in totaal, met de norm ernaast "
    "(twee preventiewerkers van 16 uur, instelling INZET_NORM_UREN_PER_WEEK) en het verschil, "
    "en de euro per budgetpost en in totaal; `totaal` is de hele gemeente. Elke wijk en elke "
    "code staat erin, ook zonder vastgelegde inzet. Met `Accept: text/csv` volgt CSV (UTF-8): "
    "één regel per wijk en uursoort of budgetpost." + GEEN_ONDERDRUKKING,
    responses={
        200: {
            "content": {
                CSV: {
                    "schema": {"type": "string"},
                    "example": "jaar,wijk,wijknaam,onderdeel,code,omschrijving,waarde,eenheid\r\n"
                    "2025,09,Schaijk,uren,preventiewerker_jeugd,Preventiewerker jeugd,16.00,"
                    "uur per week\r\n",
                }
            }
        },
        **TE_VEEL_VRAGEN,
    },
)
def lees_inzet(
    jaar: Jaar,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Analist,
    parameters: Annotated[InzetParameters, Query()],
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> InzetJaar:
    wijk = parameters.wijk
    context.controleer_wijkfilter(wijk)
    inzet = inzet_jaar(session, context, jaar, wijk)
    if vraagt_csv(accept):
        return csv_antwoord(als_csv(context, inzet), f"inzet-{jaar}.csv")  # type: ignore[return-value]
    return inzet
