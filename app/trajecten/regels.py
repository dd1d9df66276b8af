"""The rules of a traject: registering gesprekken, the five-conversation limit, handover, closing.

Routes call one function here each; every rule lives in one place. The limit is also a database
constraint (see models), so that concurrent requests cannot get past it either.
"""

import json
import uuid
from typing import Any

import sqlalchemy
from sqlalchemy import bindparam, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app.analyse import onderhoud
from app.analyse.models import AnalyseTraject
from app.deps import AppContext
from app.kern.db import tabel_van, utcnow
from app.kern.idempotentie import IdAlGebruikt, verzoek_hash
from app.kern.problems import Conflict, GeenToegang, InvalidParam, NietGevonden, OngeldigeInvoer
from app.toegang.deps import Gebruiker
from app.trajecten.codes import nieuwe_code, normaliseer_code
from app.trajecten.models import MAX_GESPREKKEN, Gesprek, GesprekVraagtype, Overdracht, Traject
from app.trajecten.schemas import (
    GesprekInvoer,
    GesprekUit,
    OverdrachtInvoer,
    OverdrachtUit,
    TrajectInvoer,
    TrajectSamenvatting,
    TrajectUit,
    Werklijst,
)


class GesprekkenlimietBereikt(Conflict):
    soort, titel = "gesprekkenlimiet-bereikt", "Gesprekkenlimiet bereikt"


class TrajectAfgesloten(Conflict):
    soort, titel = "traject-afgesloten", "Traject is afgesloten"


LIMIET_UITLEG = (
    f"Dit traject heeft al {MAX_GESPREKKEN} gesprekken, het maximum voor lichte ondersteuning. "
    "Leg een warme overdracht vast (PUT /api/v1/trajecten/{code}/overdracht) naar een passende "
    "voorziening, of sluit het traject af als de vraag is opgelost."
)


def _traject_voor_vervolg() -> Any:
    """A traject by code, locked, with its gesprekken, vraagtypen, overdracht and counters.

    One round trip for all a follow-up needs: the access check, the count, the last date,
    whether its client id was used here before, everything the answer shows, and what the
    traject holds in the analysis counters (so that they need not be read back after writing).
    """
    t, g, gv, o = (tabel_van(m) for m in (Traject, Gesprek, GesprekVraagtype, Overdracht))
    a = tabel_van(AnalyseTraject)
    return (
        # SQLAlchemy's select: sqlmodel's is typed for at most four columns.
        sqlalchemy.select(
            t.c.id.label("t_id"), t.c.code, t.c.wijk, t.c.leeftijdsgroep, t.c.instroomroute,
            t.c.status.label("t_status"), t.c.account_id.label("t_account_id"),
            t.c.aangemaakt_op.label("t_aangemaakt_op"), t.c.afgesloten_op,
            g.c.id, g.c.volgnummer, g.c.datum, g.c.locatie, g.c.afhandeling, g.c.aangemaakt_op,
            g.c.verzoek_hash, gv.c.vraagtype, o.c.doel, o.c.warm,
            o.c.status.label("overdracht_status"), o.c.gesprek_id.label("overdracht_gesprek_id"),
            o.c.vastgelegd_op, o.c.bijgewerkt_op, a.c.bijdrage, a.c.begindatum,
        )
        .select_from(t)
        .outerjoin(g, g.c.traject_id == t.c.id)
        .outerjoin(gv, gv.c.gesprek_id == g.c.id)
        .outerjoin(o, o.c.traject_id == t.c.id)
        .outerjoin(a, a.c.traject_id == t.c.id)
        .where(t.c.code == bindparam("code"))
        # Serialises follow-ups of one traject on PostgreSQL (SQLite's BEGIN IMMEDIATE does so
        # for the whole database): the limit of five holds, and so does what was read here.
        .with_for_update(of=t)
    )  # fmt: skip


