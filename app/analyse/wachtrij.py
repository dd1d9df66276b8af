"""The summaries' queue: a registration adds one row; a thread folds queued rows into the sums.

Adding a change straight to `telling_kubus` costs a registration some 35 to 100 upserts (one
per summary row it touches) and, on PostgreSQL, a wait for every other registration of the
same month that touches one of the same rows: with 100 preventiewerkers registering in one
month, the popular rows (a common locatie, afhandeling and leeftijdsgroep) would queue them
all. So the listener writes what changes as one JSON row here, in the registration's own
transaction, and a thread per server process (`Vouwer`) moves the queued rows into
`telling_kubus` every KUBUS_VOUW_SECONDEN, summed first, in one transaction (`vouw`).

Reading stays exact and current without waiting for that: `tel_kubus` reads the summary rows
and the queued ones in one statement, so one snapshot sees each change either still queued or
already folded, never both nor neither. The queue stays small (what a second or two of
registrations adds), so reading it costs a few milliseconds.
"""

import json
import logging
import random
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Insert,
    Integer,
    Select,
    SmallInteger,
    String,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    true,
    union,
    union_all,
)
from sqlmodel import Session

from app.analyse.models import TellingCode, TellingKubus, TellingWachtrij
from app.kern.db import een_schrijfslot, new_session, tabel_van, upsert
from app.kern.optellen import json_elementen, json_waarde, optelling, tel_op

log = logging.getLogger(__name__)

kubus = tabel_van(TellingKubus)
wachtrij = tabel_van(TellingWachtrij)
code = tabel_van(TellingCode)
TEL_OP_KUBUS = optelling(kubus)
ZET_IN = insert(wachtrij)
NIEUWE_CODES = upsert(code).on_conflict_do_nothing(index_elements=[code.c.code])
# Rows per statement when folding, and queued changes per round: bounded, however long the
# queue has grown (a round takes the oldest; the next round the rest).
PER_STATEMENT = 5000
MAX_PER_RONDE = 2000


def zet_in(session: Session, verschil: Sequence[Sequence[Any]]) -> None:
    """Queue rows of (kubus, maand, a, b, c, aantal), in the caller's transaction."""
    if verschil:
        session.execute(ZET_IN, {"rijen": json.dumps(verschil, separators=(",", ":"))})


def vouw(engine: Engine) -> int:
    """Move the oldest queued changes into `telling_kubus`; answers how many queue rows it took.

    The database unpacks and sums the queued JSON; the server process's Python does no work per
    change. Readers see each change queued or folded, never both: one transaction removes and
    adds it. Two server processes folding at once never fold a row twice. Where the database has
    one write lock (SQLite), the unpacking happens before the write transaction, in a read that
    holds no lock: inside it, under load, it halved the registrations per second, which all
    wait for that lock. On PostgreSQL it happens inside, on rows locked with SKIP LOCKED, so that
    a second process folding at the same time skips them instead of summing them in vain
    (measured: the read-first way cost 10 to 30% of the registrations per second there).
    """
    with new_session(engine, alleen_lezen=True) as session:
        ids = (
            session.execute(select(wachtrij.c.id).order_by(wachtrij.c.id).limit(MAX_PER_RONDE))
            .scalars()
            .all()
        )
        if not ids:
            return 0  # nothing queued: no write lock taken, the usual case between bursts
        sommen = None
        if een_schrijfslot(engine):
            sommen = {tuple(r[:-1]): r[-1] for r in session.execute(SOMMEN, {"ids": ids})}
    with new_session(engine) as session:
        vast = (
            session.execute(
                select(wachtrij.c.id)
                .where(wachtrij.c.id.in_(ids))
                .with_for_update(skip_locked=True)
            )
            .scalars()
            .all()
        )
        if sommen is not None:
            if len(vast) != len(ids):
                return 0  # another process folded (some of) these; the session rolls back
            tel_op_kubus(session, sommen)
        elif vast:
            ids = list(vast)
            session.execute(NUMMER_NIEUWE_CODES, {"ids": ids})
            session.execute(VOUW_OP, {"ids": ids})
        else:
            return 0
        session.execute(delete(wachtrij).where(wachtrij.c.id.in_(ids)))
        session.commit()
    return len(ids)


def _vouw_statements() -> tuple[Insert, Insert]:
    """Folding inside the write transaction: number new codes, then add the queue's sums."""
    uitgepakt = _sommen().subquery("sommen")
    a, b, c = (uitgepakt.c[i] for i in range(2, 5))
    alle = union(*(select(k.label("code")) for k in (a, b, c))).subquery("alle")
    nieuwe_codes = (
        upsert(code)
        .from_select(["code"], select(alle.c.code).where(true()))
        .on_conflict_do_nothing(index_elements=[code.c.code])
    )
    namen = [code.alias(f"code_{k}") for k in "abc"]
    bron: Any = uitgepakt
    for naam, kolom in zip(namen, (a, b, c), strict=True):
        bron = bron.join(naam, naam.c.code == kolom)
    sleutel = [uitgepakt.c[0], uitgepakt.c[1], *(n.c.nummer for n in namen)]
    # Ordered by key, as every adding statement here: two folds lock rows in the same order.
    sommen = select(*sleutel, uitgepakt.c[5]).select_from(bron).where(true()).order_by(*sleutel)
    optellen = upsert(kubus).from_select([k.name for k in kubus.columns], sommen)
    return nieuwe_codes, optellen.on_conflict_do_update(
        index_elements=list(kubus.primary_key),
        set_={"aantal": kubus.c.aantal + optellen.excluded.aantal},
    )


