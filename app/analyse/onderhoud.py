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

from sqlalchemy import Uuid, bindparam, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app.analyse.models import DELEN, AnalyseTelling, AnalyseTraject
from app.kern.db import tabel_van
from app.trajecten.models import Gesprek, GesprekVraagtype, Overdracht, Traject

# (jaar, wijk, kenmerk, code): one counter, summed over its `deel` rows when read.
Sleutel = tuple[int, str, str, str]

# A closed traject without a handover; not a valid code, so it cannot clash with a doel.
ZONDER_OVERDRACHT = "-"

telling = tabel_van(AnalyseTelling)
traject_rij = tabel_van(AnalyseTraject)


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


def _lees_query() -> Any:
    t, g, gv, o = (tabel_van(m) for m in (Traject, Gesprek, GesprekVraagtype, Overdracht))
    # An anchor row, so that a withdrawn traject still finds what it held before.
    anker = select(bindparam("traject_id", type_=Uuid).label("id")).subquery()
    return (
        select(
            t.c.wijk, t.c.leeftijdsgroep, t.c.instroomroute, t.c.status,
            g.c.id, g.c.datum, g.c.locatie, g.c.afhandeling, gv.c.vraagtype,
            o.c.doel, o.c.warm, traject_rij.c.bijdrage, traject_rij.c.begindatum,
        )
        .select_from(anker)
        .outerjoin(traject_rij, traject_rij.c.traject_id == anker.c.id)
        .outerjoin(t, t.c.id == anker.c.id)
        .outerjoin(g, g.c.traject_id == t.c.id)
        .outerjoin(gv, gv.c.gesprek_id == g.c.id)
        .outerjoin(o, o.c.traject_id == t.c.id)
    )  # fmt: skip


# Built once: constructing a statement costs more Python time than running it.
LEES = _lees_query()


def _ontleed(bijdrage_json: str | None) -> Counter[Sleutel] | None:
    if bijdrage_json is None:
        return None
    oud: Counter[Sleutel] = Counter()
    for jaar, wijk, kenmerk, code, aantal in json.loads(bijdrage_json):
        oud[(jaar, wijk, kenmerk, code)] = aantal
    return oud


def _lees(
    session: Session, traject_id: uuid.UUID
) -> tuple[Counter[Sleutel], date | None, Counter[Sleutel] | None, date | None]:
    """What this traject contributes now (by the raw tables) and what it held before.

    One query for both, because every round trip to the database is paid by a registration.
    Answers (new contribution, first day, old contribution, old first day); the new ones are
    empty and None once the traject has been withdrawn, the old ones None if there were none.
    """
    rijen = session.execute(LEES, {"traject_id": traject_id}).all()
    eerste = rijen[0]
    oud = _ontleed(eerste.bijdrage)
    gesprekken: dict[uuid.UUID, dict[str, Any]] = {}
    for rij in rijen:
        if rij.id is None:
            continue
        gesprek = gesprekken.setdefault(
            rij.id,
            {"datum": rij.datum, "locatie": rij.locatie, "afhandeling": rij.afhandeling,
             "vraagtypen": []},
        )  # fmt: skip
        if rij.vraagtype is not None:
            gesprek["vraagtypen"].append(rij.vraagtype)
    if not gesprekken:
        return Counter(), None, oud, eerste.begindatum
    begin = min(g["datum"] for g in gesprekken.values())
    nieuw = bijdrage(
        {"wijk": eerste.wijk, "leeftijdsgroep": eerste.leeftijdsgroep,
         "instroomroute": eerste.instroomroute, "status": eerste.status},
        list(gesprekken.values()),
        None if eerste.doel is None else {"doel": eerste.doel, "warm": eerste.warm},
    )  # fmt: skip
    return nieuw, begin, oud, eerste.begindatum


def _upsert_telling(insert: Any) -> Any:
    statement = insert(telling)
    return statement.on_conflict_do_update(
        index_elements=[telling.c.jaar, telling.c.wijk, telling.c.kenmerk, telling.c.code,
                        telling.c.deel],
        set_={"aantal": telling.c.aantal + statement.excluded.aantal},
    )  # fmt: skip


# Built once per dialect: constructing a statement costs more Python time than running it.
_UPSERT_TELLING = {"postgresql": _upsert_telling(postgresql.insert),
                   "sqlite": _upsert_telling(sqlite.insert)}  # fmt: skip
