"""Gesprekken of a traject: the five-conversation limit, the date order, registering one.

The limit is also a database constraint (see models), so that concurrent requests cannot get
past it either.
"""

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.deps import AppContext
from app.kern.db import tabel_van, utcnow
from app.kern.idempotentie import IdAlGebruikt, verzoek_hash
from app.kern.problems import Conflict, InvalidParam, OngeldigeInvoer
from app.toegang.deps import Gebruiker
from app.trajecten.aankondiging import TrajectGewijzigd, kondig_aan
from app.trajecten.codes import normaliseer_code
from app.trajecten.models import MAX_GESPREKKEN, Gesprek, GesprekVraagtype, Traject
from app.trajecten.overdracht import TrajectAfgesloten, draag_over
from app.trajecten.schemas import GesprekInvoer, TrajectUit
from app.trajecten.stand import GesprekStand, TrajectStand, traject_uit, vind_traject


class GesprekkenlimietBereikt(Conflict):
    soort, titel = "gesprekkenlimiet-bereikt", "Gesprekkenlimiet bereikt"


LIMIET_UITLEG = (
    f"Dit traject heeft al {MAX_GESPREKKEN} gesprekken, het maximum voor lichte ondersteuning. "
    "Leg een warme overdracht vast (PUT /api/v1/trajecten/{code}/overdracht) naar een passende "
    "voorziening, of sluit het traject af als de vraag is opgelost."
)

# Built once: constructing a statement costs more Python time than running it.
GESPREK_INSERT = tabel_van(Gesprek).insert()
VRAAGTYPE_INSERT = tabel_van(GesprekVraagtype).insert()


def voeg_gesprek_toe(
    session: Session,
    gebruiker: Gebruiker,
    stand: TrajectStand,
    invoer: GesprekInvoer,
    vingerafdruk: bytes,
) -> None:
    """Insert the next gesprek (and the handover it records) and add it to the traject's state.

    Plain inserts, not the ORM's unit of work: this is the path every registration takes.
    """
    gesprek = GesprekStand(
        id=invoer.id or uuid.uuid4(),
        volgnummer=len(stand.gesprekken) + 1,
        datum=invoer.datum,
        locatie=invoer.locatie,
        afhandeling=invoer.afhandeling,
        vraagtypen=sorted(invoer.vraagtypen),
        account_id=gebruiker.id,
        verzoek_hash=vingerafdruk,
        aangemaakt_op=utcnow(),
    )
    session.execute(
        GESPREK_INSERT,
        {"id": gesprek.id, "traject_id": stand.id, "volgnummer": gesprek.volgnummer,
         "datum": gesprek.datum, "locatie": gesprek.locatie, "afhandeling": gesprek.afhandeling,
         "account_id": gesprek.account_id, "verzoek_hash": gesprek.verzoek_hash,
         "aangemaakt_op": gesprek.aangemaakt_op},
    )  # fmt: skip
    session.execute(
        VRAAGTYPE_INSERT, [{"gesprek_id": gesprek.id, "vraagtype": v} for v in gesprek.vraagtypen]
    )
    stand.gesprekken.append(gesprek)
    if invoer.overdracht is not None:
        # Only a warm handover changes a traject's status through a gesprek.
        draag_over(session, stand, invoer.overdracht, gesprek.id)


def registreer_gesprek(
    session: Session,
    context: AppContext,
    gebruiker: Gebruiker,
    code: str,
    invoer: GesprekInvoer,
) -> TrajectUit:
    """A follow-up gesprek; answers the traject (also for a repeated request)."""
    vingerafdruk = verzoek_hash(gebruiker, invoer)
    for _poging in range(3):
        try:
            return _registreer_gesprek(session, context, gebruiker, code, invoer, vingerafdruk)
        except IntegrityError:
            session.rollback()
            # The gesprek's id is taken by another traject; or this request lost a race for the
            # same volgnummer, and looking again sees the winner.
            if invoer.id is not None and (bestaand := session.get(Gesprek, invoer.id)):
                traject = session.get(Traject, bestaand.traject_id)
                if traject is None or traject.code != normaliseer_code(code):
                    raise IdAlGebruikt(
                        "Dit id is al gebruikt voor een ander gesprek. Maak een nieuw id aan."
                    ) from None
    raise GesprekkenlimietBereikt(LIMIET_UITLEG)


def _registreer_gesprek(
    session: Session,
    context: AppContext,
    gebruiker: Gebruiker,
    code: str,
    invoer: GesprekInvoer,
    vingerafdruk: bytes,
) -> TrajectUit:
    stand = vind_traject(session, gebruiker, code, voor_update=True)
    if invoer.id is not None and (
        bestaand := next((g for g in stand.gesprekken if g.id == invoer.id), None)
    ):
        if bestaand.verzoek_hash != vingerafdruk:
            raise IdAlGebruikt(
                "Dit id is al gebruikt voor een ander gesprek. Maak een nieuw id aan."
            )
        session.commit()
        return traject_uit(context, stand)
    controleer_vervolg(stand, invoer)
    voeg_gesprek_toe(session, gebruiker, stand, invoer, vingerafdruk)
    kondig_aan(session, TrajectGewijzigd.van(stand, stand))
    session.commit()
    return traject_uit(context, stand)


def controleer_vervolg(stand: TrajectStand, invoer: GesprekInvoer) -> None:
    """May this gesprek follow: the traject open, under the limit, the date not before the last."""
    if stand.status == "overgedragen":
        raise TrajectAfgesloten(
            "Dit traject is overgedragen; er kunnen geen gesprekken meer bij. Komt de inwoner "
            "terug met een nieuwe vraag, begin dan een nieuw traject."
        )
    if stand.status == "afgerond":
        raise TrajectAfgesloten(
            "Dit traject is afgerond; er kunnen geen gesprekken meer bij. Komt de inwoner terug "
            "met een nieuwe vraag, begin dan een nieuw traject."
        )
    if len(stand.gesprekken) >= MAX_GESPREKKEN:
        raise GesprekkenlimietBereikt(LIMIET_UITLEG.replace("{code}", stand.code))
    vorige_datum = max((g.datum for g in stand.gesprekken), default=None)
    if vorige_datum is not None and invoer.datum < vorige_datum:
        raise OngeldigeInvoer(
            [
                InvalidParam(
                    name="datum",
                    reason="De datum ligt vóór het vorige gesprek van dit traject "
                    f"({vorige_datum:%d-%m-%Y}).",
                )
            ]
        )
