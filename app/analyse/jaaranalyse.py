"""The annual analysis: read from the summary counters, shaped per wijk and in total."""

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from app.activiteiten import jaarcijfers as activiteiten
from app.analyse.models import AnalyseTelling
from app.analyse.onderdrukking import onderdruk
from app.analyse.schemas import Jaaranalyse
from app.beschikkingen import jaarcijfers as beschikkingen
from app.deps import AppContext
from app.ervaring import jaarcijfers as ervaring
from app.indicatoren import jaarcijfers as indicatoren
from app.inzet import jaarcijfers as inzet

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
# Figures whose codes add up to a total the reader sees: what secondary suppression protects.
DELEN_VAN = {
    "aantalTrajecten": ["gesprekkenPerTraject", "leeftijdsgroepen", "instroomroutes",
                        "perMaand.trajecten"],
    "aantalGesprekken": ["locaties", "afhandelingen", "perMaand.gesprekken"],
}  # fmt: skip

Cel = tuple[str, str, str]  # (wijk or TOTAAL, figure, code)
# The other parts of the yearly analysis: each package counts and protects its own figures.
DELEN = {
    "inzet": inzet.jaarcijfers,
    "activiteiten": activiteiten.jaarcijfers,
    "effect": indicatoren.jaarcijfers,
    "ervaring": ervaring.jaarcijfers,
    "gespecialiseerde_inzet": beschikkingen.jaarcijfers,
}


def _tellingen(session: Session, jaren: list[int]) -> dict[tuple[int, str, str, str], int]:
    t = AnalyseTelling.__table__  # type: ignore[attr-defined]
    rijen = session.execute(
        select(t.c.jaar, t.c.wijk, t.c.kenmerk, t.c.code, func.sum(t.c.aantal))
        .where(t.c.jaar.in_(jaren))
        .group_by(t.c.jaar, t.c.wijk, t.c.kenmerk, t.c.code)
    ).all()
    return {(j, w, k, c): int(n) for j, w, k, c, n in rijen}


def _aandeel(afgesloten: int, gespecialiseerd: int, k: int | None) -> float | None:
    """Share solved in the sociale basis; for rapportage only when no small count shows through."""
    if afgesloten == 0:
        return None
    if k is not None and any(0 < n < k for n in (afgesloten, gespecialiseerd,
                                                  afgesloten - gespecialiseerd)):  # fmt: skip
        return None
    return round(100 * (afgesloten - gespecialiseerd) / afgesloten, 1)


def maak_jaaranalyse(
    session: Session, context: AppContext, jaar: int, wijk: str | None, k: int | None
) -> Jaaranalyse:
    """The analysis of one year; `k` set means small counts are suppressed (role rapportage)."""
    tellingen = _tellingen(session, [jaar, jaar - 1])
    lijsten = context.codelijsten
    wijken = context.indeling.wijken
    gespecialiseerd = {
        c.code for c in lijsten.lijsten["overdrachtdoelen"] if c.niveau == "gespecialiseerd"
    }
    maanden = [f"{jaar}-{m:02d}" for m in range(1, 13)]

    cellen: dict[Cel, int] = {}
    afsluitingen: dict[tuple[int, str], tuple[int, int]] = {}
    for w in wijken:

        def n(kenmerk: str, code: str = "", j: int = jaar, _w: str = w.code) -> int:
            return tellingen.get((j, _w, kenmerk, code), 0)

        cellen[(w.code, "aantalTrajecten", "")] = n("trajecten")
        cellen[(w.code, "aantalGesprekken", "")] = n("gesprekken")
        for aantal in "12345":
            cellen[(w.code, "gesprekkenPerTraject", aantal)] = n("gesprekken_per_traject", aantal)
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
        for j in (jaar, jaar - 1):
            codes = [
                c for (jj, ww, kk, c) in tellingen if (jj, ww, kk) == (j, w.code, "afsluiting")
            ]
            afsluitingen[(j, w.code)] = (
                sum(n("afsluiting", c, j) for c in codes),
                sum(n("afsluiting", c, j) for c in codes if c in gespecialiseerd),
            )
    # The gemeente's total is the margin of the wijk table we already hold.
    sommen: dict[Cel, int] = defaultdict(int)
    for (_w, figuur, code), aantal in cellen.items():
        sommen[(TOTAAL, figuur, code)] += aantal
    cellen.update(sommen)
    for j in (jaar, jaar - 1):
        afsluitingen[(j, TOTAAL)] = (
            sum(afsluitingen[(j, w.code)][0] for w in wijken),
            sum(afsluitingen[(j, w.code)][1] for w in wijken),
        )

    verborgen = onderdruk(cellen, vergelijkingen(cellen), k) if k is not None else set()
    delen = {naam: jaarcijfers(session, context, jaar, k) for naam, jaarcijfers in DELEN.items()}

    def cijfers(scope: str) -> dict[str, Any]:
        def v(figuur: str, code: str = "") -> int | None:
            cel = (scope, figuur, code)
            return None if cel in verborgen else cellen[cel]

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
            "aandeel_sociale_basis": _aandeel(*afsluitingen[(jaar, scope)], k),
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
                "aandeel_sociale_basis": _aandeel(*afsluitingen[(jaar - 1, scope)], k),
            },
        }
        uit |= {naam: secties[scope or None] for naam, secties in delen.items()}
        if k is not None:
            # The handovers to specialised care are the sum of their doelen in this answer; for
            # rapportage only when every one of those is shown, so the sum gives none away.
            doelen = [v("overdrachtdoelen", code) for code in sorted(gespecialiseerd)]
            if all(n is not None for n in doelen):
                uit["gespecialiseerde_inzet"] = uit["gespecialiseerde_inzet"].model_copy(
                    update={"overdrachten_gespecialiseerd": sum(n or 0 for n in doelen)}
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


def vergelijkingen(cellen: dict[Cel, int]) -> list[list[tuple[Cel, int]]]:
    """Every sum a reader of one answer can form: parts of a total, and wijken to the gemeente."""
    per_figuur: dict[str, list[str]] = defaultdict(list)
    for scope, figuur, code in cellen:
        if scope == TOTAAL:
            per_figuur[figuur].append(code)
    scopes = sorted({scope for scope, _, _ in cellen})
    uit: list[list[tuple[Cel, int]]] = []
    for scope in scopes:
        for totaal, delen in DELEN_VAN.items():
            for figuur in delen:
                codes = per_figuur[figuur]
                uit.append([((scope, totaal, ""), -1), *(((scope, figuur, c), 1) for c in codes)])
        # Each overdracht has one doel and is warm or not.
        uit.append(
            [((scope, "overdrachtenWarm", ""), -1), ((scope, "overdrachtenNietWarm", ""), -1),
             *(((scope, "overdrachtdoelen", c), 1) for c in per_figuur["overdrachtdoelen"])]
        )  # fmt: skip
        # The same number shown twice.
        uit.append(
            [((scope, "trajectenLimietBereikt", ""), -1), ((scope, "gesprekkenPerTraject", "5"), 1)]
        )
    wijken = [s for s in scopes if s != TOTAAL]
    for figuur, codes in per_figuur.items():
        for code in codes:
            uit.append([((TOTAAL, figuur, code), -1), *(((w, figuur, code), 1) for w in wijken)])
    return uit
