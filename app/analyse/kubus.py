"""Tellingen summaries: counts per month for every three dimensions, kept as registrations change.

A table of tellingen with at most three dimensions besides `maand` over whole months is a sum
over at most a few thousand rows of `telling_kubus` instead of a join over every gesprek of the
period. There is one summary ("kubus") per meting and per three of the seven dimensions other
than `maand`: 2 x 35. A table with fewer dimensions sums out the others, which is exact only
for a dimension with exactly one value per counted thing (a gesprek has one locatie, but may
have several vraagtypen; a traject has one wijk, but its gesprekken may have several
locaties). `kies_kubus` picks a summary whose extra dimensions are such ones.

The counting rules are those of the plain count in `app.analyse.tellingen` (which stays the
reference and the way to count anything else): a gesprek counts in the month of its datum, once
per vraagtype where vraagtype is a dimension; a traject counts in the month of its first
gesprek, once for each combination of values that occurs within one of its gesprekken. A
traject without an overdracht has overdrachtdoel GEEN (stored as "": a key column cannot be
NULL).

What one traject contributes is computed from its state (`bijdrage_kubus`); the listener in
app.analyse.onderhoud adds the difference between before and after, as for the yearly counters.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import combinations
from operator import itemgetter
from typing import Any, Protocol

from app.analyse.schemas import Meting


class _Gesprek(Protocol):
    @property
    def datum(self) -> date: ...
    @property
    def locatie(self) -> str: ...
    @property
    def afhandeling(self) -> str: ...
    @property
    def vraagtypen(self) -> Sequence[str]: ...


class _Overdracht(Protocol):
    @property
    def doel(self) -> str: ...


class Traject(Protocol):
    """What the summaries read of a traject: app.trajecten.stand's TrajectStand, or a migration's
    rows, which must not depend on that class staying the same."""

    @property
    def wijk(self) -> str: ...
    @property
    def leeftijdsgroep(self) -> str: ...
    @property
    def instroomroute(self) -> str: ...
    @property
    def overdracht(self) -> _Overdracht | None: ...
    @property
    def gesprekken(self) -> Sequence[_Gesprek]: ...


# The order is stored: a kubus is known in the table by its number (its place in KUBUSSEN).
DIMENSIES_KUBUS = (
    "wijk",
    "leeftijdsgroep",
    "instroomroute",
    "overdrachtdoel",
    "locatie",
    "afhandeling",
    "vraagtype",
)
PER_TRAJECT = frozenset(DIMENSIES_KUBUS[:4])
METINGEN: tuple[Meting, ...] = ("gesprekken", "trajecten")
KUBUSSEN: tuple[tuple[Meting, tuple[str, ...]], ...] = tuple(
    (m, drie) for m in METINGEN for drie in combinations(DIMENSIES_KUBUS, 3)
)
NUMMER = {k: i for i, k in enumerate(KUBUSSEN)}
MAX_DIMENSIES = 3
GEEN = ""

# Values that are one per counted thing, cheapest (fewest codes) first: what may be summed out.
_ENKELVOUDIG: dict[str, tuple[str, ...]] = {
    "gesprekken": (
        "afhandeling", "leeftijdsgroep", "wijk", "locatie", "instroomroute", "overdrachtdoel",
    ),
    "trajecten": ("leeftijdsgroep", "wijk", "instroomroute", "overdrachtdoel"),
}  # fmt: skip

# A fact: one gesprek with one of its vraagtypen (or None, for the gesprek itself), with what
# its traject adds. Positions 3.. follow DIMENSIES_KUBUS.
_MAAND, _BEGIN, _TRAJECT = 0, 1, 2
_PLEK = {d: 3 + i for i, d in enumerate(DIMENSIES_KUBUS)}


def maand_van(dag: date) -> int:
    """A month as stored: yyyymm."""
    return dag.year * 100 + dag.month


def kies_kubus(meting: Meting, dimensies: Sequence[str]) -> tuple[int, list[int]]:
    """The summary that answers these dimensions (without `maand`), and their columns in it.

    Raises ValueError for more than three dimensions: those are counted from the registrations.
    """
    if len(dimensies) > MAX_DIMENSIES:
        raise ValueError(f"hoogstens {MAX_DIMENSIES} dimensies per kubus")
    gekozen = set(dimensies)
    for extra in _ENKELVOUDIG[meting]:
        if len(gekozen) == MAX_DIMENSIES:
            break
        gekozen.add(extra)
    drie = tuple(d for d in DIMENSIES_KUBUS if d in gekozen)
    return NUMMER[(meting, drie)], [drie.index(d) for d in dimensies]


def _feiten(trajecten: Iterable[tuple[int, Traject]]) -> tuple[list[Any], list[Any], list[Any]]:
    """Per traject, per gesprek and per gesprek x vraagtype: tuples laid out as _PLEK says."""
    per_traject, per_gesprek, per_vraagtype = [], [], []
    for nummer, traject in trajecten:
        if not traject.gesprekken:
            continue
        begin = maand_van(min(g.datum for g in traject.gesprekken))
        overdracht = traject.overdracht
        doel = overdracht.doel if overdracht is not None else GEEN
        kop = (traject.wijk, traject.leeftijdsgroep, traject.instroomroute, doel)
        per_traject.append((begin, begin, nummer, *kop, None, None, None))
        for g in traject.gesprekken:
            maand = maand_van(g.datum)
            per_gesprek.append((maand, begin, nummer, *kop, g.locatie, g.afhandeling, None))
            for v in g.vraagtypen:
                per_vraagtype.append((maand, begin, nummer, *kop, g.locatie, g.afhandeling, v))
    return per_traject, per_gesprek, per_vraagtype


def bijdrage_kubus(trajecten: Iterable[Traject]) -> Counter[tuple[Any, ...]]:
    """What these trajecten add to `telling_kubus`: (kubus, maand, a, b, c) -> count.

    Built for a batch as much as for one traject: each kubus is one Counter over a map, so the
    work per fact runs in C.
    """
    per_traject, per_gesprek, per_vraagtype = _feiten(enumerate(trajecten))
    uit: Counter[tuple[Any, ...]] = Counter()
    for nummer, (meting, drie) in enumerate(KUBUSSEN):
        plekken = [_PLEK[d] for d in drie]
        bron = per_vraagtype if "vraagtype" in drie else per_gesprek
        if meting == "gesprekken":
            geteld = Counter(map(itemgetter(_MAAND, *plekken), bron))
        elif PER_TRAJECT.issuperset(drie):
            geteld = Counter(map(itemgetter(_BEGIN, *plekken), per_traject))
        else:
            # Once per traject for each combination that occurs in one of its gesprekken.
            uniek = set(map(itemgetter(_TRAJECT, _BEGIN, *plekken), bron))
            geteld = Counter(map(itemgetter(slice(1, None)), uniek))
        for (maand, a, b, c), n in geteld.items():
            uit[(nummer, maand, a, b, c)] += n
    return uit


# Per kubus: its number, what it takes from a fact, and which facts it counts.
_PER_GESPREK_FEIT = [
    (nr, itemgetter(_MAAND, *(_PLEK[d] for d in drie)), "vraagtype" in drie)
    for nr, (meting, drie) in enumerate(KUBUSSEN)
    if meting == "gesprekken"
]
_PER_TRAJECT_FEIT = [
    (nr, itemgetter(_BEGIN, *(_PLEK[d] for d in drie)), PER_TRAJECT.issuperset(drie),
     "vraagtype" in drie)
    for nr, (meting, drie) in enumerate(KUBUSSEN)
    if meting == "trajecten"
]  # fmt: skip


def verschil_kubus(voor: Traject | None, na: Traject | None) -> Counter[tuple[Any, ...]]:
    """What changes in `telling_kubus` when a traject goes from `voor` to `na` (either None).

    The same counts as bijdrage_kubus(na) - bijdrage_kubus(voor), but in the registration's
    own time: only gesprekken that differ are counted for the gesprekken, and the trajecten
    only when a combination of values in the traject differs (a follow-up with nothing new in
    it, a handover's status, change nothing there).
    """
    oud = _feiten((0, t) for t in ([voor] if voor is not None else []))
    nieuw = _feiten((0, t) for t in ([na] if na is not None else []))
    uit: Counter[tuple[Any, ...]] = Counter()
    for deel in (1, 2):  # per gesprek, per gesprek x vraagtype
        verschil = Counter(nieuw[deel])
        verschil.subtract(oud[deel])
        for feit, n in verschil.items():
            if n:
                for nr, neem, met_vraagtype in _PER_GESPREK_FEIT:
                    if met_vraagtype == (deel == 2):
                        uit[(nr, *neem(feit))] += n
    if [set(f) for f in oud] != [set(f) for f in nieuw]:
        for feiten, teken in ((nieuw, 1), (oud, -1)):
            per_traject, per_gesprek, per_vraagtype = feiten
            for nr, neem, alleen_traject, met_vraagtype in _PER_TRAJECT_FEIT:
                bron = (
                    per_traject
                    if alleen_traject
                    else per_vraagtype
                    if met_vraagtype
                    else per_gesprek
                )
                for sleutel in {neem(f) for f in bron}:
                    uit[(nr, *sleutel)] += teken
    return uit
