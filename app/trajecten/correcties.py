"""Corrections and withdrawals by the author, within a set period, always in the audit trail."""

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, delete, select

from app.analyse import onderhoud
from app.audit.models import schrijf_audit
from app.codelijsten.lijsten import WARME_OVERDRACHT
from app.deps import AppContext
from app.kern.db import as_utc, utcnow
from app.kern.problems import Conflict, GeenToegang, InvalidParam, NietGevonden, OngeldigeInvoer
from app.toegang.deps import Gebruiker
from app.trajecten.models import Gesprek, GesprekVraagtype, Overdracht, Traject
from app.trajecten.regels import alleen_eigenaar, traject_uit, vind_traject
from app.trajecten.schemas import GesprekCorrectie, TrajectCorrectie, TrajectUit


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


def _gesprek(session: Session, traject: Traject, volgnummer: int) -> Gesprek:
    gesprek = session.exec(
        select(Gesprek).where(Gesprek.traject_id == traject.id, Gesprek.volgnummer == volgnummer)
    ).first()
    if gesprek is None:
        raise NietGevonden(f"Dit traject heeft geen gesprek {volgnummer}.")
    return gesprek


def _vraagtypen(session: Session, gesprek: Gesprek) -> list[str]:
    return sorted(
        session.exec(
            select(GesprekVraagtype.vraagtype).where(GesprekVraagtype.gesprek_id == gesprek.id)
        ).all()
    )


def _alleen_auteur(gebruiker: Gebruiker, gesprek: Gesprek) -> None:
    if gesprek.account_id != gebruiker.id:
        raise GeenToegang("Alleen wie dit gesprek registreerde, kan het corrigeren of intrekken.")


def corrigeer_traject(
    session: Session,
    context: AppContext,
    gebruiker: Gebruiker,
    code: str,
    invoer: TrajectCorrectie,
) -> TrajectUit:
    traject = vind_traject(session, gebruiker, code, voor_update=True)
    alleen_eigenaar(gebruiker, traject, "het traject corrigeren")
    binnen_correctietermijn(context, traject.aangemaakt_op, "Een traject")
    wijzigingen = []
    for veld in invoer.model_fields_set:
        oud, nieuw = getattr(traject, veld), getattr(invoer, veld)
        if nieuw is not None and nieuw != oud:
            wijzigingen.append(_wijziging(veld, oud, nieuw))
            setattr(traject, veld, nieuw)
    if wijzigingen:
        session.add(traject)
        schrijf_audit(session, "traject_gecorrigeerd", gebruiker.id, traject.code, wijzigingen)
        onderhoud.traject_gewijzigd(session, traject.id)
        session.commit()
    return traject_uit(session, context, traject)


