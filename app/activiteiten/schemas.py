import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from app.activiteiten.models import MAX_BIJEENKOMSTEN, MAX_DEELNEMERS, MAX_VRIJWILLIGERS
from app.codelijsten.schemas import uit_codelijst
from app.kern.api_model import ApiModel, Datum, Invoer, Tijdstip
from app.kern.idempotentie import ClientId
from app.trajecten.schemas import Wijk, registratiedatum

Initiatief = Literal["bewoners", "professionals", "samen"]
Activiteitsoort = Annotated[str, *uit_codelijst("activiteitsoorten")]


def _aantal(waarde: object) -> object:
    # JSON Schema's integer includes 12.0, so that passes (as 12); true and "12" are no count.
    # After the Field in an Annotated: before it, the limits would leave the JSON schema.
    if isinstance(waarde, bool | str):
        raise PydanticCustomError("int_type", "Moet een geheel getal zijn.")
    return waarde


Activiteitdatum = Annotated[
    Datum,
    AfterValidator(
        registratiedatum(
            "De datum ligt in de toekomst; registreer een activiteit die al begonnen is."
        )
    ),
    Field(
        description="Datum van de (eerste) bijeenkomst: niet in de toekomst en niet vóór de "
        "startdatum van de registratie. De activiteit telt mee in het jaar van deze datum."
    ),
]
Bijeenkomsten = Annotated[
    int,
    Field(ge=1, le=MAX_BIJEENKOMSTEN, description="Aantal bijeenkomsten (1 of meer)."),
    BeforeValidator(_aantal),
]
Deelnemers = Annotated[
    int,
    Field(
        ge=0,
        le=MAX_DEELNEMERS,
        description="Aantal deelnemers: verschillende inwoners die meededen, bij benadering.",
    ),
    BeforeValidator(_aantal),
]
Vrijwilligers = Annotated[
    int,
    Field(
        ge=0,
        le=MAX_VRIJWILLIGERS,
        description="Aantal vrijwilligers dat de activiteit mee uitvoerde.",
    ),
    BeforeValidator(_aantal),
]
InitiatiefVeld = Annotated[
    Initiatief, Field(description="Wie nam het initiatief: bewoners, professionals of samen.")
]


class ActiviteitInvoer(Invoer):
    """Een collectieve activiteit in een wijk: alleen aantallen, geen namen of vrije tekst."""

    id: ClientId = None
    wijk: Wijk = Field(
        description="Code van de wijk; voor een preventiewerker een van de eigen wijken."
    )
    datum: Activiteitdatum
    soort: Activiteitsoort
    bijeenkomsten: Bijeenkomsten
    deelnemers: Deelnemers
    vrijwilligers: Vrijwilligers
    initiatief: InitiatiefVeld


class ActiviteitCorrectie(Invoer):
    """Correctie van een activiteit; alleen de meegestuurde velden veranderen (null laat een
    veld zoals het is)."""

    wijk: Wijk | None = None
    datum: Activiteitdatum | None = Field(
        default=None,
        # The ADR linter wants a date field's format visible next to the anyOf with null.
        json_schema_extra={"format": "date"},
    )
    soort: Activiteitsoort | None = None
    bijeenkomsten: Bijeenkomsten | None = None
    deelnemers: Deelnemers | None = None
    vrijwilligers: Vrijwilligers | None = None
    initiatief: InitiatiefVeld | None = None


class ActiviteitUit(ApiModel):
    id: uuid.UUID
    wijk: str
    datum: Datum
    soort: str = Field(description="Code uit codelijst activiteitsoorten.")
    bijeenkomsten: int
    deelnemers: int
    vrijwilligers: int
    initiatief: Initiatief
    aangemaakt_op: Tijdstip


class Activiteitenlijst(ApiModel):
    items: list[ActiviteitUit]
    totaal: int = Field(description="Aantal activiteiten dat aan de filters voldoet.")
    pagina: int
    pagina_grootte: int


class ActiviteitenCijfers(ApiModel):
    """Collectieve activiteiten van één jaar (naar de datum van de activiteit)."""

    aantal_activiteiten: int
    bijeenkomsten: int = Field(description="Bijeenkomsten van die activiteiten samen.")
    deelnemers: int = Field(description="Deelnemers van die activiteiten samen.")
    vrijwilligers: int = Field(description="Vrijwilligers van die activiteiten samen.")
    per_soort: dict[str, int] = Field(
        description="Activiteiten per code uit activiteitsoorten, elke code (ook 0)."
    )
    per_initiatief: dict[str, int] = Field(
        description="Activiteiten per initiatief: bewoners, professionals, samen (ook 0)."
    )


class ActiviteitenSectie(ActiviteitenCijfers):
    vorig_jaar: ActiviteitenCijfers = Field(description="Dezelfde cijfers voor het jaar ervoor.")
