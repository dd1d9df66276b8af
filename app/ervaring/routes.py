import csv
import io
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, status
from pydantic import Field

from app.deps import AppContext, ContextDep, GeenQuery, SessionDep
from app.ervaring import regels
from app.ervaring.resultaten import RESPONDENTEN, TOTAAL, VERDELING, WEET_NIET, tel
from app.ervaring.schemas import (
    AntwoordenInvoer,
    ResponsUit,
    Resultaten,
    SchaalwaardeUit,
    VraagResultaat,
    VraagUit,
    VragenlijstenUit,
    VragenlijstUit,
)
from app.ervaring.vragenlijsten import Vragenlijst
from app.kern.api_model import ALLEEN_CIJFERS, QueryParameters
from app.kern.csv_uitvoer import CSV, csv_antwoord, vraagt_csv
from app.kern.problems import NietGevonden
from app.toegang.deps import TE_VEEL_VRAGEN, Analist, Gebruiker, Ingelogd, vereist_rol
from app.trajecten.schemas import Wijkcode

router = APIRouter(prefix="/vragenlijsten", tags=["Ervaring"])

Preventiewerker = Annotated[Gebruiker, vereist_rol("preventiewerker")]
Code = Annotated[
    str, Path(max_length=40, description="Code van de vragenlijst, zoals in /vragenlijsten.")
]
BESCHERMING = (
    " Voor de rol rapportage (docs/rapportage.md): alleen jaren vanaf "
    "PUBLICATIE_WACHTTIJD_DAGEN (standaard 14) na afloop, anders 400; elk aantal onder MIN_CEL "
    "(standaard 5), ook 0, is null, elk ander aantal heeft een vaste kleine afwijking "
    "(gemiddeld 1,3, hoogstens 10) die dezelfde is als in de jaaranalyse en vastligt zodra het "
    "getoond is. Het gemiddelde is de gepubliceerde som van de scores gedeeld door het "
    "gepubliceerde aantal scores (beide met zo'n afwijking, binnen 1 tot 5), dus ook als een "
    "aantal in de verdeling null is; null als er minder dan MIN_CEL scores zijn. De "
    "kwartiermaker ziet exacte cijfers."
)


def _vragenlijst(context: AppContext, code: str) -> Vragenlijst:
    vragenlijst = context.vragenlijsten.vragenlijst(code)
    if vragenlijst is None:
        raise NietGevonden("Er is geen vragenlijst met deze code; zie /vragenlijsten.")
    return vragenlijst


@router.get(
    "",
    summary="Vragenlijsten van de monitor",
    description="De vragenlijsten voor partners, inwoners en preventiewerkers, met hun vragen "
    "(stellingen) en de antwoordschaal van 1 tot en met 5 plus 'weet niet'. Een open vraag "
    "ontbreekt bewust: vrije tekst kan personen noemen.",
)
def lees_vragenlijsten(
    context: ContextDep, _gebruiker: Ingelogd, _geen: GeenQuery
) -> VragenlijstenUit:
    lijsten = context.vragenlijsten
    return VragenlijstenUit(
        schaal=[
            SchaalwaardeUit(waarde=s.waarde, omschrijving=s.omschrijving) for s in lijsten.schaal
        ],
        weet_niet=lijsten.weet_niet,
        vragenlijsten=[
            VragenlijstUit(
                code=v.code,
                titel=v.titel,
                doelgroep=v.doelgroep,
                vragen=[VraagUit(code=q.code, tekst=q.tekst) for q in v.vragen],
            )
            for v in lijsten.lijsten
        ],
    )


@router.post(
    "/{code}/antwoorden",
    response_model=ResponsUit,
    status_code=status.HTTP_201_CREATED,
    summary="Ingevulde vragenlijst opslaan",
    description="Slaat de antwoorden van één respondent op: per vraag een score van 1 tot 5 of "
    "null voor 'weet niet', in een van de eigen wijken van de preventiewerker. Er wordt niets "
    "over de respondent bewaard. Hetzelfde `id` opnieuw met dezelfde inhoud geeft het "
    "opgeslagen antwoord terug zonder dubbel te tellen; met andere inhoud volgt 409.",
    responses={
        404: {"description": "Er is geen vragenlijst met deze code."},
        409: {"description": "Het id is al gebruikt voor een andere ingevulde vragenlijst."},
    },
)
def maak_vragenlijstantwoorden(
    code: Code,
    invoer: AntwoordenInvoer,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Preventiewerker,
    _geen: GeenQuery,
) -> ResponsUit:
    vragenlijst = _vragenlijst(context, code)
    return regels.registreer_antwoorden(session, gebruiker, vragenlijst, invoer)


