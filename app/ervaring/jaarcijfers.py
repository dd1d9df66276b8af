"""The ervaring section of the annual analysis: per wijk, for the gemeente, and the year before."""

from sqlmodel import Session

from app.deps import AppContext
from app.ervaring.resultaten import RESPONDENTEN, SCORES_AANTAL, TOTAAL, Telling, tel
from app.ervaring.schemas import ErvaringCijfers, VraagCijfers, VragenlijstCijfers, VragenlijstJaar
from app.ervaring.vragenlijsten import Vragenlijst


def _jaar(telling: Telling, vragenlijst: Vragenlijst, scope: str) -> VragenlijstJaar:
    return VragenlijstJaar(
        aantal_respondenten=telling.aantal(scope, "", RESPONDENTEN),
        vragen={
            vraag: VraagCijfers(
                gemiddelde=telling.gemiddelde(scope, vraag),
                aantal=telling.aantal(scope, vraag, SCORES_AANTAL),
            )
            for vraag in vragenlijst.vraagcodes
        },
    )


def jaarcijfers(
    session: Session, context: AppContext, jaar: int, k: int | None
) -> dict[str | None, ErvaringCijfers]:
    """Per wijk code (every wijk, also without answers) and None for the gemeente.

    The figures are those of GET /vragenlijsten/{code}/resultaten, from the same protected
    table, so that for rapportage the two answers together give away nothing either does not.
    """
    vragenlijsten = list(context.vragenlijsten.lijsten)
    tellingen = tel(session, context, vragenlijsten, [jaar, jaar - 1], k)
    uit: dict[str | None, ErvaringCijfers] = {}
    for wijk in [*context.indeling.codes, None]:
        scope = TOTAAL if wijk is None else wijk
        uit[wijk] = ErvaringCijfers(
            vragenlijsten={
                v.code: VragenlijstCijfers(
                    **dict(_jaar(tellingen[(v.code, jaar)], v, scope)),
                    vorig_jaar=_jaar(tellingen[(v.code, jaar - 1)], v, scope),
                )
                for v in vragenlijsten
            }
        )
    return uit
