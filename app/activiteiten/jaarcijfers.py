"""The activiteiten section of the annual analysis: per wijk and for the gemeente, with the
year before.

No small-number protection, whatever `k` is: these figures count collective activities (public
gatherings, courses, buurtinitiatieven), not residents with some characteristic. A low number of
activities, or of deelnemers at a public meeting, says nothing about any one resident, and the
organisers report the same numbers openly; hiding them would only blank out the small villages,
where the policy most wants to see whether anything happens.
"""

from collections import Counter
from datetime import date
from typing import get_args

from sqlalchemy import extract, select
from sqlmodel import Session, col, func

from app.activiteiten.models import Activiteit
from app.activiteiten.schemas import ActiviteitenCijfers, ActiviteitenSectie, Initiatief
from app.deps import AppContext

TOTALEN = ("aantal_activiteiten", "bijeenkomsten", "deelnemers", "vrijwilligers")


def jaarcijfers(
    session: Session, context: AppContext, jaar: int, k: int | None
) -> dict[str | None, ActiviteitenSectie]:
    """Every wijk (also without activities) and None for all wijken together."""
    del k  # see the module's docstring: nothing here is about few residents
    wijken = context.indeling.codes
    jaar_van = extract("year", col(Activiteit.datum))
    # SQLAlchemy's select and execute: sqlmodel's select is typed for at most four columns.
    rijen = session.execute(
        select(
            col(Activiteit.wijk), jaar_van, col(Activiteit.soort), col(Activiteit.initiatief),
            func.count(), func.sum(Activiteit.bijeenkomsten), func.sum(Activiteit.deelnemers),
            func.sum(Activiteit.vrijwilligers),
        )
        .where(
            col(Activiteit.datum).between(date(jaar - 1, 1, 1), date(jaar, 12, 31)),
            # A wijk that left the configuration counts in neither a wijk nor the total, so
            # that the wijken always add up to the gemeente.
            col(Activiteit.wijk).in_(wijken),
        )
        .group_by(col(Activiteit.wijk), jaar_van, col(Activiteit.soort), col(Activiteit.initiatief))
    ).all()  # fmt: skip
    # At most wijken x 2 years x soorten x initiatieven grouped rows, added up per section.
    totalen: dict[tuple[str | None, int], Counter[str]] = {}
    soorten: dict[tuple[str | None, int], Counter[str]] = {}
    initiatieven: dict[tuple[str | None, int], Counter[str]] = {}
    for wijk, rij_jaar, soort, initiatief, *getallen in rijen:
        aantal = getallen[0]
        for sleutel in ((wijk, int(rij_jaar)), (None, int(rij_jaar))):
            totalen.setdefault(sleutel, Counter()).update(dict(zip(TOTALEN, getallen, strict=True)))
            soorten.setdefault(sleutel, Counter())[soort] += aantal
            initiatieven.setdefault(sleutel, Counter())[initiatief] += aantal

    def cijfers(wijk: str | None, j: int) -> ActiviteitenCijfers:
        sleutel = (wijk, j)
        per_soort = soorten.get(sleutel, Counter())
        per_initiatief = initiatieven.get(sleutel, Counter())
        return ActiviteitenCijfers(
            **{veld: int(totalen.get(sleutel, Counter())[veld]) for veld in TOTALEN},
            # Every code of the list, also with 0; a code that left the list still counts in
            # the totals above, and shows here under its own name.
            per_soort={
                **{c: 0 for c in context.codelijsten.codes("activiteitsoorten")},
                **per_soort,
            },
            per_initiatief={
                **{c: 0 for c in get_args(Initiatief)},
                **per_initiatief,
            },
        )

    return {
        wijk: ActiviteitenSectie(
            **cijfers(wijk, jaar).model_dump(), vorig_jaar=cijfers(wijk, jaar - 1)
        )
        for wijk in [*wijken, None]
    }
