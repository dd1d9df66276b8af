"""The inzet part of the annual analysis, per wijk and for the gemeente, with the year before."""

from typing import Any

from sqlmodel import Session

from app.deps import AppContext
from app.inzet.cijfers import GEMEENTE, lees_cijfers
from app.inzet.schemas import InzetCijfers, InzetSectie


def _zonder_tijdstip(cijfers: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in cijfers.items() if k != "bijgewerkt_op"}


def jaarcijfers(
    session: Session, context: AppContext, jaar: int, k: int | None
) -> dict[str | None, InzetSectie]:
    """Every wijk of the indeling and None (the gemeente); `k` is accepted and left unused.

    Hours and euros are about professionals and budgets, not about residents: no figure can
    point to a person, so the role rapportage (k set) sees them exact, as the kwartiermaker.
    """
    cijfers = lees_cijfers(session, context, [jaar, jaar - 1])
    return {
        wijk: InzetSectie(
            **_zonder_tijdstip(cijfers[(jaar, wijk)]),
            vorig_jaar=InzetCijfers(**_zonder_tijdstip(cijfers[(jaar - 1, wijk)])),
        )
        for wijk in [*context.indeling.codes, GEMEENTE]
    }
