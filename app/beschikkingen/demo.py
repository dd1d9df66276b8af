"""Plausible beschikkingen for a demonstration: every wijk and voorziening, slowly damping."""

import random

from sqlalchemy import select
from sqlmodel import Session

from app.beschikkingen.models import BeschikkingAantal
from app.beschikkingen.regels import vervang_jaar
from app.deps import AppContext
from app.kern.db import tabel_van

# Beschikkingen per 1,000 inwoners in a year, roughly as Dutch gemeenten report them.
PER_1000 = {
    "wmo_begeleiding": 9.0,
    "wmo_huishoudelijke_hulp": 22.0,
    "wmo_hulpmiddelen": 18.0,
    "wmo_dagbesteding": 5.0,
    "jeugdhulp_ambulant": 28.0,
    "jeugdhulp_verblijf": 2.0,
    "schuldhulpverlening": 3.5,
    "participatie": 6.0,
}
ANDERS_PER_1000 = 5.0  # a gemeente's own voorziening
DEMPING = 0.04  # less each year the neighbourhood approach runs


def _jaar(context: AppContext, jaar: int, seed: int) -> list[tuple[str, str, int]]:
    basisjaar = context.settings.beschikkingen_basisjaar
    rijen = []
    for wijk in context.indeling.codes:
        # The same wijk is the same size every year; only the year's noise differs.
        inwoners = random.Random(f"{seed}-inwoners-{wijk}").randint(2_000, 9_000)
        for code in context.codelijsten.codes("voorzieningen"):
            ruis = random.Random(f"{seed}-{jaar}-{wijk}-{code}").uniform(0.95, 1.05)
            demping = (1 - DEMPING) ** max(0, jaar - basisjaar)
            verwacht = inwoners / 1000 * PER_1000.get(code, ANDERS_PER_1000) * demping * ruis
            rijen.append((wijk, code, round(verwacht)))
    return rijen


def vul_demo(session: Session, context: AppContext, jaar: int, seed: int) -> int:
    """Replace `jaar` with demo counts, and fill the base year too if it is earlier and empty,
    so that the trend shows. Answers the number of rows written."""
    t = tabel_van(BeschikkingAantal)
    basisjaar = context.settings.beschikkingen_basisjaar
    jaren = [jaar]
    if basisjaar < jaar:
        gevuld = session.execute(select(t.c.jaar).where(t.c.jaar == basisjaar).limit(1)).first()
        if gevuld is None:
            jaren.append(basisjaar)
    aantal = 0
    for j in jaren:
        rijen = _jaar(context, j, seed)
        vervang_jaar(session, j, rijen)
        aantal += len(rijen)
    return aantal
