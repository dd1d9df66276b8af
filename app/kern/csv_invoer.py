"""Reading an uploaded table (a year of indicatoren, of beschikkingen) from a CSV file.

What a gemeente sends is what its spreadsheet saved: Dutch Excel writes `;` between the columns
(the comma is its decimal sign), perhaps a BOM, blank lines and lines closed by empty cells of
its own; other programs write `,` or a tab. The header names the columns in any order. A wrong
header stops reading at once; a line with the wrong number of cells is handed back with its
reason, so the caller reports it together with every other problem.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from app.kern.problems import InvalidParam, OngeldigeInvoer

GEEN_REGELS = "Er staan geen waarden in; stuur minstens één regel."


@dataclass(frozen=True)
class CsvRegel:
    nummer: int  # the line in the file, which a problem names
    cellen: dict[str, str]  # by column name, stripped; empty when the line is `onleesbaar`
    onleesbaar: str | None = None  # why the line could not be read as a row


def _opsomming(namen: tuple[str, ...]) -> str:
    return f"{', '.join(namen[:-1])} en {namen[-1]}"


def lees_tabel(tekst: str, kolommen: tuple[str, ...], plek: Callable[[int], str]) -> list[CsvRegel]:
    """The lines under the header, by column name. `plek` names a line in a problem."""
    kop = next((regel for regel in tekst.splitlines() if regel.strip()), "")
    scheiding = ";" if ";" in kop else "\t" if "\t" in kop else ","
    reader = csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding)
    regels: list[tuple[int, list[str]]] = []
    try:
        for rij in reader:
            if any(c.strip() for c in rij):
                regels.append((reader.line_num, [c.strip() for c in rij]))
    except csv.Error:
        raise OngeldigeInvoer(
            [InvalidParam(name="body", reason="Het CSV-bestand kan niet worden gelezen.")]
        ) from None
    kopnummer, namen = regels[0] if regels else (1, [])
    namen = [naam.lower() for naam in namen]
    while namen and not namen[-1]:
        namen.pop()
    if sorted(namen) != sorted(kolommen):
        raise OngeldigeInvoer(
            [
                InvalidParam(
                    name=plek(kopnummer),
                    reason=f"De eerste regel moet de kolommen {_opsomming(kolommen)} noemen, "
                    "gescheiden door ; of ,.",
                )
            ]
        )
    if len(regels) == 1:
        raise OngeldigeInvoer([InvalidParam(name="body", reason=GEEN_REGELS)])
    plaats = {naam: namen.index(naam) for naam in kolommen}
    uit: list[CsvRegel] = []
    for nummer, rij in regels[1:]:
        # Spreadsheets often close a line with empty cells of their own.
        while len(rij) > len(kolommen) and not rij[-1]:
            rij.pop()
        if len(rij) == len(kolommen):
            uit.append(CsvRegel(nummer, {naam: rij[i] for naam, i in plaats.items()}))
        else:
            reden = (
                f"Verwacht {len(kolommen)} kolommen ({', '.join(kolommen)}) met het "
                f"scheidingsteken van de eerste regel; deze regel heeft er {len(rij)}."
            )
            uit.append(CsvRegel(nummer, {}, reden))
    return uit
