"""The attacker of issue 12: a rapportage key that asks everything, twice, and combines it all.

A small gemeente with a seeded population and four planted lone residents is registered through
the API. The attacker asks every question the grid allows for the year, and the jaaranalyse,
and asks it all again after a late registration and a correction in closed months: every answer
must be the same. It then writes every published cell down as an interval, adds every linear
relation between cells that holds for any registrations, and solves for the least value each
small cell (a true count of 1 to k-1) can have: that must stay 0, for every small cell and for
every cell holding only a planted resident. The same attacker against a release without noise
must find them, or the test proves nothing.

The attacker's machinery, and what it knows and assumes, is in tests/publicatie/aanvaller.py.
"""

import hashlib
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.kern.db import new_session
from app.kern.settings import Settings
from app.main import create_app
from app.publicatie import ruis
from app.publicatie.models import PublicatieGeheim
from app.publicatie.ruis import celnaam
from tests.conftest import account
from tests.publicatie.aanvaller import (
    JAAR,
    METINGEN,
    Aanval,
    Cel,
    Familie,
    Rooster,
    cel,
    families,
    geplante_inwoners,
    kleine_gemeente,
    lees,
    lees_waarheid,
    registreer,
    registreer_traject,
    rooster,
    val_aan,
    vraag_alles,
    vragen,
)

# The attacker: a year of a gemeente, every question twice, integer programmes.
pytestmark = pytest.mark.slow

AANTAL = 400  # trajecten besides the planted residents: many cells of 1 to 4, many of 5 and up
SEED = 12
# The planted residents' families: their leeftijdsgroep, instroomroute and vraagtype together,
# and their quiet wijk beside their leeftijdsgroep and instroomroute (trajecten and gesprekken
# in one model, with the jaaranalyse's own figures).
GEPLANT = [
    Familie(("vraagtype", "leeftijdsgroep", "instroomroute"), ("gesprekken",)),
    Familie(("vraagtype", "leeftijdsgroep", "instroomroute"), ("trajecten",)),
    Familie(("wijk", "leeftijdsgroep", "instroomroute"), METINGEN, jaaranalyse=True),
]
# Solving all 66 families takes about 90 s on a 2-core machine, on top of about a minute and a
# half for asking the grid twice: by default the test solves the planted residents' families
# and a seeded sample of the others, on SQLite only. What is published does not depend on the
# database (the same secret, cells and store; both databases' counts equal a plain recount in
# tests/test_analyse.py), so the second database would cost three minutes of the suite for no
# new question. AANVALLER_ALLE_FAMILIES=1 solves every family, on both databases.
STEEKPROEF = 8
ALLES = bool(os.environ.get("AANVALLER_ALLE_FAMILIES"))


@pytest.fixture
def app(settings: Settings, tmp_path: Path) -> Iterator[FastAPI]:
    """The small gemeente, with room for every question of the grid, twice, in one hour.

    The publication's secret is fixed, so that the noise, and with it what the attacker can
    prove, is the same on every run: in service it is random, and a rare draw can open a chain
    (see the test on the extreme noise below); a test must not pass or fail by the draw.
    AANVALLER_GEHEIM=<text> draws another secret, for sweeps by hand.
    """
    geheim = os.environ.get("AANVALLER_GEHEIM", "issue 12")
    update: dict[str, Any] = {"rapportage_per_uur": 100_000, **kleine_gemeente(tmp_path)}
    application = create_app(settings.model_copy(update=update))
    with new_session(application.state.context.engine) as session:
        session.add(PublicatieGeheim(id=1, waarde=hashlib.sha256(geheim.encode()).hexdigest()))
        session.commit()
    yield application
    application.state.context.engine.dispose()


def gekozen_families() -> list[Familie]:
    if ALLES:
        return families()
    rest = [f for f in families() if f not in GEPLANT]
    return GEPLANT + random.Random(SEED).sample(rest, STEEKPROEF)


