"""One traject as every rule reads it: the traject, its gesprekken and its overdracht.

`laad_traject` is the one way a traject is read, in one query; the rules change the loaded
state alongside their writes, and the answer (`traject_uit`) and the analysis are built from
it, so nothing reads a traject back after writing it.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy
from sqlalchemy import Row, bindparam
from sqlmodel import Session

from app.deps import AppContext
from app.kern.db import Uuid16, tabel_van
from app.kern.problems import GeenToegang, NietGevonden
from app.toegang.deps import Gebruiker
from app.trajecten.codes import normaliseer_code
from app.trajecten.models import MAX_GESPREKKEN, Gesprek, GesprekVraagtype, Overdracht, Traject
from app.trajecten.schemas import GesprekUit, Overdrachtstatus, OverdrachtUit, Status, TrajectUit


@dataclass(slots=True)
class GesprekStand:
    id: uuid.UUID
    volgnummer: int
    datum: date
    locatie: str
    afhandeling: str
    # Sorted here rather than by the database, so that the order never depends on its
    # collation, and what was just written matches what is read back.
    vraagtypen: list[str]
    account_id: int
    verzoek_hash: bytes
    aangemaakt_op: datetime


@dataclass(slots=True)
class OverdrachtStand:
    doel: str
    warm: bool
    status: Overdrachtstatus
    # The gesprek in which the handover was recorded; None when recorded on its own.
    gesprek_id: uuid.UUID | None
    vastgelegd_op: datetime
    bijgewerkt_op: datetime


@dataclass(slots=True)
class TrajectStand:
    id: uuid.UUID
    code: str
    wijk: str
    leeftijdsgroep: str
    instroomroute: str
    status: Status
    account_id: int
    verzoek_hash: bytes
    aangemaakt_op: datetime
    afgesloten_op: datetime | None
    gesprekken: list[GesprekStand] = field(default_factory=list)  # in volgnummer order
    overdracht: OverdrachtStand | None = None
    # The traject as loaded for a change, before the rules changed this state: what a listener
    # compares the new state with (app.trajecten.aankondiging). None when not loaded to change.
    geladen: "TrajectStand | None" = field(default=None, repr=False, compare=False)


_t, _g, _gv, _o = (tabel_van(m) for m in (Traject, Gesprek, GesprekVraagtype, Overdracht))


def _laad(waar: Any, voor_update: bool) -> Any:
    query = (
        # SQLAlchemy's select: sqlmodel's is typed for at most four columns.
        sqlalchemy.select(
            _t.c.id, _t.c.code, _t.c.wijk, _t.c.leeftijdsgroep, _t.c.instroomroute, _t.c.status,
            _t.c.account_id, _t.c.verzoek_hash, _t.c.aangemaakt_op, _t.c.afgesloten_op,
            _g.c.id.label("g_id"), _g.c.volgnummer, _g.c.datum, _g.c.locatie, _g.c.afhandeling,
            _g.c.account_id.label("g_account_id"), _g.c.verzoek_hash.label("g_verzoek_hash"),
            _g.c.aangemaakt_op.label("g_aangemaakt_op"), _gv.c.vraagtype,
            _o.c.doel, _o.c.warm, _o.c.status.label("o_status"),
            _o.c.gesprek_id.label("o_gesprek_id"), _o.c.vastgelegd_op, _o.c.bijgewerkt_op,
        )
        .select_from(_t)
        .outerjoin(_g, _g.c.traject_id == _t.c.id)
        .outerjoin(_gv, _gv.c.gesprek_id == _g.c.id)
        .outerjoin(_o, _o.c.traject_id == _t.c.id)
        .where(waar)
        .order_by(_g.c.volgnummer)
    )  # fmt: skip
    # Serialises changes to one traject on PostgreSQL (SQLite's BEGIN IMMEDIATE does so for the
    # whole database): the limit of five holds, and so does what was read here.
    return query.with_for_update(of=_t) if voor_update else query


# Built once: constructing a statement costs more Python time than running it.
_OP_CODE = {v: _laad(_t.c.code == bindparam("code"), v) for v in (False, True)}
_OP_ID = {v: _laad(_t.c.id == bindparam("id", type_=Uuid16), v) for v in (False, True)}


def laad_traject(
    session: Session,
    *,
    code: str | None = None,
    id: uuid.UUID | None = None,
    voor_update: bool = False,
) -> TrajectStand | None:
    """The traject with this (normalised) code or id, with its gesprekken and overdracht."""
    if code is not None:
        rijen = session.execute(_OP_CODE[voor_update], {"code": code}).all()
    else:
        rijen = session.execute(_OP_ID[voor_update], {"id": id}).all()
    if not rijen:
        return None
    stand = _stand(rijen)
    if voor_update:
        # Built twice from the same rows rather than copied: the rules change `stand` in place.
        stand.geladen = _stand(rijen)
    return stand


def _stand(rijen: Sequence[Row[Any]]) -> TrajectStand:
    eerste = rijen[0]
    gesprekken: dict[uuid.UUID, GesprekStand] = {}
    for rij in rijen:
        if rij.g_id is None:
            continue
        gesprek = gesprekken.get(rij.g_id)
        if gesprek is None:
            gesprek = gesprekken[rij.g_id] = GesprekStand(
                id=rij.g_id,
                volgnummer=rij.volgnummer,
                datum=rij.datum,
                locatie=rij.locatie,
                afhandeling=rij.afhandeling,
                vraagtypen=[],
                account_id=rij.g_account_id,
                verzoek_hash=rij.g_verzoek_hash,
                aangemaakt_op=rij.g_aangemaakt_op,
            )
        if rij.vraagtype is not None:
            gesprek.vraagtypen.append(rij.vraagtype)
    for gesprek in gesprekken.values():
        gesprek.vraagtypen.sort()
    return TrajectStand(
        id=eerste.id,
        code=eerste.code,
        wijk=eerste.wijk,
        leeftijdsgroep=eerste.leeftijdsgroep,
        instroomroute=eerste.instroomroute,
        status=eerste.status,
        account_id=eerste.account_id,
        verzoek_hash=eerste.verzoek_hash,
        aangemaakt_op=eerste.aangemaakt_op,
        afgesloten_op=eerste.afgesloten_op,
        gesprekken=list(gesprekken.values()),
        overdracht=None
        if eerste.doel is None
        else OverdrachtStand(
            doel=eerste.doel,
            warm=eerste.warm,
            status=eerste.o_status,
            gesprek_id=eerste.o_gesprek_id,
            vastgelegd_op=eerste.vastgelegd_op,
            bijgewerkt_op=eerste.bijgewerkt_op,
        ),
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
) -> TrajectStand:
    """The traject with this code if this user may see it; others get the same 404."""
    genormaliseerd = normaliseer_code(code)
    stand = None
    if genormaliseerd is not None:
        stand = laad_traject(session, code=genormaliseerd, voor_update=voor_update)
    if stand is None or not mag_zien(gebruiker, stand.account_id, stand.wijk):
        raise NietGevonden(NIET_GEVONDEN)
    return stand


def alleen_eigenaar(gebruiker: Gebruiker, stand: TrajectStand, wat: str) -> None:
    # Corrections and withdrawals change what someone else recorded: only its author may.
    if stand.account_id != gebruiker.id:
        raise GeenToegang(f"Alleen de preventiewerker die dit traject begon, kan {wat}.")


def resterende_gesprekken(status: str, aantal: int) -> int:
    return max(MAX_GESPREKKEN - aantal, 0) if status == "open" else 0


def overdracht_vereist(status: str, aantal: int) -> bool:
    return status == "open" and aantal >= MAX_GESPREKKEN


def traject_uit(context: AppContext, stand: TrajectStand) -> TrajectUit:
    """The answer for a traject, from its loaded (and perhaps just changed) state."""
    aantal = len(stand.gesprekken)
    overdracht = stand.overdracht
    volgnummers = {g.id: g.volgnummer for g in stand.gesprekken}
    niveaus = {c.code: c.niveau for c in context.codelijsten.lijsten["overdrachtdoelen"]}
    return TrajectUit(
        id=stand.id,
        code=stand.code,
        wijk=stand.wijk,
        leeftijdsgroep=stand.leeftijdsgroep,
        instroomroute=stand.instroomroute,
        status=stand.status,
        aantal_gesprekken=aantal,
        resterende_gesprekken=resterende_gesprekken(stand.status, aantal),
        overdracht_vereist=overdracht_vereist(stand.status, aantal),
        aangemaakt_op=stand.aangemaakt_op,
        afgesloten_op=stand.afgesloten_op,
        gesprekken=[
            GesprekUit(
                id=g.id,
                volgnummer=g.volgnummer,
                datum=g.datum,
                locatie=g.locatie,
                vraagtypen=list(g.vraagtypen),
                afhandeling=g.afhandeling,
                aangemaakt_op=g.aangemaakt_op,
            )
            for g in stand.gesprekken
        ],
        overdracht=None
        if overdracht is None
        else OverdrachtUit(
            doel=overdracht.doel,
            niveau=niveaus.get(overdracht.doel),
            warm=overdracht.warm,
            status=overdracht.status,
            volgnummer=volgnummers.get(overdracht.gesprek_id) if overdracht.gesprek_id else None,
            vastgelegd_op=overdracht.vastgelegd_op,
            bijgewerkt_op=overdracht.bijgewerkt_op,
        ),
    )


def lees_traject(
    session: Session, context: AppContext, gebruiker: Gebruiker, code: str
) -> TrajectUit:
    return traject_uit(context, vind_traject(session, gebruiker, code))
