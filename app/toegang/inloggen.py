"""Signing in with name and password, slowed and then refused after repeated failures.

The counters live in the database so that every replica sees the same ones; they are keyed on
the name as typed, whether or not an account exists, so the answers never reveal that.
"""

import hashlib
import math
import time
from datetime import datetime, timedelta

from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from app.db import as_utc, utcnow
from app.problems import NietIngelogd, Probleem
from app.settings import Settings
from app.toegang.models import Account, Inlogpoging
from app.toegang.tokens import nieuw_token
from app.toegang.wachtwoorden import controleer_wachtwoord


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
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    tabel = Inlogpoging.__table__  # type: ignore[attr-defined]
    nieuw_venster = tabel.c.eerste_op < venster
    opdracht = (
        dialect.insert(tabel)
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


def meld_aan(
    session: Session, settings: Settings, naam: str, wachtwoord: str, adres: str
) -> tuple[str, datetime]:
    """A new session token and its expiry, or 401 / 429 without saying which part was wrong."""
    nu = utcnow()
    limieten = {
        _sleutel("naam", naam.casefold()): settings.inlog_max_pogingen,
        _sleutel("adres", adres): settings.inlog_max_pogingen_per_adres,
    }
    blokkades = [
        as_utc(p.geblokkeerd_tot)
        for p in session.exec(
            select(Inlogpoging).where(col(Inlogpoging.sleutel).in_(list(limieten)))
        )
        if p.geblokkeerd_tot is not None and as_utc(p.geblokkeerd_tot) > nu
    ]
    if blokkades:
        raise TeVeelPogingen(math.ceil((max(blokkades) - nu).total_seconds()))

    account = session.exec(
        select(Account).where(Account.naam == naam, col(Account.actief).is_(True))
    ).first()
    if not controleer_wachtwoord(account.wachtwoord_hash if account else None, wachtwoord):
        hoogste = 0
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
        # From the third failure on, each answer comes a little later (at most 8 steps).
        if hoogste >= 3:
            time.sleep(settings.inlog_vertraging_seconden * 2 ** min(hoogste - 3, 3))
        raise NietIngelogd("Onjuiste naam of wachtwoord.")

    session.execute(
        delete(Inlogpoging).where(col(Inlogpoging.sleutel) == _sleutel("naam", naam.casefold()))
    )
    verloopt_op = nu + timedelta(hours=settings.sessie_uren)
    token = nieuw_token(session, account, "sessie", verloopt_op)  # type: ignore[arg-type]
    session.commit()
    return token, verloopt_op
