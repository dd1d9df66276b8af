import math
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from app.codelijsten.schemas import uit_codelijst
from app.inzet.models import MAX_EURO, MAX_UREN_PER_WEEK
from app.kern.api_model import ApiModel, Invoer, Tijdstip


def _getal(waarde: Any) -> Any:
    # pydantic would also take "16" or true; an amount is a JSON number.
    if isinstance(waarde, bool) or not isinstance(waarde, int | float):
        raise PydanticCustomError("wk_geen_getal", "Moet een getal zijn.")
    if not math.isfinite(waarde):
        raise PydanticCustomError("wk_geen_getal", "Moet een eindig getal zijn.")
    return waarde


def honderdsten(waarde: float) -> int:
    """Hours or euros as the whole hundredths (cents) they are stored as."""
    return round(waarde * 100)


def _bedrag(maximum: int, beschrijving: str) -> tuple[Any, ...]:
    """The metadata of an amount field, for `Annotated[float, *_bedrag(...)]`."""

    def controleer(waarde: float) -> float:
        # Checked here rather than with ge/le, whose messages would say "400.0".
        if waarde < 0:
            raise PydanticCustomError("wk_negatief", "Moet minstens 0 zijn.")
        if waarde > maximum:
            raise PydanticCustomError(
                "wk_te_groot", "Mag hoogstens {maximum} zijn.", {"maximum": maximum}
            )
        # Tolerant of binary fractions (0.29 arrives as 0.28999999999999998, 171798691.83 times
        # 100 is 17179869183.000002), yet strict enough to refuse a tenth of a cent at 1e9.
        honderd = waarde * 100
        if abs(honderd - round(honderd)) > 1e-6 + abs(honderd) * 1e-13:
            raise PydanticCustomError(
                "wk_te_veel_decimalen", "Hoogstens twee cijfers achter de komma."
            )
        return waarde

    return (
        BeforeValidator(_getal),
        AfterValidator(controleer),
        Field(
            description=beschrijving,
            json_schema_extra={"minimum": 0, "maximum": maximum, "multipleOf": 0.01},
        ),
    )


Uursoort = Annotated[str, *uit_codelijst("uursoorten")]
Budgetpost = Annotated[str, *uit_codelijst("budgetposten")]
UrenPerWeek = Annotated[
    float,
    *_bedrag(
        MAX_UREN_PER_WEEK, "Uren per week, hoogstens twee cijfers achter de komma (0 tot 400)."
    ),
]
Euro = Annotated[float, *_bedrag(MAX_EURO, "Bedrag in euro voor het hele jaar, tot op de cent.")]


def _elk_een_keer(sleutel: str, wat: str) -> Any:
    """Each code once, reported beside every other problem of the body, not only after them."""

    def controleer(items: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        dubbel: list[int] = []
        gezien: set[str] = set()
        for i, item in enumerate(items if isinstance(items, list) else []):
            code = item.get(sleutel) if isinstance(item, dict) else None
            if isinstance(code, str):
                if code in gezien:
                    dubbel.append(i)
                gezien.add(code)
        fouten: list[Any] = []
        try:
            waarde = handler(items)
        except ValidationError as fout:
            if not dubbel:
                raise
            fouten = [_opnieuw(e) for e in fout.errors()]
        fouten += [
            {
                "type": PydanticCustomError(
                    "wk_dubbele_code", "Elke {wat} mag maar één keer voorkomen.", {"wat": wat}
                ),
                "loc": (i, sleutel),
                "input": items[i],
            }
            for i in dubbel
        ]
        if fouten:
            raise ValidationError.from_exception_data("InzetInvoer", fouten)
        return waarde

    return WrapValidator(controleer)


def _opnieuw(fout: Any) -> Any:
    """A reported error as pydantic takes it back, to be raised again with others."""
    soort = fout["type"]
    if soort.startswith("wk_"):
        soort = PydanticCustomError(soort, fout["msg"])
    opnieuw = {"type": soort, "loc": fout["loc"], "input": fout["input"]}
    if "ctx" in fout:
        opnieuw["ctx"] = fout["ctx"]
    return opnieuw


class UrenInvoer(Invoer):
    soort: Uursoort
    uren_per_week: UrenPerWeek


class BedragInvoer(Invoer):
    post: Budgetpost
    euro: Euro


class InzetInvoer(Invoer):
    """De inzet van één wijk in één jaar; vervangt wat er voor die wijk en dat jaar stond."""

    uren: Annotated[
        list[UrenInvoer],
        Field(
            max_length=100,
            description="Uren per week per uursoort, elke uursoort hoogstens één keer; een "
            "uursoort die ontbreekt telt als 0.",
        ),
        _elk_een_keer("soort", "uursoort"),
    ]
    bedragen: Annotated[
        list[BedragInvoer],
        Field(
            max_length=100,
            description="Euro per budgetpost voor het jaar, elke post hoogstens één keer; een "
            "post die ontbreekt telt als 0.",
        ),
        _elk_een_keer("post", "budgetpost"),
    ]


class InzetCijfers(ApiModel):
    wijken_ingevuld: int = Field(
        description="Aantal wijken waarvan de inzet voor dit jaar is vastgelegd (bij één wijk 0 "
        "of 1). Een wijk zonder vastgelegde inzet telt overal als 0."
    )
    uren: dict[str, float] = Field(description="Uren per week per uursoort; elke code, ook 0.")
    uren_per_week_totaal: float = Field(description="Alle uursoorten samen, uren per week.")
    norm_uren_per_week: float = Field(
        description="De norm (twee preventiewerkers van 16 uur per wijk, instelling "
        "INZET_NORM_UREN_PER_WEEK); voor de gemeente de norm maal het aantal wijken."
    )
    verschil_met_norm: float | None = Field(
        description="Uren per week boven (positief) of onder (negatief) de norm; leeg als er "
        "niets is vastgelegd."
    )
    percentage_van_norm: float | None = Field(
        description="De uren als percentage van de norm, op één decimaal; leeg als er niets is "
        "vastgelegd of de norm 0 is."
    )
    bedragen: dict[str, float] = Field(description="Euro per budgetpost; elke code, ook 0.")
    euro_totaal: float = Field(description="Alle budgetposten samen, in euro.")


class InzetWijk(InzetCijfers):
    wijk: str
    naam: str
    bijgewerkt_op: Tijdstip | None = Field(
        description="Wanneer de inzet van deze wijk voor dit jaar het laatst is vastgelegd."
    )


class InzetVastgelegd(InzetWijk):
    jaar: int


class InzetJaar(ApiModel):
    jaar: int
    totaal: InzetCijfers = Field(description="Alle wijken samen (de gemeente).")
    wijken: list[InzetWijk] = Field(description="Elke wijk, ook zonder vastgelegde inzet.")


class InzetSectie(InzetCijfers):
    """Het deel inzet van de jaaranalyse: dit jaar, met het vorige jaar ernaast."""

    vorig_jaar: InzetCijfers
