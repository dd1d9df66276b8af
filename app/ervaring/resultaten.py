"""The monitor's figures per wijk and for the gemeente, counted in SQL, published for rapportage.

Every count of one questionnaire and year (respondents of the questionnaire; per question the
respondents, 'weet niet', the number of scores and each score's count), per wijk and for the
gemeente, is a cell of the release (app/publicatie) for the rapportage role. The results route
and the jaaranalyse read them through this one function, so the same count has the same value
in both, fixed the first time either showed it.

The sum of the scores is a cell too, never shown itself: the mean for rapportage is the
published sum over the published number of scores. From the published distribution it would be
lost wherever one score is rare (scores 1 and 2 seldom reach k in a wijk, and then almost no
wijk mean could be shown); the sum and the number of scores are large wherever the mean is
worth showing, and their noise of at most MAX_RUIS each keeps the mean within a known bound.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, extract, func, select
from sqlmodel import Session

from app.deps import AppContext
from app.ervaring.models import ErvaringAntwoord, ErvaringRespons
from app.ervaring.vragenlijsten import SCORES, Vragenlijst
from app.kern.db import tabel_van
from app.publicatie import raster
from app.publicatie import ruis as publicatie
from app.publicatie.vastleggen import publiceer

TOTAAL = ""  # the scope of the whole gemeente in cell keys
RESPONDENTEN, WEET_NIET, SCORES_AANTAL, SOM = "respondenten", "weetNiet", "scores", "som"
VERDELING = tuple(str(s) for s in SCORES)
Cel = tuple[str, str, str]  # (wijk or TOTAAL, vraag or "" for the questionnaire, figure)
# The `antwoord` value of a figure's cell; the respondents of a question have none.
ANTWOORD = {WEET_NIET: "weet niet", SCORES_AANTAL: "score", **{s: s for s in VERDELING}}


@dataclass(frozen=True)
class Telling:
    """One questionnaire in one year: every count as the caller is shown it, and the means."""

    aantallen: Mapping[Cel, int | None]
    gemiddelden: Mapping[tuple[str, str], float | None]

    def aantal(self, scope: str, vraag: str, figuur: str) -> int | None:
        return self.aantallen[(scope, vraag, figuur)]

    def gemiddelde(self, scope: str, vraag: str) -> float | None:
        return self.gemiddelden[(scope, vraag)]


def celnaam(vragenlijst: str, jaar: int, c: Cel) -> publicatie.Cel:
    scope, vraag, figuur = c
    paren: list[tuple[str, str | None]] = [("vragenlijst", vragenlijst)]
    if scope != TOTAAL:
        paren.append(("wijk", scope))
    if vraag:
        paren.append(("vraag", vraag))
    if figuur == SOM:
        paren.append(("som", "scores"))
    elif figuur != RESPONDENTEN:
        paren.append(("antwoord", ANTWOORD[figuur]))
    return publicatie.cel("ervaring", str(jaar), paren)


def _ruwe_tellingen(
    session: Session, jaren: list[int], vragenlijsten: list[str]
) -> tuple[dict[tuple[int, str, str], int], dict[tuple[int, str, str, str, int | None], int]]:
    """(jaar, vragenlijst, wijk) -> respondents and (..., vraag, score) -> answers, in SQL."""
    r, a = tabel_van(ErvaringRespons), tabel_van(ErvaringAntwoord)
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


def gemiddelde(som: int | None, aantal: int | None) -> float | None:
    """The mean score as shown, one decimal; unknown when either is hidden or nobody scored.

    Clamped to the scale: published values can make a mean of 5.0 come out above 5 (a sum shown
    a little high over a number of scores shown a little low), which no respondent could give.
    """
    if som is None or not aantal:
        return None
    exact = Decimal(som) / Decimal(aantal)
    binnen = min(max(exact, Decimal(min(SCORES))), Decimal(max(SCORES)))
    return float(binnen.quantize(Decimal("0.1"), ROUND_HALF_UP))


def _cellen(
    vragenlijst: Vragenlijst,
    wijken: list[str],
    respondenten: dict[str, int],
    antwoorden: dict[tuple[str, str, int | None], int],
) -> dict[Cel, int]:
    """Every count of one questionnaire and year, also where it is 0."""
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
            waarden[(w, vraag, SOM)] = sum(s * n for s, n in verdeling.items())
            for s, n in verdeling.items():
                waarden[(w, vraag, str(s))] = n
    # The gemeente is the margin of the wijk table: answers from a wijk no longer in the
    # gebiedsindeling are left out of both, so that the sums hold.
    sommen: dict[Cel, int] = defaultdict(int)
    for (_w, vraag, figuur), n in waarden.items():
        sommen[(TOTAAL, vraag, figuur)] += n
    waarden.update(sommen)
    return waarden


def tel(
    session: Session,
    context: AppContext,
    vragenlijsten: list[Vragenlijst],
    jaren: list[int],
    rapportage: bool,
) -> dict[tuple[str, int], Telling]:
    """Per (vragenlijst, jaar) every figure for every wijk and the gemeente; for rapportage as
    published, and only of vastgestelde years (400 otherwise)."""
    if rapportage:
        wachttijd = context.settings.publicatie_wachttijd_dagen
        for j in jaren:
            raster.controleer_vastgesteld(raster.jaar(j), context.vandaag(), wachttijd, "jaar")
    respondenten, antwoorden = _ruwe_tellingen(session, jaren, [v.code for v in vragenlijsten])
    per_lijst_r: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for (j, code, w), n in respondenten.items():
        per_lijst_r[(code, j)][w] = n
    per_lijst_a: dict[tuple[str, int], dict[tuple[str, str, int | None], int]] = defaultdict(dict)
    for (j, code, w, q, score), n in antwoorden.items():
        per_lijst_a[(code, j)][(w, q, score)] = n
    wijken = context.indeling.codes
    exact = {
        (v.code, j): _cellen(v, wijken, per_lijst_r[(v.code, j)], per_lijst_a[(v.code, j)])
        for v in vragenlijsten
        for j in jaren
    }
    getoond: dict[tuple[str, int], Mapping[Cel, int | None]] = dict(exact)
    if rapportage:
        # One batch for every table asked: all of it is fixed from the same registrations.
        namen = {(t, c): celnaam(t[0], t[1], c) for t, cellen in exact.items() for c in cellen}
        gepubliceerd = publiceer(session, context, {namen[(t, c)]: exact[t][c] for t, c in namen})
        getoond = {
            t: {c: gepubliceerd[namen[(t, c)]] for c in cellen} for t, cellen in exact.items()
        }
    uit: dict[tuple[str, int], Telling] = {}
    for v in vragenlijsten:
        for j in jaren:
            aantallen = getoond[(v.code, j)]
            gemiddelden = {
                (scope, vraag): gemiddelde(
                    aantallen[(scope, vraag, SOM)], aantallen[(scope, vraag, SCORES_AANTAL)]
                )
                for scope in [*wijken, TOTAAL]
                for vraag in v.vraagcodes
            }
            uit[(v.code, j)] = Telling(aantallen, gemiddelden)
    return uit
