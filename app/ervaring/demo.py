"""Plausible synthetic answers to every questionnaire in every wijk, for demonstrations."""

import hashlib
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from app.analyse.demo import demo_accounts
from app.deps import AppContext
from app.ervaring.models import ErvaringAntwoord, ErvaringRespons
from app.ervaring.vragenlijsten import SCORES
from app.kern.db import tabel_van
from app.kern.idempotentie import VERZOEK_HASH_BYTES

# Respondents per wijk and year: many residents, a handful of partners, the wijk's own workers.
AANTAL = {"inwoners": (10, 40), "partners": (3, 12), "preventiewerkers": (2, 5)}
ANDERS = (3, 10)  # a gemeente's own questionnaire
# Mostly 3 to 5, as in such monitors, some wijken a little better or worse than others; 'weet
# niet' now and then.
SCOREGEWICHTEN = ([4, 12, 32, 36, 16], [2, 6, 22, 42, 28], [1, 3, 15, 41, 40])
WEET_NIET_KANS = 0.06


def vul_demo(session: Session, context: AppContext, jaar: int, seed: int) -> int:
    """Add answers dated in `jaar` (up to yesterday); answers the number of rows added."""
    # The year is part of the seed: the lead fills two years with one seed, and the ids of
    # the second must not repeat those of the first.
    rnd = random.Random(f"ervaring-{seed}-{jaar}")
    eerste = max(date(jaar, 1, 1), context.settings.startdatum)
    laatste = min(date(jaar, 12, 31), context.vandaag() - timedelta(days=1))
    if laatste < eerste:
        return 0
    dagen = (laatste - eerste).days
    accounts = demo_accounts(session, context.indeling)
    vingerafdruk = hashlib.sha256(b"demo").digest()[:VERZOEK_HASH_BYTES]
    respons_tabel = tabel_van(ErvaringRespons)
    antwoord_tabel = tabel_van(ErvaringAntwoord)
    responsen: list[dict[str, object]] = []
    antwoorden: list[dict[str, object]] = []
    for wijk in context.indeling.codes:
        for vragenlijst in context.vragenlijsten.lijsten:
            gewicht = rnd.choice(SCOREGEWICHTEN)
            for _ in range(rnd.randint(*AANTAL.get(vragenlijst.code, ANDERS))):
                respons_id = uuid.UUID(int=rnd.getrandbits(128), version=4)
                datum = eerste + timedelta(days=rnd.randint(0, dagen))
                responsen.append(
                    {
                        "id": respons_id,
                        "vragenlijst": vragenlijst.code,
                        "wijk": wijk,
                        "datum": datum,
                        "account_id": accounts[wijk],
                        "verzoek_hash": vingerafdruk,
                        "aangemaakt_op": datetime.combine(datum, time(12), UTC),
                    }
                )
                for vraag in vragenlijst.vraagcodes:
                    score = (
                        None
                        if rnd.random() < WEET_NIET_KANS
                        else rnd.choices(SCORES, weights=gewicht)[0]
                    )
                    antwoorden.append({"respons_id": respons_id, "vraag": vraag, "score": score})
    if responsen:
        session.execute(respons_tabel.insert(), responsen)
        session.execute(antwoord_tabel.insert(), antwoorden)
    session.commit()
    return len(responsen) + len(antwoorden)
