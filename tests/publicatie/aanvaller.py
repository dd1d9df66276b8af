"""A reader with a rapportage key who combines everything the release shows (issue 12).

The attacker knows the scheme, which is public (docs/rapportage.md, app/publicatie/ruis.py): the
grid of periods, that every combination of a table is listed, what a shown value v and a hidden
one say of the true count (`Rooster.interval`), and that one cell has one value wherever it
appears. It asks everything, writes every published cell down as an interval, adds every linear
relation between cells that holds for any registrations, and asks an integer programme (scipy's
HiGHS) how small each small cell can be.

The test holds the truth beside it, the kwartiermaker's exact counts. Every constraint the
attacker adds must hold for the truth: a relation written down wrongly fails loudly instead of
producing a "recovery" that is really a mistake of the attacker's.
"""

import calendar
import itertools
import json
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from fastapi import FastAPI
from fastapi.testclient import TestClient
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_array, vstack

from app.analyse.tellingen import LIJST  # dimension -> the code list of its values
from app.deps import AppContext
from tests.conftest import account

JAAR = 2025
GISTEREN = date.today() - timedelta(days=1)

# A small gemeente: four wijken and short code lists. Fewer values per dimension means fewer
# cells under each margin and more people per cell, which makes the attacker's equations
# tighter, not looser; it is also what lets the test ask every question of the grid twice, on
# both databases, in minutes (with Maashorst and the packaged lists one round takes 3 minutes).
WIJKEN = 4
CODES = {
    "vraagtypen": ["geldzorgen", "eenzaamheid", "opvoeding", "psychische_klachten"],
    "leeftijdsgroepen": ["12_17", "27_44", "65_79", "80_plus"],
    "locaties": ["wijkgebouw", "huisbezoek", "telefonisch"],
    "instroomroutes": ["eigen_initiatief", "via_netwerk", "huisarts", "school"],
    "afhandelingen": ["zelf_opgepakt", "verwezen", "warme_overdracht"],
    "overdrachtdoelen": ["welzijnswerk", "schuldhulpverlening", "ggz"],
}

DIMENSIES = (
    "wijk",
    "vraagtype",
    "leeftijdsgroep",
    "locatie",
    "instroomroute",
    "afhandeling",
    "overdrachtdoel",
)
# What a traject has one of; the others are per gesprek. Per gesprek, locatie and afhandeling
# are single-valued too (a gesprek has one of each), vraagtype never is (one or more).
PER_TRAJECT = {"wijk", "leeftijdsgroep", "instroomroute", "overdrachtdoel"}
ENKELVOUDIG = {
    "gesprekken": PER_TRAJECT | {"locatie", "afhandeling"},
    "trajecten": PER_TRAJECT,
}
METINGEN = ("gesprekken", "trajecten")
MAX_GESPREKKEN = 5

# (meting, periode, ((dimensie, waarde), ...) sorted by dimensie): a cell of the release as the
# scheme describes it, with maand moved into the period. The jaaranalyse's own figures are cells
# with a dimension "figuur".
Cel = tuple[str, str, tuple[tuple[str, str | None], ...]]
# A cell of a single month: the attacker's unknowns.
Var = tuple[Any, ...]


def cel(meting: str, periode: str, paren: Iterable[tuple[str, str | None]]) -> Cel:
    return (meting, periode, tuple(sorted(paren, key=lambda p: p[0])))


def kleine_gemeente(plek: Path) -> dict[str, Path]:
    """Writes the small gemeente's configuration; answers the settings that load it."""
    indeling = json.loads(resources.files("app.gebieden").joinpath("maashorst.json").read_text())
    gemeente = indeling["gemeenten"][0]
    gemeente["wijken"] = gemeente["wijken"][:WIJKEN]
    lijsten = json.loads(resources.files("app.codelijsten").joinpath("standaard.json").read_text())
    for lijst, codes in CODES.items():
        lijsten[lijst] = [c for c in lijsten[lijst] if c["code"] in codes]
    (plek / "gebieden.json").write_text(json.dumps(indeling), encoding="utf-8")
    (plek / "codelijsten.json").write_text(json.dumps(lijsten), encoding="utf-8")
    return {"gebiedsindeling": plek / "gebieden.json", "codelijsten": plek / "codelijsten.json"}


@dataclass(frozen=True)
class Periode:
    naam: str
    van: date
    tot: date
    maanden: tuple[str, ...]


@dataclass(frozen=True)
class Rooster:
    """What the attacker knows of the release: the grid, the values, k and the noise bound."""

    waarden: dict[str, list[str | None]]
    gespecialiseerd: frozenset[str]
    k: int
    max_ruis: int
    perioden: tuple[Periode, ...]

    @property
    def wijken(self) -> list[str]:
        return [str(w) for w in self.waarden["wijk"]]

    @property
    def maanden(self) -> tuple[str, ...]:
        return self.perioden[0].maanden

    def interval(self, waarde: int | None) -> tuple[int, int]:
        """The true counts a published value allows."""
        if waarde is None:
            # Hidden: below k, or at least k with noise that took it below k.
            return 0, self.k - 1 + self.max_ruis
        return max(self.k, waarde - self.max_ruis), waarde + self.max_ruis


def rooster(context: AppContext, max_ruis: int) -> Rooster:
    waarden: dict[str, list[str | None]] = {"wijk": list(context.indeling.codes)}
    for d, lijst in LIJST.items():
        waarden[d] = list(context.codelijsten.codes(lijst))
    waarden["overdrachtdoel"].append(None)  # no overdracht
    gespecialiseerd = frozenset(
        c.code
        for c in context.codelijsten.lijsten["overdrachtdoelen"]
        if c.niveau == "gespecialiseerd"
    )

    def periode(naam: str, eerste: int, laatste: int) -> Periode:
        tot = date(JAAR, laatste, calendar.monthrange(JAAR, laatste)[1])
        maanden = tuple(f"{JAAR}-{m:02d}" for m in range(eerste, laatste + 1))
        return Periode(naam, date(JAAR, eerste, 1), tot, maanden)

    perioden = [periode(str(JAAR), 1, 12)]
    perioden += [periode(f"{JAAR}-K{q}", 3 * q - 2, 3 * q) for q in range(1, 5)]
    perioden += [periode(f"{JAAR}-{m:02d}", m, m) for m in range(1, 13)]
    return Rooster(waarden, gespecialiseerd, context.settings.min_cel, max_ruis, tuple(perioden))


# --- the population ------------------------------------------------------------------------


