"""Keeping the summary tables exact: the analysis listens to every change of a traject.

Every write path of a traject (registering, a follow-up, handover, closing, and the corrections:
changing a gesprek, withdrawing a gesprek or a whole traject) announces the traject as it is
after the change (`app.trajecten.aankondiging`), in its own transaction and before its commit.
`houd_bij` then computes what this one traject contributes (at most five gesprekken), compares
that with what it contributed before (remembered in analyse_traject), and applies only the
difference to the counters. Because it never assumes what changed, a correction that moves a
gesprek to another month or year, or a withdrawal, stays exact by construction.
"""

import json
import uuid
import zlib
from collections import Counter
from datetime import date

from sqlalchemy import Uuid, bindparam, delete, select
from sqlmodel import Session

from app.analyse.models import DELEN, AnalyseTelling, AnalyseTraject
from app.kern.db import tabel_van, upsert
from app.trajecten.aankondiging import TrajectGewijzigd, luister
from app.trajecten.stand import TrajectStand, laad_traject

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


def _ontleed(bijdrage_json: str) -> Counter[Sleutel]:
    oud: Counter[Sleutel] = Counter()
    for jaar, wijk, kenmerk, code, aantal in json.loads(bijdrage_json):
        oud[(jaar, wijk, kenmerk, code)] = aantal
    return oud


# Built once: constructing a statement costs more Python time than running it.
VOORHEEN = select(traject_rij.c.bijdrage, traject_rij.c.begindatum).where(
    traject_rij.c.traject_id == bindparam("id", type_=Uuid)
)
_upsert = upsert(telling)
UPSERT_TELLING = _upsert.on_conflict_do_update(
    index_elements=[telling.c.jaar, telling.c.wijk, telling.c.kenmerk, telling.c.code,
                    telling.c.deel],
    set_={"aantal": telling.c.aantal + _upsert.excluded.aantal},
)  # fmt: skip
_bewaar = upsert(traject_rij)
BEWAAR = _bewaar.on_conflict_do_update(
    index_elements=[traject_rij.c.traject_id],
    set_={"begindatum": _bewaar.excluded.begindatum, "bijdrage": _bewaar.excluded.bijdrage},
)
VERGEET = delete(traject_rij).where(traject_rij.c.traject_id == bindparam("id", type_=Uuid))


@luister
def houd_bij(session: Session, wijziging: TrajectGewijzigd) -> None:
    """Bring the summary tables in line with one changed traject, in the changing transaction.

    The analysis's listener to trajecten (see app.trajecten.aankondiging): more upkeep of
    figures per traject belongs here, beside this.
    """
    oud: Counter[Sleutel] | None = None
    oud_begin: date | None = None
    if not wijziging.nieuw:
        # Under the traject's lock, which the announcing write path holds until its commit.
        voorheen = session.execute(VOORHEEN, {"id": wijziging.traject_id}).first()
        if voorheen is not None:
            oud, oud_begin = _ontleed(voorheen.bijdrage), voorheen.begindatum
    na = wijziging.na
    if na is None or not na.gesprekken:
        nieuw: Counter[Sleutel] = Counter()
        begin = None
    else:
        nieuw, begin = bijdrage(na), min(g.datum for g in na.gesprekken)
    _schrijf(session, wijziging.traject_id, nieuw, begin, oud, oud_begin)


def traject_gewijzigd(session: Session, traject_id: uuid.UUID) -> None:
    """For a writer that changed the raw tables itself: recount this traject from them."""
    session.flush()
    houd_bij(session, TrajectGewijzigd(traject_id, laad_traject(session, id=traject_id)))


def _schrijf(
    session: Session,
    traject_id: uuid.UUID,
    nieuw: Counter[Sleutel],
    begin: date | None,
    oud: Counter[Sleutel] | None,
    oud_begin: date | None,
) -> None:
    verschil = Counter(nieuw)
    if oud:
        verschil.subtract(oud)
    # Sorted, so that two transactions touching the same rows lock them in the same order and
    # cannot deadlock on PostgreSQL.
    wijzigingen = sorted((s, n) for s, n in verschil.items() if n != 0)
    if not wijzigingen and begin == oud_begin:
        return  # e.g. an overdracht's status changed: nothing the analysis counts
    deel = deel_van(traject_id)
    if wijzigingen:
        session.execute(
            UPSERT_TELLING,
            [{"jaar": s[0], "wijk": s[1], "kenmerk": s[2], "code": s[3], "deel": deel,
              "aantal": n} for s, n in wijzigingen],
        )  # fmt: skip
    if begin is None:
        session.execute(VERGEET, {"id": traject_id})
    else:
        bijdrage_json = json.dumps([[*s, n] for s, n in sorted(nieuw.items())])
        session.execute(
            BEWAAR, {"traject_id": traject_id, "begindatum": begin, "bijdrage": bijdrage_json}
        )
