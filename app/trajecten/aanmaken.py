"""The first gesprek with a resident starts a traject; idempotent, for a form that retries."""

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.deps import AppContext
from app.kern.db import tabel_van, utcnow
from app.kern.idempotentie import IdAlGebruikt, verzoek_hash
from app.kern.problems import InvalidParam, OngeldigeInvoer
from app.toegang.deps import Gebruiker
from app.trajecten.aankondiging import TrajectGewijzigd, kondig_aan
from app.trajecten.codes import nieuwe_code
from app.trajecten.gesprekken import voeg_gesprek_toe
from app.trajecten.models import Gesprek, Traject
from app.trajecten.schemas import TrajectInvoer, TrajectUit
from app.trajecten.stand import TrajectStand, laad_traject, traject_uit

# Built once: constructing a statement costs more Python time than running it.
TRAJECT_INSERT = tabel_van(Traject).insert()


def registreer_traject(
    session: Session, context: AppContext, gebruiker: Gebruiker, invoer: TrajectInvoer
) -> TrajectUit:
    """First gesprek with a resident: a new traject, or the stored one for a repeated request."""
    vingerafdruk = verzoek_hash(gebruiker, invoer)
    if invoer.wijk not in gebruiker.wijken:
        raise OngeldigeInvoer(
            [InvalidParam(name="wijk", reason="Dit is niet een van uw eigen wijken.")]
        )
    for _poging in range(8):
        stand = TrajectStand(
            id=invoer.id or uuid.uuid4(),
            code=nieuwe_code(),
            wijk=invoer.wijk,
            leeftijdsgroep=invoer.leeftijdsgroep,
            instroomroute=invoer.instroomroute,
            status="open",
            account_id=gebruiker.id,
            verzoek_hash=vingerafdruk,
            aangemaakt_op=utcnow(),
            afgesloten_op=None,
        )
        try:
            # Inserted straight away: a retry of a stored request, or an id that is taken, is
            # rare, and the primary keys refuse it; only then is it looked up (below).
            session.execute(
                TRAJECT_INSERT,
                {"id": stand.id, "code": stand.code, "wijk": stand.wijk,
                 "leeftijdsgroep": stand.leeftijdsgroep, "instroomroute": stand.instroomroute,
                 "status": stand.status, "account_id": stand.account_id,
                 "verzoek_hash": stand.verzoek_hash, "aangemaakt_op": stand.aangemaakt_op,
                 "afgesloten_op": None},
            )  # fmt: skip
            voeg_gesprek_toe(session, gebruiker, stand, invoer.gesprek, vingerafdruk)
            kondig_aan(session, TrajectGewijzigd.nieuw(stand))
            session.commit()
        except IntegrityError:
            session.rollback()
            # A retry of the same request (perhaps simultaneous), an id clash, or (rarely) a
            # code clash, which the next attempt resolves with another code.
            if (eerder := _eerder_opgeslagen(session, invoer, vingerafdruk)) is not None:
                session.commit()
                return traject_uit(context, eerder)
            continue
        # A new traject holds exactly what was just written: answer that, no read-back.
        return traject_uit(context, stand)
    raise RuntimeError("geen vrije trajectcode gevonden")


def _eerder_opgeslagen(
    session: Session, invoer: TrajectInvoer, vingerafdruk: bytes
) -> TrajectStand | None:
    """The stored traject if this exact request was handled before; 409 if its ids clash."""
    # Gesprek first: traject and gesprek commit together, so once the gesprek is visible the
    # traject is too, and a retry racing the original is recognised as a retry.
    gesprek_bestaat = (
        invoer.gesprek.id is not None and session.get(Gesprek, invoer.gesprek.id) is not None
    )
    if invoer.id is not None and (bestaand := laad_traject(session, id=invoer.id)) is not None:
        if bestaand.verzoek_hash != vingerafdruk:
            raise IdAlGebruikt(
                "Dit id is al gebruikt voor een andere registratie. Maak een nieuw id aan."
            )
        return bestaand
    if gesprek_bestaat:
        raise IdAlGebruikt("Het id van het gesprek is al gebruikt. Maak een nieuw id aan.")
    return None
