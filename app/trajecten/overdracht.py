"""How a traject ends: a warm handover (in a gesprek or on its own), or closing without one."""

import uuid

from sqlalchemy import bindparam
from sqlmodel import Session

from app.deps import AppContext
from app.kern.db import Uuid16, tabel_van, utcnow
from app.kern.problems import Conflict
from app.toegang.deps import Gebruiker
from app.trajecten.aankondiging import TrajectGewijzigd, kondig_aan
from app.trajecten.models import Overdracht, Traject
from app.trajecten.schemas import OverdrachtInvoer, Status, TrajectUit
from app.trajecten.stand import OverdrachtStand, TrajectStand, traject_uit, vind_traject


class TrajectAfgesloten(Conflict):
    soort, titel = "traject-afgesloten", "Traject is afgesloten"


_traject, _overdracht = tabel_van(Traject), tabel_van(Overdracht)
# Bound parameters of an UPDATE may not share a column's name: hence "traject_id_".
# Built once: constructing a statement costs more Python time than running it.
OVERDRACHT_INSERT = _overdracht.insert()
OVERDRACHT_UPDATE = (
    _overdracht.update()
    .where(_overdracht.c.traject_id == bindparam("traject_id_", type_=Uuid16))
    .values(
        doel=bindparam("doel"),
        warm=bindparam("warm"),
        status=bindparam("status"),
        bijgewerkt_op=bindparam("bijgewerkt_op"),
    )
)
TRAJECT_SLUIT = (
    _traject.update()
    .where(_traject.c.id == bindparam("traject_id_", type_=Uuid16))
    .values(status=bindparam("status"), afgesloten_op=bindparam("afgesloten_op"))
)


def sluit(session: Session, stand: TrajectStand, status: Status) -> None:
    """Close the traject as overgedragen or afgerond, now."""
    stand.status, stand.afgesloten_op = status, utcnow()
    session.execute(
        TRAJECT_SLUIT,
        {"traject_id_": stand.id, "status": status, "afgesloten_op": stand.afgesloten_op},
    )


def draag_over(
    session: Session,
    stand: TrajectStand,
    invoer: OverdrachtInvoer,
    gesprek_id: uuid.UUID | None = None,
) -> None:
    """Record a first handover (in gesprek `gesprek_id`, if any): the traject is overgedragen."""
    nu = utcnow()
    stand.overdracht = OverdrachtStand(
        doel=invoer.doel,
        warm=invoer.warm,
        status=invoer.status,
        gesprek_id=gesprek_id,
        vastgelegd_op=nu,
        bijgewerkt_op=nu,
    )
    session.execute(
        OVERDRACHT_INSERT,
        {"traject_id": stand.id, "gesprek_id": gesprek_id, "doel": invoer.doel,
         "warm": invoer.warm, "status": invoer.status, "vastgelegd_op": nu,
         "bijgewerkt_op": nu},
    )  # fmt: skip
    sluit(session, stand, "overgedragen")


def leg_overdracht_vast(
    session: Session,
    context: AppContext,
    gebruiker: Gebruiker,
    code: str,
    invoer: OverdrachtInvoer,
) -> TrajectUit:
    """Record or update the handover; recording it closes the traject as overgedragen."""
    stand = vind_traject(session, gebruiker, code, voor_update=True)
    if stand.status == "afgerond":
        raise TrajectAfgesloten(
            "Dit traject is al afgerond zonder overdracht. Is er toch een overdracht nodig, "
            "begin dan een nieuw traject."
        )
    overdracht = stand.overdracht
    if overdracht is None:
        draag_over(session, stand, invoer)
        kondig_aan(session, TrajectGewijzigd.van(stand, stand))
    elif (overdracht.doel, overdracht.warm, overdracht.status) != (
        invoer.doel,
        invoer.warm,
        invoer.status,
    ):
        overdracht.doel, overdracht.warm, overdracht.status = (
            invoer.doel,
            invoer.warm,
            invoer.status,
        )
        overdracht.bijgewerkt_op = utcnow()
        session.execute(
            OVERDRACHT_UPDATE,
            {"traject_id_": stand.id, "doel": invoer.doel, "warm": invoer.warm,
             "status": invoer.status, "bijgewerkt_op": overdracht.bijgewerkt_op},
        )  # fmt: skip
        kondig_aan(session, TrajectGewijzigd.van(stand, stand))
    session.commit()
    return traject_uit(context, stand)


def sluit_af(session: Session, context: AppContext, gebruiker: Gebruiker, code: str) -> TrajectUit:
    """Close without handover: the question was solved. Closing twice is harmless."""
    stand = vind_traject(session, gebruiker, code, voor_update=True)
    if stand.status == "overgedragen":
        raise TrajectAfgesloten(
            "Dit traject is al overgedragen en daarmee afgesloten; afsluiten is niet meer nodig."
        )
    if stand.status == "open":
        sluit(session, stand, "afgerond")
        kondig_aan(session, TrajectGewijzigd.van(stand, stand))
    session.commit()
    return traject_uit(context, stand)