# Built once: constructing a statement costs more Python time than running it.
TRAJECT_VOOR_VERVOLG = _traject_voor_vervolg()
GESPREK_INSERT = tabel_van(Gesprek).insert()
VRAAGTYPE_INSERT = tabel_van(GesprekVraagtype).insert()
# PostgreSQL: the gesprek and its vraagtypen in one statement, so one round trip.
PG_GESPREK_INSERT = text(
    """
    WITH gesprek AS (
        INSERT INTO gesprek (id, traject_id, volgnummer, datum, locatie, afhandeling,
                             account_id, verzoek_hash, aangemaakt_op)
        VALUES (:id, :traject_id, :volgnummer, :datum, :locatie, :afhandeling,
                :account_id, :verzoek_hash, :aangemaakt_op)
        RETURNING id
    )
    INSERT INTO gesprek_vraagtype (gesprek_id, vraagtype)
    SELECT gesprek.id, vraagtype
    FROM gesprek, json_array_elements_text(CAST(:vraagtypen AS json)) AS vraagtype
    """
)
TRAJECT_INSERT = tabel_van(Traject).insert()
OVERDRACHT_INSERT = tabel_van(Overdracht).insert()
TRAJECT_SLUIT = (
    tabel_van(Traject)
    .update()
    .where(tabel_van(Traject).c.id == bindparam("traject_id"))
    .values(status=bindparam("status"), afgesloten_op=bindparam("afgesloten_op"))
)


def mag_zien(gebruiker: Gebruiker, account_id: int, wijk: str) -> bool:
    # The lokaal team of a wijk shares its trajecten: a colleague covering for someone on leave
    # may see one, add a gesprek, record the handover and close it, on every path alike.
    return (
        gebruiker.rol == "kwartiermaker" or account_id == gebruiker.id or wijk in gebruiker.wijken
    )


NIET_GEVONDEN = "Er is geen traject met deze code dat u mag zien. Controleer de code."


def vind_traject(
    session: Session, gebruiker: Gebruiker, code: str, voor_update: bool = False
) -> Traject:
    """The traject with this code if this user may see it; others get the same 404."""
    genormaliseerd = normaliseer_code(code)
    traject = None
    if genormaliseerd is not None:
        query = select(Traject).where(Traject.code == genormaliseerd)
        if voor_update:
            # Serialises changes to one traject on PostgreSQL; SQLite's BEGIN IMMEDIATE does so
            # for the whole database.
            query = query.with_for_update()
        traject = session.exec(query).first()
    if traject is None or not mag_zien(gebruiker, traject.account_id, traject.wijk):
        raise NietGevonden(NIET_GEVONDEN)
    return traject


def alleen_eigenaar(gebruiker: Gebruiker, traject: Traject, wat: str) -> None:
    # Corrections and withdrawals change what someone else recorded: only its author may.
    if traject.account_id != gebruiker.id:
        raise GeenToegang(f"Alleen de preventiewerker die dit traject begon, kan {wat}.")


def voortgang(status: str, aantal: int) -> dict[str, Any]:
    """How far a traject is along the five-conversation path."""
    return {
        "aantal_gesprekken": aantal,
        "resterende_gesprekken": max(MAX_GESPREKKEN - aantal, 0) if status == "open" else 0,
        "overdracht_vereist": status == "open" and aantal >= MAX_GESPREKKEN,
    }


def traject_uit(session: Session, context: AppContext, traject: Traject) -> TrajectUit:
    gesprekken = session.exec(
        select(Gesprek).where(Gesprek.traject_id == traject.id).order_by(col(Gesprek.volgnummer))
    ).all()
    vraagtypen: dict[uuid.UUID, list[str]] = {g.id: [] for g in gesprekken}
    for gesprek_id, vraagtype in session.exec(
        select(GesprekVraagtype.gesprek_id, GesprekVraagtype.vraagtype).where(
            col(GesprekVraagtype.gesprek_id).in_(list(vraagtypen))
        )
    ).all():
        vraagtypen[gesprek_id].append(vraagtype)
    overdracht = session.get(Overdracht, traject.id)
    # The answer is read: end the transaction now, in this thread. FastAPI validates the answer
    # in another worker thread, and on SQLite a write lock held until then can starve the
    # thread pool when every other thread is waiting for that lock.
    session.commit()
    return bouw_traject_uit(
        context,
        traject,
        [_gesprek_uit(g, vraagtypen[g.id]) for g in gesprekken],
        _overdracht_velden(overdracht),
    )


def _gesprek_uit(gesprek: Any, vraagtypen: list[str]) -> GesprekUit:
    """A gesprek as answered, from its model object or a row with the same names."""
    return GesprekUit(
        id=gesprek.id,
        volgnummer=gesprek.volgnummer,
        datum=gesprek.datum,
        locatie=gesprek.locatie,
        # Sorted here rather than by the database, so that the order never depends on its
        # collation, and an answer built from what was just written matches a read-back.
        vraagtypen=sorted(vraagtypen),
        afhandeling=gesprek.afhandeling,
        aangemaakt_op=gesprek.aangemaakt_op,
    )


