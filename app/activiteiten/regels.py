"""The rules of a collective activity: registering (idempotent), reading, correcting, withdrawing.

Who may do what: a preventiewerker registers in their own wijken and sees the activities of
those wijken (the lokaal team shares them); the kwartiermaker registers in any wijk and sees all.
Only whoever registered an activity corrects or withdraws it, within the correction period, as
for trajecten: the kwartiermaker too corrects only their own, so that nobody's registration is
changed behind their back; after the period the kwartiermaker asks the author, or the operator
repairs it.
"""

import csv
import io
import uuid
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, or_, select

from app.activiteiten.models import Activiteit
from app.activiteiten.schemas import (
    ActiviteitCorrectie,
    Activiteitenlijst,
    ActiviteitInvoer,
    ActiviteitUit,
)
from app.audit.models import schrijf_audit
from app.deps import AppContext
from app.kern.db import utcnow
from app.kern.idempotentie import IdAlGebruikt, verzoek_hash
from app.kern.problems import GeenToegang, InvalidParam, NietGevonden, OngeldigeInvoer
from app.toegang.deps import Gebruiker
from app.trajecten.correcties import binnen_correctietermijn

NIET_GEVONDEN = "Er is geen activiteit met dit id die u mag zien. Controleer het id."
NIET_EIGEN_WIJK = "Dit is niet een van uw eigen wijken."
CSV_KOLOMMEN = (
    "id", "wijk", "datum", "soort", "bijeenkomsten", "deelnemers", "vrijwilligers",
    "initiatief", "aangemaaktOp",
)  # fmt: skip


def _mag_zien(gebruiker: Gebruiker, activiteit: Activiteit) -> bool:
    return (
        gebruiker.rol == "kwartiermaker"
        or activiteit.wijk in gebruiker.wijken
        or activiteit.account_id == gebruiker.id
    )


def _eigen_wijk(gebruiker: Gebruiker, wijk: str) -> None:
    if gebruiker.rol == "preventiewerker" and wijk not in gebruiker.wijken:
        raise OngeldigeInvoer([InvalidParam(name="wijk", reason=NIET_EIGEN_WIJK)])


def activiteit_uit(activiteit: Activiteit) -> ActiviteitUit:
    return ActiviteitUit.model_validate(activiteit, from_attributes=True)


def registreer_activiteit(
    session: Session, gebruiker: Gebruiker, invoer: ActiviteitInvoer
) -> ActiviteitUit:
    """A new activity, or the stored one when this exact request was handled before."""
    _eigen_wijk(gebruiker, invoer.wijk)
    vingerafdruk = verzoek_hash(gebruiker, invoer)
    activiteit = Activiteit(
        **invoer.model_dump(exclude={"id"}),
        id=invoer.id or uuid.uuid4(),
        account_id=gebruiker.id,
        verzoek_hash=vingerafdruk,
        aangemaakt_op=utcnow(),
    )
    session.add(activiteit)
    try:
        # Inserted straight away: a retry is rare, and the primary key tells it (even a retry
        # racing the original) apart; only then is the stored one looked up.
        session.commit()
    except IntegrityError:
        session.rollback()
        bestaand = session.get(Activiteit, activiteit.id)
        if bestaand is None or bestaand.verzoek_hash != vingerafdruk:
            raise IdAlGebruikt(
                "Dit id is al gebruikt voor een andere registratie. Maak een nieuw id aan."
            ) from None
        activiteit = bestaand
    return activiteit_uit(activiteit)


def _vind(
    session: Session, gebruiker: Gebruiker, id: uuid.UUID, voor_update: bool = False
) -> Activiteit:
    query = select(Activiteit).where(Activiteit.id == id)
    if voor_update:
        # Serialises changes to one activity on PostgreSQL; SQLite's BEGIN IMMEDIATE does so
        # for the whole database.
        query = query.with_for_update()
    activiteit = session.exec(query).first()
    # Someone else's activity is answered like a missing one: its existence says nothing.
    if activiteit is None or not _mag_zien(gebruiker, activiteit):
        raise NietGevonden(NIET_GEVONDEN)
    return activiteit


def lees_activiteit(session: Session, gebruiker: Gebruiker, id: uuid.UUID) -> ActiviteitUit:
    return activiteit_uit(_vind(session, gebruiker, id))


