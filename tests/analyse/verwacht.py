"""The annual analysis and tellingen recomputed in plain Python, independently of the service.

A traject here is a dict as the tests registered it (or read it back from the tables):
{"wijk", "leeftijdsgroep", "instroomroute", "status", "gesprekken": [{"datum": date,
"locatie", "afhandeling", "vraagtypen": [...]}], "overdracht": None or {"doel", "warm"}}.
"""

from collections import Counter
from datetime import date
from typing import Any

from app.codelijsten.lijsten import laad_codelijsten
from app.gebieden.indeling import laad_gebiedsindeling

LIJSTEN = laad_codelijsten()
WIJKEN = laad_gebiedsindeling().wijken
GESPECIALISEERD = {
    c.code for c in LIJSTEN.lijsten["overdrachtdoelen"] if c.niveau == "gespecialiseerd"
}


def begin(traject: dict[str, Any]) -> date:
    return min(g["datum"] for g in traject["gesprekken"])  # type: ignore[no-any-return]


def _aandeel(trajecten: list[dict[str, Any]]) -> float | None:
    dicht = [t for t in trajecten if t["status"] != "open"]
    if not dicht:
        return None
    gespec = sum(1 for t in dicht if t["overdracht"] and t["overdracht"]["doel"] in GESPECIALISEERD)
    return round(100 * (len(dicht) - gespec) / len(dicht), 1)


def cijfers(trajecten: list[dict[str, Any]], jaar: int) -> dict[str, Any]:
    dit = [t for t in trajecten if begin(t).year == jaar]
    vorig = [t for t in trajecten if begin(t).year == jaar - 1]
    gesprekken = [g for t in trajecten for g in t["gesprekken"] if g["datum"].year == jaar]
    overdrachten = [t["overdracht"] for t in dit if t["overdracht"]]

    def per(lijst: str, waarden: list[str]) -> dict[str, int]:
        teller = Counter(waarden)
        return {c: teller[c] for c in LIJSTEN.codes(lijst)}

    return {
        "aantalTrajecten": len(dit),
        "aantalGesprekken": len(gesprekken),
        "gesprekkenPerTraject": {
            str(n): sum(1 for t in dit if len(t["gesprekken"]) == n) for n in range(1, 6)
        },
        "leeftijdsgroepen": per("leeftijdsgroepen", [t["leeftijdsgroep"] for t in dit]),
        "instroomroutes": per("instroomroutes", [t["instroomroute"] for t in dit]),
        "vraagtypen": per("vraagtypen", [v for g in gesprekken for v in g["vraagtypen"]]),
        "locaties": per("locaties", [g["locatie"] for g in gesprekken]),
        "afhandelingen": per("afhandelingen", [g["afhandeling"] for g in gesprekken]),
        "overdrachtdoelen": per("overdrachtdoelen", [o["doel"] for o in overdrachten]),
        "overdrachtenWarm": sum(1 for o in overdrachten if o["warm"]),
        "overdrachtenNietWarm": sum(1 for o in overdrachten if not o["warm"]),
        "trajectenLimietBereikt": sum(1 for t in dit if len(t["gesprekken"]) == 5),
        "trajectenWachtOpOverdracht": sum(
            1 for t in dit if len(t["gesprekken"]) == 5 and t["status"] == "open"
        ),
        "aandeelSocialeBasis": _aandeel(dit),
        "perMaand": {
            f"{jaar}-{m:02d}": {
                "trajecten": sum(1 for t in dit if begin(t).month == m),
                "gesprekken": sum(1 for g in gesprekken if g["datum"].month == m),
            }
            for m in range(1, 13)
        },
        "vorigJaar": {
            "aantalTrajecten": len(vorig),
            "aantalGesprekken": sum(
                1 for t in trajecten for g in t["gesprekken"] if g["datum"].year == jaar - 1
            ),
            "aandeelSocialeBasis": _aandeel(vorig),
        },
    }


def jaaranalyse(trajecten: list[dict[str, Any]], jaar: int) -> dict[str, Any]:
    return {
        "jaar": jaar,
        "doelAandeelSocialeBasis": 80,
        "totaal": cijfers(trajecten, jaar),
        "wijken": [
            {"wijk": w.code, "naam": w.naam,
             **cijfers([t for t in trajecten if t["wijk"] == w.code], jaar)}
            for w in WIJKEN
        ],
    }  # fmt: skip


PER_GESPREK = ("vraagtype", "locatie", "afhandeling")


def tellingen(
    trajecten: list[dict[str, Any]], van: date, tot: date, dimensies: list[str], meting: str
) -> dict[tuple[Any, ...], int]:
    """{values of the dimensions: count}, only combinations that occur."""
    teller: Counter[tuple[Any, ...]] = Counter()
    for t in trajecten:
        doel = t["overdracht"]["doel"] if t["overdracht"] else None
        vast = {"wijk": t["wijk"], "leeftijdsgroep": t["leeftijdsgroep"],
                "instroomroute": t["instroomroute"], "overdrachtdoel": doel}  # fmt: skip
        if meting == "gesprekken":
            for g in t["gesprekken"]:
                if not van <= g["datum"] <= tot:
                    continue
                for v in g["vraagtypen"] if "vraagtype" in dimensies else [None]:
                    waarden = {
                        **vast, "maand": f"{g['datum']:%Y-%m}", "vraagtype": v,
                        "locatie": g["locatie"], "afhandeling": g["afhandeling"],
                    }  # fmt: skip
                    teller[tuple(waarden[d] for d in dimensies)] += 1
        else:
            if not van <= begin(t) <= tot:
                continue
            combinaties = set()
            for g in t["gesprekken"]:
                for v in g["vraagtypen"]:
                    waarden = {
                        **vast, "maand": f"{begin(t):%Y-%m}", "vraagtype": v,
                        "locatie": g["locatie"], "afhandeling": g["afhandeling"],
                    }  # fmt: skip
                    combinaties.add(tuple(waarden[d] for d in dimensies))
            for combinatie in combinaties:
                teller[combinatie] += 1
    return dict(teller)


# The other four parts of the analysis, each checked in its own package's tests.
DELEN = ("inzet", "activiteiten", "effect", "ervaring", "gespecialiseerdeInzet")


def contactcijfers(analyse: dict[str, Any]) -> dict[str, Any]:
    """A jaaranalyse answer without the other parts: the figures of the registrations."""

    def zonder(cijfers: dict[str, Any]) -> dict[str, Any]:
        assert set(DELEN) <= set(cijfers)
        return {sleutel: waarde for sleutel, waarde in cijfers.items() if sleutel not in DELEN}

    return {
        **analyse,
        "totaal": zonder(analyse["totaal"]),
        "wijken": [zonder(w) for w in analyse["wijken"]],
    }
