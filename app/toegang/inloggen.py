"""Signing in with name and password, slowed and then refused after repeated failures.

The counters live in the database so that every replica sees the same ones; they are keyed on
the name as typed, whether or not an account exists, so the answers never reveal that.
"""

import asyncio
import hashlib
import math
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from sqlalchemy import case, delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.kern.db import as_utc, new_session, tabel_van, upsert, utcnow
from app.kern.problems import NietIngelogd, Probleem
from app.kern.settings import Settings
from app.toegang.models import Account, Inlogpoging
from app.toegang.tokens import nieuw_token
from app.toegang.wachtwoorden import controleer_wachtwoord


class OnjuisteInlog(NietIngelogd):
    """A wrong name or password; the answer waits `vertraging` seconds first."""

    def __init__(self, vertraging: float) -> None:
        super().__init__("Onjuiste naam of wachtwoord.")
        self.vertraging = vertraging


class TeVeelPogingen(Probleem):
    status, soort, titel = 429, "te-veel-pogingen", "Te veel pogingen"

    def __init__(self, seconden: int) -> None:
        super().__init__(
            "Er is te vaak verkeerd ingelogd. Wacht even en probeer het daarna opnieuw.",
            headers={"Retry-After": str(seconden)},
        )


def _sleutel(soort: str, waarde: str) -> str:
    return hashlib.sha256(f"{soort}:{waarde}".encode()).hexdigest()


def _tel_mislukte_poging(session: Session, sleutel: str, nu: datetime, settings: Settings) -> int:
    """Count one failure atomically (several replicas may count at once); answers the count."""
    venster = nu - timedelta(minutes=settings.inlog_blokkade_minuten)
    tabel = tabel_van(Inlogpoging)
    nieuw_venster = tabel.c.eerste_op < venster
    opdracht = (
        upsert(tabel)
        .values(sleutel=sleutel, mislukt=1, eerste_op=nu)
        .on_conflict_do_update(
            index_elements=[tabel.c.sleutel],
            set_={
                "mislukt": case((nieuw_venster, 1), else_=tabel.c.mislukt + 1),
                "eerste_op": case((nieuw_venster, nu), else_=tabel.c.eerste_op),
            },
        )
        .returning(tabel.c.mislukt)
    )
    return int(session.execute(opdracht).scalar_one())


def vertraging(mislukt: int, settings: Settings) -> float:
    """How long the answer to a failed sign-in waits: from the third failure on, doubling to 8x."""
    if mislukt < 3:
        return 0.0
    return settings.inlog_vertraging_seconden * 2.0 ** min(mislukt - 3, 3)


def meld_aan(
    engine: Engine, settings: Settings, naam: str, wachtwoord: str, adres: str
) -> tuple[str, datetime]:
    """A new session token and its expiry, or 401 / 429 without saying which part was wrong.

    Blocking work, for a worker thread. A failure raises OnjuisteInlog carrying the delay: the
    caller waits that out without holding a thread, so guessers slow down only themselves.
    """
    nu = utcnow()
    limieten = {
        _sleutel("naam", naam.casefold()): settings.inlog_max_pogingen,
        _sleutel("adres", adres): settings.inlog_max_pogingen_per_adres,
    }
    with new_session(engine, alleen_lezen=True) as session:
        blokkades = [
            as_utc(p.geblokkeerd_tot)
            for p in session.exec(
                select(Inlogpoging).where(col(Inlogpoging.sleutel).in_(list(limieten)))
            )
            if p.geblokkeerd_tot is not None and as_utc(p.geblokkeerd_tot) > nu
        ]
        if blokkades:
            raise TeVeelPogingen(math.ceil((max(blokkades) - nu).total_seconds()))
        account_id, wachtwoord_hash = session.exec(
            select(Account.id, Account.wachtwoord_hash).where(
                Account.naam == naam, col(Account.actief).is_(True)
            )
        ).first() or (None, None)

    # The slow hash check runs outside any transaction: on SQLite a write lock held meanwhile
    # would make every registration wait for a guesser's password check.
    if not controleer_wachtwoord(wachtwoord_hash, wachtwoord):
        hoogste = 0
        with new_session(engine) as session:
            for sleutel, limiet in limieten.items():
                mislukt = _tel_mislukte_poging(session, sleutel, nu, settings)
                hoogste = max(hoogste, mislukt)
                if mislukt >= limiet:
                    blokkade = nu + timedelta(minutes=settings.inlog_blokkade_minuten)
                    session.execute(
                        update(Inlogpoging)
                        .where(col(Inlogpoging.sleutel) == sleutel)
                        .values(geblokkeerd_tot=blokkade, mislukt=0, eerste_op=nu)
                    )
            session.commit()
        raise OnjuisteInlog(vertraging(hoogste, settings))

    assert account_id is not None
    with new_session(engine) as session:
        session.execute(
            delete(Inlogpoging).where(col(Inlogpoging.sleutel) == _sleutel("naam", naam.casefold()))
        )
        verloopt_op = nu + timedelta(hours=settings.sessie_uren)
        houder = session.get(Account, account_id)
        assert houder is not None
        token = nieuw_token(session, houder, "sessie", verloopt_op)
        session.commit()
    return token, verloopt_op


# A sign-in checks an argon2id hash: tens of milliseconds of CPU. In threads of their own, a
# few at a time, a burst of sign-ins (a guesser) queues here and leaves the threads that every
# other request needs alone; more at once would not check faster on this many cores anyway.
_inlog_threads = ThreadPoolExecutor(min(4, os.cpu_count() or 1), thread_name_prefix="inloggen")


async def meld_aan_zonder_te_blokkeren(
    engine: Engine, settings: Settings, naam: str, wachtwoord: str, adres: str
) -> tuple[str, datetime]:
    """meld_aan in a sign-in thread; the delay after a failure is waited out on the event loop."""
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(
            _inlog_threads, meld_aan, engine, settings, naam, wachtwoord, adres
        )
    except OnjuisteInlog as fout:
        await asyncio.sleep(fout.vertraging)
        raise
