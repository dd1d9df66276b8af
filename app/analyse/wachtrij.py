"""The summaries' queue: a registration adds one row; a thread folds queued rows into the sums.

Adding a change straight to `telling_kubus` costs a registration some 35 to 100 upserts (one
per summary row it touches) and, on PostgreSQL, a wait for every other registration of the
same month that touches one of the same rows: with 100 preventiewerkers registering in one
month, the popular rows (a common locatie, afhandeling and leeftijdsgroep) would queue them
all. So the listener writes what changes as one JSON row here, in its own transaction, and a
thread per server process (`Vouwer`) moves the queued rows into `telling_kubus` every
KUBUS_VOUW_SECONDEN, summed first, in one transaction.

Reading stays exact and current without waiting for that: `kubus_rijen` reads the summary rows
and the queued ones in one statement, so one snapshot sees each change either still queued or
already folded, never both nor neither. The queue stays small (what a second or two of
registrations adds), so reading it costs a few milliseconds.
"""

import json
import logging
import threading
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Engine,
    Integer,
    SmallInteger,
    String,
    Subquery,
    cast,
    delete,
    exists,
    insert,
    literal,
    select,
    true,
    union_all,
)
from sqlmodel import Session

from app.analyse.models import TellingKubus, TellingWachtrij
from app.kern.db import new_session, tabel_van
from app.kern.optellen import json_elementen, json_waarde, optelling, tel_op

log = logging.getLogger(__name__)

kubus = tabel_van(TellingKubus)
wachtrij = tabel_van(TellingWachtrij)
TEL_OP_KUBUS = optelling(kubus)
ZET_IN = insert(wachtrij)
# Rows per statement when folding: bounded, however long the queue has grown.
PER_STATEMENT = 5000


def zet_in(session: Session, verschil: Sequence[Sequence[Any]]) -> None:
    """Queue rows of (kubus, maand, a, b, c, aantal), in the caller's transaction."""
    if verschil:
        session.execute(ZET_IN, {"rijen": json.dumps(verschil)})


def vouw(engine: Engine) -> int:
    """Move every queued change into `telling_kubus`; answers how many queue rows it took.

    One transaction: a reader sees the changes queued or folded, not half of each. Two server
    processes folding at once cannot count a row twice: PostgreSQL's DELETE waits for the other
    transaction's lock on a row and then skips it as gone; SQLite has one writer at a time.
    """
    with new_session(engine, alleen_lezen=True) as session:
        if not session.execute(select(exists().select_from(wachtrij))).scalar():
            return 0  # nothing queued: no write lock taken, the usual case between bursts
    with new_session(engine) as session:
        teksten = session.execute(delete(wachtrij).returning(wachtrij.c.rijen)).scalars().all()
        samen: Counter[tuple[Any, ...]] = Counter()
        for tekst in teksten:
            for *sleutel, aantal in json.loads(tekst):
                samen[tuple(sleutel)] += aantal
        rijen = sorted((*s, n) for s, n in samen.items() if n)
        for begin in range(0, len(rijen), PER_STATEMENT):
            tel_op(session, TEL_OP_KUBUS, rijen[begin : begin + PER_STATEMENT])
        session.commit()
    return len(teksten)


def kubus_rijen(nummer: int, van: int, tot: int) -> Subquery:
    """The rows of one kubus for months `van` to `tot` (yyyymm): the sums and the queue."""
    rij = json_elementen(wachtrij.c.rijen).table_valued("value").alias("rij")

    def veld(i: int, soort: Any) -> Any:
        return cast(json_waarde(rij.c.value, literal(i, literal_execute=True)), soort)

    namen = ("kubus", "maand", "a", "b", "c", "aantal")
    soorten = (SmallInteger, Integer, String, String, String, Integer)
    velden = [veld(i, s).label(n) for i, (n, s) in enumerate(zip(namen, soorten, strict=True))]
    opgeteld = select(*(kubus.c[n] for n in namen)).where(
        kubus.c.kubus == nummer, kubus.c.maand.between(van, tot)
    )
    wachtend = (
        select(*velden)
        .select_from(wachtrij)
        .join(rij, true())
        .where(velden[0] == nummer, velden[1].between(van, tot))
    )
    return union_all(opgeteld, wachtend).subquery("kubus_rijen")


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
        while not self._stop.wait(self.seconden):
            try:
                vouw(self.engine)
            except Exception:
                # The queue stays as it was (the transaction rolled back) and reads stay exact;
                # the next round tries again.
                log.exception("De wachtrij van de tellingen kon niet worden verwerkt.")
