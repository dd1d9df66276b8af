import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from app.codelijsten.lijsten import WARME_OVERDRACHT
from app.codelijsten.schemas import uit_codelijst
from app.deps import actieve_context
from app.kern.api_model import ApiModel, Datum, Invoer, JaNee, Tijdstip
from app.kern.idempotentie import ClientId

Status = Literal["open", "afgerond", "overgedragen"]
Overdrachtstatus = Literal["aangemeld", "geaccepteerd", "niet_gelukt"]
WIJKCODE = r"^[0-9A-Za-z][0-9A-Za-z_-]{0,15}$"
Wijkcode = Annotated[str, StringConstraints(pattern=WIJKCODE)]


def _bestaande_wijk(waarde: str) -> str:
    if actieve_context().indeling.wijk(waarde) is None:
        raise PydanticCustomError("wk_onbekende_wijk", "Onbekende wijk; kies uit /wijken.")
    return waarde


def registratiedatum(in_de_toekomst: str) -> Callable[[date], date]:
    """The check on the date of a registration: not after today, not before the registration
    started. `in_de_toekomst` is the reason for a future date, in words about what is
    registered; the opening words are the same everywhere (clients and tests recognise them)."""

    def controleer(waarde: date) -> date:
        context = actieve_context()
        if waarde > context.vandaag():
            raise PydanticCustomError("wk_datum_toekomst", in_de_toekomst)
        if waarde < context.settings.startdatum:
            raise PydanticCustomError(
                "wk_datum_voor_start",
                "De datum ligt vóór de start van de registratie ({start}).",
                {"start": f"{context.settings.startdatum:%d-%m-%Y}"},
            )
        return waarde

    return controleer


Overdrachtdoel = Annotated[str, *uit_codelijst("overdrachtdoelen")]
Locatie = Annotated[str, *uit_codelijst("locaties")]
Vraagtype = Annotated[str, *uit_codelijst("vraagtypen")]
Afhandeling = Annotated[str, *uit_codelijst("afhandelingen")]
Leeftijdsgroep = Annotated[str, *uit_codelijst("leeftijdsgroepen")]
Instroomroute = Annotated[str, *uit_codelijst("instroomroutes")]
Wijk = Annotated[Wijkcode, AfterValidator(_bestaande_wijk)]


def _uniek(waarde: list[str]) -> list[str]:
    if len(set(waarde)) != len(waarde):
        raise PydanticCustomError(
            "wk_dubbel_vraagtype", "Elk vraagtype mag maar één keer voorkomen."
        )
    return waarde


Vraagtypen = Annotated[
    list[Vraagtype],
    Field(
        min_length=1,
        max_length=10,
        description="Codes uit codelijst vraagtypen (één of meer, elk één keer).",
        json_schema_extra={"uniqueItems": True},
    ),
    AfterValidator(_uniek),
]
Gespreksdatum = Annotated[
    Datum,
    AfterValidator(
        registratiedatum("De datum ligt in de toekomst; registreer een gesprek dat al gevoerd is.")
    ),
]


class OverdrachtInvoer(Invoer):
    """Een warme overdracht: naar wie, en hoe staat het ermee."""

    doel: Overdrachtdoel
    warm: JaNee = Field(
        default=True,
        description="true als de preventiewerker de inwoner persoonlijk heeft verbonden.",
    )
    status: Overdrachtstatus = Field(default="aangemeld", description="Stand van de overdracht.")