def lijst_activiteiten(
    session: Session,
    gebruiker: Gebruiker,
    wijk: str | None,
    jaar: int | None,
    pagina: int,
    pagina_grootte: int,
) -> Activiteitenlijst:
    """Activities, newest first; a preventiewerker sees those of their own wijken."""
    filters: list[Any] = []
    if gebruiker.rol != "kwartiermaker":
        filters.append(
            or_(
                col(Activiteit.wijk).in_(sorted(gebruiker.wijken)),
                col(Activiteit.account_id) == gebruiker.id,
            )
        )
    if wijk is not None:
        filters.append(col(Activiteit.wijk) == wijk)
    if jaar is not None:
        filters.append(col(Activiteit.datum).between(date(jaar, 1, 1), date(jaar, 12, 31)))
    totaal = session.exec(select(func.count()).select_from(Activiteit).where(*filters)).one()
    rijen = session.exec(
        select(Activiteit)
        .where(*filters)
        .order_by(
            col(Activiteit.datum).desc(), col(Activiteit.aangemaakt_op).desc(), col(Activiteit.id)
        )
        .offset((pagina - 1) * pagina_grootte)
        .limit(pagina_grootte)
    ).all()
    return Activiteitenlijst(
        items=[activiteit_uit(a) for a in rijen],
        totaal=totaal,
        pagina=pagina,
        pagina_grootte=pagina_grootte,
    )


def als_csv(lijst: Activiteitenlijst) -> str:
    """The same rows as CSV (RFC 4180): a header row, then one line per activity."""
    uit = io.StringIO()
    schrijver = csv.writer(uit, lineterminator="\r\n")
    schrijver.writerow(CSV_KOLOMMEN)
    for item in lijst.items:
        velden = item.model_dump(mode="json", by_alias=True)
        schrijver.writerow([velden[k] for k in CSV_KOLOMMEN])
    return uit.getvalue()


def _alleen_auteur(gebruiker: Gebruiker, activiteit: Activiteit) -> None:
    if activiteit.account_id != gebruiker.id:
        raise GeenToegang(
            "Alleen wie deze activiteit registreerde, kan haar corrigeren of intrekken."
        )


def _waarde(waarde: Any) -> Any:
    return waarde.isoformat() if isinstance(waarde, date) else waarde


def corrigeer_activiteit(
    session: Session,
    context: AppContext,
    gebruiker: Gebruiker,
    id: uuid.UUID,
    invoer: ActiviteitCorrectie,
) -> ActiviteitUit:
    activiteit = _vind(session, gebruiker, id, voor_update=True)
    _alleen_auteur(gebruiker, activiteit)
    binnen_correctietermijn(context, activiteit.aangemaakt_op, "Een activiteit")
    if invoer.wijk is not None:
        _eigen_wijk(gebruiker, invoer.wijk)
    wijzigingen = []
    # Model order, not the order the client sent: the audit line reads the same every time.
    for veld in ActiviteitCorrectie.model_fields:
        nieuw = getattr(invoer, veld)
        oud = getattr(activiteit, veld)
        if veld in invoer.model_fields_set and nieuw is not None and nieuw != oud:
            wijzigingen.append({"veld": veld, "oud": _waarde(oud), "nieuw": _waarde(nieuw)})
            setattr(activiteit, veld, nieuw)
    if wijzigingen:
        session.add(activiteit)
        schrijf_audit(
            session, "activiteit_gecorrigeerd", gebruiker.id, str(activiteit.id), wijzigingen
        )
        session.commit()
    return activiteit_uit(activiteit)


def trek_activiteit_in(
    session: Session, context: AppContext, gebruiker: Gebruiker, id: uuid.UUID
) -> None:
    """Withdraw an activity registered by mistake; the audit trail keeps what it held."""
    activiteit = _vind(session, gebruiker, id, voor_update=True)
    _alleen_auteur(gebruiker, activiteit)
    binnen_correctietermijn(context, activiteit.aangemaakt_op, "Een activiteit")
    schrijf_audit(
        session,
        "activiteit_ingetrokken",
        gebruiker.id,
        str(activiteit.id),
        [
            {"veld": veld, "oud": _waarde(getattr(activiteit, veld)), "nieuw": None}
            for veld in ActiviteitCorrectie.model_fields
        ],
    )
    session.delete(activiteit)
    session.commit()