def _overdracht_velden(overdracht: Overdracht | None) -> dict[str, Any] | None:
    if overdracht is None:
        return None
    return {
        "doel": overdracht.doel,
        "warm": overdracht.warm,
        "status": overdracht.status,
        "gesprek_id": overdracht.gesprek_id,
        "vastgelegd_op": overdracht.vastgelegd_op,
        "bijgewerkt_op": overdracht.bijgewerkt_op,
    }


def bouw_traject_uit(
    context: AppContext,
    traject: Traject,
    gesprekken: list[GesprekUit],
    overdracht: dict[str, Any] | None,
) -> TrajectUit:
    """The answer for a traject, its gesprekken (in volgnummer order) and its overdracht."""
    volgnummers = {g.id: g.volgnummer for g in gesprekken}
    niveaus = {c.code: c.niveau for c in context.codelijsten.lijsten["overdrachtdoelen"]}
    return TrajectUit(
        id=traject.id,
        code=traject.code,
        wijk=traject.wijk,
        leeftijdsgroep=traject.leeftijdsgroep,
        instroomroute=traject.instroomroute,
        status=traject.status,  # type: ignore[arg-type]
        **voortgang(traject.status, len(gesprekken)),
        aangemaakt_op=traject.aangemaakt_op,
        afgesloten_op=traject.afgesloten_op,
        gesprekken=gesprekken,
        overdracht=None
        if overdracht is None
        else OverdrachtUit(
            doel=overdracht["doel"],
            niveau=niveaus.get(overdracht["doel"]),
            warm=overdracht["warm"],
            status=overdracht["status"],
            volgnummer=volgnummers.get(overdracht["gesprek_id"])
            if overdracht["gesprek_id"]
            else None,
            vastgelegd_op=overdracht["vastgelegd_op"],
            bijgewerkt_op=overdracht["bijgewerkt_op"],
        ),
    )


def _voeg_gesprek_toe(
    session: Session,
    gebruiker: Gebruiker,
    traject: Traject,
    invoer: GesprekInvoer,
    volgnummer: int,
    vingerafdruk: str,
) -> tuple[GesprekUit, Overdracht | None]:
    """Insert the gesprek (and its handover); answers them as written, for the response.

    Plain inserts, not the ORM's unit of work: this is the path every registration takes.
    """
    gesprek = Gesprek(
        id=invoer.id or uuid.uuid4(),
        traject_id=traject.id,
        volgnummer=volgnummer,
        datum=invoer.datum,
        locatie=invoer.locatie,
        afhandeling=invoer.afhandeling,
        account_id=gebruiker.id,
        verzoek_hash=vingerafdruk,
        aangemaakt_op=utcnow(),
    )
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            PG_GESPREK_INSERT, {**_kolommen(gesprek), "vraagtypen": json.dumps(invoer.vraagtypen)}
        )
    else:
        session.execute(GESPREK_INSERT, _kolommen(gesprek))
        session.execute(
            VRAAGTYPE_INSERT,
            [{"gesprek_id": gesprek.id, "vraagtype": v} for v in invoer.vraagtypen],
        )
    overdracht = None
    if invoer.overdracht is not None:
        # Only a warm handover changes a traject's status through a gesprek.
        nu = utcnow()
        overdracht = Overdracht(
            traject_id=traject.id,
            gesprek_id=gesprek.id,
            doel=invoer.overdracht.doel,
            warm=invoer.overdracht.warm,
            status=invoer.overdracht.status,
            vastgelegd_op=nu,
            bijgewerkt_op=nu,
        )
        session.execute(OVERDRACHT_INSERT, _kolommen(overdracht))
        traject.status = "overgedragen"
        traject.afgesloten_op = nu
        session.execute(
            TRAJECT_SLUIT,
            {"traject_id": traject.id, "status": traject.status, "afgesloten_op": nu},
        )
    return _gesprek_uit(gesprek, invoer.vraagtypen), overdracht


def _kolommen(rij: Traject | Gesprek | Overdracht) -> dict[str, Any]:
    return {kolom.name: getattr(rij, kolom.name) for kolom in tabel_van(type(rij)).columns}


