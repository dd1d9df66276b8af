"""The release's promise for one count, as every test of a route for rapportage checks it."""

from app.publicatie.ruis import MAX_RUIS

K = 5  # the default MIN_CEL, which the tests' settings keep


def gepubliceerd(getoond: int | None, echt: int | None) -> bool:
    """Below k (zero too) never shown; shown at least k and at most MAX_RUIS from the truth;
    hidden above k only where the noise could bring it below k."""
    assert echt is not None
    if getoond is None:
        return echt < K + MAX_RUIS
    return echt >= K and getoond >= K and abs(getoond - echt) <= MAX_RUIS
