"""Excel workbooks of tellingen and the jaaranalyse, for `Accept: <the .xlsx media type>`.

A CSV opened by double-click on a Dutch Windows goes through the list separator (;) and the
decimal comma, and arrives as one column or as wrong numbers. An .xlsx carries its cells typed:
numbers are numbers with a format, labels are text, a hidden count is an empty cell.
"""

import io
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]  # ships no type information
from fastapi import Response
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from app.analyse.kenmerken import DELEN, HELE_GEMEENTE, REGISTRATIES, kenmerken
from app.analyse.schemas import Jaaranalyse, Tellingen

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GEHEEL = "#,##0"
DECIMAAL = "#,##0.0"
BLADNAMEN = {
    REGISTRATIES: "Registraties",
    "inzet": "Inzet",
    "activiteiten": "Activiteiten",
    "effect": "Effect",
    "ervaring": "Ervaring",
    "gespecialiseerdeInzet": "Gespecialiseerde inzet",
}


def vraagt_xlsx(accept: str | None) -> bool:
    return accept is not None and XLSX in accept.lower()


def xlsx_antwoord(inhoud: bytes, bestandsnaam: str) -> Response:
    return Response(
        inhoud,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{bestandsnaam}"'},
    )


class _Boek:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        # in_memory: no temporary files on the server; the workbooks here are small.
        self.boek = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.boek.set_properties(
            {"title": "wijkcontact", "created": datetime.now(UTC).replace(tzinfo=None)}
        )
        self.kop = self.boek.add_format({"bold": True, "bottom": 1})
        self.geheel = self.boek.add_format({"num_format": GEHEEL})
        self.decimaal = self.boek.add_format({"num_format": DECIMAAL})

    def blad(self, naam: str, kolommen: Sequence[str]) -> Worksheet:
        blad = self.boek.add_worksheet(naam)
        for i, kolom in enumerate(kolommen):
            blad.write_string(0, i, kolom, self.kop)
            blad.set_column(i, i, max(12, len(kolom) + 2))
        blad.freeze_panes(1, 0)
        return blad

    def getal(self, blad: Worksheet, rij: int, kolom: int, waarde: Any) -> None:
        if waarde is None:
            blad.write_blank(rij, kolom, None)
        elif isinstance(waarde, int):
            blad.write_number(rij, kolom, waarde, self.geheel)
        else:
            blad.write_number(rij, kolom, waarde, self.decimaal)

    def klaar(self) -> bytes:
        self.boek.close()
        return self.buffer.getvalue()


def tellingen_xlsx(tellingen: Tellingen) -> bytes:
    """One sheet: per dimension its code and its label, then Aantal and Onderdrukt (ja/nee)."""
    boek = _Boek()
    kolommen: list[str] = []
    for d in tellingen.dimensies:
        kolommen += [d.capitalize(), f"{d.capitalize()} (omschrijving)"]
    kolommen += ["Aantal", "Onderdrukt"]
    blad = boek.blad("Tellingen", kolommen)
    for r, rij in enumerate(tellingen.rijen, start=1):
        k = 0
        for d in tellingen.dimensies:
            for veld in (d, f"{d}Omschrijving"):
                waarde = rij.get(veld)
                if waarde is None:
                    blad.write_blank(r, k, None)
                else:
                    blad.write_string(r, k, str(waarde))
                k += 1
        boek.getal(blad, r, k, rij.get("aantal"))
        blad.write_string(r, k + 1, "ja" if rij.get("onderdrukt") else "nee")
    blad.autofilter(0, 0, len(tellingen.rijen), len(kolommen) - 1)
    return boek.klaar()


def jaaranalyse_xlsx(analyse: Jaaranalyse) -> bytes:
    """One sheet per part: a row per figure, a column for the gemeente and one per wijk."""
    boek = _Boek()
    rijen = kenmerken(analyse)
    scopes: list[tuple[str | None, str]] = []
    for k in rijen:
        if (k.wijk, k.wijknaam) not in scopes:
            scopes.append((k.wijk, k.wijknaam))
    for deel in (REGISTRATIES, *DELEN):
        waarden = {(k.kenmerk, k.wijk): k.waarde for k in rijen if k.deel == deel}
        namen = list(dict.fromkeys(k.kenmerk for k in rijen if k.deel == deel))
        kop = ["Kenmerk"] + [HELE_GEMEENTE if w is None else naam for w, naam in scopes]
        blad = boek.blad(BLADNAMEN[deel], kop)
        blad.set_column(0, 0, max([30, *(len(n) + 2 for n in namen)]))
        for r, naam in enumerate(namen, start=1):
            blad.write_string(r, 0, naam)
            for c, (wijk, _) in enumerate(scopes, start=1):
                boek.getal(blad, r, c, waarden.get((naam, wijk)))
    return boek.klaar()
