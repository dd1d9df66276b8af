"""The release's promise for one count, as every test of a route for rapportage checks it."""

from app.publicatie.ruis import MAX_RUIS

K = 5  # the default MIN_CEL, which the tests' settings keep


def gepubliceerd(getoond: int | None, echt: int | None) -> bool:
    """Below k (zero too) never shown; shown at least k and at most MAX_RUIS from the truth."""
    assert echt is not None
    if echt < K:
        return getoond is None
    return getoond is not None and getoond >= K and abs(getoond - echt) <= MAX_RUIS
