"""The gespecialiseerde inzet in the annual analysis: beschikkingen beside the handovers.

Per wijk and for the gemeente: beschikkingen per voorziening this year, the year before and the
base year, the trend against the base year, per 1,000 inwoners, and the handovers from the
registrations to a `gespecialiseerd` doel. The policy's question is whether the use of
specialised care damps as the neighbourhood approach takes hold.

For the rapportage role every count is a published cell (app/beschikkingen/tabel.py) and every
figure derived from counts (per 1,000 inwoners, the trend) is computed from the published values,
so it tells nothing the published counts do not.
"""

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from app.analyse.models import AnalyseTelling
from app.beschikkingen.schemas import GespecialiseerdeInzet
from app.beschikkingen.tabel import TOTAAL, Jaartabel, lees_jaartabellen, vastgesteld
from app.deps import AppContext
from app.indicatoren.definities import INWONERS
from app.indicatoren.models import GEMEENTE, IndicatorWaarde
from app.kern.db import tabel_van
from app.publicatie import ruis as publicatie
from app.publicatie.vastleggen import publiceer


def _gespecialiseerd(context: AppContext) -> list[str]:
    doelen = context.codelijsten.lijsten["overdrachtdoelen"]
    return [c.code for c in doelen if c.niveau == "gespecialiseerd"]


def tel_overdrachten(
    session: Session, context: AppContext, jaren: list[int]
) -> dict[tuple[int, str], int]:
    """Overdrachten to a gespecialiseerd doel per (jaar, wijk); a traject counts in the year of
    its first gesprek. Read from the analysis's counters, which hold exactly that per doel:
    a tenth of the time of joining the registrations, and the same numbers as the jaaranalyse."""
    t = tabel_van(AnalyseTelling)
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


def overdrachtencel(jaar: int, scope: str) -> publicatie.Cel:
    """The cell the jaaranalyse publishes as `overdrachtenGespecialiseerd` of `jaar`
    (app/publicatie/jaaranalyse.py), so that this year's figure there and next year's `vorigJaar`
    here are one value. Named here rather than imported: that module imports the jaaranalyse,
    which imports this one."""
    wijk = [] if scope == TOTAAL else [("wijk", scope)]
    return publicatie.cel("trajecten", str(jaar), [*wijk, ("overdrachtniveau", "gespecialiseerd")])


def inwoners(session: Session, jaar: int) -> dict[str, float]:
    """Inwoners per wijk (and GEMEENTE) from the indicator `inwoners`: of this year, or where
    that is not yet published (CBS lags), of the latest of the two years before."""
    w = tabel_van(IndicatorWaarde)
    van_inwoners = (w.c.indicator == INWONERS, w.c.jaar.between(jaar - 2, jaar))
    laatste = (
        select(w.c.wijk, func.max(w.c.jaar).label("jaar"))
        .where(*van_inwoners)
        .group_by(w.c.wijk)
        .subquery()
    )
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
    """Every wijk and (key None) the gemeente; `k` set means the rapportage role's view (the
    jaaranalyse passes settings.min_cel, which the publication reads itself)."""
    rapportage = k is not None
    basisjaar = context.settings.beschikkingen_basisjaar
    jaren = sorted({jaar, jaar - 1, basisjaar})
    tabellen = lees_jaartabellen(session, context, jaren, rapportage)
    wijken = context.indeling.codes
    geteld = tel_overdrachten(session, context, jaren)
    exact: dict[tuple[int, str], int] = {}
    for j in jaren:
        for w in wijken:
            exact[(j, w)] = geteld.get((j, w), 0)
        exact[(j, TOTAAL)] = sum(geteld.get((j, w), 0) for w in wijken)
    overdrachten: dict[tuple[int, str], int | None] = dict(exact)
    if rapportage:
        cellen = {c: overdrachtencel(*c) for c in exact if vastgesteld(context, c[0])}
        gepubliceerd = publiceer(session, context, {n: exact[c] for c, n in cellen.items()})
        overdrachten = {c: gepubliceerd[cellen[c]] if c in cellen else None for c in exact}
    bevolking = {j: inwoners(session, j) for j in jaren}
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
        return {
            "jaar": j,
            "ingelezen": tabel.ingelezen,
            "voorzieningen": {c: tabel.waarde(scope, c) for c in codes},
            "totaal": totaal,
            "totaal_per_1000_inwoners": (
                round(1000 * totaal / aantal_inwoners, 1)
                if totaal is not None and aantal_inwoners
                else None
            ),
            "overdrachten_gespecialiseerd": overdrachten[(j, scope)],
        }

    def sectie(scope: str) -> GespecialiseerdeInzet:
        nu, basis = tabellen[jaar], tabellen[basisjaar]
        return GespecialiseerdeInzet.model_validate(
            {
                **cijfers(nu, scope),
                "vorig_jaar": cijfers(tabellen[jaar - 1], scope),
                "basisjaar": cijfers(basis, scope),
                "trend": {c: _index(nu.waarde(scope, c), basis.waarde(scope, c)) for c in codes},
                "trend_totaal": _index(nu.waarde(scope, TOTAAL), basis.waarde(scope, TOTAAL)),
            }
        )

    uit: dict[str | None, GespecialiseerdeInzet] = {w: sectie(w) for w in wijken}
    uit[None] = sectie(TOTAAL)
    return uit
