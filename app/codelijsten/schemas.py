from typing import Any

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from app.codelijsten.lijsten import CODE
from app.deps import actieve_context


def uit_codelijst(lijst: str) -> tuple[Any, ...]:
    """The metadata of a request field that takes a code from the gemeente's list `lijst`.

    For `Annotated[str, *uit_codelijst(lijst)]`: a type that type checkers can read as `str`.
    """

    def controleer(waarde: str) -> str:
        if not actieve_context().codelijsten.bevat(lijst, waarde):
            raise PydanticCustomError(
                "wk_onbekende_code",
                "Onbekende code; kies een code uit codelijst {lijst}.",
                {"lijst": lijst},
            )
        return waarde

    return (
        StringConstraints(pattern=CODE.pattern),
        AfterValidator(controleer),
        Field(
            description=f"Code uit codelijst {lijst}; de geldige codes staan in /codelijsten "
            "en komen uit de configuratie van de gemeente."
        ),
    )
