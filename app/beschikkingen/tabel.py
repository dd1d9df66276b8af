"""A year of beschikkingen as a wijk x voorziening table with its margins, counted in SQL.

For the rapportage role every count of the table (wijk x voorziening, the wijk totals, the
gemeente's per voorziening and in total) is a cell of the release (app/publicatie), published as
one batch: the table itself, the jaarcijfers of this year, of the next year as `vorigJaar` and of
any year as `basisjaar` all show the same value for the same count, fixed the first time any of
them showed it, so that a new upload for a closed year changes nothing rapportage sees.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from app.beschikkingen.models import BeschikkingAantal
from app.beschikkingen.schemas import Beschikkingen, Beschikkingsaantal
from app.deps import AppContext
from app.kern.db import tabel_van
from app.publicatie import raster
from app.publicatie import ruis as publicatie
from app.publicatie.vastleggen import publiceer

TOTAAL = ""  # the gemeente as a scope, and all voorzieningen as a code: never a real code
Cel = tuple[str, str]  # (wijk or TOTAAL, voorziening or TOTAAL)


@dataclass(frozen=True)
class Jaartabel:
    jaar: int
    ingelezen: bool
    # What the caller is shown of every cell: the count, or for rapportage its published value.
    waarden: dict[Cel, int | None]

    def waarde(self, scope: str, code: str) -> int | None:
        if not self.ingelezen:
            return None
        return self.waarden[(scope, code)]


def celnaam(jaar: int, c: Cel) -> publicatie.Cel:
    """The release's name of a cell: without the wijk for the gemeente, without the voorziening
    for a total."""
    scope, code = c
    paren = [(d, w) for d, w in (("wijk", scope), ("voorziening", code)) if w != TOTAAL]
    return publicatie.cel("beschikkingen", str(jaar), paren)


def vastgesteld(context: AppContext, jaar: int) -> bool:
    periode = raster.jaar(jaar)
    wachttijd = context.settings.publicatie_wachttijd_dagen
    return context.vandaag() >= raster.vastgesteld_op(periode, wachttijd)


def lees_jaartabellen(
    session: Session, context: AppContext, jaren: Iterable[int], rapportage: bool
) -> dict[int, Jaartabel]:
    """One table per year; for rapportage as published, and empty for a year not yet vastgesteld
    (the route refuses such a year; a later basisjaar in the jaarcijfers is shown empty)."""
    jaren = sorted(set(jaren))
    t = tabel_van(BeschikkingAantal)
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
        waarden: dict[Cel, int | None] = dict(cellen)
        if rapportage:
            if ingelezen and vastgesteld(context, jaar):
                # Not before the year is read in: a cell shown as "fewer than k" for a table
                # that is not there yet would stay so after the upload.
                namen = {c: celnaam(jaar, c) for c in cellen}
                # Zeros stored too: a new upload for a closed year may fill any cell.
                gepubliceerd = publiceer(
                    session, context, {namen[c]: n for c, n in cellen.items()}, ook_leeg=True
                )
                waarden = {c: gepubliceerd[namen[c]] for c in cellen}
            else:
                waarden = dict.fromkeys(cellen)
        tabellen[jaar] = Jaartabel(jaar, ingelezen, waarden)
    return tabellen


def als_beschikkingen(context: AppContext, tabel: Jaartabel) -> Beschikkingen:
    aantallen = []
    for wijk in context.indeling.codes:
        for code in context.codelijsten.codes("voorzieningen"):
            aantal = tabel.waarde(wijk, code)
            aantallen.append(
                Beschikkingsaantal(
                    wijk=wijk, voorziening=code, aantal=aantal, onderdrukt=aantal is None
                )
            )
    return Beschikkingen(jaar=tabel.jaar, aantallen=aantallen)


def als_csv(beschikkingen: Beschikkingen) -> str:
    """RFC 4180 with a header row; the same columns the upload takes, a hidden count left empty."""
    uit = io.StringIO()
    schrijver = csv.writer(uit, lineterminator="\r\n")
    schrijver.writerow(["wijk", "voorziening", "aantal"])
    for rij in beschikkingen.aantallen:
        schrijver.writerow([rij.wijk, rij.voorziening, "" if rij.aantal is None else rij.aantal])
    return uit.getvalue()