@pytest.mark.parametrize(
    "database_url", ["sqlite", "postgresql"] if ALLES else ["sqlite"], indirect=True
)
def test_a_reader_combining_every_answer_learns_no_small_count_and_no_planted_resident(
    app: FastAPI, kwartiermaker: dict[str, str], database_url: str
) -> None:
    begin = time.monotonic()
    with TestClient(app) as client:
        r = rooster(app.state.context, ruis.MAX_RUIS)
        geplant = geplante_inwoners(r)
        werker, trajecten = registreer(app, client, r, SEED, AANTAL, geplant)
        aanvaller = account(app, "aanvaller", "rapportage")
        lijst = vragen(r)
        eerste = vraag_alles(client, aanvaller, lijst)
        waarheid = lees_waarheid(client, kwartiermaker, r, trajecten)

        # Late, in closed months: a second resident with the first planted one's combination
        # in the quiet wijk, a gesprek added to the second one's traject, and the third one's
        # gesprek moved to November with another vraagtype. The kwartiermaker sees all of it.
        stil = geplant[0].wijk
        gesprek = {
            "datum": f"{JAAR}-03-12",
            "locatie": geplant[0].locatie,
            "vraagtypen": [geplant[0].vraagtype],
            "afhandeling": geplant[0].afhandeling,
        }
        registreer_traject(
            client,
            werker,
            {
                "wijk": stil,
                "leeftijdsgroep": geplant[0].leeftijdsgroep,
                "instroomroute": geplant[0].instroomroute,
            },
            [gesprek],
        )
        later = client.post(
            f"/api/v1/trajecten/{geplant[1].code}/gesprekken",
            json={
                "datum": f"{JAAR}-07-02",
                "locatie": geplant[1].locatie,
                "vraagtypen": [geplant[1].vraagtype],
                "afhandeling": geplant[1].afhandeling,
            },
            headers=werker,
        )
        assert later.status_code == 201, later.text
        ander = next(v for v in r.waarden["vraagtype"] if v != geplant[2].vraagtype)
        correctie = client.patch(
            f"/api/v1/trajecten/{geplant[2].code}/gesprekken/1",
            json={"datum": f"{JAAR}-11-04", "vraagtypen": [ander]},
            headers=werker,
        )
        assert correctie.status_code == 200, correctie.text
        per_maand = client.get(
            "/api/v1/tellingen",
            params={"van": f"{JAAR}-01-01", "tot": f"{JAAR}-12-31", "dimensies": "maand,wijk"},
            headers=kwartiermaker,
        ).json()["rijen"]
        in_stil = {rij["maand"]: rij["aantal"] for rij in per_maand if rij["wijk"] == stil}
        assert in_stil == dict.fromkeys([f"{JAAR}-{m}" for m in ("02", "03", "06", "07", "11")], 1)

        tweede = vraag_alles(client, aanvaller, lijst)
    veranderd = [v for v, a, b in zip(lijst, eerste, tweede, strict=True) if a != b]
    assert not veranderd, f"{len(veranderd)} antwoorden veranderd, zoals {veranderd[:3]}"
    gevraagd = time.monotonic() - begin

    publicatie = lees(r, lijst, eerste)
    # What each published cell says holds for the truth (null below k, a shown value within
    # the noise of it): the attacker's intervals, checked before it builds on them.
    getoond = klein = 0
    for c, gepubliceerd in publicatie.cellen.items():
        waar = waarheid.van(r, c)
        lo, hi = r.interval(gepubliceerd)
        assert lo <= waar <= hi, (c, gepubliceerd, waar)
        getoond += gepubliceerd is not None
        klein += 1 <= waar < r.k
    assert getoond > 10_000 and klein > 10_000, (getoond, klein)
    # No published cell shows a planted resident's combination.
    for inwoner in geplant:
        paar = {
            ("leeftijdsgroep", inwoner.leeftijdsgroep),
            ("instroomroute", inwoner.instroomroute),
        }
        zichtbaar: list[Cel] = [c for c in publicatie.cellen if paar <= set(c[2])]
        assert zichtbaar, inwoner
        assert all(publicatie.cellen[c] is None for c in zichtbaar), inwoner

    gekozen = gekozen_families()
    aanval = val_aan(r, gekozen, publicatie, waarheid, geplant)
    print(
        f"{database_url.split(':')[0]}: {len(trajecten)} trajecten, 2 x {len(lijst)} vragen, "
        f"{len(publicatie.cellen)} cellen ({getoond} getoond, {klein} klein), {aanval.opgelost} "
        f"kleine cellen opgelost in {len(gekozen)} families met {aanval.teller}; vragen "
        f"{gevraagd:.0f} s, totaal {time.monotonic() - begin:.0f} s"
    )
    # The cells holding only a planted resident were among those solved, and no small cell has
    # a least value above 0: the attacker cannot even tell that such a combination occurred.
    assert all(aanval.alleen_zij[i] for i in range(len(geplant))), aanval.alleen_zij
    assert not aanval.lekken, aanval.melding()


