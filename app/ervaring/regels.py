"""Storing a filled-in questionnaire: own wijk, known questions, idempotent on the client's id."""

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.ervaring.models import ErvaringAntwoord, ErvaringRespons
from app.ervaring.schemas import AntwoordenInvoer, ResponsUit
from app.ervaring.vragenlijsten import Vragenlijst
from app.kern.db import utcnow
from app.kern.idempotentie import IdAlGebruikt, verzoek_hash
from app.kern.problems import InvalidParam, OngeldigeInvoer
from app.toegang.deps import Gebruiker

ONBEKENDE_VRAAG = "Onbekende vraag voor deze vragenlijst; de vragen staan in /vragenlijsten."


def _respons_uit(
    respons: ErvaringRespons, vragenlijst: Vragenlijst, antwoorden: dict[str, int | None]
) -> ResponsUit:
    return ResponsUit(
        id=respons.id,
        vragenlijst=respons.vragenlijst,
        wijk=respons.wijk,
        datum=respons.datum,
        # In the questionnaire's order, however the client sent them.
        antwoorden={v: antwoorden[v] for v in vragenlijst.vraagcodes if v in antwoorden},
    )


def registreer_antwoorden(
    session: Session, gebruiker: Gebruiker, vragenlijst: Vragenlijst, invoer: AntwoordenInvoer
) -> ResponsUit:
    """Store one filled-in questionnaire, or answer the stored one for a repeated request."""
    problemen: list[InvalidParam] = []
    if invoer.wijk not in gebruiker.wijken:
        problemen.append(InvalidParam(name="wijk", reason="Dit is niet een van uw eigen wijken."))
    problemen += [
        InvalidParam(name=f"antwoorden.{vraag}", reason=ONBEKENDE_VRAAG)
        for vraag in invoer.antwoorden
        if vraag not in vragenlijst.vraagcodes
    ]
    if problemen:
        raise OngeldigeInvoer(problemen)

    vingerafdruk = verzoek_hash(gebruiker, invoer, vragenlijst=vragenlijst.code)
    respons_id = invoer.id or uuid.uuid4()
    respons = ErvaringRespons(
        id=respons_id,
        vragenlijst=vragenlijst.code,
        wijk=invoer.wijk,
        datum=invoer.datum,
        account_id=gebruiker.id,
        verzoek_hash=vingerafdruk,
        aangemaakt_op=utcnow(),
    )
    try:
        session.add(respons)
        session.flush()
        session.add_all(
            ErvaringAntwoord(respons_id=respons_id, vraag=vraag, score=score)
            for vraag, score in invoer.antwoorden.items()
        )
        session.commit()
    except IntegrityError:
        # The primary key refuses an id that is taken (perhaps by this very request, sent
        # again after a lost answer); only then is the stored one looked up.
        session.rollback()
        bestaand = session.get(ErvaringRespons, respons_id)
        if bestaand is None:
            raise
        if bestaand.verzoek_hash != vingerafdruk:
            raise IdAlGebruikt(
                "Dit id is al gebruikt voor een andere ingevulde vragenlijst. "
                "Maak een nieuw id aan."
            ) from None
        rijen = session.exec(
            select(ErvaringAntwoord).where(ErvaringAntwoord.respons_id == bestaand.id)
        ).all()
        return _respons_uit(bestaand, vragenlijst, {a.vraag: a.score for a in rijen})
    return _respons_uit(respons, vragenlijst, invoer.antwoorden)
