"""Small-cell suppression for the rapportage role: primary, secondary and an exact audit.

A table is a set of cells with counts and a set of linear equations that a reader knows hold
between them (a total equals the sum of its parts, a margin from another table, ...). Primary
suppression hides every count from 1 to k-1. Secondary suppression then hides more cells until
no hidden count can be computed from the visible ones by any combination of the equations: not
only "total minus the other parts", but also chains over rows and columns of a wijk x code
table. That last guarantee is checked exactly (`bepaalde_cellen`), not assumed from a rule of
thumb. What remains possible, and is documented, is bounding: knowing counts are not negative,
a hidden count lies between 0 and the smallest visible total it is part of.
"""

from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

# Equations are solved modulo a large prime: exact for the small integer coefficients used here
# (a cell is determined over the rationals iff it is modulo p, barring a 1-in-2^61 accident).
PRIEM = 2**61 - 1

Vergelijking = Sequence[tuple[K, int]]


def bepaalde_cellen(vergelijkingen: Iterable[Vergelijking[K]], verborgen: set[K]) -> set[K]:
    """The hidden cells whose value follows from the equations and the visible cells.

    The equations restricted to the hidden cells are brought to reduced row echelon form; a
    hidden cell is determined exactly when some row of that form is that cell alone.
    """
    pivots: dict[K, dict[K, int]] = {}  # pivot cell -> its row, pivot coefficient 1
    volgorde: dict[K, int] = {}
    for vergelijking in vergelijkingen:
        rij: dict[K, int] = {}
        for cel, coef in vergelijking:
            if cel in verborgen:
                rij[cel] = (rij.get(cel, 0) + coef) % PRIEM
        rij = {c: v for c, v in rij.items() if v}
        for cel in [c for c in rij if c in pivots]:
            factor = rij.get(cel, 0)
            if factor:
                for c, v in pivots[cel].items():
                    nieuw = (rij.get(c, 0) - factor * v) % PRIEM
                    if nieuw:
                        rij[c] = nieuw
                    else:
                        rij.pop(c, None)
        if not rij:
            continue
        for cel in rij:
            volgorde.setdefault(cel, len(volgorde))
        pivot = min(rij, key=volgorde.__getitem__)
        inverse = pow(rij[pivot], PRIEM - 2, PRIEM)
        rij = {c: v * inverse % PRIEM for c, v in rij.items()}
        for ander in pivots.values():
            factor = ander.get(pivot, 0)
            if factor:
                for c, v in rij.items():
                    nieuw = (ander.get(c, 0) - factor * v) % PRIEM
                    if nieuw:
                        ander[c] = nieuw
                    else:
                        ander.pop(c, None)
        pivots[pivot] = rij
    return {pivot for pivot, rij in pivots.items() if len(rij) == 1}


def onderdruk(
    waarden: dict[K, int],
    vergelijkingen: Sequence[Vergelijking[K]],
    k: int,
    vast: set[K] | frozenset[K] = frozenset(),
) -> set[K]:
    """The cells to hide: every count 1..k-1, plus what keeps them from being recomputed.

    `vast` cells are known to the reader anyway (published elsewhere) and are never hidden.
    Extra cells are chosen small and non-zero first, so that as little as possible is lost.
    """
    verborgen = {c for c, v in waarden.items() if 0 < v < k and c not in vast}
    if not verborgen:
        return verborgen
    per_cel: dict[K, list[int]] = {}
    for i, vergelijking in enumerate(vergelijkingen):
        for cel, _ in vergelijking:
            per_cel.setdefault(cel, []).append(i)
    volgorde = {c: i for i, c in enumerate(waarden)}

    def aanvulling(vergelijking: Vergelijking[K]) -> K | None:
        kandidaten = [c for c, _ in vergelijking if c not in verborgen and c not in vast]
        if not kandidaten:
            return None
        return min(kandidaten, key=lambda c: (waarden[c] == 0, waarden[c], volgorde[c]))

    while True:
        # Cheap first: no equation may have exactly one hidden cell.
        veranderd = True
        while veranderd:
            veranderd = False
            for vergelijking in vergelijkingen:
                if sum(1 for c, _ in vergelijking if c in verborgen) == 1:
                    extra = aanvulling(vergelijking)
                    if extra is not None:
                        verborgen.add(extra)
                        veranderd = True
        # Then exact: chains of equations may still pin a cell down.
        bepaald = bepaalde_cellen(vergelijkingen, verborgen)
        toegevoegd = False
        for cel in sorted(bepaald, key=volgorde.__getitem__):
            # Hide a partner in an equation of this cell; if those are all hidden already,
            # widen the search to the equations of the hidden cells it is tied to.
            rij, gezien = [cel], {cel}
            while rij and not toegevoegd:
                huidige = rij.pop(0)
                for i in per_cel.get(huidige, []):
                    extra = aanvulling(vergelijkingen[i])
                    if extra is not None:
                        verborgen.add(extra)
                        toegevoegd = True
                        break
                    for c, _ in vergelijkingen[i]:
                        if c in verborgen and c not in gezien:
                            gezien.add(c)
                            rij.append(c)
            if toegevoegd:
                break  # audit again: one extra cell often settles several
        if not toegevoegd:
            # Either nothing is determined, or only by cells the reader knows anyway.
            return verborgen
