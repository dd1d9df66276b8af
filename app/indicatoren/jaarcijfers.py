"""The effect section of the annual analysis: each indicator this year beside the year before.

No small-number protection, whatever `k`: these are figures that other bodies (CBS, GGD, Waar
staat je gemeente) already publish per wijk, after their own disclosure control (CBS rounds and
suppresses, GGD figures per wijk are model estimates). Hiding them from the `rapportage` role
would protect nobody and only withhold public information. Figures that are not published
(the gemeente's own counts of beschikkingen) belong in that part, which does protect them.
"""

from sqlalchemy import and_, func, select
from sqlmodel import Session

from app.deps import AppContext
from app.indicatoren.definities import INWONERS, Indicator
from app.indicatoren.models import GEMEENTE, IndicatorWaarde
from app.indicatoren.schemas import Effect, IndicatorCijfer, Richting
from app.kern.db import tabel_van

TABEL = tabel_van(IndicatorWaarde)


def jaarcijfers(
    session: Session, context: AppContext, jaar: int, k: int | None
) -> dict[str | None, Effect]:
    """Per wijk code, and None for the whole gemeente; every wijk and indicator, also unknown."""
    del k  # published figures: see the module's docstring
    jaren = (jaar, jaar - 1)
    rijen = session.execute(
        select(TABEL.c.jaar, TABEL.c.wijk, TABEL.c.indicator, TABEL.c.waarde).where(
            TABEL.c.jaar.in_(jaren)
        )
    ).all()
    gegeven = {(r.jaar, r.wijk, r.indicator): r.waarde for r in rijen}
    berekend = _gemeente_uit_wijken(session, context, jaren)
    uit: dict[str | None, Effect] = {}
    for wijk in context.indeling.codes:
        uit[wijk] = Effect(
            indicatoren={
                i.code: _cijfer(
                    i, gegeven.get((jaar, wijk, i.code)), gegeven.get((jaar - 1, wijk, i.code))
                )
                for i in context.indicatoren.lijst
            }
        )
    gemeente: dict[str, IndicatorCijfer] = {}
    for i in context.indicatoren.lijst:
        nu, vorig = (gegeven.get((j, GEMEENTE, i.code)) for j in jaren)
        nu_berekend, vorig_berekend = (berekend.get((j, i.code)) for j in jaren)
        gemeente[i.code] = _cijfer(
            i,
            nu if nu is not None else nu_berekend,
            vorig if vorig is not None else vorig_berekend,
            berekend=(nu is None and nu_berekend is not None)
            or (vorig is None and vorig_berekend is not None),
        )
    uit[None] = Effect(indicatoren=gemeente)
    return uit


def _gemeente_uit_wijken(
    session: Session, context: AppContext, jaren: tuple[int, ...]
) -> dict[tuple[int, str], float]:
    """Gemeente figures that follow exactly from every wijk's: a sum of counts, and a rate per
    1.000 inwoners weighted by the wijken's inwoners. Shares of a part of the population (a
    GGD percentage of adults) do not follow from the wijken's, so only the source gives them."""
    codes = context.indeling.codes
    waarde = TABEL.alias("waarde")
    inwoners = TABEL.alias("inwoners")
    query = (
        select(
            waarde.c.jaar,
            waarde.c.indicator,
            func.count().label("wijken"),
            func.count(inwoners.c.waarde).label("met_inwoners"),
            func.sum(waarde.c.waarde).label("som"),
            func.sum(waarde.c.waarde * inwoners.c.waarde).label("gewogen"),
            func.sum(inwoners.c.waarde).label("inwoners"),
        )
        .select_from(
            waarde.outerjoin(
                inwoners,
                and_(
                    inwoners.c.jaar == waarde.c.jaar,
                    inwoners.c.wijk == waarde.c.wijk,
                    inwoners.c.indicator == INWONERS,
                ),
            )
        )
        .where(waarde.c.jaar.in_(jaren), waarde.c.wijk.in_(codes))
        .group_by(waarde.c.jaar, waarde.c.indicator)
    )
    uit: dict[tuple[int, str], float] = {}
    for r in session.execute(query).all():
        definitie = context.indicatoren.get(r.indicator)
        if definitie is None or r.wijken != len(codes):
            continue
        if definitie.eenheid == "aantal":
            uit[(r.jaar, r.indicator)] = float(r.som)
        # A rate over no inwoners at all is no figure.
        elif (
            definitie.eenheid == "per 1.000 inwoners"
            and r.met_inwoners == len(codes)
            and r.inwoners
        ):
            uit[(r.jaar, r.indicator)] = round(r.gewogen / r.inwoners, 1)
    return uit


def _cijfer(
    indicator: Indicator, nu: float | None, vorig: float | None, berekend: bool = False
) -> IndicatorCijfer:
    verschil = None if nu is None or vorig is None else round(nu - vorig, 3)
    return IndicatorCijfer(
        waarde=nu,
        vorig_jaar=vorig,
        verschil=verschil,
        richting=_richting(verschil, indicator.hoger_is_beter),
        modelschatting=indicator.modelschatting,
        berekend=berekend,
    )


def _richting(verschil: float | None, hoger_is_beter: bool | None) -> Richting | None:
    if verschil is None:
        return None
    if verschil == 0:
        return "gelijk"
    hoger = verschil > 0
    if hoger_is_beter is None:
        return "hoger" if hoger else "lager"
    return "beter" if hoger == hoger_is_beter else "slechter"
