"""Plausible effect figures for a demonstration: every wijk and indicator, one year at a time.

Each wijk keeps its own level of each indicator across years (drawn from the seed and the
wijk), and a year adds a small trend and noise, so the year before and this year differ as
real model estimates do: a point or two.
"""

import random

from sqlmodel import Session

from app.deps import AppContext
from app.indicatoren.definities import BEREIK, INWONERS, Indicator
from app.indicatoren.models import GEMEENTE
from app.indicatoren.waarden import vervang_jaar

# Inwoners of the Maashorst werkgebieden, roughly: the Uden areas are larger than the villages.
INWONERS_MAASHORST = {
    "Centrum": 6_800, "West": 8_200, "Midden": 8_900, "Noord": 5_600, "Oost": 7_400,
    "Zuid": 6_100, "Volkel": 5_300, "Odiliapeel": 2_300, "Schaijk": 5_900, "Reek": 1_600,
    "Zeeland": 5_400,
}  # fmt: skip
# Per indicator: lowest and highest wijk level, decimals, and the trend per year.
NIVEAU: dict[str, tuple[float, float, int, float]] = {
    "eenzaamheid": (38, 52, 0, -0.4),
    "eenzaamheid_ernstig": (7, 14, 0, -0.2),
    "ervaren_regie": (88, 95, 0, 0.2),
    "ervaren_gezondheid_goed": (70, 82, 0, 0.1),
    "psychische_klachten": (4, 9, 0, 0.1),
    "moeite_rondkomen": (9, 22, 0, 0.3),
    "mantelzorgers": (12, 19, 0, 0.0),
    "mantelzorgers_zwaar_belast": (2, 4, 1, 0.0),
    "vrijwilligerswerk": (25, 38, 0, -0.2),
    "wmo_clienten_per_1000": (55, 100, 1, -1.0),
    "jeugdzorg_jongeren_per_1000": (80, 140, 1, -1.5),
    "inzet_voor_buurt": (20, 35, 0, 0.3),
    "rapportcijfer_leefbaarheid": (7.1, 8.1, 1, 0.02),
}
# For indicators of a gemeente's own file that the demo does not know.
PER_EENHEID: dict[str, tuple[float, float, int, float]] = {
    "procent": (5, 50, 0, 0.0),
    "aantal": (100, 1_000, 0, 0.0),
    "per 1.000 inwoners": (20, 120, 1, 0.0),
    "per 1.000 jongeren": (20, 120, 1, 0.0),
    "rapportcijfer": (6.5, 8.0, 1, 0.0),
}
BASISJAAR = 2020


def _waarde(indicator: Indicator, wijk: str, jaar: int, seed: int) -> float:
    laag, hoog, decimalen, trend = NIVEAU.get(indicator.code) or PER_EENHEID[indicator.eenheid]
    niveau = random.Random(f"{seed}-{wijk}-{indicator.code}").uniform(laag, hoog)
    ruis = random.Random(f"{seed}-{jaar}-{wijk}-{indicator.code}").gauss(0, (hoog - laag) / 20)
    waarde = niveau + trend * (jaar - BASISJAAR) + ruis
    ondergrens, bovengrens = BEREIK[indicator.eenheid]
    return round(min(max(waarde, ondergrens), bovengrens), decimalen)


def vul_demo(session: Session, context: AppContext, jaar: int, seed: int) -> int:
    """Replace the year's values with demo values; answers the number of rows stored."""
    waarden: list[tuple[str, str, float]] = []
    inwoners: dict[str, float] = {}
    for wijk in context.indeling.wijken:
        basis = INWONERS_MAASHORST.get(wijk.naam) or random.Random(f"{seed}-{wijk.code}").randint(
            1_500, 9_000
        )
        groei = random.Random(f"{seed}-{jaar}-{wijk.code}-groei").uniform(0.0, 0.012)
        inwoners[wijk.code] = round(basis * (1 + 0.006 * (jaar - BASISJAAR) + groei))
        for indicator in context.indicatoren.lijst:
            if indicator.code == INWONERS:
                waarde = inwoners[wijk.code]
            else:
                waarde = _waarde(indicator, wijk.code, jaar, seed)
            waarden.append((wijk.code, indicator.code, waarde))
    # The sources also publish the whole gemeente's share or rate; in the demo it is the
    # inwoners-weighted mean of the wijken. Counts and rates per 1.000 inwoners follow from the
    # wijken by themselves (jaarcijfers computes them).
    totaal = sum(inwoners.values())
    for indicator in context.indicatoren.lijst:
        if indicator.eenheid not in ("aantal", "per 1.000 inwoners"):
            per_wijk = {w: v for w, i, v in waarden if i == indicator.code}
            gemiddeld = sum(per_wijk[w] * inwoners[w] for w in per_wijk) / totaal
            decimalen = 0 if indicator.eenheid == "procent" else 1
            waarden.append((GEMEENTE, indicator.code, round(gemiddeld, decimalen)))
    vervang_jaar(session, jaar, [(w, i, float(v)) for w, i, v in waarden])
    return len(waarden)
