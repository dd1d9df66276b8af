"""The gespecialiseerde inzet in the annual analysis: beschikkingen beside the handovers.

Per wijk and for the gemeente: beschikkingen per voorziening this year, the year before and the
base year, the trend against the base year, per 1,000 inwoners, and the handovers from the
registrations to a `gespecialiseerd` doel. The policy's question is whether the use of
specialised care damps as the neighbourhood approach takes hold.
"""

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from app.analyse.models import AnalyseTelling
from app.beschikkingen.schemas import GespecialiseerdeInzet
from app.beschikkingen.tabel import TOTAAL, Jaartabel, lees_jaartabellen
from app.deps import AppContext
from app.indicatoren.definities import INWONERS
from app.indicatoren.models import GEMEENTE, IndicatorWaarde


def _gespecialiseerd(context: AppContext) -> list[str]:
    doelen = context.codelijsten.lijsten["overdrachtdoelen"]
    return [c.code for c in doelen if c.niveau == "gespecialiseerd"]


def tel_overdrachten(
    session: Session, context: AppContext, jaren: list[int]
) -> dict[tuple[int, str], int]:
    """Overdrachten to a gespecialiseerd doel per (jaar, wijk); a traject counts in the year of
    its first gesprek. Read from the analysis's counters, which hold exactly that per doel:
    a tenth of the time of joining the registrations, and the same numbers as the jaaranalyse."""
    t = AnalyseTelling.__table__  # type: ignore[attr-defined]
    rijen = session.execute(
        select(t.c.jaar, t.c.wijk, func.sum(t.c.aantal))
        .where(
            t.c.jaar.in_(jaren),
            t.c.kenmerk == "overdrachtdoel",
            t.c.code.in_(_gespecialiseerd(context)),
        )
        .group_by(t.c.jaar, t.c.wijk)
    ).all()
    return {(int(j), w): int(n) for j, w, n in rijen}


def inwoners(session: Session, jaar: int) -> dict[str, float]:
    """Inwoners per wijk (and GEMEENTE) from the indicator `inwoners`: of this year, or where
    that is not yet published (CBS lags), of the latest of the two years before."""
    w = IndicatorWaarde.__table__  # type: ignore[attr-defined]
    van_inwoners = (w.c.indicator == INWONERS, w.c.jaar.between(jaar - 2, jaar))
    laatste = select(w.c.wijk, func.max(w.c.jaar).label("jaar")).where(*van_inwoners)
    laatste = laatste.group_by(w.c.wijk).subquery()
    rijen = session.execute(
        select(w.c.wijk, w.c.waarde)
        .join(laatste, (laatste.c.wijk == w.c.wijk) & (laatste.c.jaar == w.c.jaar))
        .where(*van_inwoners)
    ).all()
    return {wijk: float(waarde) for wijk, waarde in rijen}


def _index(nu: int | None, basis: int | None) -> float | None:
    if nu is None or basis is None or basis == 0:
        return None
    return round(100 * nu / basis, 1)


def jaarcijfers(
    session: Session, context: AppContext, jaar: int, k: int | None
) -> dict[str | None, GespecialiseerdeInzet]:
    """Every wijk and (key None) the gemeente; `k` set means the rapportage role's view."""
    basisjaar = context.settings.beschikkingen_basisjaar
    jaren = sorted({jaar, jaar - 1, basisjaar})
    tabellen = lees_jaartabellen(session, context, jaren, k)
    overdrachten = tel_overdrachten(session, context, jaren) if k is None else {}
    bevolking = {j: inwoners(session, j) for j in jaren}
    wijken = context.indeling.codes
    codes = context.codelijsten.codes("voorzieningen")

    def inwoners_van(j: int, scope: str) -> float | None:
        if scope != TOTAAL:
            return bevolking[j].get(scope)
        # The sum of the wijken matches the beschikkingen counted; the gemeente's own figure
        # is the next best.
        if all(w in bevolking[j] for w in wijken):
            return sum(bevolking[j][w] for w in wijken)
        return bevolking[j].get(GEMEENTE)

    def cijfers(tabel: Jaartabel, scope: str) -> dict[str, Any]:
        j = tabel.jaar
        totaal = tabel.waarde(scope, TOTAAL)
        aantal_inwoners = inwoners_van(j, scope)
        overdracht: int | None = None
        # This count is the sum of the jaaranalyse's overdrachtdoelen of niveau gespecialiseerd:
        # beside one of those that is suppressed there it would give that one away, and which
        # ones are is known only inside the jaaranalyse (which asks this function for its
        # section). So rapportage reads it there, from the doelen.
        if k is None:
            overdracht = (
                sum(overdrachten.get((j, w), 0) for w in wijken)
                if scope == TOTAAL
                else overdrachten.get((j, scope), 0)
            )
        return {
            "jaar": j,
            "ingelezen": tabel.ingelezen,
            "voorzieningen": {c: tabel.waarde(scope, c) for c in codes},
            "totaal": totaal,
            # Hidden with the total: with the population published, it would give it back.
            "totaal_per_1000_inwoners": (
                round(1000 * totaal / aantal_inwoners, 1)
                if totaal is not None and aantal_inwoners
                else None
            ),
            "overdrachten_gespecialiseerd": overdracht,
        }

    def sectie(scope: str) -> GespecialiseerdeInzet:
        nu, basis = tabellen[jaar], tabellen[basisjaar]
        return GespecialiseerdeInzet.model_validate(
            {
                **cijfers(nu, scope),
                "vorig_jaar": cijfers(tabellen[jaar - 1], scope),
                "basisjaar": cijfers(basis, scope),
                # A trend beside a visible count would give a hidden one back: both or nothing.
                "trend": {c: _index(nu.waarde(scope, c), basis.waarde(scope, c)) for c in codes},
                "trend_totaal": _index(nu.waarde(scope, TOTAAL), basis.waarde(scope, TOTAAL)),
            }
        )

    uit: dict[str | None, GespecialiseerdeInzet] = {w: sectie(w) for w in wijken}
    uit[None] = sectie(TOTAAL)
    return uit
