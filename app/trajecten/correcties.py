"""Corrections and withdrawals by the author, within a set period, always in the audit trail."""

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, update
from sqlmodel import Session

from app.audit.models import schrijf_audit
from app.codelijsten.lijsten import WARME_OVERDRACHT
from app.deps import AppContext
from app.kern.db import Uuid16, as_utc, tabel_van, utcnow
from app.kern.problems import Conflict, GeenToegang, InvalidParam, NietGevonden, OngeldigeInvoer
from app.toegang.deps import Gebruiker
from app.trajecten.aankondiging import TrajectGewijzigd, kondig_aan
from app.trajecten.gesprekken import VRAAGTYPE_INSERT
from app.trajecten.models import Gesprek, GesprekVraagtype, Overdracht, Traject
from app.trajecten.schemas import GesprekCorrectie, TrajectCorrectie, TrajectUit
from app.trajecten.stand import (
    GesprekStand,
    TrajectStand,
    alleen_eigenaar,
    traject_uit,
    vind_traject,
)

# The tables, for plain updates and deletes without the ORM's unit of work.
_trajecten, _gesprekken, _vraagtypen, _overdrachten = (
    tabel_van(m) for m in (Traject, Gesprek, GesprekVraagtype, Overdracht)
)


class CorrectieNietMogelijk(Conflict):
    soort, titel = "correctie-niet-mogelijk", "Correctie niet mogelijk"


def binnen_correctietermijn(context: AppContext, geregistreerd: datetime, wat: str) -> None:
    dagen = context.settings.correctie_dagen
    if utcnow() - as_utc(geregistreerd) > timedelta(days=dagen):
        raise CorrectieNietMogelijk(
            f"{wat} kan alleen binnen {dagen} dagen na registratie worden gecorrigeerd of "
            "ingetrokken. Neem contact op met de kwartiermaker."
        )


def _wijziging(veld: str, oud: Any, nieuw: Any) -> dict[str, Any]:
    return {"veld": veld, "oud": oud, "nieuw": nieuw}


def _gesprek(stand: TrajectStand, volgnummer: int) -> GesprekStand:
    gesprek = next((g for g in stand.gesprekken if g.volgnummer == volgnummer), None)
    if gesprek is None:
        raise NietGevonden(f"Dit traject heeft geen gesprek {volgnummer}.")
    return gesprek


def _alleen_auteur(gebruiker: Gebruiker, gesprek: GesprekStand) -> None:
    if gesprek.account_id != gebruiker.id:
        raise GeenToegang("Alleen wie dit gesprek registreerde, kan het corrigeren of intrekken.")


def corrigeer_traject(
    session: Session,
    context: AppContext,
    gebruiker: Gebruiker,
    code: str,
    invoer: TrajectCorrectie,
) -> TrajectUit:
    stand = vind_traject(session, gebruiker, code, voor_update=True)
    alleen_eigenaar(gebruiker, stand, "het traject corrigeren")
    binnen_correctietermijn(context, stand.aangemaakt_op, "Een traject")
    wijzigingen = []
    nieuwe_waarden: dict[str, str] = {}
    for veld in invoer.model_fields_set:
        oud, nieuw = getattr(stand, veld), getattr(invoer, veld)
        if nieuw is not None and nieuw != oud:
            wijzigingen.append(_wijziging(veld, oud, nieuw))
            nieuwe_waarden[veld] = nieuw
            setattr(stand, veld, nieuw)
    if wijzigingen:
        session.execute(
            update(_trajecten).where(_trajecten.c.id == stand.id).values(nieuwe_waarden)
        )
        schrijf_audit(session, "traject_gecorrigeerd", gebruiker.id, stand.code, wijzigingen)
        kondig_aan(session, TrajectGewijzigd.van(stand, stand))
    session.commit()
    return traject_uit(context, stand)


def corrigeer_gesprek(
    session: Session,
    context: AppContext,
    gebruiker: Gebruiker,
    code: str,
    volgnummer: int,
    invoer: GesprekCorrectie,
) -> TrajectUit:
    stand = vind_traject(session, gebruiker, code, voor_update=True)
    gesprek = _gesprek(stand, volgnummer)
    _alleen_auteur(gebruiker, gesprek)
    binnen_correctietermijn(context, gesprek.aangemaakt_op, "Een gesprek")

    problemen: list[InvalidParam] = []
    if (
        invoer.afhandeling is not None
        and invoer.afhandeling != gesprek.afhandeling
        and (WARME_OVERDRACHT in (invoer.afhandeling, gesprek.afhandeling))
    ):
        problemen.append(
            InvalidParam(
                name="afhandeling",
                reason="Een warme overdracht kan niet via een correctie worden toegevoegd of "
                "weggehaald: trek het gesprek in en registreer het opnieuw.",
            )
        )
    if invoer.datum is not None:
        for buur in stand.gesprekken:
            if (buur.volgnummer == volgnummer - 1 and invoer.datum < buur.datum) or (
                buur.volgnummer == volgnummer + 1 and invoer.datum > buur.datum
            ):
                problemen.append(
                    InvalidParam(
                        name="datum",
                        reason="De gesprekken blijven op volgorde: de datum moet tussen die van "
                        "het vorige en het volgende gesprek liggen.",
                    )
                )
    if problemen:
        raise OngeldigeInvoer(problemen)

    wijzigingen = []
    nieuwe_waarden: dict[str, Any] = {}
    for veld in ("datum", "locatie", "afhandeling"):
        nieuw = getattr(invoer, veld)
        oud = getattr(gesprek, veld)
        if nieuw is not None and nieuw != oud:
            wijzigingen.append(
                _wijziging(
                    veld, *(w.isoformat() if isinstance(w, date) else w for w in (oud, nieuw))
                )
            )
            nieuwe_waarden[veld] = nieuw
            setattr(gesprek, veld, nieuw)
    if nieuwe_waarden:
        session.execute(
            update(_gesprekken).where(_gesprekken.c.id == gesprek.id).values(nieuwe_waarden)
        )
    if invoer.vraagtypen is not None:
        oud_lijst, nieuw_lijst = gesprek.vraagtypen, sorted(invoer.vraagtypen)
        if oud_lijst != nieuw_lijst:
            wijzigingen.append(_wijziging("vraagtypen", oud_lijst, nieuw_lijst))
            session.execute(delete(_vraagtypen).where(_vraagtypen.c.gesprek_id == gesprek.id))
            session.execute(
                VRAAGTYPE_INSERT, [{"gesprek_id": gesprek.id, "vraagtype": v} for v in nieuw_lijst]
            )
            gesprek.vraagtypen = nieuw_lijst
    if wijzigingen:
        schrijf_audit(
            session, "gesprek_gecorrigeerd", gebruiker.id, f"{stand.code}/{volgnummer}",
            wijzigingen,
        )  # fmt: skip
        kondig_aan(session, TrajectGewijzigd.van(stand, stand))
    session.commit()
    return traject_uit(context, stand)


