"""Registration announces that a traject changed; whoever keeps figures about trajecten listens.

Trajecten do not know who counts them: the analysis (`app.analyse.onderhoud`) subscribes when
the package is imported, and every write path of a traject calls `kondig_aan` after its own
changes and before its commit. A listener runs in that same transaction, so what it writes
(the summary tables) commits or rolls back with the change: the figures stay exact and current.

A listener gets the traject as it was before the change (`voor`, None for a new traject) and as
it is after (`na`, None once withdrawn), both as the write path holds them under the traject's
lock, and must not commit. It needs to read nothing back: the difference of the two is what
changed. This is the one place to hook in more upkeep of figures per traject.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from app.trajecten.stand import TrajectStand


@dataclass(frozen=True, slots=True)
class TrajectGewijzigd:
    traject_id: uuid.UUID
    voor: TrajectStand | None
    na: TrajectStand | None

    @classmethod
    def nieuw(cls, stand: TrajectStand) -> "TrajectGewijzigd":
        """Created by this very change: nothing can have been counted for it before."""
        return cls(stand.id, None, stand)

    @classmethod
    def van(cls, stand: TrajectStand, na: TrajectStand | None) -> "TrajectGewijzigd":
        """A change to a traject the write path loaded to change (`voor_update`)."""
        if stand.geladen is None:
            raise RuntimeError("een wijziging van een traject dat niet voor wijziging is geladen")
        return cls(stand.id, stand.geladen, na)


Luisteraar = Callable[[Session, TrajectGewijzigd], None]

# In the order they subscribed; a listener subscribes once, however often it is imported.
LUISTERAARS: list[Luisteraar] = []


def luister(luisteraar: Luisteraar) -> Luisteraar:
    if luisteraar not in LUISTERAARS:
        LUISTERAARS.append(luisteraar)
    return luisteraar


def kondig_aan(session: Session, wijziging: TrajectGewijzigd) -> None:
    for luisteraar in LUISTERAARS:
        luisteraar(session, wijziging)
    if wijziging.na is not None:
        # Its `voor` is now stale: announcing this state again must fail, not count twice.
        wijziging.na.geladen = None
