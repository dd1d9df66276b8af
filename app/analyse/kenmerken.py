"""The jaaranalyse as flat rows: every number of every part, per wijk and for the gemeente.

For tools that read tables (the OData feed's Jaarcijfers, the .xlsx's sheets): a row names its
part, the path to the number within it in the JSON (`vraagtypen.eenzaamheid`; in part inzet
`uren.preventiewerker`), and the number as the JSON has it, empty where it is hidden or does
not apply. Built from the JSON answer itself, so the rows say exactly what the route says.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.analyse.schemas import Jaaranalyse

# The parts of the jaaranalyse after the registrations (deel 0 here): one key each in Cijfers.
DELEN = ("inzet", "activiteiten", "effect", "ervaring", "gespecialiseerdeInzet")
REGISTRATIES = "registraties"
HELE_GEMEENTE = "Hele gemeente"
# A list item is named by the first of these it has, else by its place.
NAAMVELDEN = ("code", "vraag", "vragenlijst", "indicator", "soort", "voorziening")


@dataclass(frozen=True)
class Kenmerk:
    wijk: str | None  # None: the whole gemeente
    wijknaam: str
    deel: str
    kenmerk: str
    waarde: int | float | None


def kenmerken(analyse: Jaaranalyse) -> list[Kenmerk]:
    data = analyse.model_dump(by_alias=True, mode="json")
    scopes: list[tuple[str | None, str, dict[str, Any]]] = [(None, HELE_GEMEENTE, data["totaal"])]
    scopes += [(w["wijk"], w["naam"], w) for w in data["wijken"]]
    uit = []
    for wijk, wijknaam, cijfers in scopes:
        for sleutel, waarde in cijfers.items():
            if sleutel in ("wijk", "naam"):
                continue
            deel = sleutel if sleutel in DELEN else REGISTRATIES
            pad = "" if sleutel in DELEN else sleutel
            for kenmerk, getal in _bladeren(waarde, pad):
                uit.append(Kenmerk(wijk, wijknaam, deel, kenmerk, getal))
    return uit


def _bladeren(waarde: Any, pad: str) -> Iterator[tuple[str, int | float | None]]:
    if isinstance(waarde, dict):
        for sleutel, binnen in waarde.items():
            yield from _bladeren(binnen, f"{pad}.{sleutel}" if pad else sleutel)
    elif isinstance(waarde, list):
        for i, item in enumerate(waarde):
            naam = str(i + 1)
            if isinstance(item, dict):
                naam = next((str(item[v]) for v in NAAMVELDEN if v in item), naam)
            yield from _bladeren(item, f"{pad}.{naam}" if pad else naam)
    elif waarde is None or (isinstance(waarde, int | float) and not isinstance(waarde, bool)):
        yield pad, waarde