TRAJECT_RIJ_INSERT = traject_rij.insert()
TRAJECT_RIJ_UPDATE = traject_rij.update().where(
    traject_rij.c.traject_id == bindparam("id", type_=Uuid)
)
TRAJECT_RIJ_DELETE = delete(traject_rij).where(
    traject_rij.c.traject_id == bindparam("id", type_=Uuid)
)


def upsert_telling(session: Session) -> Any:
    """INSERT ... ON CONFLICT that adds `aantal` to a counter row, on SQLite and PostgreSQL."""
    return _UPSERT_TELLING[session.get_bind().dialect.name]


# PostgreSQL: the remembered contribution and all counter changes in one statement (one round
# trip). The counter changes travel as one JSON text, [[jaar, wijk, kenmerk, code, aantal], ...],
# in the sorted order, so the SQL text never changes and stays prepared; a single text parameter
# also costs the driver far less to send than six arrays.
_PG_SCHRIJF = """
WITH traject AS ({traject})
INSERT INTO analyse_telling (jaar, wijk, kenmerk, code, deel, aantal)
SELECT (r->>0)::integer, r->>1, r->>2, r->>3, :deel, (r->>4)::integer
FROM json_array_elements(CAST(:wijzigingen AS json)) AS r
ON CONFLICT (jaar, wijk, kenmerk, code, deel)
DO UPDATE SET aantal = analyse_telling.aantal + excluded.aantal
"""
PG_BEWAAR = text(
    _PG_SCHRIJF.format(
        traject="INSERT INTO analyse_traject (traject_id, begindatum, bijdrage) "
        "VALUES (:id, :begindatum, :bijdrage) ON CONFLICT (traject_id) DO UPDATE SET "
        "begindatum = excluded.begindatum, bijdrage = excluded.bijdrage"
    )
)
PG_VERGEET = text(_PG_SCHRIJF.format(traject="DELETE FROM analyse_traject WHERE traject_id = :id"))


def traject_gewijzigd(session: Session, traject_id: uuid.UUID) -> None:
    """Bring the summary tables in line with this traject; call in the changing transaction."""
    session.flush()
    _schrijf(session, traject_id, *_lees(session, traject_id))


def bekend_traject_gewijzigd(
    session: Session,
    traject_id: uuid.UUID,
    traject: dict[str, Any],
    gesprekken: list[dict[str, Any]],
    overdracht: dict[str, Any] | None,
    voorheen: tuple[str, date] | None,
) -> None:
    """As traject_gewijzigd, for a caller that already read the whole traject under its lock.

    Registering a gesprek reads the traject, its gesprekken and what it held in the counters
    (`voorheen`: the stored bijdrage and begindatum, None for a new traject) before it writes,
    and holds the traject's lock until the commit: reading all that back again would only cost
    the registration a round trip. `traject` and `gesprekken` are its state after the change.
    """
    nieuw = bijdrage(traject, gesprekken, overdracht)
    begin = min(g["datum"] for g in gesprekken)
    oud, oud_begin = (_ontleed(voorheen[0]), voorheen[1]) if voorheen else (None, None)
    _schrijf(session, traject_id, nieuw, begin, oud, oud_begin)


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
    bijdrage_json = json.dumps([[*s, n] for s, n in sorted(nieuw.items())])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            PG_BEWAAR if begin is not None else PG_VERGEET,
            {
                "id": traject_id, "begindatum": begin, "bijdrage": bijdrage_json, "deel": deel,
                "wijzigingen": json.dumps([[*s, n] for s, n in wijzigingen]),
            },
        )  # fmt: skip
        return
    if wijzigingen:
        session.execute(
            upsert_telling(session),
            [{"jaar": s[0], "wijk": s[1], "kenmerk": s[2], "code": s[3], "deel": deel,
              "aantal": n} for s, n in wijzigingen],
        )  # fmt: skip
    if begin is None:
        session.execute(TRAJECT_RIJ_DELETE, {"id": traject_id})
    elif oud is None:
        session.execute(
            TRAJECT_RIJ_INSERT,
            {"traject_id": traject_id, "begindatum": begin, "bijdrage": bijdrage_json},
        )
    else:
        session.execute(
            TRAJECT_RIJ_UPDATE, {"id": traject_id, "begindatum": begin, "bijdrage": bijdrage_json}
        )