def corrigeer_gesprek(
    session: Session,
    context: AppContext,
    gebruiker: Gebruiker,
    code: str,
    volgnummer: int,
    invoer: GesprekCorrectie,
) -> TrajectUit:
    traject = vind_traject(session, gebruiker, code, voor_update=True)
    gesprek = _gesprek(session, traject, volgnummer)
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
        buren = session.exec(
            select(col(Gesprek.volgnummer), col(Gesprek.datum)).where(
                Gesprek.traject_id == traject.id,
                col(Gesprek.volgnummer).in_([volgnummer - 1, volgnummer + 1]),
            )
        ).all()
        for buur_volgnummer, buur_datum in buren:
            if (buur_volgnummer < volgnummer and invoer.datum < buur_datum) or (
                buur_volgnummer > volgnummer and invoer.datum > buur_datum
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
    for veld in ("datum", "locatie", "afhandeling"):
        nieuw = getattr(invoer, veld)
        oud = getattr(gesprek, veld)
        if nieuw is not None and nieuw != oud:
            wijzigingen.append(
                _wijziging(
                    veld, *(w.isoformat() if isinstance(w, date) else w for w in (oud, nieuw))
                )
            )
            setattr(gesprek, veld, nieuw)
    if invoer.vraagtypen is not None:
        oud_lijst, nieuw_lijst = _vraagtypen(session, gesprek), sorted(invoer.vraagtypen)
        if oud_lijst != nieuw_lijst:
            wijzigingen.append(_wijziging("vraagtypen", oud_lijst, nieuw_lijst))
            session.execute(
                delete(GesprekVraagtype).where(col(GesprekVraagtype.gesprek_id) == gesprek.id)
            )
            session.add_all(
                GesprekVraagtype(gesprek_id=gesprek.id, vraagtype=v) for v in nieuw_lijst
            )
    if wijzigingen:
        session.add(gesprek)
        schrijf_audit(
            session, "gesprek_gecorrigeerd", gebruiker.id, f"{traject.code}/{volgnummer}",
            wijzigingen,
        )  # fmt: skip
        onderhoud.traject_gewijzigd(session, traject.id)
        session.commit()
    return traject_uit(session, context, traject)


def trek_gesprek_in(
    session: Session, context: AppContext, gebruiker: Gebruiker, code: str, volgnummer: int
) -> None:
    """Withdraw the last gesprek; a handover recorded in it goes too and the traject reopens."""
    traject = vind_traject(session, gebruiker, code, voor_update=True)
    gesprek = _gesprek(session, traject, volgnummer)
    _alleen_auteur(gebruiker, gesprek)
    binnen_correctietermijn(context, gesprek.aangemaakt_op, "Een gesprek")
    laatste = session.exec(
        select(Gesprek.volgnummer)
        .where(Gesprek.traject_id == traject.id)
        .order_by(col(Gesprek.volgnummer).desc())
    ).first()
    if volgnummer == 1:
        raise CorrectieNietMogelijk(
            "Gesprek 1 is het begin van het traject: trek het hele traject in met "
            f"DELETE /api/v1/trajecten/{traject.code}."
        )
    if volgnummer != laatste:
        raise CorrectieNietMogelijk(
            f"Alleen het laatste gesprek (nu {laatste}) kan worden ingetrokken, zodat de "
            "gesprekken op volgorde blijven."
        )
    wijzigingen = [
        _wijziging("datum", gesprek.datum.isoformat(), None),
        _wijziging("locatie", gesprek.locatie, None),
        _wijziging("vraagtypen", _vraagtypen(session, gesprek), None),
        _wijziging("afhandeling", gesprek.afhandeling, None),
    ]
    overdracht = session.get(Overdracht, traject.id)
    if overdracht is not None and overdracht.gesprek_id == gesprek.id:
        wijzigingen.append(_wijziging("overdracht", overdracht.doel, None))
        session.delete(overdracht)
        traject.status = "open"
        traject.afgesloten_op = None
        session.add(traject)
    session.flush()
    session.delete(gesprek)
    schrijf_audit(
        session, "gesprek_ingetrokken", gebruiker.id, f"{traject.code}/{volgnummer}", wijzigingen
    )
    onderhoud.traject_gewijzigd(session, traject.id)
    session.commit()


def trek_traject_in(session: Session, context: AppContext, gebruiker: Gebruiker, code: str) -> None:
    """Withdraw a whole traject registered by mistake, with all its gesprekken."""
    traject = vind_traject(session, gebruiker, code, voor_update=True)
    alleen_eigenaar(gebruiker, traject, "het traject intrekken")
    binnen_correctietermijn(context, traject.aangemaakt_op, "Een traject")
    andere_auteurs = session.exec(
        select(Gesprek.id).where(
            Gesprek.traject_id == traject.id, Gesprek.account_id != gebruiker.id
        )
    ).first()
    if andere_auteurs is not None:
        raise CorrectieNietMogelijk(
            "Een collega heeft ook gesprekken in dit traject geregistreerd; die trekt u niet "
            "mee in. Laat de collega eerst die gesprekken intrekken."
        )
    aantal = len(session.exec(select(Gesprek.id).where(Gesprek.traject_id == traject.id)).all())
    schrijf_audit(
        session,
        "traject_ingetrokken",
        gebruiker.id,
        traject.code,
        [
            _wijziging("wijk", traject.wijk, None),
            _wijziging("leeftijdsgroep", traject.leeftijdsgroep, None),
            _wijziging("instroomroute", traject.instroomroute, None),
            _wijziging("aantalGesprekken", aantal, None),
        ],
    )
    session.delete(traject)
    # The summary remembers what this traject contributed, so the figures drop it at once.
    onderhoud.traject_gewijzigd(session, traject.id)
    session.commit()
