"""The annual analysis: read from the summary counters, shaped per wijk and in total.

Counting knows nothing of roles: every figure is first a cell with its exact count, and the
caller's lens (`Toon`) decides what is shown of those cells: the kwartiermaker sees them as they
are, the rapportage role through app/publicatie.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlmodel import Session

from app.activiteiten import jaarcijfers as activiteiten
from app.analyse.models import AnalyseTelling
from app.analyse.schemas import Jaaranalyse
from app.beschikkingen import jaarcijfers as beschikkingen
from app.deps import AppContext
from app.ervaring import jaarcijfers as ervaring
from app.indicatoren import jaarcijfers as indicatoren
from app.inzet import jaarcijfers as inzet
from app.kern.db import tabel_van

DOEL_AANDEEL_SOCIALE_BASIS = 80
TOTAAL = ""  # the scope of the whole gemeente in cell keys

# JSON figure -> (counter kenmerk, code list): every code of the list is shown, also with 0.
PER_CODE = {
    "leeftijdsgroepen": ("leeftijdsgroep", "leeftijdsgroepen"),
    "instroomroutes": ("instroomroute", "instroomroutes"),
    "vraagtypen": ("vraagtype", "vraagtypen"),
    "locaties": ("locatie", "locaties"),
    "afhandelingen": ("afhandeling", "afhandelingen"),
    "overdrachtdoelen": ("overdrachtdoel", "overdrachtdoelen"),
}
Cel = tuple[str, str, str]  # (wijk or TOTAAL, figure, code)
# What a caller is shown of the cells of one analysis: a value or None (hidden) for each.
Toon = Callable[[int, Mapping[Cel, int]], Mapping[Cel, int | None]]
# The other parts of the yearly analysis: each package counts and protects its own figures.
# A part's figures: per wijk code and (key None) for the gemeente.
Deel = Callable[[Session, AppContext, int, int | None], Mapping[str | None, BaseModel]]
DELEN: dict[str, Deel] = {
    "inzet": inzet.jaarcijfers,
    "activiteiten": activiteiten.jaarcijfers,
    "effect": indicatoren.jaarcijfers,
    "ervaring": ervaring.jaarcijfers,
    "gespecialiseerde_inzet": beschikkingen.jaarcijfers,
}


def _tellingen(session: Session, jaren: list[int]) -> dict[tuple[int, str, str, str], int]:
    t = tabel_van(AnalyseTelling)
    rijen = session.execute(
        select(t.c.jaar, t.c.wijk, t.c.kenmerk, t.c.code, func.sum(t.c.aantal))
        .where(t.c.jaar.in_(jaren))
        .group_by(t.c.jaar, t.c.wijk, t.c.kenmerk, t.c.code)
    ).all()
    return {(j, w, k, c): int(n) for j, w, k, c, n in rijen}


def _aandeel(afgesloten: int | None, sociale_basis: int | None) -> float | None:
    """Share solved in the sociale basis; unknown when either count is hidden or nothing closed.

    Of shown counts that carry noise the share can come out above 100; it is capped there.
    """
    if not afgesloten or sociale_basis is None:
        return None
    return min(100.0, round(100 * sociale_basis / afgesloten, 1))


def exact(jaar: int, cellen: Mapping[Cel, int]) -> Mapping[Cel, int | None]:
    """The kwartiermaker's lens: every count as counted."""
    del jaar
    return cellen


