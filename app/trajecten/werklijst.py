"""The werklijst: trajecten, newest activity first, a page at a time."""

import uuid

from sqlmodel import Session, col, func, select

from app.toegang.deps import Gebruiker
from app.trajecten.models import Gesprek, GesprekVraagtype, Traject
from app.trajecten.schemas import TrajectSamenvatting, Werklijst
from app.trajecten.stand import overdracht_vereist, resterende_gesprekken


def werklijst(
    session: Session,
    gebruiker: Gebruiker,
    status: str | None,
    wijk: str | None,
    pagina: int,
    pagina_grootte: int,
) -> Werklijst:
    """Trajecten, newest activity first; a preventiewerker sees only their own."""
    filters = []
    if gebruiker.rol == "preventiewerker":
        filters.append(Traject.account_id == gebruiker.id)
    if status is not None:
        filters.append(Traject.status == status)
    if wijk is not None:
        filters.append(Traject.wijk == wijk)
    totaal = session.exec(select(func.count()).select_from(Traject).where(*filters)).one()
    aantal = func.count(col(Gesprek.id))
    laatste = func.max(Gesprek.datum)
    rijen = session.exec(
        select(Traject, aantal, laatste)
        .join(Gesprek, col(Gesprek.traject_id) == col(Traject.id))
        .where(*filters)
        .group_by(col(Traject.id))
        .order_by(laatste.desc(), col(Traject.aangemaakt_op).desc(), col(Traject.code))
        .offset((pagina - 1) * pagina_grootte)
        .limit(pagina_grootte)
    ).all()
    vraagtypen: dict[uuid.UUID, set[str]] = {t.id: set() for t, _, _ in rijen}
    if vraagtypen:
        for traject_id, vraagtype in session.exec(
            select(Gesprek.traject_id, GesprekVraagtype.vraagtype)
            .join(GesprekVraagtype, col(GesprekVraagtype.gesprek_id) == col(Gesprek.id))
            .where(col(Gesprek.traject_id).in_(list(vraagtypen)))
        ).all():
            vraagtypen[traject_id].add(vraagtype)
    return Werklijst(
        items=[
            TrajectSamenvatting(
                code=t.code,
                wijk=t.wijk,
                leeftijdsgroep=t.leeftijdsgroep,
                instroomroute=t.instroomroute,
                status=t.status,  # type: ignore[arg-type]
                aantal_gesprekken=n,
                resterende_gesprekken=resterende_gesprekken(t.status, n),
                overdracht_vereist=overdracht_vereist(t.status, n),
                aangemaakt_op=t.aangemaakt_op,
                laatste_gesprek_datum=laatste_datum,
                vraagtypen=sorted(vraagtypen[t.id]),
            )
            for t, n, laatste_datum in rijen
        ],
        totaal=totaal,
        pagina=pagina,
        pagina_grootte=pagina_grootte,
    )