class GesprekInvoer(Invoer):
    """Eén gesprek met een inwoner, zonder persoonsgegevens."""

    id: ClientId = None
    datum: Gespreksdatum = Field(
        description="Datum van het gesprek: niet in de toekomst, niet vóór de startdatum van de "
        "registratie en niet vóór het vorige gesprek van het traject."
    )
    locatie: Locatie
    vraagtypen: Vraagtypen
    afhandeling: Afhandeling
    overdracht: OverdrachtInvoer | None = Field(
        default=None,
        validate_default=True,
        description="Verplicht bij afhandeling warme_overdracht, anders leeg.",
    )

    @field_validator("overdracht")
    @classmethod
    def _alleen_bij_warme_overdracht(
        cls, waarde: OverdrachtInvoer | None, info: ValidationInfo
    ) -> OverdrachtInvoer | None:
        afhandeling = info.data.get("afhandeling")
        if afhandeling is None:
            return waarde  # the afhandeling itself is wrong and reported on its own
        if afhandeling == WARME_OVERDRACHT and waarde is None:
            raise PydanticCustomError(
                "wk_overdracht_ontbreekt",
                "Verplicht bij afhandeling warme_overdracht: vul het doel in.",
            )
        if afhandeling == WARME_OVERDRACHT and waarde is not None and not waarde.warm:
            raise PydanticCustomError(
                "wk_overdracht_niet_warm",
                "Bij afhandeling warme_overdracht is de overdracht warm (warm: true).",
            )
        if afhandeling != WARME_OVERDRACHT and waarde is not None:
            raise PydanticCustomError(
                "wk_overdracht_onnodig", "Alleen invullen bij afhandeling warme_overdracht."
            )
        return waarde


class TrajectInvoer(Invoer):
    """Eerste gesprek met een inwoner: maakt het traject en gesprek 1 in één keer."""

    id: ClientId = None
    wijk: Wijk = Field(description="Code van een van de eigen werkgebieden.")
    leeftijdsgroep: Leeftijdsgroep
    instroomroute: Instroomroute
    gesprek: GesprekInvoer


class TrajectCorrectie(Invoer):
    """Correctie van de codes van een traject; alleen de meegestuurde velden veranderen."""

    leeftijdsgroep: Leeftijdsgroep | None = None
    instroomroute: Instroomroute | None = None


class GesprekCorrectie(Invoer):
    """Correctie van een gesprek; alleen de meegestuurde velden veranderen."""

    datum: Gespreksdatum | None = Field(
        default=None,
        description="Nieuwe datum van het gesprek.",
        # The ADR linter wants a date field's format visible next to the anyOf with null.
        json_schema_extra={"format": "date"},
    )
    locatie: Locatie | None = None
    vraagtypen: Vraagtypen | None = None
    afhandeling: Afhandeling | None = None


class AfsluitingInvoer(Invoer):
    """Afsluiten zonder overdracht: de vraag is opgelost. De body is een leeg object."""


class OverdrachtUit(ApiModel):
    doel: str = Field(description="Code uit codelijst overdrachtdoelen.")
    niveau: str | None = Field(description="voorliggend of gespecialiseerd.")
    warm: bool
    status: Overdrachtstatus
    volgnummer: int | None = Field(
        description="Het gesprek waarin de overdracht is vastgelegd, als dat zo is."
    )
    vastgelegd_op: Tijdstip
    bijgewerkt_op: Tijdstip


class GesprekUit(ApiModel):
    id: uuid.UUID
    volgnummer: int = Field(ge=1, le=5, description="1 tot en met 5.")
    datum: Datum
    locatie: str
    vraagtypen: list[str]
    afhandeling: str
    aangemaakt_op: Tijdstip


class TrajectVelden(ApiModel):
    code: str = Field(description="Korte anonieme code van het traject (6 tekens).")
    wijk: str
    leeftijdsgroep: str
    instroomroute: str
    status: Status
    aantal_gesprekken: int
    resterende_gesprekken: int
    overdracht_vereist: bool = Field(
        description="true als het traject 5 gesprekken heeft en nog open is: "
        "leg een warme overdracht vast of sluit het af."
    )
    aangemaakt_op: Tijdstip


class TrajectUit(TrajectVelden):
    id: uuid.UUID
    afgesloten_op: Tijdstip | None
    gesprekken: list[GesprekUit]
    overdracht: OverdrachtUit | None


class TrajectSamenvatting(TrajectVelden):
    laatste_gesprek_datum: Datum = Field(description="Datum van het laatste gesprek.")
    vraagtypen: list[str] = Field(description="Alle vraagtypen uit de gesprekken.")


class Werklijst(ApiModel):
    items: list[TrajectSamenvatting]
    totaal: int = Field(description="Aantal trajecten dat aan de filters voldoet.")
    pagina: int
    pagina_grootte: int