def _analyse_stand(
    traject: Traject, gesprekken: list[GesprekUit], overdracht: dict[str, Any] | None
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]:
    """The traject as the analysis counts it, from what a registration just read and wrote."""
    return (
        {"wijk": traject.wijk, "leeftijdsgroep": traject.leeftijdsgroep,
         "instroomroute": traject.instroomroute, "status": traject.status},
        [{"datum": g.datum, "locatie": g.locatie, "afhandeling": g.afhandeling,
          "vraagtypen": g.vraagtypen} for g in gesprekken],
        None if overdracht is None else {"doel": overdracht["doel"], "warm": overdracht["warm"]},
    )  # fmt: skip


def _eerder_opgeslagen(
    session: Session, context: AppContext, invoer: TrajectInvoer, vingerafdruk: str
) -> TrajectUit | None:
    """The stored traject if this exact request was handled before; 409 if its ids clash."""
    # Gesprek first: traject and gesprek commit together, so once the gesprek is visible the
    # traject is too, and a retry racing the original is recognised as a retry.
    gesprek_bestaat = (
        invoer.gesprek.id is not None and session.get(Gesprek, invoer.gesprek.id) is not None
    )
    if invoer.id is not None and (bestaand := session.get(Traject, invoer.id)) is not None:
        if bestaand.verzoek_hash != vingerafdruk:
            raise IdAlGebruikt(
                "Dit id is al gebruikt voor een andere registratie. Maak een nieuw id aan."
            )
        return traject_uit(session, context, bestaand)
    if gesprek_bestaat:
        raise IdAlGebruikt("Het id van het gesprek is al gebruikt. Maak een nieuw id aan.")
    return None


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
        traject = Traject(
            id=invoer.id or uuid.uuid4(),
            code=nieuwe_code(),
            wijk=invoer.wijk,
            leeftijdsgroep=invoer.leeftijdsgroep,
            instroomroute=invoer.instroomroute,
            status="open",
            account_id=gebruiker.id,
            verzoek_hash=vingerafdruk,
            aangemaakt_op=utcnow(),
        )
        try:
            # Inserted straight away: a retry of a stored request, or an id that is taken, is
            # rare, and the primary keys refuse it; only then is it looked up (below).
            session.execute(TRAJECT_INSERT, _kolommen(traject))
            gesprek, overdracht = _voeg_gesprek_toe(
                session, gebruiker, traject, invoer.gesprek, 1, vingerafdruk
            )
            overdracht_velden = _overdracht_velden(overdracht)
            onderhoud.bekend_traject_gewijzigd(
                session, traject.id, *_analyse_stand(traject, [gesprek], overdracht_velden), None
            )
            session.commit()
        except IntegrityError:
            session.rollback()
            # A retry of the same request (perhaps simultaneous), an id clash, or (rarely) a
            # code clash, which the next attempt resolves with another code.
            if (eerder := _eerder_opgeslagen(session, context, invoer, vingerafdruk)) is not None:
                return eerder
            continue
        # A new traject holds exactly what was just written: answer that, no read-back.
        return bouw_traject_uit(context, traject, [gesprek], overdracht_velden)
    raise RuntimeError("geen vrije trajectcode gevonden")


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
    vingerafdruk: str,
) -> TrajectUit:
    genormaliseerd = normaliseer_code(code)
    rijen = (
        session.execute(TRAJECT_VOOR_VERVOLG, {"code": genormaliseerd}).all()
        if genormaliseerd is not None
        else []
    )
    if not rijen or not mag_zien(gebruiker, rijen[0].t_account_id, rijen[0].wijk):
        raise NietGevonden(NIET_GEVONDEN)
    eerste = rijen[0]
    traject = Traject(
        id=eerste.t_id,
        code=eerste.code,
        wijk=eerste.wijk,
        leeftijdsgroep=eerste.leeftijdsgroep,
        instroomroute=eerste.instroomroute,
        status=eerste.t_status,
        account_id=eerste.t_account_id,
        verzoek_hash="",
        aangemaakt_op=eerste.t_aangemaakt_op,
        afgesloten_op=eerste.afgesloten_op,
    )
    if (
        invoer.id is not None
        and (bestaand := next((r for r in rijen if r.id == invoer.id), None)) is not None
    ):
        if bestaand.verzoek_hash != vingerafdruk:
            raise IdAlGebruikt(
                "Dit id is al gebruikt voor een ander gesprek. Maak een nieuw id aan."
            )
        return traject_uit(session, context, traject)
    if traject.status == "overgedragen":
        raise TrajectAfgesloten(
            "Dit traject is overgedragen; er kunnen geen gesprekken meer bij. Komt de inwoner "
            "terug met een nieuwe vraag, begin dan een nieuw traject."
        )
    if traject.status == "afgerond":
        raise TrajectAfgesloten(
            "Dit traject is afgerond; er kunnen geen gesprekken meer bij. Komt de inwoner terug "
            "met een nieuwe vraag, begin dan een nieuw traject."
        )
    eerste_rij: dict[uuid.UUID, Any] = {}
    vraagtypen: dict[uuid.UUID, list[str]] = {}
    overdracht: dict[str, Any] | None = None
    for rij in rijen:
        if rij.id is None:
            continue
        eerste_rij.setdefault(rij.id, rij)
        lijst = vraagtypen.setdefault(rij.id, [])
        if rij.vraagtype is not None:
            lijst.append(rij.vraagtype)
        if rij.doel is not None:
            overdracht = {
                "doel": rij.doel,
                "warm": rij.warm,
                "status": rij.overdracht_status,
                "gesprek_id": rij.overdracht_gesprek_id,
                "vastgelegd_op": rij.vastgelegd_op,
                "bijgewerkt_op": rij.bijgewerkt_op,
            }
    aantal = len(eerste_rij)
    if aantal >= MAX_GESPREKKEN:
        raise GesprekkenlimietBereikt(LIMIET_UITLEG.replace("{code}", traject.code))
    vorige_datum = max((r.datum for r in eerste_rij.values()), default=None)
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
    nieuw, nieuwe_overdracht = _voeg_gesprek_toe(
        session, gebruiker, traject, invoer, aantal + 1, vingerafdruk
    )
    gesprekken = [
        _gesprek_uit(r, vraagtypen[r.id])
        for r in sorted(eerste_rij.values(), key=lambda r: r.volgnummer)
    ]
    gesprekken.append(nieuw)
    if nieuwe_overdracht is not None:
        overdracht = _overdracht_velden(nieuwe_overdracht)
    voorheen = (eerste.bijdrage, eerste.begindatum) if eerste.bijdrage is not None else None
    onderhoud.bekend_traject_gewijzigd(
        session, traject.id, *_analyse_stand(traject, gesprekken, overdracht), voorheen
    )
    session.commit()
    return bouw_traject_uit(context, traject, gesprekken, overdracht)


