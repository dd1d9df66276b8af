"""Cell-key perturbation: the published value of a count, as a function of the cell and the count.

Every cell of the release has a canonical name (what is counted, in which period, with which
values). Its key is an HMAC of that name and its true count under the service's secret, so the
same cell with the same count always gets the same noise, whichever table or route shows it:
asking again, or asking a table that shares the cell, teaches nothing new. The noise is a
two-sided geometric distribution cut off at MAX_RUIS: mostly 0 or 1 off (two cells in three),
rarely far off, and never more than MAX_RUIS. A count of 0 to k-1 is never shown, a zero no more
than a small count, so a hidden cell never says "at least one"; a count whose noisy value falls
below k is hidden too. A reader who knows this scheme (it is public, docs/rapportage.md) learns
of a shown value v only that the true count lies in [max(k, v - MAX_RUIS), v + MAX_RUIS], and of
a hidden one that it lies in [0, k - 1 + MAX_RUIS].
"""

import hashlib
import hmac
import json
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

# The cut-off and the ratio of the noise. The ratio sets the error a user sees: with 1/2 the
# mean error is 1.3, two cells in three are at most 1 off, one in 1,500 more than 10. The
# cut-off sets what a reader who combines everything can prove: the bound of a cell is exact
# only when its draw is at the cut-off, and a chain that closes on a hidden cell needs a total
# drawn within 2 of it (tests/publicatie/test_aanvaller.py). At 10 that was one total in 440;
# at 30 it is about one in 460 million, while the error users see stays the same.
MAX_RUIS = 30
VERHOUDING = 0.5
RUIS = list(range(-MAX_RUIS, MAX_RUIS + 1))
_GEWICHTEN = [VERHOUDING ** abs(n) for n in RUIS]
_CUMULATIEF = [c / sum(_GEWICHTEN) for c in accumulate(_GEWICHTEN)]

# (meting, periode, ((dimensie, waarde), ...))
Cel = tuple[str, str, tuple[tuple[str, str | None], ...]]


def cel(meting: str, periode: str, waarden: Sequence[tuple[str, str | None]]) -> Cel:
    """The canonical name: the dimension values sorted, so that order never matters."""
    return (meting, periode, tuple(sorted(waarden, key=lambda paar: paar[0])))


def celnaam(c: Cel) -> str:
    return json.dumps(
        [c[0], c[1], [list(p) for p in c[2]]], ensure_ascii=False, separators=(",", ":")
    )


def ruis(geheim: bytes, naam: str, aantal: int) -> int:
    """The noise for this cell and count: looked up from a uniform number the key gives."""
    sleutel = hmac.new(geheim, f"{naam}|{aantal}".encode(), hashlib.sha256).digest()
    u = int.from_bytes(sleutel[:8], "big") / 2**64
    return RUIS[min(bisect_right(_CUMULATIEF, u), len(RUIS) - 1)]


def verstoor(geheim: bytes, naam: str, aantal: int, k: int) -> int | None:
    """The published value: the count plus noise, hidden when either is below k.

    Hiding on the noisy value too, not on the count alone, matters: if "shown" meant exactly
    "at least k" and "hidden" exactly "below k", a reader could add up shown cells (each surely
    k or more) against hidden ones (each surely below k) and prove a small count is at least 1
    (tests/publicatie/test_aanvaller.py found such chains). Now a hidden cell may hold up to
    k - 1 + MAX_RUIS, which keeps every such bound open; the price is that a count just above k
    is sometimes hidden.
    """
    if aantal < k:
        return None
    waarde = aantal + ruis(geheim, naam, aantal)
    return waarde if waarde >= k else None
