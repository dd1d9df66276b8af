from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request

from app.beschikkingen.regels import controleer, lees_csv, lees_json, vervang_jaar
from app.beschikkingen.schemas import Beschikkingen, invoer_schema
from app.beschikkingen.tabel import als_beschikkingen, als_csv, lees_jaartabellen
from app.deps import ContextDep, GeenQuery, SessionDep
from app.kern.api_model import Jaar
from app.kern.csv_uitvoer import CSV, csv_antwoord, vraagt_csv
from app.kern.problems import NietGevonden
from app.publicatie import raster
from app.toegang.deps import TE_VEEL_VRAGEN, Analist, Gebruiker, vereist_rol

router = APIRouter(tags=["Gespecialiseerde inzet"])

Kwartiermaker = Annotated[Gebruiker, vereist_rol("kwartiermaker")]
BESCHERMING = (
    " Voor de rol rapportage (docs/rapportage.md): alleen jaren vanaf "
    "PUBLICATIE_WACHTTIJD_DAGEN (standaard 14) na afloop, anders 400; elk aantal onder MIN_CEL "
    "(standaard 5), ook 0, is null met `onderdrukt` (in CSV een leeg veld), elk ander aantal "
    "heeft een vaste kleine afwijking (gemiddeld 1,3, hoogstens 10) die dezelfde is als in de "
    "jaaranalyse en vastligt zodra het getoond is, ook als het jaar daarna opnieuw wordt "
    "ingelezen. De kwartiermaker ziet exacte aantallen."
)
VOORBEELD_CSV = "wijk;voorziening;aantal\r\n01;wmo_begeleiding;42\r\n01;jeugdhulp_ambulant;57\r\n"


async def _body(request: Request) -> bytes:
    # The body is JSON or CSV, so FastAPI must not parse it; the route reads it itself.
    return await request.body()


def _als_antwoord(beschikkingen: Beschikkingen, accept: str | None) -> Beschikkingen:
    if vraagt_csv(accept):
        return csv_antwoord(als_csv(beschikkingen), f"beschikkingen-{beschikkingen.jaar}.csv")  # type: ignore[return-value]
    return beschikkingen


CSV_ANTWOORD: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            CSV: {
                "schema": {"type": "string"},
                "example": "wijk,voorziening,aantal\r\n01,wmo_begeleiding,42\r\n",
            }
        }
    }
}


@router.put(
    "/beschikkingen/{jaar}",
    summary="Beschikkingen van een jaar inlezen",
    description="Het aantal beschikkingen per wijk en voorziening in een jaar, uit de eigen "
    "rapportages van de gemeente, als CSV (`Content-Type: text/csv`: een kopregel "
    "`wijk;voorziening;aantal`, gescheiden door `;` zoals Excel dat schrijft of door `,`, in "
    "UTF-8, ook met BOM) of als JSON. Het bestand wordt als geheel gecontroleerd: bij één "
    "foute regel volgt 400 met elke foute regel in `invalidParams` (`regel[n]` is regel n van "
    "het bestand, de kopregel is regel 1) en wordt niets opgeslagen. Een goed bestand vervangt "
    "het hele jaar; een combinatie van wijk en voorziening die ontbreekt telt als 0. Een "
    "wijkcode zonder voorloopnul (9 voor 09, zoals Excel die maakt) wordt herkend. Het "
    "antwoord is het opgeslagen jaar, zoals GET het geeft.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": invoer_schema()},
                CSV: {
                    # The size limit is the request gate's 413, in bytes, not a string length.
                    "schema": {"type": "string"},
                    "example": VOORBEELD_CSV,
                },
            },
        }
    },
    responses={415: {"description": "De body is geen JSON of CSV."}},
)
def zet_beschikkingen(
    jaar: Jaar,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Kwartiermaker,
    body: Annotated[bytes, Depends(_body)],
    _geen: GeenQuery,
    content_type: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Beschikkingen:
    # The request gate (http_middleware) lets only CSV and JSON through to here.
    if (content_type or "").split(";", 1)[0].strip().lower() == CSV:
        regels, problemen = lees_csv(body)
    else:
        regels, problemen = lees_json(body)
    vervang_jaar(session, jaar, controleer(context, regels, problemen), gebruiker.id)
    return als_beschikkingen(context, lees_jaartabellen(session, context, [jaar], False)[jaar])


@router.get(
    "/beschikkingen/{jaar}",
    summary="Beschikkingen van een jaar",
    description="Het ingelezen aantal beschikkingen per wijk en voorziening in een jaar: elke "
    "wijk met elke voorziening, ook met 0. Met `Accept: text/csv` volgt CSV (UTF-8) met de "
    "kolommen `wijk`, `voorziening` en `aantal`, in dezelfde vorm als het inlezen. 404 als er "
    "voor dit jaar niets is ingelezen." + BESCHERMING,
    responses={**CSV_ANTWOORD, **TE_VEEL_VRAGEN},
)
def lees_beschikkingen(
    jaar: Jaar,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Analist,
    _geen: GeenQuery,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Beschikkingen:
    rapportage = gebruiker.rol == "rapportage"
    if rapportage:
        wachttijd = context.settings.publicatie_wachttijd_dagen
        raster.controleer_vastgesteld(raster.jaar(jaar), context.vandaag(), wachttijd, "jaar")
    tabel = lees_jaartabellen(session, context, [jaar], rapportage)[jaar]
    if not tabel.ingelezen:
        raise NietGevonden(
            "Voor dit jaar zijn geen beschikkingen ingelezen (PUT /api/v1/beschikkingen/{jaar})."
        )
    return _als_antwoord(als_beschikkingen(context, tabel), accept)
