"""Reading a year of indicator values from CSV or JSON, checked as a whole.

One function checks the rows of both formats, so a CSV file and a JSON body get the same rules
and the same Dutch reasons. Every bad row is reported at once; nothing is stored unless every
row is good. A reason never repeats what was sent.
"""

import re
from dataclasses import dataclass

from app.deps import AppContext
from app.gebieden.indeling import wijkcode
from app.indicatoren.definities import BEREIK
from app.indicatoren.models import GEMEENTE
from app.kern.csv_invoer import lees_tabel
from app.kern.problems import InvalidParam, OngeldigeInvoer

KOLOMMEN = ("wijk", "indicator", "waarde")
# Enough to see what is wrong with a file; a file with a wrong separator fails on every line.
MAX_PROBLEMEN = 100
# Digits with one decimal comma or point: no thousands separators, signs, % or exponents.
GETAL = re.compile(r"^(-?)(\d{1,12})(?:[.,](\d{1,9}))?$")
BUITEN_BEREIK = {
    "procent": "Een percentage ligt tussen 0 en 100.",
    "aantal": "Een aantal ligt tussen 0 en 100.000.000.",
    "per 1.000 inwoners": "Een aantal per 1.000 inwoners ligt tussen 0 en 1.000.",
    "per 1.000 jongeren": "Een aantal per 1.000 jongeren ligt tussen 0 en 1.000.",
    "rapportcijfer": "Een rapportcijfer ligt tussen 1 en 10.",
}
# Starts as the trajecten's reason does: one rule reads alike everywhere.
ONBEKENDE_WIJK = "Onbekende wijk; kies uit /wijken. Of gemeente voor de hele gemeente."
ONBEKENDE_INDICATOR = "Onbekende indicator; kies een code uit /indicatoren."


@dataclass(frozen=True)
class Rij:
    """One row as sent: `plek` names it in a problem (`regel 3`, `waarden[2]`)."""

    plek: str
    wijk: str
    indicator: str
    waarde: str | float
    # In a CSV file a problem names the line; in JSON the field within the row.
    per_veld: bool
    # Why a line could not be read as a row at all (a wrong number of cells).
    onleesbaar: str | None = None


def _naam(rij: Rij, veld: str) -> str:
    return f"{rij.plek}.{veld}" if rij.per_veld else rij.plek


def _getal(tekst: str) -> float | str:
    """The number in a cell, or the reason it is none."""
    tekst = tekst.strip()
    if not tekst:
        return "De waarde ontbreekt; laat de regel weg als het cijfer niet bekend is."
    gevonden = GETAL.match(tekst)
    if gevonden is None:
        return (
            "De waarde is geen getal; schrijf bijvoorbeeld 12,5 of 12.5, zonder "
            "duizendtallen, spaties of %-teken."
        )
    teken, geheel, decimalen = gevonden.groups()
    return float(f"{teken}{geheel}.{decimalen or 0}")


def _wijk(context: AppContext, code: str, uit_csv: bool) -> str | None:
    code = code.strip()
    if code.lower() == GEMEENTE:
        return GEMEENTE
    if uit_csv:
        return wijkcode(context.indeling, code)
    return code if context.indeling.wijk(code) is not None else None


def controleer(context: AppContext, rijen: list[Rij]) -> list[tuple[str, str, float]]:
    """The rows as (wijk, indicator, waarde), or 400 naming every bad row."""
    problemen: list[InvalidParam] = []
    goed: list[tuple[str, str, float]] = []
    gezien: dict[tuple[str, str], str] = {}
    for rij in rijen:
        if rij.onleesbaar is not None:
            problemen.append(InvalidParam(name=rij.plek, reason=rij.onleesbaar))
            continue
        fouten: list[InvalidParam] = []
        wijk = _wijk(context, rij.wijk, not rij.per_veld)
        if wijk is None:
            fouten.append(InvalidParam(name=_naam(rij, "wijk"), reason=ONBEKENDE_WIJK))
        code = rij.indicator.strip().lower()
        definitie = context.indicatoren.get(code)
        if definitie is None:
            fouten.append(InvalidParam(name=_naam(rij, "indicator"), reason=ONBEKENDE_INDICATOR))
        waarde = _getal(rij.waarde) if isinstance(rij.waarde, str) else rij.waarde
        reden: str | None = waarde if isinstance(waarde, str) else None
        if isinstance(waarde, float):
            if waarde < 0:
                reden = "De waarde mag niet negatief zijn."
            elif definitie is not None:
                laag, hoog = BEREIK[definitie.eenheid]
                if not laag <= waarde <= hoog:
                    reden = BUITEN_BEREIK[definitie.eenheid]
                elif definitie.eenheid == "aantal" and not waarde.is_integer():
                    reden = "Een aantal is een geheel getal (zonder decimalen of duizendtallen)."
        if reden is not None:
            fouten.append(InvalidParam(name=_naam(rij, "waarde"), reason=reden))
        if wijk is not None and definitie is not None:
            eerder = gezien.setdefault((wijk, code), rij.plek)
            if eerder != rij.plek:
                fouten.append(
                    InvalidParam(
                        name=rij.plek,
                        reason=f"Deze wijk en indicator komen al voor in {eerder}; "
                        "elke combinatie mag één keer.",
                    )
                )
        problemen += fouten
        if not fouten:
            assert wijk is not None and isinstance(waarde, float)
            goed.append((wijk, code, waarde))
    if problemen:
        raise OngeldigeInvoer(_ingekort(problemen))
    return goed


def _ingekort(problemen: list[InvalidParam]) -> list[InvalidParam]:
    if len(problemen) <= MAX_PROBLEMEN:
        return problemen
    return [
        *problemen[:MAX_PROBLEMEN],
        InvalidParam(
            name="body",
            reason=f"Er zijn meer dan {MAX_PROBLEMEN} problemen; alleen de eerste staan hier. "
            "Controleer het scheidingsteken en de kopregel.",
        ),
    ]


def lees_csv(body: bytes) -> list[Rij]:
    """The rows of a CSV file, with decimal commas as Dutch Excel writes them, or points."""
    # A UTF-8 BOM is what Excel's "CSV UTF-8" puts first. Another encoding can only spoil
    # letters, and good rows hold nothing but codes and digits: such rows fail on their codes.
    tekst = body.decode("utf-8-sig", errors="replace")
    return [
        Rij(
            plek=f"regel {regel.nummer}",
            wijk=regel.cellen.get("wijk", ""),
            indicator=regel.cellen.get("indicator", ""),
            waarde=regel.cellen.get("waarde", ""),
            per_veld=False,
            onleesbaar=regel.onleesbaar,
        )
        for regel in lees_tabel(tekst, KOLOMMEN, lambda nummer: f"regel {nummer}")
    ]