@dataclass
class Inwoner:
    """A planted lone resident: one traject, one gesprek, a combination nobody else has."""

    wijk: str
    datum: date
    leeftijdsgroep: str
    instroomroute: str
    vraagtype: str
    locatie: str
    afhandeling: str
    code: str = ""

    def zit_in(self, c: Cel) -> bool:
        """Whether this resident is counted in the cell (as a traject or as its gesprek)."""
        meting, periode, paren = c
        if self.datum.strftime("%Y-%m") not in _maanden(periode):
            return False
        eigen: dict[str, str | None] = {
            "wijk": self.wijk,
            "leeftijdsgroep": self.leeftijdsgroep,
            "instroomroute": self.instroomroute,
            "vraagtype": self.vraagtype,
            "locatie": self.locatie,
            "afhandeling": self.afhandeling,
            "overdrachtdoel": None,
        }
        return meting in METINGEN and all(d in eigen and eigen[d] == w for d, w in paren)


def _maanden(periode: str) -> set[str]:
    if periode == str(JAAR):
        return {f"{JAAR}-{m:02d}" for m in range(1, 13)}
    if "-K" in periode:
        q = int(periode[-1])
        return {f"{JAAR}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)}
    return {periode}


def geplante_inwoners(r: Rooster) -> list[Inwoner]:
    """Three in the last wijk, where nobody else comes, and one in the wijk before it in a
    month nobody else comes there; each with a leeftijdsgroep and instroomroute pair that no
    one else has."""
    lg, ir, vt, loc, afh = (
        [w for w in r.waarden[d] if w is not None]
        for d in ("leeftijdsgroep", "instroomroute", "vraagtype", "locatie", "afhandeling")
    )
    stil, rustig = r.wijken[-1], r.wijken[-2]
    return [
        Inwoner(stil, date(JAAR, 2, 11), lg[3], ir[3], vt[3], loc[2], afh[0]),
        Inwoner(stil, date(JAAR, 6, 17), lg[0], ir[2], vt[0], loc[0], afh[1]),
        Inwoner(stil, date(JAAR, 10, 8), lg[2], ir[1], vt[1], loc[1], afh[0]),
        Inwoner(rustig, date(JAAR, 8, 20), lg[1], ir[0], vt[2], loc[2], afh[1]),
    ]


def registreer(
    app: FastAPI, client: TestClient, r: Rooster, seed: int, aantal: int, geplant: list[Inwoner]
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Registers `aantal` trajecten through the API, mostly in JAAR, and the planted residents.

    Answers the preventiewerker's headers and every traject as registered (wijk, leeftijdsgroep,
    instroomroute, status, overdracht and gesprekken with their datum).
    """
    rnd = random.Random(seed)
    werker = account(app, f"werker{seed}", "preventiewerker", r.wijken)
    # Most work in a few wijken; the last wijk stays empty but for the planted residents.
    gewichten = [8, 3, 1, 0]
    verboden_paren = {(i.leeftijdsgroep, i.instroomroute) for i in geplant}
    # The planted residents' wijk and month stay theirs alone: a gesprek that would fall
    # there moves on a few days.
    stil = {(i.wijk, i.datum.month) for i in geplant}
    gewoon = [a for a in r.waarden["afhandeling"] if a != "warme_overdracht"]
    doelen = [d for d in r.waarden["overdrachtdoel"] if d is not None]
    begin, einde = date(JAAR - 1, 11, 1), date(JAAR, 12, 31)
    trajecten: list[dict[str, Any]] = []
    for _ in range(aantal):
        wijk = rnd.choices(r.wijken, weights=gewichten)[0]
        paar = (rnd.choice(r.waarden["leeftijdsgroep"]), rnd.choice(r.waarden["instroomroute"]))
        while paar in verboden_paren:
            paar = (rnd.choice(r.waarden["leeftijdsgroep"]), rnd.choice(r.waarden["instroomroute"]))
        dag = begin + timedelta(days=rnd.randrange((einde - begin).days + 1))
        n = rnd.choices([1, 2, 3, 4, 5], weights=[40, 25, 15, 10, 10])[0]
        gesprekken: list[dict[str, Any]] = []
        overdracht: dict[str, Any] | None = None
        for i in range(n):
            if i:
                dag = min(dag + timedelta(days=rnd.randrange(0, 45)), GISTEREN)
            while (wijk, dag.month) in stil and dag.year == JAAR:
                dag += timedelta(days=1)
            gesprek: dict[str, Any] = {
                "datum": dag.isoformat(),
                "locatie": rnd.choice(r.waarden["locatie"]),
                "vraagtypen": rnd.sample(r.waarden["vraagtype"], rnd.choice([1, 1, 2, 3])),
                "afhandeling": rnd.choice(gewoon),
            }
            if i == n - 1 and rnd.random() < 0.2:
                overdracht = {"doel": rnd.choice(doelen), "warm": True, "status": "aangemeld"}
                gesprek |= {"afhandeling": "warme_overdracht", "overdracht": overdracht}
            gesprekken.append(gesprek)
        traject = {"wijk": wijk, "leeftijdsgroep": paar[0], "instroomroute": paar[1]}
        code = registreer_traject(client, werker, traject, gesprekken)
        status = "overgedragen" if overdracht else "open"
        if overdracht is None:
            keuze = rnd.random()
            if keuze < 0.3:
                antwoord = client.post(
                    f"/api/v1/trajecten/{code}/afsluiting", json={}, headers=werker
                )
                assert antwoord.status_code == 200, antwoord.text
                status = "afgerond"
            elif keuze < 0.45:
                overdracht = {
                    "doel": rnd.choice(doelen),
                    "warm": rnd.random() < 0.7,
                    "status": "aangemeld",
                }
                antwoord = client.put(
                    f"/api/v1/trajecten/{code}/overdracht", json=overdracht, headers=werker
                )
                assert antwoord.status_code == 200, antwoord.text
                status = "overgedragen"
        trajecten.append(
            traject
            | {"code": code, "status": status, "overdracht": overdracht, "gesprekken": gesprekken}
        )
    for inwoner in geplant:
        traject = {
            "wijk": inwoner.wijk,
            "leeftijdsgroep": inwoner.leeftijdsgroep,
            "instroomroute": inwoner.instroomroute,
        }
        gesprek = {
            "datum": inwoner.datum.isoformat(),
            "locatie": inwoner.locatie,
            "vraagtypen": [inwoner.vraagtype],
            "afhandeling": inwoner.afhandeling,
        }
        inwoner.code = registreer_traject(client, werker, traject, [gesprek])
        trajecten.append(
            traject
            | {"code": inwoner.code, "status": "open", "overdracht": None, "gesprekken": [gesprek]}
        )
    return werker, trajecten


def registreer_traject(
    client: TestClient, werker: dict[str, str], traject: dict[str, Any], gesprekken: list[Any]
) -> str:
    antwoord = client.post(
        "/api/v1/trajecten", json=traject | {"gesprek": gesprekken[0]}, headers=werker
    )
    assert antwoord.status_code == 201, antwoord.text
    code: str = antwoord.json()["code"]
    for gesprek in gesprekken[1:]:
        antwoord = client.post(f"/api/v1/trajecten/{code}/gesprekken", json=gesprek, headers=werker)
        assert antwoord.status_code == 201, antwoord.text
    return code


# --- asking ----------------------------------------------------------------------------------

# (path, query parameters): one question.
Vraag = tuple[str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Familie:
    """Tables the attacker solves together: every table whose dimensions lie within
    `dimensies` (any period), for each of `metingen`, with the jaaranalyse's own figures when
    `jaaranalyse`. The unknowns are the cells of every subset of `dimensies` per month."""

    dimensies: tuple[str, ...]
    metingen: tuple[str, ...]
    jaaranalyse: bool = False


def families() -> list[Familie]:
    """Every set of three dimensions: together they hold every table there is to ask. Where
    all three belong to the traject, trajecten and gesprekken share one model (a traject begun
    in a month has its first gesprek there), and with wijk among them the jaaranalyse's own
    figures join in."""
    uit = []
    for drie in itertools.combinations(DIMENSIES, 3):
        if set(drie) <= PER_TRAJECT:
            uit.append(Familie(drie, METINGEN, "wijk" in drie))
        else:
            uit += [Familie(drie, (meting,)) for meting in METINGEN]
    return uit


def vragen(r: Rooster, alleen: list[Familie] | None = None) -> list[Vraag]:
    """Every question of the grid for JAAR (or only those the given families use): each
    period, each meting, each set of up to three dimensions, and the jaaranalyse."""
    uit: list[Vraag] = []
    for meting in METINGEN:
        for n in range(4):
            for dimensies in itertools.combinations(("maand", *DIMENSIES), n):
                zonder_maand = set(dimensies) - {"maand"}
                if alleen is not None and not any(
                    meting in f.metingen and zonder_maand <= set(f.dimensies) for f in alleen
                ):
                    continue
                for p in r.perioden:
                    if "maand" in dimensies and len(p.maanden) == 1:
                        # Allowed, but the month's own table again: the same cells, so the
                        # same values (the quarters and the year by maand show that too).
                        continue
                    params = {
                        "van": p.van.isoformat(),
                        "tot": p.tot.isoformat(),
                        "dimensies": ",".join(dimensies),
                        "meting": meting,
                    }
                    uit.append(("/api/v1/tellingen", tuple(params.items())))
    if alleen is None or any(f.jaaranalyse for f in alleen):
        uit.append((f"/api/v1/jaaranalyses/{JAAR}", ()))
        uit += [(f"/api/v1/jaaranalyses/{JAAR}", (("wijk", w),)) for w in r.wijken]
    return uit


def vraag_alles(client: TestClient, headers: dict[str, str], lijst: list[Vraag]) -> list[Any]:
    antwoorden = []
    for pad, params in lijst:
        antwoord = client.get(pad, params=dict(params), headers=headers)
        assert antwoord.status_code == 200, (pad, params, antwoord.text)
        antwoorden.append(antwoord.json())
    return antwoorden


# --- reading the answers ---------------------------------------------------------------------

# The jaaranalyse's figures that are no tellingen cell, by their JSON name.
EIGEN = {
    "overdrachtenWarm": "warm",
    "overdrachtenNietWarm": "niet warm",
    "trajectenWachtOpOverdracht": "wacht",
    "trajectenLimietBereikt": "gesprekken=5",
}


def jaarcellen(r: Rooster, body: dict[str, Any]) -> tuple[dict[Cel, int | None], dict[Any, Any]]:
    """The cells of one jaaranalyse answer, and its shares (scope, year) -> aandeel."""
    cellen: dict[Cel, int | None] = {}
    aandelen: dict[Any, Any] = {}
    vorig = str(JAAR - 1)

    def zet(c: Cel, waarde: int | None) -> None:
        assert cellen.get(c, waarde) == waarde, (c, cellen[c], waarde)
        cellen[c] = waarde

    scopes = [("", body["totaal"])] + [(w["wijk"], w) for w in body["wijken"]]
    for scope, c in scopes:
        basis = [("wijk", scope)] if scope else []
        zet(cel("trajecten", str(JAAR), basis), c["aantalTrajecten"])
        zet(cel("gesprekken", str(JAAR), basis), c["aantalGesprekken"])
        for n, waarde in c["gesprekkenPerTraject"].items():
            zet(cel("trajecten", str(JAAR), [*basis, ("figuur", f"gesprekken={n}")]), waarde)
        for figuur, dimensie in (
            ("leeftijdsgroepen", "leeftijdsgroep"),
            ("instroomroutes", "instroomroute"),
            ("overdrachtdoelen", "overdrachtdoel"),
        ):
            for code, waarde in c[figuur].items():
                zet(cel("trajecten", str(JAAR), [*basis, (dimensie, code)]), waarde)
        for figuur, dimensie in (
            ("vraagtypen", "vraagtype"),
            ("locaties", "locatie"),
            ("afhandelingen", "afhandeling"),
        ):
            for code, waarde in c[figuur].items():
                zet(cel("gesprekken", str(JAAR), [*basis, (dimensie, code)]), waarde)
        for figuur, naam in EIGEN.items():
            zet(cel("trajecten", str(JAAR), [*basis, ("figuur", naam)]), c[figuur])
        zet(
            cel("trajecten", str(JAAR), [*basis, ("figuur", "gespecialiseerd")]),
            c["gespecialiseerdeInzet"]["overdrachtenGespecialiseerd"],
        )
        for maand, m in c["perMaand"].items():
            zet(cel("trajecten", maand, basis), m["trajecten"])
            zet(cel("gesprekken", maand, basis), m["gesprekken"])
        zet(cel("trajecten", vorig, basis), c["vorigJaar"]["aantalTrajecten"])
        zet(cel("gesprekken", vorig, basis), c["vorigJaar"]["aantalGesprekken"])
        aandelen[(scope, JAAR)] = c["aandeelSocialeBasis"]
        aandelen[(scope, JAAR - 1)] = c["vorigJaar"]["aandeelSocialeBasis"]
    return cellen, aandelen


@dataclass
class Publicatie:
    """Everything the attacker collected: each cell's one value, and the shares."""

    cellen: dict[Cel, int | None] = field(default_factory=dict)
    aandelen: dict[Any, Any] = field(default_factory=dict)

    def voeg_toe(self, c: Cel, waarde: int | None) -> None:
        # The scheme's promise, which the attacker checks as it reads: one cell, one value.
        assert self.cellen.get(c, waarde) == waarde, (c, self.cellen[c], waarde)
        self.cellen[c] = waarde


def lees(r: Rooster, lijst: list[Vraag], antwoorden: list[Any]) -> Publicatie:
    uit = Publicatie()
    for (pad, params), body in zip(lijst, antwoorden, strict=True):
        if pad.startswith("/api/v1/jaaranalyses/"):
            cellen, aandelen = jaarcellen(r, body)
            for c, waarde in cellen.items():
                uit.voeg_toe(c, waarde)
            for sleutel, aandeel in aandelen.items():
                assert uit.aandelen.get(sleutel, aandeel) == aandeel
                uit.aandelen[sleutel] = aandeel
            continue
        vraag = dict(params)
        periode = next(
            p
            for p in r.perioden
            if (p.van.isoformat(), p.tot.isoformat()) == (vraag["van"], vraag["tot"])
        )
        dimensies = body["dimensies"]
        # Every combination is a row, whatever occurred: a missing row would say "zero".
        verwacht = 1
        for d in dimensies:
            verwacht *= len(periode.maanden) if d == "maand" else len(r.waarden[d])
        assert len(body["rijen"]) == verwacht, (vraag, len(body["rijen"]), verwacht)
        for rij in body["rijen"]:
            assert rij["onderdrukt"] == (rij["aantal"] is None), rij
            assert rij["aantal"] is None or rij["aantal"] >= r.k, rij
            paren = [(d, rij[d]) for d in dimensies if d != "maand"]
            uit.voeg_toe(cel(vraag["meting"], rij.get("maand", periode.naam), paren), rij["aantal"])
    return uit


# --- the truth -------------------------------------------------------------------------------


@dataclass
class Waarheid:
    """The kwartiermaker's exact counts: per month for every table, and the jaaranalyse's."""

    per_maand: dict[Var, int]
    jaar: dict[Cel, int]
    # Closed trajecten and those closed without specialised care, per (wijk, year): no route
    # shows them, only their share; counted from the registrations themselves.
    afgesloten: dict[tuple[str, int], tuple[int, int]]

    def van(self, r: Rooster, c: Cel) -> int:
        meting, periode, paren = c
        if any(d == "figuur" for d, _ in paren) or periode == str(JAAR - 1):
            return self.jaar[c]
        return sum(self.per_maand.get((meting, m, paren), 0) for m in _maanden(periode))


def lees_waarheid(
    client: TestClient, kwartiermaker: dict[str, str], r: Rooster, trajecten: list[dict[str, Any]]
) -> Waarheid:
    per_maand: dict[Var, int] = {}
    jaar = r.perioden[0]
    for meting in METINGEN:
        for n in range(4):
            for dimensies in itertools.combinations(DIMENSIES, n):
                antwoord = client.get(
                    "/api/v1/tellingen",
                    params={
                        "van": jaar.van.isoformat(),
                        "tot": jaar.tot.isoformat(),
                        "dimensies": ",".join(("maand", *dimensies)),
                        "meting": meting,
                    },
                    headers=kwartiermaker,
                )
                assert antwoord.status_code == 200, antwoord.text
                for rij in antwoord.json()["rijen"]:
                    paren = cel(meting, "", [(d, rij[d]) for d in dimensies])[2]
                    per_maand[(meting, rij["maand"], paren)] = rij["aantal"]
    antwoord = client.get(f"/api/v1/jaaranalyses/{JAAR}", headers=kwartiermaker)
    assert antwoord.status_code == 200, antwoord.text
    jaarcijfers, _ = jaarcellen(r, antwoord.json())
    waarheid = Waarheid(per_maand, {c: n for c, n in jaarcijfers.items() if n is not None}, {})
    # The jaaranalyse's figures that are tellingen cells are the same counts: the attacker's
    # reading of the jaaranalyse, checked.
    for c, n in waarheid.jaar.items():
        if c[1] != str(JAAR - 1) and all(d != "figuur" for d, _ in c[2]):
            assert waarheid.van(r, c) == n, (c, n, waarheid.van(r, c))
    for wijk in r.wijken:
        for j in (JAAR, JAAR - 1):
            dicht = [
                t
                for t in trajecten
                if t["wijk"] == wijk
                and min(g["datum"] for g in t["gesprekken"])[:4] == str(j)
                and t["status"] != "open"
            ]
            gespec = sum(
                1 for t in dicht if t["overdracht"] and t["overdracht"]["doel"] in r.gespecialiseerd
            )
            waarheid.afgesloten[(wijk, j)] = (len(dicht), len(dicht) - gespec)
    return waarheid


# --- the model -------------------------------------------------------------------------------

Term = dict[Var, int]


def som(*termen: Term, factor: int = 1) -> Term:
    uit: dict[Var, int] = defaultdict(int)
    for term in termen:
        for v, c in term.items():
            uit[v] += factor * c
    return dict(uit)


@dataclass
class Model:
    """Rows lo <= sum(coefficient * unknown) <= hi over non-negative integer unknowns."""

    rijen: list[tuple[Term, float, float, str]] = field(default_factory=list)
    cellen: dict[Cel, Term] = field(default_factory=dict)  # published cells in this model
    waarheid: dict[Var, int] = field(default_factory=dict)
    waarden: dict[str, list[str | None]] = field(default_factory=dict)
    niveaus: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    def onder(
        self,
        meting: str,
        maanden: Iterable[str],
        paren: tuple[tuple[str, Any], ...],
        alleen_eigen: bool,
    ) -> list[Var]:
        """The unknowns that hold part of the cell: of its own level (the cell is their sum),
        or of every level that can tell the cell's values apart."""
        dimensies = {d for d, _ in paren}
        niveaus = [n for n in self.niveaus[meting] if dimensies <= set(n)]
        if alleen_eigen:
            niveaus = [min(niveaus, key=len)]
        uit = []
        for niveau in niveaus:
            vrij = [d for d in niveau if d not in dimensies]
            for maand in maanden:
                for rest in itertools.product(*(self.waarden[d] for d in vrij)):
                    uit.append(
                        (meting, maand, cel("", "", [*paren, *zip(vrij, rest, strict=True)])[2])
                    )
        return uit

    def rij(self, term: Term, lo: float, hi: float, waarom: str) -> None:
        self.rijen.append((term, lo, hi, waarom))


def deelverzamelingen(dimensies: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    for n in range(len(dimensies) + 1):
        yield from itertools.combinations(dimensies, n)


def combinaties(r: Rooster, dimensies: Iterable[str]) -> Iterator[tuple[tuple[str, Any], ...]]:
    dimensies = sorted(dimensies)
    for waarden in itertools.product(*(r.waarden[d] for d in dimensies)):
        yield tuple(zip(dimensies, waarden, strict=True))


def bouw(r: Rooster, familie: Familie, publicatie: Publicatie, waarheid: Waarheid) -> Model:
    """The family's unknowns and rows.

    A dimension a gesprek (traject) has exactly one value of adds up: the table without it is
    the sum of the table with it, so only the finest table over those dimensions needs
    unknowns and every coarser cell is a sum of them. A dimension with one or more values per
    gesprek (traject) does not add up; each set of such dimensions gets unknowns of its own,
    tied to the others by the inequalities that hold: a part at most the whole, the parts
    together at least the whole.
    """
    model = Model(waarden=r.waarden)
    for meting in familie.metingen:
        enkel = [d for d in familie.dimensies if d in ENKELVOUDIG[meting]]
        meer = [d for d in familie.dimensies if d not in ENKELVOUDIG[meting]]
        niveaus = [tuple(sorted([*enkel, *m])) for m in deelverzamelingen(tuple(meer))]
        model.niveaus[meting] = niveaus
        for niveau in niveaus:
            for paren in combinaties(r, niveau):
                for maand in r.maanden:
                    v = (meting, maand, paren)
                    model.waarheid[v] = waarheid.per_maand.get(v, 0)
        for niveau in niveaus:
            for d in set(niveau) & set(meer):
                geheel_niveau = tuple(x for x in niveau if x != d)
                for paren in combinaties(r, geheel_niveau):
                    for maand in r.maanden:
                        geheel = {(meting, maand, paren): 1}
                        delen = [
                            {(meting, maand, cel("", "", [*paren, (d, w)])[2]): 1}
                            for w in r.waarden[d]
                        ]
                        # Counted once per value that occurs: each part at most the whole,
                        # and every gesprek (traject) has at least one value.
                        for deel in delen:
                            model.rij(
                                som(geheel, som(deel, factor=-1)),
                                0,
                                np.inf,
                                f"{meting}: deel van {d} <= geheel",
                            )
                        model.rij(
                            som(*delen, som(geheel, factor=-1)),
                            0,
                            np.inf,
                            f"{meting}: som over {d} >= geheel",
                        )
        for s in deelverzamelingen(familie.dimensies):
            for paren in combinaties(r, s):
                for p in r.perioden:
                    c = cel(meting, p.naam, paren)
                    term = dict.fromkeys(
                        model.onder(meting, p.maanden, paren, alleen_eigen=True), 1
                    )
                    model.cellen[c] = term
                    model.rij(term, *r.interval(publicatie.cellen[c]), f"gepubliceerd {c}")
                # The same cells asked with maand among the dimensions are the month cells
                # above: one name, one value (checked when read).
    if set(familie.metingen) == set(METINGEN):
        # A traject begun in a month had its first gesprek in it, with the same wijk,
        # leeftijdsgroep, instroomroute and overdracht (only such dimensions share a model).
        for paren in combinaties(r, familie.dimensies):
            for maand in r.maanden:
                model.rij(
                    {("gesprekken", maand, paren): 1, ("trajecten", maand, paren): -1},
                    0,
                    np.inf,
                    "trajecten <= gesprekken",
                )
    if familie.jaaranalyse:
        _jaaranalyse(r, model, publicatie, waarheid)
    return model


def _jaaranalyse(r: Rooster, model: Model, publicatie: Publicatie, waarheid: Waarheid) -> None:
    """The jaaranalyse's own figures and what is known of them, per wijk and in total."""
    jaar, vorig = str(JAAR), str(JAAR - 1)
    eigen = [f"gesprekken={n}" for n in range(1, MAX_GESPREKKEN + 1)]
    eigen += ["warm", "niet warm", "wacht", "gespecialiseerd"]
    doelen = [d for d in r.waarden["overdrachtdoel"] if d is not None]

    def onbekende(naam: Var, waar: int) -> Term:
        model.waarheid[naam] = waar
        return {naam: 1}

    def jaarsom(meting: str, paren: list[tuple[str, Any]]) -> Term:
        return som(*(model.cellen[cel(meting, m, paren)] for m in r.maanden))

    per_scope: dict[str, dict[str, Term]] = {}
    for w in r.wijken:
        basis = [("wijk", w)]
        f: dict[str, Term] = {}
        for naam in eigen:
            c = cel("trajecten", jaar, [*basis, ("figuur", naam)])
            f[naam] = onbekende(c, waarheid.jaar[c])
        for meting in METINGEN:
            c = cel(meting, vorig, basis)
            f[f"{meting} {vorig}"] = onbekende(c, waarheid.jaar[c])
        for j in (JAAR, JAAR - 1):
            afgesloten, sociale_basis = waarheid.afgesloten[(w, j)]
            f[f"afgesloten {j}"] = onbekende(("afgesloten", w, j), afgesloten)
            f[f"socialeBasis {j}"] = onbekende(("socialeBasis", w, j), sociale_basis)
        trajecten = jaarsom("trajecten", basis)
        gesprekken = jaarsom("gesprekken", basis)
        per_doel = {d: _per_doel(r, model, publicatie, waarheid, basis, d) for d in doelen}
        overgedragen = som(*per_doel.values())
        gespec = som(*(per_doel[d] for d in r.gespecialiseerd))
        min_ = {naam: som(t, factor=-1) for naam, t in f.items()}

        def rij(*termen: Term, hi: float = 0, waarom: str, _w: str = w) -> None:
            model.rij(som(*termen), 0, hi, f"jaaranalyse {_w}: {waarom}")

        rij(
            *(f[n] for n in eigen[:MAX_GESPREKKEN]),
            som(trajecten, factor=-1),
            waarom="trajecten naar aantal gesprekken",
        )
        rij(f["warm"], f["niet warm"], som(overgedragen, factor=-1), waarom="warm + niet warm")
        rij(f["gespecialiseerd"], som(gespec, factor=-1), waarom="gespecialiseerd")
        # Every handover closes its traject; sociale basis are the closed ones without a
        # specialised handover.
        rij(
            f[f"afgesloten {JAAR}"],
            min_[f"socialeBasis {JAAR}"],
            min_["gespecialiseerd"],
            waarom="afgesloten - sociale basis = gespecialiseerd",
        )
        rij(
            f[f"afgesloten {JAAR}"],
            som(overgedragen, factor=-1),
            hi=np.inf,
            waarom="afgesloten >= overgedragen",
        )
        # Waiting are open with five gesprekken: apart from the closed, within those with five.
        rij(
            trajecten,
            min_[f"afgesloten {JAAR}"],
            min_["wacht"],
            hi=np.inf,
            waarom="afgesloten + wacht <= trajecten",
        )
        rij(f["gesprekken=5"], min_["wacht"], hi=np.inf, waarom="wacht <= vijf gesprekken")
        rij(
            f["wacht"],
            f[f"afgesloten {JAAR}"],
            min_["gesprekken=5"],
            hi=np.inf,
            waarom="vijf gesprekken: wacht of afgesloten",
        )
        # This year's gesprekken belong to this year's trajecten, or to last year's (the
        # service starts in 2024), which had their first gesprek last year and so at most
        # four now.
        rij(
            *(som(f[n], factor=i + 1) for i, n in enumerate(eigen[:MAX_GESPREKKEN])),
            som(f[f"trajecten {vorig}"], factor=MAX_GESPREKKEN - 1),
            som(gesprekken, factor=-1),
            hi=np.inf,
            waarom="gesprekken van dit en vorig jaar",
        )
        rij(
            f[f"gesprekken {vorig}"],
            min_[f"trajecten {vorig}"],
            hi=np.inf,
            waarom="vorig jaar: trajecten <= gesprekken",
        )
        rij(
            f[f"trajecten {vorig}"],
            min_[f"afgesloten {JAAR - 1}"],
            hi=np.inf,
            waarom="vorig jaar: afgesloten <= trajecten",
        )
        for j in (JAAR, JAAR - 1):
            rij(
                f[f"afgesloten {j}"],
                min_[f"socialeBasis {j}"],
                hi=np.inf,
                waarom=f"{j}: sociale basis <= afgesloten",
            )
        per_scope[w] = f
    # The gemeente is the sum of its wijken, for every figure.
    per_scope[""] = {
        naam: som(*(per_scope[w][naam] for w in r.wijken)) for naam in per_scope[r.wijken[0]]
    }
    for scope, f in per_scope.items():
        basis = [("wijk", scope)] if scope else []
        for naam in eigen:
            model.cellen[cel("trajecten", jaar, [*basis, ("figuur", naam)])] = f[naam]
        for meting in METINGEN:
            model.cellen[cel(meting, vorig, basis)] = f[f"{meting} {vorig}"]
        for j in (JAAR, JAAR - 1):
            _aandeel(r, model, (scope, j), publicatie.aandelen[(scope, j)], f)
    for c, term in model.cellen.items():
        if c[1] == vorig or any(d == "figuur" for d, _ in c[2]):
            model.rij(term, *r.interval(publicatie.cellen[c]), f"gepubliceerd {c}")


def _per_doel(
    r: Rooster,
    model: Model,
    publicatie: Publicatie,
    waarheid: Waarheid,
    basis: list[tuple[str, Any]],
    doel: str | None,
) -> Term:
    """Trajecten of a wijk in the year with this overdrachtdoel: the family's cells, or where
    the family has no overdrachtdoel, the published year cell as an unknown of its own (with
    the gemeente's cell as the sum over the wijken, and every doel, also none, adding up to
    the wijk's trajecten)."""
    paren = [*basis, ("overdrachtdoel", doel)]
    if cel("trajecten", r.maanden[0], paren) in model.cellen:
        return som(*(model.cellen[cel("trajecten", m, paren)] for m in r.maanden))
    c = cel("trajecten", str(JAAR), paren)
    if c not in model.cellen:
        for d in r.waarden["overdrachtdoel"]:
            per_wijk = []
            for w in r.wijken:
                dc = cel("trajecten", str(JAAR), [("wijk", w), ("overdrachtdoel", d)])
                model.waarheid[dc] = waarheid.van(r, dc)
                model.cellen[dc] = {dc: 1}
                model.rij({dc: 1}, *r.interval(publicatie.cellen[dc]), f"gepubliceerd {dc}")
                per_wijk.append({dc: 1})
            totaal = cel("trajecten", str(JAAR), [("overdrachtdoel", d)])
            model.cellen[totaal] = som(*per_wijk)
            model.rij(
                model.cellen[totaal],
                *r.interval(publicatie.cellen[totaal]),
                f"gepubliceerd {totaal}",
            )
        for w in r.wijken:
            trajecten = som(*(model.cellen[cel("trajecten", m, [("wijk", w)])] for m in r.maanden))
            delen = [
                model.cellen[cel("trajecten", str(JAAR), [("wijk", w), ("overdrachtdoel", d)])]
                for d in r.waarden["overdrachtdoel"]
            ]
            model.rij(
                som(*delen, som(trajecten, factor=-1)),
                0,
                0,
                f"jaaranalyse {w}: trajecten naar overdrachtdoel, ook geen",
            )
    return model.cellen[c]


def waarde(model: Model, term: Term) -> int:
    return sum(c * model.waarheid[v] for v, c in term.items())


def _aandeel(
    r: Rooster, model: Model, sleutel: tuple[str, int], aandeel: float | None, f: dict[str, Term]
) -> None:
    """A shown share is round(100 * S / A, 1) of the published values A and S of the closed and
    the sociale-basis trajecten (cells no route shows): both shown to the formula, so their true
    counts are at least k, and each published value within the noise of its count."""
    if aandeel is None:
        return  # one of them hidden, or nothing closed: an "or" the attacker leaves out
    j = sleutel[1]
    afgesloten, sociale_basis = f[f"afgesloten {j}"], f[f"socialeBasis {j}"]
    tiende = round(aandeel * 10)

    def past(a: int, s: int) -> bool:
        # 100 s / a within half a tenth of the share (a share of 100 may be capped from above).
        boven = 2000 * s <= (2 * tiende + 1) * a or tiende == 1000
        return boven and 2000 * s >= (2 * tiende - 1) * a

    def mogelijk(waar: int) -> range:
        return range(max(r.k, waar - r.max_ruis), waar + r.max_ruis + 1)

    waar_a, waar_s = waarde(model, afgesloten), waarde(model, sociale_basis)
    gevonden = [(a, s) for a in mogelijk(waar_a) for s in mogelijk(waar_s) if past(a, s)]
    # Self-check: the true counts admit published values that give the shown share.
    assert gevonden, (sleutel, aandeel, waar_a, waar_s)
    a, s = onbekend_a, onbekend_s = ("A", *sleutel), ("S", *sleutel)
    model.waarheid[onbekend_a], model.waarheid[onbekend_s] = gevonden[0]
    waarom = f"aandeel sociale basis {sleutel}"
    model.rij(afgesloten, r.k, np.inf, waarom)
    model.rij(sociale_basis, r.k, np.inf, waarom)
    model.rij({a: 1}, r.k, np.inf, waarom)
    model.rij({s: 1}, r.k, np.inf, waarom)
    model.rij(som({a: 1}, som(afgesloten, factor=-1)), -r.max_ruis, r.max_ruis, waarom)
    model.rij(som({s: 1}, som(sociale_basis, factor=-1)), -r.max_ruis, r.max_ruis, waarom)
    model.rij({s: 2000, a: -(2 * tiende - 1)}, 0, np.inf, waarom)
    if tiende < 1000:
        model.rij({s: 2000, a: -(2 * tiende + 1)}, -np.inf, 0, waarom)


# --- solving ---------------------------------------------------------------------------------


@dataclass
class Stelsel:
    """A model as a sparse integer matrix: lo <= A x <= hi, x >= 0 and integer."""

    index: dict[Var, int]
    a: csr_array
    lo: np.ndarray
    hi: np.ndarray
    waarheid: np.ndarray

    def vector(self, term: Term) -> np.ndarray:
        uit = np.zeros(len(self.index))
        for v, c in term.items():
            uit[self.index[v]] += c
        return uit

    def klopt(self, x: np.ndarray) -> bool:
        """Whether an integer point satisfies every row exactly (no solver tolerance)."""
        ax = self.a @ x
        return bool(np.all(ax >= self.lo) and np.all(ax <= self.hi))


def zelfcontrole(model: Model) -> None:
    """Every row the attacker wrote down holds for the true counts."""
    for term, lo, hi, waarom in model.rijen:
        waar = waarde(model, term)
        assert lo <= waar <= hi, f"onjuiste relatie ({waarom}): {lo} <= {waar} <= {hi}"


def stelsel(model: Model) -> Stelsel:
    index: dict[Var, int] = {}
    rijen, kolommen, waarden = [], [], []
    for i, (term, _lo, _hi, _waarom) in enumerate(model.rijen):
        for v, c in term.items():
            if c:
                rijen.append(i)
                kolommen.append(index.setdefault(v, len(index)))
                waarden.append(c)
    a = csr_array(
        (np.array(waarden, dtype=np.int64), (rijen, kolommen)),
        shape=(len(model.rijen), len(index)),
    )
    lo = np.array([rij[1] for rij in model.rijen], dtype=float)
    hi = np.array([rij[2] for rij in model.rijen], dtype=float)
    waarheid = np.zeros(len(index))
    for v, i in index.items():
        waarheid[i] = model.waarheid[v]
    return Stelsel(index, a, lo, hi, waarheid)


@dataclass
class Teller:
    lps: int = 0
    milps: int = 0
    snel: int = 0  # cells shown 0 by taking their people out of the truth


def _milp(
    st: Stelsel, doel: np.ndarray, onder: np.ndarray, boven: np.ndarray, teller: Teller
) -> Any:
    teller.milps += 1
    return milp(
        doel,
        constraints=LinearConstraint(st.a, st.lo, st.hi),
        integrality=np.ones(len(st.index)),
        bounds=Bounds(onder, boven),
        options={"time_limit": 60},
    )


def kleinste(st: Stelsel, model: Model, cellen: list[Cel], teller: Teller) -> dict[Cel, int]:
    """Per cell the least value the attacker can prove it has: 0 means it learns nothing.

    Cheapest first, each step settling what it can with an integer point checked against every
    row: move the cell's people elsewhere in the truth (most cells); then, per quarter with the
    other quarters held at the truth, and then over the whole year, minimise a weighted sum of
    the open cells as an LP, fix those that reach 0 at 0 and ask the MILP for any point, while
    that settles more; then each remaining cell on its own, fixed at 0, first within its
    quarter and then over the year. What is left is minimised as an LP over the whole model:
    above 0 is the attacker's proof (an integer count above a positive bound is at least 1);
    at 0, the MILP gives the integer minimum. A MILP that does not finish in time counts as
    the attacker's win: the test errs on the side of the attacker.
    """
    uit: dict[Cel, int] = {}
    open_: list[Cel] = []
    for c in cellen:
        if _verplaatsbaar(st, model, c):
            uit[c] = 0
            teller.snel += 1
        else:
            open_.append(c)
    n = len(st.index)
    overal = (np.zeros(n), np.full(n, np.inf))
    maand = np.array([v[1] if len(v) == 3 and isinstance(v[1], str) else "" for v in st.index])
    kwartalen: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for q in range(1, 5):
        maanden = [f"{JAAR}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]
        vast = ~np.isin(maand, maanden)
        grenzen = (np.where(vast, st.waarheid, 0), np.where(vast, st.waarheid, np.inf))
        for periode in (*maanden, f"{JAAR}-K{q}"):
            kwartalen[periode] = grenzen
        hier = [c for c in open_ if c[1] in kwartalen and kwartalen[c[1]] is grenzen]
        uit |= dict.fromkeys(_nullen(st, model, hier, *grenzen, teller), 0)
    open_ = [c for c in open_ if c not in uit]
    uit |= dict.fromkeys(_nullen(st, model, open_, *overal, teller), 0)
    open_ = [c for c in open_ if c not in uit]
    for c in open_:
        doel = st.vector(model.cellen[c])
        for grenzen in (kwartalen[c[1]],) if c[1] in kwartalen else ():
            if _nul_mogelijk(st, model, c, *grenzen, teller):
                uit[c] = 0
                break
        else:
            if _nul_mogelijk(st, model, c, *overal, teller):
                uit[c] = 0
                continue
            teller.lps += 1
            lp = milp(
                doel,
                constraints=LinearConstraint(st.a, st.lo, st.hi),
                integrality=np.zeros(n),
                bounds=Bounds(*overal),
            )
            if lp.fun > 1e-6:
                uit[c] = math.ceil(lp.fun - 1e-6)
                continue
            ip = _milp(st, doel, *overal, teller)
            assert ip.x is not None and st.klopt(np.round(ip.x))
            uit[c] = max(round(ip.fun), 0 if ip.status == 0 else 1)
    return uit


def _nul_mogelijk(
    st: Stelsel, model: Model, c: Cel, onder: np.ndarray, boven: np.ndarray, teller: Teller
) -> bool:
    vast = boven.copy()
    for v in model.cellen[c]:
        vast[st.index[v]] = 0
    ip = _milp(st, np.zeros(len(st.index)), onder, vast, teller)
    return ip.x is not None and st.klopt(np.round(ip.x))


def _nullen(
    st: Stelsel,
    model: Model,
    cellen: list[Cel],
    onder: np.ndarray,
    boven: np.ndarray,
    teller: Teller,
) -> set[Cel]:
    """Cells shown 0 together by an integer point within the bounds: the zeros of an LP that
    minimises a randomly weighted sum of the open cells (the weights make different optima
    show different zeros), confirmed by a MILP with them fixed at 0; repeated while it
    settles more."""
    nullen: set[Cel] = set()
    open_ = list(cellen)
    rijen = LinearConstraint(st.a, st.lo, st.hi)
    rnd = np.random.default_rng(12)
    vergeefs = 0
    while open_ and vergeefs < 2:
        matrix = np.array([st.vector(model.cellen[c]) for c in open_])
        teller.lps += 1
        lp = milp(
            rnd.uniform(1, 10, len(open_)) @ matrix,
            constraints=rijen,
            integrality=np.zeros(len(st.index)),
            bounds=Bounds(onder, boven),
        )
        assert lp.x is not None, lp.message  # the truth is a solution: never infeasible
        nul = [c for c, waarde in zip(open_, matrix @ lp.x, strict=True) if waarde < 1e-9]
        vast = boven.copy()
        for c in nul:
            for v in model.cellen[c]:
                vast[st.index[v]] = 0
        ip = _milp(st, np.zeros(len(st.index)), onder, vast, teller) if nul else None
        if ip is None or ip.x is None:
            vergeefs += 1
            continue
        assert st.klopt(np.round(ip.x))
        nullen |= set(nul)
        open_ = [c for c in open_ if c not in nullen]
    return nullen


def _past(model: Model, meting: str, paren: tuple[tuple[str, Any], ...]) -> bool:
    return any({d for d, _ in paren} <= set(n) for n in model.niveaus[meting])


def _verplaatsbaar(st: Stelsel, model: Model, c: Cel) -> bool:
    """Whether the cell can be 0 by taking its people out of the truth, or by moving them to
    other months or other values of one of the cell's dimensions, one target or spread over
    all (every unknown that holds them, at every level, and in both metingen where the model
    has both): an integer point that satisfies every row."""
    meting, periode, paren = c
    if periode == str(JAAR - 1) or not _past(model, meting, paren):
        return False  # a figure of the jaaranalyse: the solver's
    punt = st.waarheid
    maanden = sorted(_maanden(periode))
    metingen = [meting, *(m for m in model.niveaus if m != meting and _past(model, m, paren))]
    bronnen = [
        (v, st.index[v], int(punt[st.index[v]]))
        for m in metingen
        for v in model.onder(m, maanden, paren, alleen_eigen=False)
        if punt[st.index[v]]
    ]
    # Each way out maps an unknown to the unknowns its people go to, in turn.
    uitwegen: list[Callable[[Var], list[Var]]] = [lambda v: []]
    andere = _andere_maanden(periode)
    for kaart in andere:
        uitwegen.append(lambda v, k=kaart: [(v[0], k[v[1]], v[2])])
    if len(andere) > 1:
        uitwegen.append(lambda v: [(v[0], k[v[1]], v[2]) for k in andere])
    for d, a in paren:
        elders = [b for b in model.waarden[d] if b != a]
        for b in elders:
            uitwegen.append(lambda v, d=d, b=b: [_met(v, d, b)])
        uitwegen.append(lambda v, d=d, elders=elders: [_met(v, d, b) for b in elders])
        uitwegen.append(
            lambda v, d=d, elders=elders: [
                *(_met(v, d, b) for b in elders),
                *((v[0], k[v[1]], v[2]) for k in andere),
            ]
        )
    # Spread over every neighbour: each other month, each other value of each dimension.
    uitwegen.append(
        lambda v: [
            *((v[0], k[v[1]], v[2]) for k in andere),
            *(_met(v, d, b) for d, a in paren for b in model.waarden[d] if b != a),
        ]
    )
    for uitweg in uitwegen:
        for alleen_eigen_meting in (True, False)[: len(metingen)]:
            x = punt.copy()
            for v, i, aantal in bronnen:
                if alleen_eigen_meting and v[0] != meting:
                    continue
                x[i] -= aantal
                naar = uitweg(v)
                for beurt in range(aantal if naar else 0):
                    x[st.index[naar[beurt % len(naar)]]] += 1
            if st.klopt(x):
                return True
    return False


def _met(v: Var, d: str, waarde: Any) -> Var:
    return (v[0], v[1], tuple((e, waarde if e == d else w) for e, w in v[2]))


def _andere_maanden(periode: str) -> list[dict[str, str]]:
    """Month maps that move a period's months out of it, keeping the bigger periods whole
    where they can: a month to the others of its quarter, a quarter to the other quarters."""
    if periode == str(JAAR):
        return []
    if "-K" in periode:
        q = int(periode[-1])
        return [
            {f"{JAAR}-{3 * q - 2 + i:02d}": f"{JAAR}-{3 * p - 2 + i:02d}" for i in range(3)}
            for p in range(1, 5)
            if p != q
        ]
    m = int(periode[5:])
    kwartaal = range(3 * ((m - 1) // 3) + 1, 3 * ((m - 1) // 3) + 4)
    return [{periode: f"{JAAR}-{n:02d}"} for n in kwartaal if n != m]


@dataclass
class Lek:
    """A small cell the attacker proves is at least `minimum`, and the rows that prove it."""

    familie: Familie
    cel: Cel
    minimum: int
    waar: int
    uitleg: list[str]

    def __str__(self) -> str:
        regels = "".join(f"\n      {regel}" for regel in self.uitleg)
        wat = f"{self.cel}: minstens {self.minimum} (waar {self.waar})"
        return f"{self.familie.dimensies} {wat}{regels}"


@dataclass
class Aanval:
    teller: Teller = field(default_factory=Teller)
    opgelost: int = 0  # small cells solved, counted once per family
    lekken: list[Lek] = field(default_factory=list)
    # Per planted resident: the cells holding only them (true count 1) that were solved.
    alleen_zij: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def melding(self) -> str:
        return f"{len(self.lekken)} kleine cellen aantoonbaar >= 1:\n" + "\n".join(
            str(lek) for lek in self.lekken[:20]
        )


def val_aan(
    r: Rooster,
    gekozen: list[Familie],
    publicatie: Publicatie,
    waarheid: Waarheid,
    geplant: list[Inwoner],
    kies: Callable[[list[Cel]], list[Cel]] = list,
) -> Aanval:
    """Each family: the model, checked against the truth, and the small cells' minima."""
    aanval = Aanval()
    for familie in gekozen:
        model = bouw(r, familie, publicatie, waarheid)
        zelfcontrole(model)
        st = stelsel(model)
        kleine = kies([c for c, term in model.cellen.items() if 1 <= waarde(model, term) < r.k])
        minima = kleinste(st, model, kleine, aanval.teller)
        aanval.opgelost += len(minima)
        for c, minimum in minima.items():
            if minimum > 0:
                # Explaining costs an LP: the first few are enough to see what leaks.
                uitleg = waarom(st, model, c) if len(aanval.lekken) < 5 else []
                waar = waarde(model, model.cellen[c])
                aanval.lekken.append(Lek(familie, c, minimum, waar, uitleg))
        for i, inwoner in enumerate(geplant):
            aanval.alleen_zij[i] += sum(
                1 for c in minima if inwoner.zit_in(c) and waarde(model, model.cellen[c]) == 1
            )
    return aanval


def waarom(st: Stelsel, model: Model, c: Cel) -> list[str]:
    """The rows that bind the cell's least value (the LP's nonzero duals), with their numbers."""
    a = st.a.tocsr()
    boven, onder = np.isfinite(st.hi), np.isfinite(st.lo)
    rijen = np.concatenate([np.nonzero(boven)[0], np.nonzero(onder)[0]])
    lp = linprog(
        st.vector(model.cellen[c]),
        A_ub=vstack([a[boven], -a[onder]]),
        b_ub=np.concatenate([st.hi[boven], -st.lo[onder]]),
        bounds=(0, None),
        method="highs",
    )
    uit = []
    for i in np.nonzero(np.abs(lp.ineqlin.marginals) > 1e-9)[0]:
        term, lo, hi, reden = model.rijen[rijen[i]]
        kant, grens = ("<=", hi) if i < boven.sum() else (">=", lo)
        uit.append(f"{reden} {kant} {grens:g} (waar {waarde(model, term)})")
    return uit
