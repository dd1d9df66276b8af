"""Publish a batch of cells: the stored value where a cell was shown before, else a new one kept.

A cell's value is fixed the first time any route shows it. Without that, a registration or a
correction arriving late in a closed period would change the values of exactly the cells it
belongs to, and a reader comparing today's answer with yesterday's would see which they are.

A cell with nothing in it is not stored: it is hidden, and stays hidden until k registrations
arrive late in that one cell; storing the empty cells, most of a year's grid of about two
million, would cost far more than that risk is worth. A cell with 1 to k-1 is stored (hidden),
so that one late registration cannot bring it into view.
"""

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TypedDict

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.deps import AppContext
from app.kern.db import new_session, tabel_van, utcnow
from app.publicatie.models import PublicatieCel, PublicatieGeheim
from app.publicatie.ruis import Cel, celnaam, verstoor

CEL = tabel_van(PublicatieCel)
GEHEIM = tabel_van(PublicatieGeheim)
PER_KEER = 500  # keys per IN (...): well under SQLite's limit on bound parameters


class _CelRij(TypedDict):
    sleutel: str
    waarde: int | None
    vastgesteld_op: datetime


def _sleutel(naam: str) -> str:
    # 128 bits of SHA-256: no two of the few million cells of a year will ever share one.
    return hashlib.sha256(naam.encode()).hexdigest()[:32]


def _opgeslagen(session: Session, sleutels: Iterable[str]) -> dict[str, int | None]:
    lijst = list(sleutels)
    uit: dict[str, int | None] = {}
    for i in range(0, len(lijst), PER_KEER):
        rijen = session.execute(
            select(CEL.c.sleutel, CEL.c.waarde).where(CEL.c.sleutel.in_(lijst[i : i + PER_KEER]))
        )
        uit.update({s: w for s, w in rijen})
    return uit


def _geheim(session: Session) -> bytes:
    """The secret, made once; two processes making it at once keep whichever came first."""
    gevonden = session.execute(select(GEHEIM.c.waarde).where(GEHEIM.c.id == 1)).scalar()
    if gevonden is None:
        try:
            session.execute(insert(GEHEIM).values(id=1, waarde=secrets.token_hex(32)))
            session.flush()
        except IntegrityError:
            session.rollback()
        gevonden = session.execute(select(GEHEIM.c.waarde).where(GEHEIM.c.id == 1)).scalar_one()
    return bytes.fromhex(gevonden)


def publiceer(
    session: Session, context: AppContext, cellen: Mapping[Cel, int], ook_leeg: bool = False
) -> dict[Cel, int | None]:
    """The published value of every cell, from the store or made now and stored.

    Reads in the request's session; only when a cell is new does a write transaction of its own
    store it (the request's session may be read-only). `ook_leeg` stores empty cells too: for a
    small table whose counts can be replaced wholesale (an imported file), where a 0 filled by
    a new upload would otherwise come into view.
    """
    namen = {c: celnaam(c) for c in cellen}
    sleutels = {c: _sleutel(n) for c, n in namen.items()}
    bekend = _opgeslagen(session, sleutels.values())
    nieuw = [c for c in cellen if sleutels[c] not in bekend]
    if not ook_leeg and all(cellen[c] == 0 for c in nieuw):
        return {c: bekend.get(sleutels[c]) for c in cellen}
    k = context.settings.min_cel
    while nieuw:
        with new_session(context.engine) as schrijver:
            geheim = _geheim(schrijver)
            # Under the write lock (SQLite) another process may have stored some meanwhile.
            bekend |= _opgeslagen(schrijver, (sleutels[c] for c in nieuw))
            nieuw = [c for c in nieuw if sleutels[c] not in bekend]
            leeg = set() if ook_leeg else {c for c in nieuw if cellen[c] == 0}
            bekend |= {sleutels[c]: None for c in leeg}
            rijen: list[_CelRij] = [
                {
                    "sleutel": sleutels[c],
                    "waarde": verstoor(geheim, namen[c], cellen[c], k),
                    "vastgesteld_op": utcnow(),
                }
                for c in nieuw
                if c not in leeg
            ]
            try:
                if rijen:
                    schrijver.execute(insert(CEL), rijen)
                schrijver.commit()
            except IntegrityError:
                # PostgreSQL: another request stored some of these first. Theirs count; read
                # them and try again with what is still missing.
                schrijver.rollback()
                continue
            bekend |= {r["sleutel"]: r["waarde"] for r in rijen}
            nieuw = []
    return {c: bekend[sleutels[c]] for c in cellen}
