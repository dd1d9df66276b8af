from typing import Annotated

from fastapi import APIRouter, Header, Query
from pydantic import Field

from app.analyse.jaaranalyse import maak_jaaranalyse
from app.analyse.schemas import DIMENSIES, Jaaranalyse, Meting, Tellingen
from app.analyse.tellingen import als_csv, lees_dimensies, maak_tellingen
from app.analyse.xlsx import XLSX, jaaranalyse_xlsx, tellingen_xlsx, vraagt_xlsx, xlsx_antwoord
from app.deps import ContextDep, SessionDep
from app.kern.api_model import Datum, Jaar, QueryParameters
from app.kern.csv_uitvoer import CSV, csv_antwoord, vraagt_csv
from app.kern.problems import InvalidParam, OngeldigeInvoer
from app.publicatie.jaaranalyse import beschermde_jaaranalyse
from app.publicatie.tellingen import beschermde_tellingen
from app.toegang.deps import TE_VEEL_VRAGEN, Analist
from app.trajecten.schemas import Wijkcode

router = APIRouter(tags=["Analyse"])

ONDERDRUKKING = (
    " Voor de rol rapportage (docs/rapportage.md): alleen hele kalendermaanden, kwartalen of "
    "jaren, vanaf PUBLICATIE_WACHTTIJD_DAGEN (standaard 14) na afloop; elk aantal onder MIN_CEL "
    "(standaard 5), ook 0, is null met onderdrukt, elk ander aantal heeft een vaste kleine "
    "afwijking (gemiddeld 1,3, hoogstens 10) die in elke tabel en route dezelfde is en vastligt "
    "zodra het getoond is. De kwartiermaker ziet exacte aantallen."
)


XLSX_SCHEMA = {"schema": {"type": "string", "format": "binary"}}

# The set is fixed, so the document says it: an array of known names without repeats, sent
# as one comma list (OpenAPI's form style without explode), which is how the route reads it.
DIMENSIES_PARAMETER = {
    "name": "dimensies",
    "in": "query",
    "required": False,
    "style": "form",
    "explode": False,
    "description": f"Kommalijst van dimensies, elk hoogstens één keer, uit: {', '.join(DIMENSIES)}."
    " Leeg geeft één rij met het totaal.",
    "schema": {
        "type": "array",
        "items": {"type": "string", "enum": list(DIMENSIES)},
        "uniqueItems": True,
        "maxItems": len(DIMENSIES),
        "default": [],
    },
}


class JaaranalyseParameters(QueryParameters):
    wijk: Annotated[Wijkcode | None, Field(description="Alleen deze wijk tonen.")] = None


@router.get(
    "/jaaranalyses/{jaar}",
    summary="Jaaranalyse",
    description="De cijfers van één jaar per wijk en voor alle wijken samen, met het vorige "
    "jaar ernaast en het aandeel opgelost in de sociale basis. Een traject telt in het jaar en "
    "de maand van zijn eerste gesprek, een gesprek in die van zijn datum. Elke wijk en elke code "
    "staat erin, ook met 0. Met `wijk` alleen die wijk; `totaal` blijft de hele gemeente."
    + " Met `Accept: "
    + XLSX
    + "` volgt een Excel-werkmap met één blad per deel."
    + ONDERDRUKKING,
    responses={200: {"content": {XLSX: XLSX_SCHEMA}}, **TE_VEEL_VRAGEN},
)
def lees_jaaranalyse(
    jaar: Jaar,
    session: SessionDep,
    context: ContextDep,
    gebruiker: Analist,
    parameters: Annotated[JaaranalyseParameters, Query()],
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Jaaranalyse:
    wijk = parameters.wijk
    context.controleer_wijkfilter(wijk)
    if gebruiker.rol == "rapportage":
        analyse = beschermde_jaaranalyse(session, context, jaar, wijk)
    else:
        analyse = maak_jaaranalyse(session, context, jaar, wijk)
    if vraagt_xlsx(accept):
        bestand = f"jaaranalyse-{jaar}{'-' + wijk if wijk else ''}.xlsx"
        return xlsx_antwoord(jaaranalyse_xlsx(analyse), bestand)  # type: ignore[return-value]
    return analyse


class TellingenParameters(QueryParameters):
    van: Annotated[Datum, Field(description="Eerste dag van de periode (JJJJ-MM-DD).")]
    tot: Annotated[Datum, Field(description="Laatste dag van de periode, inbegrepen.")]
    # Documented by DIMENSIES_PARAMETER, which replaces what FastAPI would say of this field.
    dimensies: Annotated[str, Field(max_length=200)] = ""
    meting: Annotated[Meting, Field(description="Wat er geteld wordt.")] = "gesprekken"
    labels: Annotated[
        bool,
        Field(description="Ook de Nederlandse omschrijving per dimensie, als extra kolom."),
    ] = False


@router.get(
    "/tellingen",
    summary="Tellingen als kruistabel",
    description="Aantallen gesprekken of trajecten per combinatie van dimensies in een periode, "
    "als nette tabel: één rij per combinatie die voorkomt (voor de rol rapportage: elke "
    "combinatie, hoogstens drie dimensies). Bij `meting=gesprekken` telt elk "
    "gesprek met een datum in de periode (een gesprek met twee vraagtypen bij elk); bij "
    "`meting=trajecten` elk traject met zijn eerste gesprek in de periode (bij vraagtype, "
    "locatie en afhandeling één keer per waarde die in zijn gesprekken voorkomt). Dimensie "
    "overdrachtdoel is leeg voor trajecten zonder overdracht. Met `Accept: text/csv` volgt CSV "
    "(UTF-8) met een kopregel van de dimensies, `aantal` en `onderdrukt`; met `Accept: "
    f"{XLSX}` een Excel-werkmap met per dimensie de code en de omschrijving." + ONDERDRUKKING,
    openapi_extra={"parameters": [DIMENSIES_PARAMETER]},
    responses={
        200: {
            "content": {
                CSV: {
                    "schema": {"type": "string"},
                    "example": "wijk,vraagtype,aantal,onderdrukt\r\n01,eenzaamheid,12,false\r\n"
                    "01,schulden,,true\r\n",
                },
                XLSX: XLSX_SCHEMA,
            }
        },
        **TE_VEEL_VRAGEN,
    },
)
def lees_tellingen(
    session: SessionDep,
    context: ContextDep,
    gebruiker: Analist,
    parameters: Annotated[TellingenParameters, Query()],
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Tellingen:
    van, tot, meting = parameters.van, parameters.tot, parameters.meting
    gekozen = lees_dimensies(parameters.dimensies)
    xlsx = vraagt_xlsx(accept) and not vraagt_csv(accept)
    labels = parameters.labels or xlsx
    if van > tot:
        raise OngeldigeInvoer(
            [InvalidParam(name="tot", reason="De einddatum ligt vóór de begindatum (van).")]
        )
    if gebruiker.rol == "rapportage":
        tellingen = beschermde_tellingen(session, context, van, tot, gekozen, meting, labels)
    else:
        tellingen = maak_tellingen(session, context, van, tot, gekozen, meting, labels)
    if vraagt_csv(accept):
        return csv_antwoord(als_csv(tellingen, labels), "tellingen.csv")  # type: ignore[return-value]
    if xlsx:
        bestand = f"tellingen-{tellingen.van.isoformat()}-{tellingen.tot.isoformat()}.xlsx"
        return xlsx_antwoord(tellingen_xlsx(tellingen), bestand)  # type: ignore[return-value]
    return tellingen
