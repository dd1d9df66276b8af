"""Keeping the summary tables exact: one function to call after any change to a traject.

Every write path (registering, a follow-up, handover, closing, and the corrections: changing a
gesprek, withdrawing a gesprek or a whole traject) calls `traject_gewijzigd` in the same
transaction, after its own changes. It recomputes what this one traject contributes from the
raw tables (at most five gesprekken), compares that with what it contributed before, and applies
only the difference to the counters. Because it never assumes what changed, a correction that
moves a gesprek to another month or year, or a withdrawal, stays exact by construction.
"""

import json
import uuid
import zlib
from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app.analyse.models import DELEN, AnalyseTelling, AnalyseTraject
from app.trajecten.models import Gesprek, GesprekVraagtype, Overdracht, Traject

# (jaar, wijk, kenmerk, code): one counter, summed over its `deel` rows when read.
Sleutel = tuple[int, str, str, str]

# A closed traject without a handover; not a valid code, so it cannot clash with a doel.
ZONDER_OVERDRACHT = "-"

telling = AnalyseTelling.__table__  # type: ignore[attr-defined]
traject_rij = AnalyseTraject.__table__  # type: ignore[attr-defined]


def deel_van(traject_id: uuid.UUID) -> int:
    """The counter rows this traject writes to; spread by a hash, not by client-chosen bits."""
    return zlib.crc32(traject_id.bytes) % DELEN


def bijdrage(
    traject: dict[str, Any],
    gesprekken: list[dict[str, Any]],
    overdracht: dict[str, Any] | None,
) -> Counter[Sleutel]:
    """What one traject adds to the counters: the counting rules of the annual analysis.

    A traject counts in the year and month of its first gesprek, a gesprek in those of its own
    datum, an overdracht with its traject.
    """
    teller: Counter[Sleutel] = Counter()
    if not gesprekken:
        return teller
    wijk = traject["wijk"]
    begin: date = min(g["datum"] for g in gesprekken)
    jaar = begin.year

    def tel(j: int, kenmerk: str, code: str = "") -> None:
        teller[(j, wijk, kenmerk, code)] += 1

    tel(jaar, "trajecten")
    tel(jaar, "maand_trajecten", f"{begin.month:02d}")
    tel(jaar, "gesprekken_per_traject", str(len(gesprekken)))
    tel(jaar, "leeftijdsgroep", traject["leeftijdsgroep"])
    tel(jaar, "instroomroute", traject["instroomroute"])
    if overdracht is not None:
        tel(jaar, "overdrachtdoel", overdracht["doel"])
        tel(jaar, "overdracht_warm" if overdracht["warm"] else "overdracht_niet_warm")
    if traject["status"] != "open":
        doel = overdracht["doel"] if overdracht is not None else ZONDER_OVERDRACHT
        tel(jaar, "afsluiting", doel)
    elif len(gesprekken) >= 5:
        tel(jaar, "wacht_op_overdracht")
    for gesprek in gesprekken:
        j = gesprek["datum"].year
        tel(j, "gesprekken")
        tel(j, "maand_gesprekken", f"{gesprek['datum'].month:02d}")
        tel(j, "locatie", gesprek["locatie"])
        tel(j, "afhandeling", gesprek["afhandeling"])
        for vraagtype in gesprek["vraagtypen"]:
            tel(j, "vraagtype", vraagtype)
    return teller


def _lees(session: Session, traject_id: uuid.UUID) -> tuple[Counter[Sleutel], date | None]:
    """This traject's contribution and first day as the raw tables say now.

    Empty and None once the traject (or its last gesprek) has been withdrawn.
    """
    t, g, gv, o = (m.__table__ for m in (Traject, Gesprek, GesprekVraagtype, Overdracht))  # type: ignore[attr-defined]
    rijen = session.execute(
        select(
            t.c.wijk, t.c.leeftijdsgroep, t.c.instroomroute, t.c.status,
            g.c.id, g.c.datum, g.c.locatie, g.c.afhandeling, gv.c.vraagtype,
            o.c.doel, o.c.warm,
        )
        .select_from(t)
        .join(g, g.c.traject_id == t.c.id)
        .outerjoin(gv, gv.c.gesprek_id == g.c.id)
        .outerjoin(o, o.c.traject_id == t.c.id)
        .where(t.c.id == traject_id)
    ).all()  # fmt: skip
    if not rijen:
        return Counter(), None
    eerste = rijen[0]
    gesprekken: dict[uuid.UUID, dict[str, Any]] = {}
    for rij in rijen:
        gesprek = gesprekken.setdefault(
            rij.id,
            {"datum": rij.datum, "locatie": rij.locatie, "afhandeling": rij.afhandeling,
             "vraagtypen": []},
        )  # fmt: skip
        if rij.vraagtype is not None:
            gesprek["vraagtypen"].append(rij.vraagtype)
    begin = min(g["datum"] for g in gesprekken.values())
    return bijdrage(
        {"wijk": eerste.wijk, "leeftijdsgroep": eerste.leeftijdsgroep,
         "instroomroute": eerste.instroomroute, "status": eerste.status},
        list(gesprekken.values()),
        None if eerste.doel is None else {"doel": eerste.doel, "warm": eerste.warm},
    ), begin  # fmt: skip


def _upsert(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(telling)
    return statement.on_conflict_do_update(
        index_elements=[telling.c.jaar, telling.c.wijk, telling.c.kenmerk, telling.c.code,
                        telling.c.deel],
        set_={"aantal": telling.c.aantal + statement.excluded.aantal},
    )  # fmt: skip


def traject_gewijzigd(session: Session, traject_id: uuid.UUID) -> None:
    """Bring the summary tables in line with this traject; call in the changing transaction."""
    session.flush()
    nieuw, begin = _lees(session, traject_id)
    opgeslagen = session.execute(
        select(traject_rij.c.bijdrage, traject_rij.c.begindatum).where(
            traject_rij.c.traject_id == traject_id
        )
    ).one_or_none()
    oud: Counter[Sleutel] = Counter()
    if opgeslagen is not None:
        for jaar, wijk, kenmerk, code, aantal in json.loads(opgeslagen.bijdrage):
            oud[(jaar, wijk, kenmerk, code)] = aantal
    verschil = Counter(nieuw)
    verschil.subtract(oud)
    deel = deel_van(traject_id)
    # Sorted, so that two transactions touching the same rows lock them in the same order and
    # cannot deadlock on PostgreSQL.
    wijzigingen = [
        {"jaar": s[0], "wijk": s[1], "kenmerk": s[2], "code": s[3], "deel": deel, "aantal": n}
        for s, n in sorted(verschil.items())
        if n != 0
    ]
    if wijzigingen:
        session.execute(_upsert(session), wijzigingen)
    if begin is None:
        if opgeslagen is not None:
            session.execute(delete(traject_rij).where(traject_rij.c.traject_id == traject_id))
        return
    if not wijzigingen and opgeslagen is not None and opgeslagen.begindatum == begin:
        return  # e.g. an overdracht's status changed: nothing the analysis counts
    waarden = {
        "traject_id": traject_id,
        "begindatum": begin,
        "bijdrage": json.dumps([[*s, n] for s, n in sorted(nieuw.items())]),
    }
    if opgeslagen is None:
        session.execute(traject_rij.insert(), waarden)
    else:
        session.execute(traject_rij.update().where(traject_rij.c.traject_id == traject_id), waarden)