def maak_jaaranalyse(
    session: Session,
    context: AppContext,
    jaar: int,
    wijk: str | None,
    toon: Toon = exact,
    k: int | None = None,
) -> Jaaranalyse:
    """The analysis of one year, its counts shown through `toon`.

    `k` set means the rapportage role: the parts about residents (ervaring, beschikkingen) then
    publish their figures through app/publicatie too.
    """
    tellingen = _tellingen(session, [jaar, jaar - 1])
    lijsten = context.codelijsten
    wijken = context.indeling.wijken
    gespecialiseerd = {
        c.code for c in lijsten.lijsten["overdrachtdoelen"] if c.niveau == "gespecialiseerd"
    }
    maanden = [f"{jaar}-{m:02d}" for m in range(1, 13)]

    cellen: dict[Cel, int] = {}
    for w in wijken:

        def n(kenmerk: str, code: str = "", j: int = jaar, _w: str = w.code) -> int:
            return tellingen.get((j, _w, kenmerk, code), 0)

        cellen[(w.code, "aantalTrajecten", "")] = n("trajecten")
        cellen[(w.code, "aantalGesprekken", "")] = n("gesprekken")
        for a in "12345":
            cellen[(w.code, "gesprekkenPerTraject", a)] = n("gesprekken_per_traject", a)
        for figuur, (kenmerk, lijst) in PER_CODE.items():
            for code in lijsten.codes(lijst):
                cellen[(w.code, figuur, code)] = n(kenmerk, code)
        cellen[(w.code, "overdrachtenWarm", "")] = n("overdracht_warm")
        cellen[(w.code, "overdrachtenNietWarm", "")] = n("overdracht_niet_warm")
        cellen[(w.code, "trajectenLimietBereikt", "")] = n("gesprekken_per_traject", "5")
        cellen[(w.code, "trajectenWachtOpOverdracht", "")] = n("wacht_op_overdracht")
        for maand in maanden:
            cellen[(w.code, "perMaand.trajecten", maand)] = n("maand_trajecten", maand[5:])
            cellen[(w.code, "perMaand.gesprekken", maand)] = n("maand_gesprekken", maand[5:])
        cellen[(w.code, "vorigJaar.aantalTrajecten", "")] = n("trajecten", j=jaar - 1)
        cellen[(w.code, "vorigJaar.aantalGesprekken", "")] = n("gesprekken", j=jaar - 1)
        for j, voor in ((jaar, ""), (jaar - 1, "vorigJaar.")):
            codes = [
                c for (jj, ww, kk, c) in tellingen if (jj, ww, kk) == (j, w.code, "afsluiting")
            ]
            afgesloten = sum(n("afsluiting", c, j) for c in codes)
            cellen[(w.code, f"{voor}afgesloten", "")] = afgesloten
            cellen[(w.code, f"{voor}socialeBasis", "")] = afgesloten - sum(
                n("afsluiting", c, j) for c in codes if c in gespecialiseerd
            )
        cellen[(w.code, "overdrachtenGespecialiseerd", "")] = sum(
            n("overdrachtdoel", c) for c in gespecialiseerd
        )
    # The gemeente's total is the margin of the wijk table we already hold.
    sommen: dict[Cel, int] = defaultdict(int)
    for (_w, figuur, code), aantal in cellen.items():
        sommen[(TOTAAL, figuur, code)] += aantal
    cellen.update(sommen)
    if wijk is not None:
        cellen = {c: n for c, n in cellen.items() if c[0] in (wijk, TOTAAL)}
    getoond = toon(jaar, cellen)
    delen = {naam: jaarcijfers(session, context, jaar, k) for naam, jaarcijfers in DELEN.items()}

    def cijfers(scope: str) -> dict[str, Any]:
        def v(figuur: str, code: str = "") -> int | None:
            return getoond[(scope, figuur, code)]

        uit: dict[str, Any] = {
            "aantal_trajecten": v("aantalTrajecten"),
            "aantal_gesprekken": v("aantalGesprekken"),
            "gesprekken_per_traject": {a: v("gesprekkenPerTraject", a) for a in "12345"},
        }
        for figuur, (_kenmerk, lijst) in PER_CODE.items():
            uit[figuur] = {code: v(figuur, code) for code in lijsten.codes(lijst)}
        uit |= {
            "overdrachten_warm": v("overdrachtenWarm"),
            "overdrachten_niet_warm": v("overdrachtenNietWarm"),
            "trajecten_limiet_bereikt": v("trajectenLimietBereikt"),
            "trajecten_wacht_op_overdracht": v("trajectenWachtOpOverdracht"),
            "aandeel_sociale_basis": _aandeel(v("afgesloten"), v("socialeBasis")),
            "per_maand": {
                m: {
                    "trajecten": v("perMaand.trajecten", m),
                    "gesprekken": v("perMaand.gesprekken", m),
                }
                for m in maanden
            },
            "vorig_jaar": {
                "aantal_trajecten": v("vorigJaar.aantalTrajecten"),
                "aantal_gesprekken": v("vorigJaar.aantalGesprekken"),
                "aandeel_sociale_basis": _aandeel(
                    v("vorigJaar.afgesloten"), v("vorigJaar.socialeBasis")
                ),
            },
        }
        uit |= {naam: secties[scope or None] for naam, secties in delen.items()}
        # Part 5 sets the warm handovers to specialised care beside the beschikkingen: the same
        # cell as everywhere else, shown through the same lens.
        uit["gespecialiseerde_inzet"] = uit["gespecialiseerde_inzet"].model_copy(
            update={"overdrachten_gespecialiseerd": v("overdrachtenGespecialiseerd")}
        )
        return uit

    return Jaaranalyse.model_validate(
        {
            "jaar": jaar,
            "doel_aandeel_sociale_basis": DOEL_AANDEEL_SOCIALE_BASIS,
            "totaal": cijfers(TOTAAL),
            "wijken": [
                {"wijk": w.code, "naam": w.naam, **cijfers(w.code)}
                for w in wijken
                if wijk is None or w.code == wijk
            ],
        }
    )
