from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from app.codelijsten.lijsten import CODE
from app.indicatoren.definities import Eenheid
from app.kern.api_model import ApiModel, Invoer
from app.trajecten.schemas import Wijkcode

HOGER_IS_BETER = (
    "true: een hogere waarde is beter; false: een lagere waarde is beter; null: neutraal "
    "(zoals het aantal inwoners)."
)
MODELSCHATTING = (
    "true: de cijfers per wijk zijn schattingen uit een model (zoals de GGD-cijfers per wijk "
    "van het RIVM), geen metingen in die wijk; lees kleine verschillen niet als verandering."
)
WIJK = (
    "Code van het werkgebied uit /wijken, of `gemeente` voor een cijfer dat de bron voor de "
    "hele gemeente publiceert."
)


class IndicatorUit(ApiModel):
    code: str = Field(description="Stabiele code van de indicator.")
    omschrijving: str = Field(description="Wat de indicator meet, in het Nederlands.")
    eenheid: Eenheid = Field(
        description="procent (0-100), aantal (geheel getal), per 1.000 inwoners of jongeren "
        "(0-1.000), rapportcijfer (1-10)."
    )
    bron: str = Field(description="De bron en tabel waar het cijfer vandaan komt.")
    hoger_is_beter: bool | None = Field(description=HOGER_IS_BETER)
    modelschatting: bool = Field(description=MODELSCHATTING)


class WaardeInvoer(Invoer):
    wijk: Annotated[Wijkcode, Field(description=WIJK)]
    indicator: Annotated[
        str,
        StringConstraints(pattern=CODE.pattern),
        Field(description="Code van de indicator uit /indicatoren."),
    ]
    waarde: float = Field(
        ge=0,
        le=100_000_000,
        strict=True,
        allow_inf_nan=False,
        description="De waarde in de eenheid van de indicator: een percentage tussen 0 en 100, "
        "een aantal als geheel getal, een rapportcijfer tussen 1 en 10.",
    )


class IndicatorwaardenInvoer(Invoer):
    waarden: list[WaardeInvoer] = Field(
        min_length=1,
        max_length=5000,
        description="Alle waarden van het jaar; elke combinatie van wijk en indicator één keer.",
    )


def invoer_schema() -> dict[str, Any]:
    """The JSON body's schema with its row inlined, for a requestBody written by hand."""
    schema = IndicatorwaardenInvoer.model_json_schema(by_alias=True)
    rij = schema.pop("$defs")["WaardeInvoer"]
    schema["properties"]["waarden"]["items"] = rij
    return schema


class WaardeUit(ApiModel):
    wijk: str = Field(description=WIJK)
    wijk_naam: str = Field(description="Naam van het werkgebied, of van de gemeente.")
    indicator: str = Field(description="Code van de indicator.")
    waarde: float
    eenheid: Eenheid
    omschrijving: str
    bron: str
    hoger_is_beter: bool | None = Field(description=HOGER_IS_BETER)
    modelschatting: bool = Field(description=MODELSCHATTING)


class IndicatorwaardenUit(ApiModel):
    jaar: int
    waarden: list[WaardeUit] = Field(
        description="Per werkgebied (in de volgorde van /wijken, de gemeente als laatste) de "
        "waarden in de volgorde van /indicatoren; een onbekend cijfer ontbreekt."
    )


Richting = Literal["beter", "slechter", "gelijk", "hoger", "lager"]


class IndicatorCijfer(ApiModel):
    waarde: float | None = Field(description="Dit jaar; leeg als het cijfer niet bekend is.")
    vorig_jaar: float | None = Field(description="Het jaar ervoor; leeg als niet bekend.")
    verschil: float | None = Field(description="Dit jaar min vorig jaar, op drie decimalen.")
    richting: Richting | None = Field(
        description="beter of slechter volgens hogerIsBeter; hoger of lager bij een neutrale "
        "indicator; gelijk; leeg als een van beide jaren ontbreekt. Geen toets op "
        "significantie: bij een modelschatting zegt een klein verschil weinig."
    )
    modelschatting: bool = Field(description=MODELSCHATTING)
    berekend: bool = Field(
        description="Alleen bij de hele gemeente: true als de bron het cijfer van dit of "
        "vorig jaar niet voor de gemeente gaf en het uit alle wijken is berekend (een som van "
        "aantallen, of per 1.000 inwoners gewogen naar inwoners)."
    )


class Effect(ApiModel):
    """Effect: published outside figures, per indicator this year and the year before."""

    indicatoren: dict[str, IndicatorCijfer] = Field(
        description="Elke indicator van /indicatoren, ook zonder cijfers."
    )
