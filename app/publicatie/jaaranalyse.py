"""The jaaranalyse for the rapportage role: every count a cell of the same release as tellingen.

A figure that tellingen also shows (trajecten per wijk and leeftijdsgroep in a year, gesprekken
per wijk in a month, ...) has the same cell name here, so it gets the same value in both: two
routes never give two noisy readings of one count to average. The other figures (trajecten by
number of gesprekken, warm handovers, closures) are cells of their own, named the same way.
"""

from collections.abc import Mapping

from sqlmodel import Session

from app.analyse.jaaranalyse import PER_CODE, TOTAAL, maak_jaaranalyse
from app.analyse.jaaranalyse import Cel as JaarCel
from app.analyse.schemas import Jaaranalyse
from app.deps import AppContext
from app.publicatie import raster
from app.publicatie.ruis import Cel, cel
from app.publicatie.vastleggen import publiceer

# Figure -> (meting, extra dimension and its value, or None for the figure's code)
PER_GESPREK = {"vraagtypen", "locaties", "afhandelingen"}
EIGEN: dict[str, tuple[str, str, str | None]] = {
    "gesprekkenPerTraject": ("trajecten", "gesprekken", None),
    "trajectenLimietBereikt": ("trajecten", "gesprekken", "5"),
    "overdrachtenWarm": ("trajecten", "overdracht", "warm"),
    "overdrachtenNietWarm": ("trajecten", "overdracht", "niet warm"),
    "trajectenWachtOpOverdracht": ("trajecten", "toestand", "wacht op overdracht"),
    "afgesloten": ("trajecten", "afsluiting", "alle"),
    "socialeBasis": ("trajecten", "afsluiting", "sociale basis"),
    "overdrachtenGespecialiseerd": ("trajecten", "overdrachtniveau", "gespecialiseerd"),
}


def celnaam(jaar: int, jaarcel: JaarCel) -> Cel:
    """The release's name of one figure of the jaaranalyse of `jaar`."""
    scope, figuur, code = jaarcel
    basis: list[tuple[str, str | None]] = [] if scope == TOTAAL else [("wijk", scope)]
    periode = str(jaar)
    if figuur.startswith("vorigJaar."):
        figuur, periode = figuur.removeprefix("vorigJaar."), str(jaar - 1)
        figuur = {"aantalTrajecten": "trajecten", "aantalGesprekken": "gesprekken"}.get(
            figuur, figuur
        )
    if figuur.startswith("perMaand."):
        return cel(figuur.removeprefix("perMaand."), code, basis)
    if figuur in ("aantalTrajecten", "trajecten"):
        return cel("trajecten", periode, basis)
    if figuur in ("aantalGesprekken", "gesprekken"):
        return cel("gesprekken", periode, basis)
    if figuur in PER_CODE:
        meting = "gesprekken" if figuur in PER_GESPREK else "trajecten"
        return cel(meting, periode, [*basis, (PER_CODE[figuur][0], code)])
    meting, dimensie, waarde = EIGEN[figuur]
    return cel(meting, periode, [*basis, (dimensie, code if waarde is None else waarde)])


def beschermde_jaaranalyse(
    session: Session, context: AppContext, jaar: int, wijk: str | None
) -> Jaaranalyse:
    raster.controleer_vastgesteld(
        raster.jaar(jaar), context.vandaag(), context.settings.publicatie_wachttijd_dagen, "jaar"
    )

    def toon(j: int, cellen: Mapping[JaarCel, int]) -> Mapping[JaarCel, int | None]:
        namen = {c: celnaam(j, c) for c in cellen}
        # Two figures can be one cell (trajecten with 5 gesprekken, those at the limit).
        gepubliceerd = publiceer(session, context, {namen[c]: n for c, n in cellen.items()})
        return {c: gepubliceerd[namen[c]] for c in cellen}

    return maak_jaaranalyse(session, context, jaar, wijk, toon, context.settings.min_cel)
