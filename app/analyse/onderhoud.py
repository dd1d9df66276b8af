"""Keeping the summary tables exact: the analysis listens to every change of a traject.

Every write path of a traject (registering, a follow-up, handover, closing, and the corrections:
changing a gesprek, withdrawing a gesprek or a whole traject) announces the traject as it was
before the change and as it is after (`app.trajecten.aankondiging`), in its own transaction and
before its commit. `houd_bij` then computes what this one traject contributes in each state (at
most five gesprekken, by the same rules) and applies only the difference to the counters.
Because it never assumes what changed, a correction that moves a gesprek to another month or
year, or a withdrawal, stays exact by construction.
"""

import json
import uuid
import zlib
from collections import Counter
from datetime import date

from sqlalchemy import bindparam, delete
from sqlmodel import Session

from app.analyse.kubus import verschil_kubus
from app.analyse.models import DELEN, AnalyseTelling, AnalyseTraject
from app.analyse.wachtrij import zet_in
from app.kern.db import Uuid16, tabel_van, upsert
from app.kern.optellen import optelling, tel_op
from app.trajecten.aankondiging import TrajectGewijzigd, luister
from app.trajecten.stand import TrajectStand

# (jaar, wijk, kenmerk, code): one counter, summed over its `deel` rows when read.
Sleutel = tuple[int, str, str, str]

# A closed traject without a handover; not a valid code, so it cannot clash with a doel.
ZONDER_OVERDRACHT = "-"

telling = tabel_van(AnalyseTelling)
traject_rij = tabel_van(AnalyseTraject)


def deel_van(traject_id: uuid.UUID) -> int:
    """The counter rows this traject writes to; spread by a hash, not by client-chosen bits."""
    return zlib.crc32(traject_id.bytes) % DELEN


def bijdrage(traject: TrajectStand) -> Counter[Sleutel]:
    """What one traject adds to the counters: the counting rules of the annual analysis.

    A traject counts in the year and month of its first gesprek, a gesprek in those of its own
    datum, an overdracht with its traject.
    """
    teller: Counter[Sleutel] = Counter()
    gesprekken = traject.gesprekken
    if not gesprekken:
        return teller
    wijk = traject.wijk
    begin: date = min(g.datum for g in gesprekken)
    jaar = begin.year

    def tel(j: int, kenmerk: str, code: str = "") -> None:
        teller[(j, wijk, kenmerk, code)] += 1

    overdracht = traject.overdracht
    tel(jaar, "trajecten")
    tel(jaar, "maand_trajecten", f"{begin.month:02d}")
    tel(jaar, "gesprekken_per_traject", str(len(gesprekken)))
    tel(jaar, "leeftijdsgroep", traject.leeftijdsgroep)
    tel(jaar, "instroomroute", traject.instroomroute)
    if overdracht is not None:
        tel(jaar, "overdrachtdoel", overdracht.doel)
        tel(jaar, "overdracht_warm" if overdracht.warm else "overdracht_niet_warm")
    if traject.status != "open":
        tel(jaar, "afsluiting", overdracht.doel if overdracht is not None else ZONDER_OVERDRACHT)
    elif len(gesprekken) >= 5:
        tel(jaar, "wacht_op_overdracht")
    for gesprek in gesprekken:
        j = gesprek.datum.year
        tel(j, "gesprekken")
        tel(j, "maand_gesprekken", f"{gesprek.datum.month:02d}")
        tel(j, "locatie", gesprek.locatie)
        tel(j, "afhandeling", gesprek.afhandeling)
        for vraagtype in gesprek.vraagtypen:
            tel(j, "vraagtype", vraagtype)
    return teller


def begindatum(traject: TrajectStand | None) -> date | None:
    """The day a traject counts on in tellingen per traject: that of its first gesprek."""
    if traject is None or not traject.gesprekken:
        return None
    return min(g.datum for g in traject.gesprekken)


def bijdrage_als_json(traject: TrajectStand) -> str:
    """The form in which revisions 0003 to 0010 stored a traject's increments (migrations)."""
    return json.dumps([[*s, n] for s, n in sorted(bijdrage(traject).items())])


# Built once: constructing a statement costs more Python time than running it.
TEL_OP = optelling(telling)
_bewaar = upsert(traject_rij)
BEWAAR = _bewaar.on_conflict_do_update(
    index_elements=[traject_rij.c.traject_id],
    set_={"begindatum": _bewaar.excluded.begindatum},
)
VERGEET = delete(traject_rij).where(traject_rij.c.traject_id == bindparam("id", type_=Uuid16))


@luister
def houd_bij(session: Session, wijziging: TrajectGewijzigd) -> None:
    """Bring the summary tables in line with one changed traject, in the changing transaction.

    What the traject counted before is computed from its state before the change, as the write
    path loaded it under the traject's lock, by the same rules: nothing is read back. The
    analysis's listener to trajecten (see app.trajecten.aankondiging): more upkeep of figures
    per traject belongs here, beside this.
    """
    voor, na = wijziging.voor, wijziging.na
    oud = bijdrage(voor) if voor is not None else Counter()
    verschil = bijdrage(na) if na is not None else Counter()
    verschil.subtract(oud)
    deel = deel_van(wijziging.traject_id)
    tel_op(session, TEL_OP, [(*s, deel, n) for s, n in verschil.items() if n != 0])
    # Queued, not added to the sums here (app.analyse.wachtrij says why); counted from the
    # moment this transaction commits all the same.
    zet_in(session, [(*s, n) for s, n in verschil_kubus(voor, na).items() if n])
    begin = begindatum(na)
    if begin == begindatum(voor):
        return  # a follow-up, a handover, a closing: the traject still counts on the same day
    if begin is None:
        session.execute(VERGEET, {"id": wijziging.traject_id})
    else:
        session.execute(BEWAAR, {"traject_id": wijziging.traject_id, "begindatum": begin})
