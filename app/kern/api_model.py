from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from fastapi import Path
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import InitErrorDetails, PydanticCustomError

from app.kern.db import as_utc


class ApiModel(BaseModel):
    """A JSON shape of the API: camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Invoer(ApiModel):
    """A request body: unknown fields are refused, so nobody can smuggle in a `naam`."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=False, extra="forbid", validate_by_name=False
    )


class QueryParameters(BaseModel):
    """The query parameters of one route, taken as `Annotated[XxxParameters, Query()]`.

    A misspelt filter (`?statu=open`) must not silently widen an answer: a key the route does
    not know is refused, and the answer names the keys it does know. pydantic's own
    `extra_forbidden` cannot say those, hence the check before validation; `extra="forbid"`
    states the same rule to pydantic and to FastAPI.
    """

    model_config = ConfigDict(extra="forbid", validate_by_name=False)

    # The keys as sent (aliases), known once per class.
    _namen: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._namen = frozenset(veld.alias or naam for naam, veld in cls.model_fields.items())

    @model_validator(mode="before")
    @classmethod
    def _weiger_onbekende(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not (onbekend := sorted(data.keys() - cls._namen)):
            return data
        reden = PydanticCustomError(
            "wk_onbekende_parameter",
            "Onbekende parameter; hier kunnen: {namen}.",
            {"namen": ", ".join(sorted(cls._namen)) or "geen"},
        )
        # Each key is its own problem, under its own name (cut short: the name is input too).
        raise ValidationError.from_exception_data(
            cls.__name__,
            [InitErrorDetails(type=reden, loc=(naam[:40],), input=None) for naam in onbekend[:10]],
        )


class GeenParameters(QueryParameters):
    """For a route without query parameters: every key is unknown."""


def _alleen_datum(waarde: Any) -> Any:
    # pydantic would also take timestamps and numbers; a gesprek has a plain calendar date.
    if isinstance(waarde, date) and not isinstance(waarde, datetime):
        return waarde
    if not isinstance(waarde, str) or len(waarde) != 10:
        raise ValueError("Moet een datum zijn in de vorm JJJJ-MM-DD.")
    try:
        return date.fromisoformat(waarde)
    except ValueError:
        raise ValueError("Moet een bestaande datum zijn in de vorm JJJJ-MM-DD.") from None


def _alleen_bool(waarde: Any) -> Any:
    if not isinstance(waarde, bool):
        raise ValueError("Moet true of false zijn.")
    return waarde


def _alleen_geheel(waarde: Any) -> Any:
    # In a path or query pydantic would also take "2025.0" or " 7"; a count or year is digits.
    if isinstance(waarde, int) and not isinstance(waarde, bool):
        return waarde
    if isinstance(waarde, str) and waarde.isascii() and waarde.isdigit():
        return int(waarde)
    raise ValueError("Moet een geheel getal zijn (alleen cijfers).")


Datum = Annotated[date, BeforeValidator(_alleen_datum)]
# After the Path/Field in an Annotated (`Annotated[int, Field(ge=1), ALLEEN_CIJFERS]`): before
# it, ge/le would no longer become the schema's minimum/maximum.
ALLEEN_CIJFERS = BeforeValidator(_alleen_geheel)
# The year of an annual figure, in a path.
Jaar = Annotated[
    int, Path(ge=2000, le=2100, description="Het jaar, bijvoorbeeld 2025."), ALLEEN_CIJFERS
]
JaNee = Annotated[bool, BeforeValidator(_alleen_bool)]
Tijdstip = Annotated[datetime, AfterValidator(as_utc)]

# The page number of every paged list; page sizes differ per list and stay with their route.
Pagina = Annotated[
    int, Field(ge=1, le=100_000, description="Paginanummer, vanaf 1."), ALLEEN_CIJFERS
]
