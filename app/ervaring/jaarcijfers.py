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
    """Per wijk code (every wijk, also without answers) and None for the gemeente; `k` set means
    the rapportage role's view (the jaaranalyse passes settings.min_cel, which the publication
    reads itself).

    The figures are those of GET /vragenlijsten/{code}/resultaten, the same cells with the same
    published values, so that for rapportage the two answers are one release.
    """
    vragenlijsten = list(context.vragenlijsten.lijsten)
    tellingen = tel(session, context, vragenlijsten, [jaar, jaar - 1], k is not None)
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
