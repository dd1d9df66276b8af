from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from pydantic import ValidationError

from app.deps import ContextDep, GeenQuery, SessionDep
from app.indicatoren.inlezen import Rij, controleer, lees_csv
from app.indicatoren.schemas import (
    IndicatorUit,
    IndicatorwaardenInvoer,
    IndicatorwaardenUit,
    invoer_schema,
)
from app.indicatoren.waarden import als_csv, lees_jaar, vervang_jaar
from app.kern.api_model import Jaar
from app.kern.csv_uitvoer import CSV, csv_antwoord, vraagt_csv
from app.kern.problems import OngeldigeInvoer, invalid_params_from
from app.toegang.deps import TE_VEEL_VRAGEN, Analist, Gebruiker, Ingelogd, vereist_rol

router = APIRouter(tags=["Effect"])

Kwartiermaker = Annotated[Gebruiker, vereist_rol("kwartiermaker")]
GEEN_ONDERDRUKKING = (
    " Dit zijn cijfers die andere instanties (GGD, CBS, Waar staat je gemeente) al openbaar "
    "maken: ook de rol rapportage ziet ze zonder onderdrukking van kleine aantallen."
)
CSV_VOORBEELD = (
    "wijk;indicator;waarde\r\n01;inwoners;7215\r\n01;eenzaamheid_ernstig;12,5\r\n"
    "gemeente;eenzaamheid_ernstig;11,2\r\n"
)


@router.get(
    "/indicatoren",
    summary="Indicatoren",
    description="De definities van de effectindicatoren: cijfers van buiten (GGD "
    "Gezondheidsmonitor, CBS, Waar staat je gemeente) die per wijk en jaar worden gevolgd, met "
    "hun eenheid, bron, of een hogere waarde beter is en of het een modelschatting is. Ze komen "
    "uit de configuratie van de gemeente.",
)
def lees_indicatoren(
    context: ContextDep, _gebruiker: Ingelogd, _geen: GeenQuery
) -> list[IndicatorUit]:
    return [
        IndicatorUit(
            code=i.code,
            omschrijving=i.omschrijving,
            eenheid=i.eenheid,  # type: ignore[arg-type]
            bron=i.bron,
            hoger_is_beter=i.hoger_is_beter,
            modelschatting=i.modelschatting,
        )
        for i in context.indicatoren.lijst
    ]


async def _body(request: Request) -> tuple[bool, bytes]:
    """The raw body and whether it is CSV; the request gate admits only JSON or CSV here."""
    soort = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return soort == CSV, await request.body()


@router.put(
    "/indicatoren/{jaar}",
    summary="Indicatorwaarden van een jaar laden",
    description="Vervangt alle waarden van het jaar door de gestuurde: wat niet in het bestand "
    "staat, is daarna voor dat jaar niet meer bekend. Als CSV (`Content-Type: text/csv`): een "
    "kopregel `wijk;indicator;waarde` en een regel per waarde, gescheiden door een puntkomma "
    "met decimale komma (`12,5`), zoals Excel in het Nederlands opslaat; komma's met een "
    "decimale punt mogen ook, net als een UTF-8-BOM. Of als JSON: "
    '`{"waarden": [{"wijk", "indicator", "waarde"}]}`. De wijk is een code uit /wijken of '
    "`gemeente` voor een cijfer van de hele gemeente. Het geheel wordt gecontroleerd: bij één "
    "foute regel wordt niets opgeslagen en noemt `invalidParams` elke foute regel (`regel 3` in "
    "CSV, `waarden[2].waarde` in JSON). Een onbekend cijfer laat u weg.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": invoer_schema()},
                CSV: {"schema": {"type": "string", "format": "binary"}, "example": CSV_VOORBEELD},
            },
        }
    },
    responses={415: {"description": "De body is geen JSON of CSV."}},
)
def zet_indicatoren(
    jaar: Jaar,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Kwartiermaker,
    body: Annotated[tuple[bool, bytes], Depends(_body)],
    _geen: GeenQuery,
) -> IndicatorwaardenUit:
    is_csv, inhoud = body
    if is_csv:
        rijen = lees_csv(inhoud)
    else:
        try:
            invoer = IndicatorwaardenInvoer.model_validate_json(inhoud)
        except ValidationError as fout:
            raise OngeldigeInvoer(invalid_params_from(fout.errors())) from None
        rijen = [
            Rij(f"waarden[{n}]", w.wijk, w.indicator, w.waarde, per_veld=True)
            for n, w in enumerate(invoer.waarden)
        ]
    vervang_jaar(session, jaar, controleer(context, rijen), gebruiker.id)
    return lees_jaar(session, context, jaar)


@router.get(
    "/indicatoren/{jaar}",
    summary="Indicatorwaarden van een jaar",
    description="Alle bekende waarden van het jaar per werkgebied (en voor de hele gemeente "
    "waar de bron die geeft), met de definitie van elke indicator erbij. Met "
    "`Accept: text/csv` volgt CSV volgens RFC 4180 (UTF-8, komma als scheidingsteken, decimale "
    "punt) met een kopregel." + GEEN_ONDERDRUKKING,
    responses={
        200: {
            "content": {
                CSV: {
                    "schema": {"type": "string"},
                    "example": "jaar,wijk,wijkNaam,indicator,waarde,eenheid,modelschatting,"
                    "hogerIsBeter,omschrijving,bron\r\n2025,01,Centrum,eenzaamheid_ernstig,12.5,"
                    'procent,true,false,Volwassenen ...,"GGD ..."\r\n',
                }
            }
        },
        **TE_VEEL_VRAGEN,
    },
)
def lees_indicatorwaarden(
    jaar: Jaar,
    session: SessionDep,
    context: ContextDep,
    _gebruiker: Analist,
    _geen: GeenQuery,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> IndicatorwaardenUit:
    uit = lees_jaar(session, context, jaar)
    if vraagt_csv(accept):
        return csv_antwoord(als_csv(uit), f"indicatoren-{jaar}.csv")  # type: ignore[return-value]
    return uit
