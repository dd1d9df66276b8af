"""Registration announces that a traject changed; whoever keeps figures about trajecten listens.

Trajecten do not know who counts them: the analysis (`app.analyse.onderhoud`) subscribes when
the package is imported, and every write path of a traject calls `kondig_aan` after its own
changes and before its commit. A listener runs in that same transaction, so what it writes
(the summary tables) commits or rolls back with the change: the figures stay exact and current.

A listener gets the traject as it is after the change (`na`, None once withdrawn) and must not
commit. This is the one place to hook in more upkeep of figures per traject.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from app.trajecten.stand import TrajectStand


@dataclass(frozen=True, slots=True)
class TrajectGewijzigd:
    traject_id: uuid.UUID
    na: TrajectStand | None
    # Created by this very change: nothing can have been counted for it before.
    nieuw: bool = False


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