def _als_csv(resultaten: Resultaten) -> str:
    uit = io.StringIO()
    schrijver = csv.writer(uit, lineterminator="\r\n")
    schrijver.writerow(
        [
            "vragenlijst", "jaar", "wijk", "respondentenVragenlijst", "vraag",
            "aantalRespondenten", "aantalWeetNiet", "gemiddelde",
            *(f"score{s}" for s in VERDELING),
        ]
    )  # fmt: skip

    def cel(waarde: object) -> object:
        return "" if waarde is None else waarde

    for vraag in resultaten.vragen:
        schrijver.writerow(
            [
                resultaten.vragenlijst, resultaten.jaar, cel(resultaten.wijk),
                cel(resultaten.aantal_respondenten), vraag.vraag,
                cel(vraag.aantal_respondenten), cel(vraag.aantal_weet_niet),
                cel(vraag.gemiddelde), *(cel(vraag.verdeling[s]) for s in VERDELING),
            ]
        )  # fmt: skip
    return uit.getvalue()


class ResultatenParameters(QueryParameters):
    jaar: Annotated[
        int, Field(ge=2000, le=2100, description="Het jaar, bijvoorbeeld 2025."), ALLEEN_CIJFERS
    ]
    wijk: Annotated[
        Wijkcode | None, Field(description="Alleen deze wijk; zonder: alle wijken samen.")
    ] = None


@router.get(
    "/{code}/resultaten",
    summary="Resultaten van een vragenlijst",
    description="Per vraag het aantal respondenten, het aantal 'weet niet', de gemiddelde score "
    "(één decimaal) en de verdeling over de scores 1 tot en met 5, in één jaar (naar de datum "
    "van invullen), voor één wijk of voor alle wijken samen. Met `Accept: text/csv` volgt CSV "
    "(UTF-8) met een kopregel en één regel per vraag." + BESCHERMING,
    responses={
        200: {
            "content": {
                CSV: {
                    "schema": {"type": "string"},
                    "example": "vragenlijst,jaar,wijk,respondentenVragenlijst,vraag,"
                    "aantalRespondenten,aantalWeetNiet,gemiddelde,score1,score2,score3,score4,"
                    "score5\r\ninwoners,2025,09,31,goed_geholpen,31,2,4.1,0,1,5,12,11\r\n",
                }
            }
        },
        404: {"description": "Er is geen vragenlijst met deze code."},
        **TE_VEEL_VRAGEN,
    },
)
def lees_vragenlijstresultaten(
    code: Code,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Analist,
    parameters: Annotated[ResultatenParameters, Query()],
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Resultaten:
    jaar, wijk = parameters.jaar, parameters.wijk
    vragenlijst = _vragenlijst(context, code)
    context.controleer_wijkfilter(wijk)
    rapportage = gebruiker.rol == "rapportage"
    telling = tel(session, context, [vragenlijst], [jaar], rapportage)[(vragenlijst.code, jaar)]
    scope = TOTAAL if wijk is None else wijk
    resultaten = Resultaten(
        vragenlijst=vragenlijst.code,
        jaar=jaar,
        wijk=wijk,
        aantal_respondenten=telling.aantal(scope, "", RESPONDENTEN),
        vragen=[
            VraagResultaat(
                vraag=vraag.code,
                tekst=vraag.tekst,
                aantal_respondenten=telling.aantal(scope, vraag.code, RESPONDENTEN),
                aantal_weet_niet=telling.aantal(scope, vraag.code, WEET_NIET),
                gemiddelde=telling.gemiddelde(scope, vraag.code),
                verdeling={s: telling.aantal(scope, vraag.code, s) for s in VERDELING},
            )
            for vraag in vragenlijst.vragen
        ],
    )
    if vraagt_csv(accept):
        return csv_antwoord(_als_csv(resultaten), f"{vragenlijst.code}-{jaar}.csv")  # type: ignore[return-value]
    return resultaten
