"""Plausible synthetic activities for a demonstration year (`make demo`).

Larger wijken have more going on, summer holidays and the weeks around Christmas are quiet,
and each soort has its own rhythm (a weekly inloop against a single voorlichtingsavond).
"""

import hashlib
import random
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from app.activiteiten.models import INITIATIEVEN, Activiteit
from app.analyse.demo import MAANDGEWICHT, demo_accounts
from app.deps import AppContext
from app.kern.db import tabel_van
from app.kern.idempotentie import VERZOEK_HASH_BYTES

# Activities a year in a wijk of one buurt; every further buurt adds as many again.
PER_BUURT = 6
# (bijeenkomsten, deelnemers, vrijwilligers) ranges per soort; soorten of another gemeente's
# list get the middle row.
PROFIEL: dict[str, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    "ontmoeting": ((10, 48), (8, 40), (2, 8)),
    "bewegen": ((8, 40), (6, 25), (1, 4)),
    "cursus": ((4, 10), (6, 16), (0, 2)),
    "voorlichting": ((1, 2), (10, 60), (0, 2)),
    "jeugdactiviteit": ((1, 20), (10, 80), (2, 10)),
    "mantelzorg": ((4, 12), (5, 20), (0, 3)),
    "buurtinitiatief": ((1, 6), (15, 150), (3, 15)),
    "spreekuur": ((20, 50), (10, 60), (0, 1)),
}
GEWONE_SOORT = ((2, 12), (8, 40), (0, 4))
# Who takes the initiative, per soort: a buurtinitiatief is the residents' by nature.
INITIATIEFGEWICHT = {"buurtinitiatief": (8, 0, 2), "spreekuur": (0, 9, 1)}
GEWOON_INITIATIEF = (3, 4, 3)


def vul_demo(session: Session, context: AppContext, jaar: int, seed: int) -> int:
    """Add a year of activities for every wijk; answers how many rows were added."""
    rnd = random.Random(f"activiteiten-{jaar}-{seed}")
    laatste = min(date(jaar, 12, 31), context.vandaag() - timedelta(days=1))
    if laatste < date(jaar, 1, 1):
        return 0
    dagen = [date(jaar, 1, 1) + timedelta(days=i) for i in range(laatste.timetuple().tm_yday)]
    # Fewer on Sundays; the month weights are the contact registrations' (same season).
    daggewicht = [MAANDGEWICHT[d.month - 1] * (0.3 if d.weekday() == 6 else 1) for d in dagen]
    soorten = context.codelijsten.codes("activiteitsoorten")
    soortgewicht = [3 if s in ("ontmoeting", "bewegen", "spreekuur") else 2 for s in soorten]
    accounts = demo_accounts(session, context.indeling)
    verzoek_hash = hashlib.sha256(b"demo").digest()[:VERZOEK_HASH_BYTES]
    # A year cut short (the demo year is this year) gets its share of activities.
    deel = len(dagen) / (366 if jaar % 4 == 0 else 365)
    rijen = []
    for wijk in context.indeling.wijken:
        aantal = round(PER_BUURT * len(wijk.buurtcodes) * deel * rnd.uniform(0.8, 1.2))
        for datum in rnd.choices(dagen, weights=daggewicht, k=aantal):
            soort = rnd.choices(soorten, weights=soortgewicht)[0]
            bijeenkomsten, deelnemers, vrijwilligers = (
                rnd.randint(*bereik) for bereik in PROFIEL.get(soort, GEWONE_SOORT)
            )
            initiatief = rnd.choices(
                INITIATIEVEN, weights=INITIATIEFGEWICHT.get(soort, GEWOON_INITIATIEF)
            )[0]
            rijen.append(
                {
                    "id": uuid.UUID(int=rnd.getrandbits(128), version=4),
                    "wijk": wijk.code,
                    "datum": datum,
                    "soort": soort,
                    "bijeenkomsten": bijeenkomsten,
                    "deelnemers": deelnemers,
                    "vrijwilligers": vrijwilligers,
                    "initiatief": initiatief,
                    "account_id": accounts[wijk.code],
                    "verzoek_hash": verzoek_hash,
                    "aangemaakt_op": datetime(datum.year, datum.month, datum.day, 12, tzinfo=UTC),
                }
            )
    if rijen:
        session.execute(tabel_van(Activiteit).insert(), rijen)
    session.commit()
    return len(rijen)