# Built once: constructing a statement costs more Python time than running it.
TRAJECT_HEROPEN = (
    update(_trajecten)
    .where(_trajecten.c.id == bindparam("traject_id_", type_=Uuid16))
    .values(status="open", afgesloten_op=None)
)
OVERDRACHT_DELETE = delete(_overdrachten).where(
    _overdrachten.c.traject_id == bindparam("id", type_=Uuid16)
)
# Its vraagtypen go with it (ON DELETE CASCADE), as do a traject's gesprekken and overdracht.
GESPREK_DELETE = delete(_gesprekken).where(_gesprekken.c.id == bindparam("id", type_=Uuid16))
TRAJECT_DELETE = delete(_trajecten).where(_trajecten.c.id == bindparam("id", type_=Uuid16))


def trek_gesprek_in(
    session: Session, context: AppContext, gebruiker: Gebruiker, code: str, volgnummer: int
) -> None:
    """Withdraw the last gesprek; a handover recorded in it goes too and the traject reopens."""
    stand = vind_traject(session, gebruiker, code, voor_update=True)
    gesprek = _gesprek(stand, volgnummer)
    _alleen_auteur(gebruiker, gesprek)
    binnen_correctietermijn(context, gesprek.aangemaakt_op, "Een gesprek")
    laatste = stand.gesprekken[-1].volgnummer
    if volgnummer == 1:
        raise CorrectieNietMogelijk(
            "Gesprek 1 is het begin van het traject: trek het hele traject in met "
            f"DELETE /api/v1/trajecten/{stand.code}."
        )
    if volgnummer != laatste:
        raise CorrectieNietMogelijk(
            f"Alleen het laatste gesprek (nu {laatste}) kan worden ingetrokken, zodat de "
            "gesprekken op volgorde blijven."
        )
    wijzigingen = [
        _wijziging("datum", gesprek.datum.isoformat(), None),
        _wijziging("locatie", gesprek.locatie, None),
        _wijziging("vraagtypen", gesprek.vraagtypen, None),
        _wijziging("afhandeling", gesprek.afhandeling, None),
    ]
    overdracht = stand.overdracht
    if overdracht is not None and overdracht.gesprek_id == gesprek.id:
        wijzigingen.append(_wijziging("overdracht", overdracht.doel, None))
        session.execute(OVERDRACHT_DELETE, {"id": stand.id})
        session.execute(TRAJECT_HEROPEN, {"traject_id_": stand.id})
        stand.overdracht, stand.status, stand.afgesloten_op = None, "open", None
    session.execute(GESPREK_DELETE, {"id": gesprek.id})
    stand.gesprekken.remove(gesprek)
    schrijf_audit(
        session, "gesprek_ingetrokken", gebruiker.id, f"{stand.code}/{volgnummer}", wijzigingen
    )
    kondig_aan(session, TrajectGewijzigd.van(stand, stand))
    session.commit()


def trek_traject_in(session: Session, context: AppContext, gebruiker: Gebruiker, code: str) -> None:
    """Withdraw a whole traject registered by mistake, with all its gesprekken."""
    stand = vind_traject(session, gebruiker, code, voor_update=True)
    alleen_eigenaar(gebruiker, stand, "het traject intrekken")
    binnen_correctietermijn(context, stand.aangemaakt_op, "Een traject")
    if any(g.account_id != gebruiker.id for g in stand.gesprekken):
        raise CorrectieNietMogelijk(
            "Een collega heeft ook gesprekken in dit traject geregistreerd; die trekt u niet "
            "mee in. Laat de collega eerst die gesprekken intrekken."
        )
    schrijf_audit(
        session,
        "traject_ingetrokken",
        gebruiker.id,
        stand.code,
        [
            _wijziging("wijk", stand.wijk, None),
            _wijziging("leeftijdsgroep", stand.leeftijdsgroep, None),
            _wijziging("instroomroute", stand.instroomroute, None),
            _wijziging("aantalGesprekken", len(stand.gesprekken), None),
        ],
    )
    session.execute(TRAJECT_DELETE, {"id": stand.id})
    # The summary remembers what this traject contributed, so the figures drop it at once.
    kondig_aan(session, TrajectGewijzigd.van(stand, None))
    session.commit()