def val_aan_op_dagen(
    app: FastAPI,
    kwartiermaker: dict[str, str],
    r: Rooster,
    familie: Familie,
    plan: list[tuple[str, list[str]]],
    instroomroute: str,
    vraagtype: str,
) -> Aanval:
    """One traject with one gesprek per day of the plan (wijk, ["MM-DD", ...]), all with the
    same instroomroute and vraagtype; the attacker asks the family's whole grid and solves."""
    with TestClient(app) as client:
        werker = account(app, "werker", "preventiewerker", r.wijken)
        trajecten = []
        for wijk, dagen in plan:
            for dag in dagen:
                traject = {
                    "wijk": wijk,
                    "leeftijdsgroep": r.waarden["leeftijdsgroep"][0],
                    "instroomroute": instroomroute,
                }
                gesprek = {
                    "datum": f"{JAAR}-{dag}",
                    "locatie": r.waarden["locatie"][0],
                    "vraagtypen": [vraagtype],
                    "afhandeling": r.waarden["afhandeling"][0],
                }
                registreer_traject(client, werker, traject, [gesprek])
                trajecten.append(
                    traject | {"status": "open", "overdracht": None, "gesprekken": [gesprek]}
                )
        lijst = vragen(r, [familie])
        antwoorden = vraag_alles(client, account(app, "aanvaller", "rapportage"), lijst)
        waarheid = lees_waarheid(client, kwartiermaker, r, trajecten)
    aanval = val_aan(r, [familie], lees(r, lijst, antwoorden), waarheid, [])
    assert aanval.opgelost > 0
    return aanval


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_hidden_months_stay_deniable_beside_a_quarter_shown_per_wijk(
    app: FastAPI, kwartiermaker: dict[str, str]
) -> None:
    """The chain the full sweep (AANVALLER_ALLE_FAMILIES=1) found in the first release: a
    shown value says "at least k", whatever its noise. Two wijken with 5 trajecten each in a
    quarter are shown, so the quarter holds at least 10; its months hold 4, 3 and 3 and were
    hidden, which then said "at most k-1 = 4" each; so every month held at least 10 - 4 - 4 =
    2, in every table that splits them by nothing else. A hidden value must leave room enough
    that no such sum closes.
    """
    familie = Familie(("wijk", "vraagtype", "instroomroute"), ("trajecten",))
    r = rooster(app.state.context, ruis.MAX_RUIS)
    plan = [
        (r.wijken[0], ["04-03", "04-17", "05-06", "05-20", "06-10"]),
        (r.wijken[1], ["04-08", "04-22", "05-13", "06-03", "06-24"]),
    ]
    ir, vt = r.waarden["instroomroute"][1], r.waarden["vraagtype"][1]
    aanval = val_aan_op_dagen(app, kwartiermaker, r, familie, plan, ir, vt)
    assert not aanval.lekken, aanval.melding()


def kans_op_trekking_tot(grens: int) -> float:
    """The chance that a cell's noise is `grens` or lower, from the scheme's own table."""
    gewicht = {n: ruis.VERHOUDING ** abs(n) for n in ruis.RUIS}
    return sum(g for n, g in gewicht.items() if n <= grens) / sum(gewicht.values())


