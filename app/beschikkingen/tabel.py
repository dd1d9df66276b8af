"""A year of beschikkingen as a wijk x voorziening table with its margins, counted in SQL.

What the rapportage role may see of a year is decided here once, for the whole table with its
totals, so that every answer that shows some of it (the table itself, the jaarcijfers of this
year, of the next year as `vorigJaar`, of any year as `basisjaar`) hides the same cells.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from app.analyse.onderdrukking import Vergelijking, onderdruk
from app.beschikkingen.models import BeschikkingAantal
from app.beschikkingen.schemas import Beschikkingen, Beschikkingsaantal
from app.deps import AppContext

TOTAAL = ""  # the gemeente as a scope, and all voorzieningen as a code: never a real code
Cel = tuple[str, str]  # (wijk or TOTAAL, voorziening or TOTAAL)


@dataclass(frozen=True)
class Jaartabel:
    jaar: int
    ingelezen: bool
    cellen: dict[Cel, int]
    verborgen: frozenset[Cel]

    def waarde(self, scope: str, code: str) -> int | None:
        if not self.ingelezen or (scope, code) in self.verborgen:
            return None
        return self.cellen[(scope, code)]


def vergelijkingen(wijken: list[str], codes: list[str]) -> list[Vergelijking[Cel]]:
    """What a reader knows: a total is the sum of its voorzieningen, the gemeente of its wijken."""
    uit: list[Vergelijking[Cel]] = []
    for scope in [*wijken, TOTAAL]:
        uit.append([((scope, TOTAAL), -1), *(((scope, c), 1) for c in codes)])
    for code in [*codes, TOTAAL]:
        uit.append([((TOTAAL, code), -1), *(((w, code), 1) for w in wijken)])
    return uit


def lees_jaartabellen(
    session: Session, context: AppContext, jaren: Iterable[int], k: int | None
) -> dict[int, Jaartabel]:
    """One table per year; `k` set means small counts are hidden (role rapportage)."""
    jaren = sorted(set(jaren))
    t = BeschikkingAantal.__table__  # type: ignore[attr-defined]
    rijen = session.execute(
        select(t.c.jaar, t.c.wijk, t.c.voorziening, func.sum(t.c.aantal))
        .where(t.c.jaar.in_(jaren))
        .group_by(t.c.jaar, t.c.wijk, t.c.voorziening)
    ).all()
    wijken = context.indeling.codes
    codes = context.codelijsten.codes("voorzieningen")
    tabellen: dict[int, Jaartabel] = {}
    for jaar in jaren:
        # A combination the gemeente's file left out counts as 0.
        cellen: dict[Cel, int] = {(w, c): 0 for w in [*wijken, TOTAAL] for c in [*codes, TOTAAL]}
        ingelezen = False
        for j, wijk, code, aantal in rijen:
            # Rows of a wijk or voorziening since removed from the configuration are not shown.
            if j == jaar and (wijk, code) in cellen:
                ingelezen = True
                for cel in ((wijk, code), (wijk, TOTAAL), (TOTAAL, code), (TOTAAL, TOTAAL)):
                    cellen[cel] += int(aantal)
        verborgen: set[Cel] = set()
        if k is not None and ingelezen:
            verborgen = onderdruk(cellen, vergelijkingen(wijken, codes), k)
        tabellen[jaar] = Jaartabel(jaar, ingelezen, cellen, frozenset(verborgen))
    return tabellen


def als_beschikkingen(context: AppContext, tabel: Jaartabel) -> Beschikkingen:
    return Beschikkingen(
        jaar=tabel.jaar,
        aantallen=[
            Beschikkingsaantal(
                wijk=wijk,
                voorziening=code,
                aantal=tabel.waarde(wijk, code),
                onderdrukt=(wijk, code) in tabel.verborgen,
            )
            for wijk in context.indeling.codes
            for code in context.codelijsten.codes("voorzieningen")
        ],
    )


def als_csv(beschikkingen: Beschikkingen) -> str:
    """RFC 4180 with a header row; the same columns the upload takes, a hidden count left empty."""
    uit = io.StringIO()
    schrijver = csv.writer(uit, lineterminator="\r\n")
    schrijver.writerow(["wijk", "voorziening", "aantal"])
    for rij in beschikkingen.aantallen:
        schrijver.writerow([rij.wijk, rij.voorziening, "" if rij.aantal is None else rij.aantal])
    return uit.getvalue()
