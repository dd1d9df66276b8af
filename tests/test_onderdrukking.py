"""Small-cell suppression (the monitor's and the beschikkingen's tables): the exact audit.

The checks here solve the published equations themselves, with exact fractions, instead of
trusting the service's own audit.
"""

import random
from fractions import Fraction
from typing import Any

import pytest

from app.analyse.onderdrukking import bepaalde_cellen, onderdruk

K = 5
K_KLEIN = 3


def bepaald(vergelijkingen: list[dict[Any, int]], verborgen: set[Any]) -> set[Any]:
    """Hidden cells fixed by the equations, by exact Gauss-Jordan elimination over fractions."""
    pivots: list[tuple[Any, dict[Any, Fraction]]] = []
    for vergelijking in vergelijkingen:
        rij = {c: Fraction(v) for c, v in vergelijking.items() if c in verborgen and v}
        for cel, pivotrij in pivots:
            if rij.get(cel):
                factor = rij[cel]
                for c, v in pivotrij.items():
                    rij[c] = rij.get(c, Fraction(0)) - factor * v
                rij = {c: v for c, v in rij.items() if v}
        if not rij:
            continue
        cel = next(iter(rij))
        rij = {c: v / rij[cel] for c, v in rij.items()}
        for i, (andere, anderrij) in enumerate(pivots):
            if anderrij.get(cel):
                factor = anderrij[cel]
                nieuw = dict(anderrij)
                for c, v in rij.items():
                    nieuw[c] = nieuw.get(c, Fraction(0)) - factor * v
                pivots[i] = (andere, {c: v for c, v in nieuw.items() if v})
        pivots.append((cel, rij))
    return {cel for cel, rij in pivots if len(rij) == 1}


def tabel_vergelijkingen(rijen: int, kolommen: int) -> list[dict[Any, int]]:
    """A wijk x code table with row totals, column totals and a grand total."""
    uit = []
    for r in range(rijen):
        uit.append({("r", r): -1, **{(r, k): 1 for k in range(kolommen)}})
    for k in range(kolommen):
        uit.append({("k", k): -1, **{(r, k): 1 for r in range(rijen)}})
    uit.append({"totaal": -1, **{("r", r): 1 for r in range(rijen)}})
    return uit


def test_a_single_small_cell_gets_the_smallest_nonzero_partner() -> None:
    waarden = {"totaal": 30, "a": 2, "b": 0, "c": 9, "d": 19}
    verborgen = onderdruk(waarden, [[("totaal", -1), ("a", 1), ("b", 1), ("c", 1), ("d", 1)]], K)
    assert verborgen == {"a", "c"}


def test_two_cycles_joined_by_one_cell_reveal_that_cell_and_the_audit_sees_it() -> None:
    vergelijkingen = tabel_vergelijkingen(4, 4)
    # Every row and column has two hidden cells or none, yet (1, 2) is the sum of rows 0 and 1
    # minus columns 0 and 1: a rule of thumb passes it, the exact audit does not.
    verborgen = {(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)}
    lijsten = [list(v.items()) for v in vergelijkingen]
    assert bepaald(vergelijkingen, verborgen) == {(1, 2)}
    assert bepaalde_cellen(lijsten, verborgen) == {(1, 2)}
    assert bepaalde_cellen(lijsten, verborgen - {(1, 2)}) == set()


@pytest.mark.parametrize("seed", range(30))
def test_random_tables_leave_no_hidden_cell_determined(seed: int) -> None:
    rnd = random.Random(seed)
    rijen, kolommen = rnd.randint(2, 8), rnd.randint(2, 10)
    waarden: dict[Any, int] = {
        (r, k): rnd.choice([0, 0, 1, 2, 3, 4, 6, 9, 15, 40])
        for r in range(rijen)
        for k in range(kolommen)
    }
    for r in range(rijen):
        waarden[("r", r)] = sum(waarden[(r, k)] for k in range(kolommen))
    for k in range(kolommen):
        waarden[("k", k)] = sum(waarden[(r, k)] for r in range(rijen))
    waarden["totaal"] = sum(waarden[("r", r)] for r in range(rijen))
    vergelijkingen = tabel_vergelijkingen(rijen, kolommen)
    verborgen = onderdruk(waarden, [list(v.items()) for v in vergelijkingen], K)
    assert {c for c, v in waarden.items() if 0 < v < K} <= verborgen
    assert bepaald(vergelijkingen, verborgen) == set()
