"""The monitor's figures per wijk and for the gemeente, counted in SQL, protected for rapportage.

Every figure of one questionnaire and year (respondents, 'weet niet', scores, the distribution,
and the mean, which with its count fixes the sum of the scores) is one table with known sums:
per question respondents = weet niet + scores, scores = the distribution's cells, and the
gemeente = the sum of its wijken. For the rapportage role every count from 1 to k-1 is hidden,
and more as needed so that none can be computed back from what is shown, in this answer or in
any other answer about the same questionnaire and year (they all come from this one table).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, extract, func, select
from sqlmodel import Session

from app.analyse.onderdrukking import Vergelijking, onderdruk
from app.deps import AppContext
from app.ervaring.models import ErvaringAntwoord, ErvaringRespons
from app.ervaring.vragenlijsten import SCORES, Vragenlijst

TOTAAL = ""  # the scope of the whole gemeente in cell keys
RESPONDENTEN, WEET_NIET, SCORES_AANTAL, SOM = "respondenten", "weetNiet", "scores", "som"
VERDELING = tuple(str(s) for s in SCORES)
Cel = tuple[str, str, str]  # (wijk or TOTAAL, vraag or "" for the questionnaire, figure)


@dataclass(frozen=True)
class Telling:
    """One questionnaire in one year: every figure, and which of them are hidden."""

    waarden: dict[Cel, int]
    verborgen: frozenset[Cel]
    gemiddelden: dict[tuple[str, str], float | None]

    def aantal(self, scope: str, vraag: str, figuur: str) -> int | None:
        cel = (scope, vraag, figuur)
        return None if cel in self.verborgen else self.waarden.get(cel, 0)

    def gemiddelde(self, scope: str, vraag: str) -> float | None:
        return self.gemiddelden.get((scope, vraag))


def _ruwe_tellingen(
    session: Session, jaren: list[int], vragenlijsten: list[str]
) -> tuple[dict[tuple[int, str, str], int], dict[tuple[int, str, str, str, int | None], int]]:
    """(jaar, vragenlijst, wijk) -> respondents and (..., vraag, score) -> answers, in SQL."""
    r, a = ErvaringRespons.__table__, ErvaringAntwoord.__table__  # type: ignore[attr-defined]
    jaar = extract("year", r.c.datum)
    # A date range rather than a function of the column, so the index on datum is used.
    periode = and_(
        r.c.vragenlijst.in_(vragenlijsten),
        r.c.datum >= date(min(jaren), 1, 1),
        r.c.datum <= date(max(jaren), 12, 31),
    )
    respondenten = session.execute(
        select(jaar, r.c.vragenlijst, r.c.wijk, func.count())
        .where(periode)
        .group_by(jaar, r.c.vragenlijst, r.c.wijk)
    ).all()
    antwoorden = session.execute(
        select(jaar, r.c.vragenlijst, r.c.wijk, a.c.vraag, a.c.score, func.count())
        .select_from(a.join(r, r.c.id == a.c.respons_id))
        .where(periode)
        .group_by(jaar, r.c.vragenlijst, r.c.wijk, a.c.vraag, a.c.score)
    ).all()
    return (
        {(int(j), v, w): int(n) for j, v, w, n in respondenten},
        {(int(j), v, w, q, s): int(n) for j, v, w, q, s, n in antwoorden},
    )


def _gemiddelde(som: int, aantal: int) -> float | None:
    if aantal == 0:
        return None
    return float((Decimal(som) / Decimal(aantal)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _telling(
    vragenlijst: Vragenlijst,
    wijken: list[str],
    respondenten: dict[str, int],
    antwoorden: dict[tuple[str, str, int | None], int],
    k: int | None,
) -> Telling:
    waarden: dict[Cel, int] = {}
    for w in wijken:
        waarden[(w, "", RESPONDENTEN)] = respondenten.get(w, 0)
        for vraag in vragenlijst.vraagcodes:
            verdeling = {s: antwoorden.get((w, vraag, s), 0) for s in SCORES}
            weet_niet = antwoorden.get((w, vraag, None), 0)
            scores = sum(verdeling.values())
            waarden[(w, vraag, RESPONDENTEN)] = scores + weet_niet
            waarden[(w, vraag, WEET_NIET)] = weet_niet
            waarden[(w, vraag, SCORES_AANTAL)] = scores
            for s, n in verdeling.items():
                waarden[(w, vraag, str(s))] = n
    # The gemeente is the margin of the wijk table: answers from a wijk no longer in the
    # gebiedsindeling are left out of both, so that the sums hold.
    sommen: dict[Cel, int] = defaultdict(int)
    for (_w, vraag, figuur), n in waarden.items():
        sommen[(TOTAAL, vraag, figuur)] += n
    waarden.update(sommen)

    gemiddelden: dict[tuple[str, str], float | None] = {}
    vast: set[Cel] = set()
    vergelijkingen: list[Vergelijking[Cel]] = []
    for scope in [*wijken, TOTAAL]:
        for vraag in vragenlijst.vraagcodes:
            scores = waarden[(scope, vraag, SCORES_AANTAL)]
            som = sum(s * waarden[(scope, vraag, str(s))] for s in SCORES)
            getoond = scores > 0 and (k is None or scores >= k)
            gemiddelden[(scope, vraag)] = _gemiddelde(som, scores) if getoond else None
            r_cel, w_cel = (scope, vraag, RESPONDENTEN), (scope, vraag, WEET_NIET)
            s_cel, som_cel = (scope, vraag, SCORES_AANTAL), (scope, vraag, SOM)
            cellen = [(scope, vraag, s) for s in VERDELING]
            vergelijkingen.append([(r_cel, 1), (w_cel, -1), (s_cel, -1)])
            vergelijkingen.append([(s_cel, 1), *((c, -1) for c in cellen)])
            if getoond:
                # A mean shown with its count gives away the sum of the scores (exactly, for the
                # small counts that matter): one more equation the reader can use.
                waarden[som_cel] = som
                vast.add(som_cel)
                gewogen = ((c, -s) for c, s in zip(cellen, SCORES, strict=True))
                vergelijkingen.append([(som_cel, 1), *gewogen])
    for vraag, figuren in [("", (RESPONDENTEN,))] + [
        (v, (RESPONDENTEN, WEET_NIET, SCORES_AANTAL, *VERDELING)) for v in vragenlijst.vraagcodes
    ]:
        for figuur in figuren:
            vergelijkingen.append(
                [((TOTAAL, vraag, figuur), 1), *(((w, vraag, figuur), -1) for w in wijken)]
            )

    verborgen: set[Cel] = set()
    if k is not None:
        verborgen = onderdruk(waarden, vergelijkingen, k, vast)
        # A distribution over fewer than k respondents is not shown at all, zeros included:
        # "nobody gave a 1 or a 2" says much about three people. Hiding more never lets a
        # hidden cell be computed back.
        for scope in [*wijken, TOTAAL]:
            for vraag in vragenlijst.vraagcodes:
                if 0 < waarden[(scope, vraag, SCORES_AANTAL)] < k:
                    verborgen.update((scope, vraag, s) for s in VERDELING)
    return Telling(waarden, frozenset(verborgen), gemiddelden)


def tel(
    session: Session,
    context: AppContext,
    vragenlijsten: list[Vragenlijst],
    jaren: list[int],
    k: int | None,
) -> dict[tuple[str, int], Telling]:
    """Per (vragenlijst, jaar) every figure for every wijk and the gemeente."""
    respondenten, antwoorden = _ruwe_tellingen(session, jaren, [v.code for v in vragenlijsten])
    per_lijst_r: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for (j, v, w), n in respondenten.items():
        per_lijst_r[(v, j)][w] = n
    per_lijst_a: dict[tuple[str, int], dict[tuple[str, str, int | None], int]] = defaultdict(dict)
    for (j, v, w, q, s), n in antwoorden.items():
        per_lijst_a[(v, j)][(w, q, s)] = n
    wijken = context.indeling.codes
    return {
        (v.code, j): _telling(v, wijken, per_lijst_r[(v.code, j)], per_lijst_a[(v.code, j)], k)
        for v in vragenlijsten
        for j in jaren
    }