def _sommen() -> Select[Any]:
    """The queued rows with these ids, unpacked and summed per key (codes as text)."""
    rij = json_elementen(wachtrij.c.rijen).table_valued("value").alias("rij")
    velden = [_veld(rij, i, soort) for i, (_, soort) in enumerate(_VELDEN)]
    sleutel = [v.label(naam) for v, (naam, _) in zip(velden[:5], _VELDEN, strict=False)]
    return (
        select(*sleutel, func.sum(velden[5]).label("aantal"))
        .select_from(wachtrij)
        .join(rij, true())
        .where(wachtrij.c.id.in_(bindparam("ids", expanding=True)))
        .group_by(*velden[:5])
    )


def tel_op_kubus(verbinding: Session | Connection, samen: Mapping[tuple[Any, ...], int]) -> None:
    """Add counts keyed (kubus, maand, a, b, c), with codes as text, to `telling_kubus`."""
    nummer = nummers(verbinding, {w for s in samen for w in s[2:]})
    rijen = sorted(
        (k, m, nummer[a], nummer[b], nummer[c], n) for (k, m, a, b, c), n in samen.items() if n
    )
    for begin in range(0, len(rijen), PER_STATEMENT):
        tel_op(verbinding, TEL_OP_KUBUS, rijen[begin : begin + PER_STATEMENT])


def nummers(verbinding: Session | Connection, codes: set[str]) -> dict[str, int]:
    """The number of each code in `telling_code`, numbering the ones it does not hold yet."""
    bekend = dict(verbinding.execute(select(code.c.code, code.c.nummer)).all())
    nieuw = sorted(codes - bekend.keys())
    if nieuw:
        verbinding.execute(NIEUWE_CODES, [{"code": c} for c in nieuw])
        bekend = dict(verbinding.execute(select(code.c.code, code.c.nummer)).all())
    return bekend


def tel_kubus(
    session: Session, nummer: int, van: int, tot: int, kolommen: Sequence[str]
) -> list[tuple[Any, ...]]:
    """Sums of one kubus over months `van` to `tot` (yyyymm), grouped by `kolommen` (of maand,
    a, b, c), with the codes as text: the sums and the queue, in one statement."""
    opgeteld = (
        select(*(kubus.c[k] for k in kolommen), func.sum(kubus.c.aantal).label("aantal"))
        .where(kubus.c.kubus == nummer, kubus.c.maand.between(van, tot))
        .group_by(*(kubus.c[k] for k in kolommen))
        .subquery("opgeteld")
    )
    # The numbers become codes after summing: a join per group, not per stored row.
    bron: Any = opgeteld
    als_tekst = []
    for k in kolommen:
        if k == "maand":
            als_tekst.append(opgeteld.c.maand)
            continue
        naam = code.alias(f"code_{k}")
        bron = bron.join(naam, naam.c.nummer == opgeteld.c[k])
        als_tekst.append(naam.c.code.label(k))
    rij = json_elementen(wachtrij.c.rijen).table_valued("value").alias("rij")
    velden = {naam: _veld(rij, i, soort) for i, (naam, soort) in enumerate(_VELDEN)}
    wachtend = (
        select(*(velden[k].label(k) for k in kolommen), velden["aantal"].label("aantal"))
        .select_from(wachtrij)
        .join(rij, true())
        .where(velden["kubus"] == nummer, velden["maand"].between(van, tot))
    )
    samen = union_all(select(*als_tekst, opgeteld.c.aantal).select_from(bron), wachtend).subquery()
    query = select(*(samen.c[k] for k in kolommen), func.sum(samen.c.aantal))
    if kolommen:
        query = query.group_by(*(samen.c[k] for k in kolommen))
    return [tuple(r) for r in session.execute(query).all()]


# A queued row: [kubus, maand, a, b, c, aantal], the codes as text.
_VELDEN = (("kubus", SmallInteger), ("maand", Integer), ("a", String), ("b", String),
           ("c", String), ("aantal", Integer))  # fmt: skip


def _veld(rij: Any, i: int, soort: Any) -> Any:
    return cast(json_waarde(rij.c.value, literal(i, literal_execute=True)), soort)


SOMMEN = _sommen()
NUMMER_NIEUWE_CODES, VOUW_OP = _vouw_statements()


class Vouwer:
    """The thread that folds the queue of one server process, every `seconden`."""

    def __init__(self, engine: Engine, seconden: float) -> None:
        self.engine, self.seconden = engine, seconden
        self._stop = threading.Event()
        self._draad = threading.Thread(target=self._rondes, name="kubus-vouwer", daemon=True)

    def start(self) -> None:
        self._draad.start()

    def stop(self) -> None:
        self._stop.set()
        self._draad.join(timeout=10)

    def _rondes(self) -> None:
        # Each process at its own moment in the interval: the server processes then rarely
        # sum the same queue rows, which only one of them can fold.
        if self._stop.wait(random.random() * self.seconden):
            return
        while not self._stop.wait(self.seconden):
            try:
                # A full round leaves more: go on at once until the queue is short again.
                while vouw(self.engine) == MAX_PER_RONDE and not self._stop.is_set():
                    pass
            except Exception:
                # The queue stays as it was (the transaction rolled back) and reads stay exact;
                # the next round tries again.
                log.exception("De wachtrij van de tellingen kon niet worden verwerkt.")