# The one chain the full sweep found (issue 12) when the cut-off was 10, with the total drawn
# at the cut-off: it closed then, and no longer does. What is left: docs/rapportage.md.
@pytest.mark.parametrize(
    ("database_url", "grens"),
    [("sqlite", 10), ("sqlite", ruis.MAX_RUIS)],
    indirect=["database_url"],
)
def test_the_chain_through_a_total_drawn_at_the_cut_off_no_longer_closes(
    app: FastAPI, kwartiermaker: dict[str, str], monkeypatch: pytest.MonkeyPatch, grens: int
) -> None:
    """A shown count of exactly k has its floor at the truth ("shown" means "at least k"), and a
    total drawn at -MAX_RUIS has its ceiling at the truth. Gesprekken in the third quarter with
    one instroomroute and vraagtype: wijk 1 has 5 in July and 5 in August (shown, so >= 5
    each), September has 6 over all wijken (shown, >= 5), the quarter has 17. With a cut-off of
    10 the quarter showed as 7 (so <= 17), July and August of wijk 3 held at most 2 together,
    and wijk 3's quarter, 5 and shown, put at least 3 of its 4 in September: proven. With a
    cut-off of 30 the same draw hides the quarter: such a chain now needs a total of at least
    k + MAX_RUIS drawn within 2 of the cut-off, a chance below one in a hundred million.
    """
    assert kans_op_trekking_tot(-ruis.MAX_RUIS + 2) < 1e-8
    monkeypatch.setattr(ruis, "MAX_RUIS", grens)
    familie = Familie(("wijk", "vraagtype", "instroomroute"), ("gesprekken",))
    r = rooster(app.state.context, ruis.MAX_RUIS)
    ir, vt = r.waarden["instroomroute"][0], r.waarden["vraagtype"][1]
    totaal = celnaam(cel("gesprekken", f"{JAAR}-K3", [("instroomroute", ir), ("vraagtype", vt)]))
    # Every other cell exact, so the test shows this one chain and nothing else.
    monkeypatch.setattr(
        ruis,
        "ruis",
        lambda geheim, naam, aantal: -grens if naam == totaal else 0,
    )
    plan = [
        (r.wijken[0], [f"{m}-0{d}" for m in ("07", "08") for d in range(1, 6)]),
        (r.wijken[2], ["07-15", "09-02", "09-09", "09-16", "09-23"]),
        (r.wijken[1], ["09-04", "09-18"]),
    ]
    aanval = val_aan_op_dagen(app, kwartiermaker, r, familie, plan, ir, vt)
    if grens > 10:
        assert not aanval.lekken, aanval.melding()
    else:
        # Wijk 3's September, in each table that shows it (with or without the other two).
        assert aanval.lekken, "the cut-off of 10 let this chain close"
        for lek in aanval.lekken:
            meting, periode, waarden = lek.cel
            assert (meting, periode, dict(waarden)["wijk"]) == (
                "gesprekken",
                f"{JAAR}-09",
                r.wijken[2],
            )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_without_noise_the_same_attacker_finds_the_planted_residents(
    app: FastAPI, kwartiermaker: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release that shows exact counts from k up and hides the rest: the attacker, told the
    noise is 0, proves small counts there, and each planted resident."""
    monkeypatch.setattr(ruis, "ruis", lambda geheim, naam, aantal: 0)
    familie = Familie(("wijk", "leeftijdsgroep", "instroomroute"), ("trajecten",))
    with TestClient(app) as client:
        r = rooster(app.state.context, max_ruis=0)
        geplant = geplante_inwoners(r)
        _, trajecten = registreer(app, client, r, SEED, AANTAL // 2, geplant)
        lijst = vragen(r, [familie])
        antwoorden = vraag_alles(client, account(app, "aanvaller", "rapportage"), lijst)
        waarheid = lees_waarheid(client, kwartiermaker, r, trajecten)
    zij: list[Cel] = []

    def kies(kleine: list[Cel]) -> list[Cel]:
        # The residents' own cells, and a sample of the rest: every find costs a solve.
        zij.extend(c for c in kleine if any(i.zit_in(c) for i in geplant))
        return zij + random.Random(SEED).sample([c for c in kleine if c not in zij], 30)

    aanval = val_aan(r, [familie], lees(r, lijst, antwoorden), waarheid, geplant, kies)
    gevonden = {lek.cel for lek in aanval.lekken}
    assert len(gevonden - set(zij)) >= 5, aanval.melding()
    for inwoner in geplant:
        assert any(inwoner.zit_in(c) and c in gevonden for c in zij), inwoner
