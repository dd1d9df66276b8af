from typing import Annotated, Any

from pydantic import Field, StringConstraints

from app.codelijsten.lijsten import CODE
from app.kern.api_model import ApiModel, Invoer
from app.trajecten.schemas import Wijkcode

# A count, or null where it is protected for the rapportage role (as in the jaaranalyse).
Aantal = int | None
# Far above any gemeente's yearly count, low enough that a typo with extra digits is caught.
MAX_AANTAL = 1_000_000
# Every wijk times every voorziening fits many times over; the body limit (64 KB) comes first.
MAX_REGELS = 5_000


class AantalInvoer(Invoer):
    wijk: Wijkcode = Field(description="Code van de wijk, uit /wijken.")
    voorziening: Annotated[str, StringConstraints(pattern=CODE.pattern)] = Field(
        description="Code uit codelijst voorzieningen (/codelijsten)."
    )
    # strict: 2.0 or "2" is not a count the gemeente's report would give.
    aantal: int = Field(
        ge=0, le=MAX_AANTAL, strict=True, description="Aantal beschikkingen in het jaar."
    )


class BeschikkingenInvoer(Invoer):
    aantallen: list[AantalInvoer] = Field(
        min_length=1,
        max_length=MAX_REGELS,
        description="Elke combinatie van wijk en voorziening hoogstens één keer; een combinatie "
        "die ontbreekt telt als 0.",
    )


def invoer_schema() -> dict[str, Any]:
    """The JSON body's schema with the row inlined, for a request body FastAPI does not parse."""
    schema = BeschikkingenInvoer.model_json_schema(ref_template="{model}")
    definities = schema.pop("$defs")
    items = schema["properties"]["aantallen"]["items"]
    schema["properties"]["aantallen"]["items"] = definities[items["$ref"]]
    return schema


class Beschikkingsaantal(ApiModel):
    wijk: str
    voorziening: str
    aantal: Aantal = Field(description="Leeg als het aantal is onderdrukt.")
    onderdrukt: bool = Field(description="Of het aantal is weggelaten om inwoners te beschermen.")


class Beschikkingen(ApiModel):
    jaar: int
    aantallen: list[Beschikkingsaantal] = Field(
        description="Elke wijk met elke voorziening, ook met 0, in de volgorde van de configuratie."
    )


class Beschikkingsjaar(ApiModel):
    jaar: int
    ingelezen: bool = Field(description="Of er voor dit jaar beschikkingen zijn ingelezen.")
    voorzieningen: dict[str, Aantal] = Field(
        description="Beschikkingen per voorziening, elke code van codelijst voorzieningen; leeg "
        "als het jaar niet is ingelezen of het aantal is onderdrukt."
    )
    totaal: Aantal = Field(description="Alle beschikkingen samen.")
    totaal_per_1000_inwoners: float | None = Field(
        description="Beschikkingen per 1.000 inwoners, op één decimaal, met de indicator "
        "inwoners van dit jaar (of anders het laatste van de twee jaren ervoor); leeg als "
        "die niet bekend is."
    )
    overdrachten_gespecialiseerd: Aantal = Field(
        description="Overdrachten uit de registraties naar een doel met niveau gespecialiseerd, "
        "van trajecten met hun eerste gesprek in dit jaar. Voor de rol rapportage beschermd als "
        "elk aantal, met dezelfde waarde als in de jaaranalyse van dat jaar; leeg voor een jaar "
        "dat nog niet is vastgesteld."
    )


class GespecialiseerdeInzet(Beschikkingsjaar):
    vorig_jaar: Beschikkingsjaar
    basisjaar: Beschikkingsjaar = Field(
        description="Het jaar waartegen de trend wordt gemeten (instelling "
        "BESCHIKKINGEN_BASISJAAR)."
    )
    trend: dict[str, float | None] = Field(
        description="Per voorziening het aantal van dit jaar als index van het basisjaar "
        "(basisjaar = 100), op één decimaal; leeg als het basisjaar 0 of onbekend is."
    )
    trend_totaal: float | None = Field(description="De trend van alle beschikkingen samen.")
