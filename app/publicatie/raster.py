"""The fixed grid of the release: calendar months, quarters and years that are closed.

Free windows would let a reader subtract 1 January..d from 1 January..d+1 and read one day; on
the grid the smallest step is a month, and every table of a period is a table of the same cells.
A period is shown only once it is over and the wachttijd (setting PUBLICATIE_WACHTTIJD_DAGEN)
has passed: registrations still come in for a few days (offline forms, a busy week), and a
period that is still filling would show, answer by answer, each new registration's cells.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from app.kern.problems import InvalidParam, OngeldigeInvoer

REDEN_RASTER = (
    "Voor de rol rapportage is de periode een hele kalendermaand, een heel kwartaal of een heel "
    "jaar: van de eerste tot en met de laatste dag."
)


@dataclass(frozen=True)
class Periode:
    van: date
    tot: date
    naam: str  # "2025", "2025-K2" or "2025-04": the period's part of a cell's name

    def maanden(self) -> list[str]:
        return [f"{self.van.year}-{m:02d}" for m in range(self.van.month, self.tot.month + 1)]


def _laatste_dag(jaar: int, maand: int) -> date:
    return date(jaar + maand // 12, maand % 12 + 1, 1) - timedelta(days=1)


def jaar(j: int) -> Periode:
    return Periode(date(j, 1, 1), date(j, 12, 31), str(j))


def maand(naam: str) -> Periode:
    j, m = int(naam[:4]), int(naam[5:7])
    return Periode(date(j, m, 1), _laatste_dag(j, m), naam)


def vastgesteld_op(periode: Periode, wachttijd: int) -> date:
    """The first day rapportage sees the period."""
    return periode.tot + timedelta(days=wachttijd + 1)


def controleer_vastgesteld(periode: Periode, vandaag: date, wachttijd: int, veld: str) -> None:
    if vandaag < vastgesteld_op(periode, wachttijd):
        raise OngeldigeInvoer(
            [
                InvalidParam(
                    name=veld,
                    reason="Deze periode is voor de rol rapportage nog niet vastgesteld: dat "
                    f"gebeurt {wachttijd} dagen na afloop, op "
                    f"{vastgesteld_op(periode, wachttijd).isoformat()}.",
                )
            ]
        )


def lees_periode(van: date, tot: date) -> Periode:
    """The grid period van..tot is, or 400 saying what the grid allows."""
    if van.day == 1 and van.year == tot.year:
        if (van.month, tot) == (1, date(van.year, 12, 31)):
            return jaar(van.year)
        if tot == _laatste_dag(van.year, van.month):
            return maand(f"{van.year}-{van.month:02d}")
        if van.month % 3 == 1 and tot == _laatste_dag(van.year, van.month + 2):
            return Periode(van, tot, f"{van.year}-K{(van.month + 2) // 3}")
    raise OngeldigeInvoer([InvalidParam(name="van", reason=REDEN_RASTER)])
