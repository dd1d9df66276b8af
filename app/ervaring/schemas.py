import uuid
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from app.codelijsten.lijsten import CODE
from app.ervaring.vragenlijsten import MAX_VRAGEN
from app.kern.api_model import ApiModel, Datum, Invoer
from app.kern.idempotentie import ClientId
from app.trajecten.schemas import Wijk, registratiedatum


def _geen_tekst_of_waarheid(waarde: object) -> object:
    # JSON Schema's integer includes 4.0, so that passes (as 4); true and "4" are no score.
    if isinstance(waarde, bool | str):
        raise PydanticCustomError("int_type", "Moet een geheel getal zijn.")
    return waarde


# The validator after the Field: before it, the limits would leave the JSON schema.
Score = Annotated[int, Field(ge=1, le=5), BeforeValidator(_geen_tekst_of_waarheid)]
Vraagcode = Annotated[str, StringConstraints(pattern=CODE.pattern)]


class AntwoordenInvoer(Invoer):
    """Eén ingevulde vragenlijst: per vraag een score van 1 tot 5, of null voor 'weet niet'."""

    id: ClientId = None
    wijk: Wijk
    datum: Annotated[
        Datum,
        AfterValidator(
            registratiedatum(
                "De datum ligt in de toekomst; vul de dag in waarop de vragenlijst is ingevuld."
            )
        ),
    ] = Field(
        description="Dag waarop de vragenlijst is ingevuld: niet in de toekomst en niet vóór de "
        "startdatum van de registratie."
    )
    antwoorden: Annotated[
        dict[Vraagcode, Score | None],
        Field(
            min_length=1,
            max_length=MAX_VRAGEN,
            description="Per vraagcode van deze vragenlijst (zie /vragenlijsten) een score van 1 "
            "tot 5, of null voor 'weet niet'. Een vraag die niet beantwoord is, blijft weg; "
            "minstens één vraag is beantwoord (ook 'weet niet' telt als antwoord).",
            # Says in the document what the validator below enforces: a key is a code.
            json_schema_extra={"additionalProperties": False},
        ),
    ]

    @field_validator("antwoorden", mode="before")
    @classmethod
    def _sleutels_zijn_vraagcodes(cls, waarde: Any) -> Any:
        # Checked before pydantic names each key in its errors: a key that is not a code is
        # submitted text, and the answer must never echo that.
        if isinstance(waarde, dict) and not all(
            isinstance(sleutel, str) and CODE.match(sleutel) for sleutel in waarde
        ):
            raise PydanticCustomError(
                "wk_geen_vraagcode",
                "Elke sleutel is een vraagcode (kleine letters, cijfers en _); zie /vragenlijsten.",
            )
        return waarde


class ResponsUit(ApiModel):
    """Wat er van één ingevulde vragenlijst is opgeslagen: alleen cijfers."""

    id: uuid.UUID = Field(description="Het id van deze ingevulde vragenlijst.")
    vragenlijst: str = Field(description="Code van de vragenlijst.")
    wijk: str
    datum: date
    antwoorden: dict[str, int | None] = Field(
        description="Per vraagcode de score (1 tot 5) of null voor 'weet niet'."
    )


class SchaalwaardeUit(ApiModel):
    waarde: int = Field(description="De score, 1 tot en met 5.")
    omschrijving: str = Field(description="Wat de score betekent, zoals de respondent hem ziet.")


class VraagUit(ApiModel):
    code: str = Field(description="Stabiele vraagcode: de sleutel in `antwoorden`.")
    tekst: str = Field(description="De stelling zoals de respondent haar ziet.")


class VragenlijstUit(ApiModel):
    code: str = Field(description="Stabiele code van de vragenlijst.")
    titel: str
    doelgroep: str = Field(description="Voor wie de vragenlijst is.")
    vragen: list[VraagUit]


class VragenlijstenUit(ApiModel):
    schaal: list[SchaalwaardeUit] = Field(
        description="De antwoordschaal van elke vraag, van 1 tot en met 5."
    )
    weet_niet: str = Field(description="Het opschrift van het antwoord 'weet niet' (null).")
    vragenlijsten: list[VragenlijstUit]


class VraagResultaat(ApiModel):
    vraag: str = Field(description="De vraagcode.")
    tekst: str
    aantal_respondenten: int | None = Field(
        description="Respondenten die deze vraag beantwoordden, 'weet niet' inbegrepen."
    )
    aantal_weet_niet: int | None
    gemiddelde: float | None = Field(
        description="Gemiddelde score (één decimaal) over wie een score gaf; null zonder scores."
    )
    verdeling: dict[str, int | None] = Field(
        description="Aantal respondenten per score, sleutels '1' tot en met '5'."
    )


class Resultaten(ApiModel):
    vragenlijst: str
    jaar: int
    wijk: str | None = Field(description="De wijk, of null voor alle wijken samen.")
    aantal_respondenten: int | None = Field(
        description="Aantal ingevulde vragenlijsten in het jaar."
    )
    vragen: list[VraagResultaat]


class VraagCijfers(ApiModel):
    gemiddelde: float | None = Field(description="Gemiddelde score, één decimaal.")
    aantal: int | None = Field(
        description="Aantal scores (1 tot 5) waarover het gemiddelde gaat; 'weet niet' telt niet."
    )


class VragenlijstJaar(ApiModel):
    aantal_respondenten: int | None
    vragen: dict[str, VraagCijfers] = Field(description="Per vraagcode.")


class VragenlijstCijfers(VragenlijstJaar):
    vorig_jaar: VragenlijstJaar


class ErvaringCijfers(ApiModel):
    """Het deel ervaring van de jaaranalyse: per vragenlijst van de monitor."""

    vragenlijsten: dict[str, VragenlijstCijfers] = Field(description="Per vragenlijstcode.")