def lees_traject(
    session: Session, context: AppContext, gebruiker: Gebruiker, code: str
) -> TrajectUit:
    return traject_uit(session, context, vind_traject(session, gebruiker, code))


def leg_overdracht_vast(
    session: Session,
    context: AppContext,
    gebruiker: Gebruiker,
    code: str,
    invoer: OverdrachtInvoer,
) -> TrajectUit:
    """Record or update the handover; recording it closes the traject as overgedragen."""
    traject = vind_traject(session, gebruiker, code, voor_update=True)
    if traject.status == "afgerond":
        raise TrajectAfgesloten(
            "Dit traject is al afgerond zonder overdracht. Is er toch een overdracht nodig, "
            "begin dan een nieuw traject."
        )
    nu = utcnow()
    overdracht = session.get(Overdracht, traject.id)
    if overdracht is None:
        overdracht = Overdracht(
            traject_id=traject.id,
            doel=invoer.doel,
            warm=invoer.warm,
            status=invoer.status,
            vastgelegd_op=nu,
            bijgewerkt_op=nu,
        )
        traject.status = "overgedragen"
        traject.afgesloten_op = nu
        session.add(traject)
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
        overdracht.bijgewerkt_op = nu
    session.add(overdracht)
    onderhoud.traject_gewijzigd(session, traject.id)
    session.commit()
    return traject_uit(session, context, traject)


def sluit_af(session: Session, context: AppContext, gebruiker: Gebruiker, code: str) -> TrajectUit:
    """Close without handover: the question was solved. Closing twice is harmless."""
    traject = vind_traject(session, gebruiker, code, voor_update=True)
    if traject.status == "overgedragen":
        raise TrajectAfgesloten(
            "Dit traject is al overgedragen en daarmee afgesloten; afsluiten is niet meer nodig."
        )
    if traject.status == "open":
        traject.status = "afgerond"
        traject.afgesloten_op = utcnow()
        session.add(traject)
        onderhoud.traject_gewijzigd(session, traject.id)
        session.commit()
    return traject_uit(session, context, traject)


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
                **voortgang(t.status, n),
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
