"""Plausible synthetic inzet for a demonstration: hours about the norm, some wijken below it."""

import random

from sqlmodel import Session

from app.deps import AppContext
from app.inzet.schemas import BedragInvoer, InzetInvoer, UrenInvoer
from app.inzet.vastleggen import vervang_inzet

# Hours per week around a typical wijk; a gemeente's own list may have other codes, which get a
# few hours of their own.
UREN = {
    "preventiewerker_jeugd": 16,
    "preventiewerker_volwassenen": 16,
    "verbinder": 8,
    "welzijnswerk": 12,
    "jongerenwerk": 6,
    "maatschappelijk_werk": 8,
    "vrijwilligerscoordinatie": 4,
}
# Euros per wijk per year; preventiewerkers follows from their hours.
BEDRAGEN = {
    "wijkbudget": 10_000,
    "subsidie_initiatieven": 7_500,
    "kwartiermaker": 12_000,
    "welzijnsopdracht": 45_000,
    "overig": 2_500,
}
UURTARIEF = 72  # euro per hour of a preventiewerker, for 46 working weeks a year
WERKWEKEN = 46


def _op_kwartier(uren: float) -> float:
    return max(0.0, round(uren * 4) / 4)


def vul_demo(session: Session, context: AppContext, jaar: int, seed: int) -> int:
    """Inzet for every wijk in `jaar`, replacing what was there; answers the rows written.

    Deterministic for (seed, jaar), and different from year to year. About a third of the
    wijken stay below the norm for preventiewerkers (a vacancy, or fewer hours bought).
    """
    rnd = random.Random(f"inzet-{seed}-{jaar}")
    rijen = 0
    for wijk in context.indeling.codes:
        onder_norm = rnd.random() < 1 / 3
        uren: dict[str, float] = {}
        for soort in context.codelijsten.codes("uursoorten"):
            basis: float = UREN.get(soort, 4)
            if onder_norm and soort.startswith("preventiewerker"):
                basis *= rnd.uniform(0.5, 0.85)
            uren[soort] = _op_kwartier(basis * rnd.uniform(0.85, 1.15))
        preventie = sum(n for s, n in uren.items() if s.startswith("preventiewerker"))
        bedragen: dict[str, float] = {}
        for post in context.codelijsten.codes("budgetposten"):
            if post == "wijkbudget":
                bedragen[post] = BEDRAGEN[post]  # the policy's fixed amount per wijk
            elif post == "preventiewerkers":
                bedragen[post] = round(preventie * WERKWEKEN * UURTARIEF, 2)
            else:
                bedragen[post] = round(BEDRAGEN.get(post, 1_000) * rnd.uniform(0.7, 1.3), 2)
        invoer = InzetInvoer.model_construct(
            uren=[UrenInvoer.model_construct(soort=s, uren_per_week=n) for s, n in uren.items()],
            bedragen=[BedragInvoer.model_construct(post=p, euro=e) for p, e in bedragen.items()],
        )
        rijen += vervang_inzet(session, jaar, wijk, invoer, None)
    return rijen
