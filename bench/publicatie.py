"""What protecting the release costs: the rapportage routes against the kwartiermaker's, and the
cost per cell of publishing (noise and storing) and of reading a stored cell.

    .venv/bin/python -m bench.publicatie --gesprekken 1000000

Fills a fresh SQLite database with demo registrations for one year (app/analyse/demo.py), then
times in-process (no network): the jaaranalyse and two tellingen tables for the kwartiermaker
(exact), for rapportage the first time (noise made and stored) and again (read from storage);
and `publiceer` itself over a batch of cells. Prints a Markdown table.
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from itertools import combinations
from math import prod
from pathlib import Path

from fastapi.testclient import TestClient

from app.analyse.demo import vul_demo
from app.analyse.schemas import DIMENSIES
from app.codelijsten.lijsten import laad_codelijsten
from app.gebieden.indeling import laad_gebiedsindeling
from app.kern.db import make_engine, new_session
from app.kern.migrate import upgrade
from app.kern.settings import Settings
from app.main import create_app
from app.publicatie.raster import jaar as jaarperiode
from app.publicatie.raster import lees_periode, maand
from app.publicatie.ruis import cel
from app.publicatie.tellingen import MAX_DIMENSIES, waarden
from app.publicatie.vastleggen import publiceer
from app.toegang.tokens import maak_account

JAAR = 2025


def ms(werk: Callable[[], object], keer: int = 1) -> float:
    tijden = []
    for _ in range(keer):
        begin = time.perf_counter()
        werk()
        tijden.append(1000 * (time.perf_counter() - begin))
    return statistics.median(tijden)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gesprekken", type=int, default=100_000)
    args = parser.parse_args()
    map_ = Path(tempfile.mkdtemp(prefix="wijkcontact-publicatie-"))
    url = f"sqlite:///{map_ / 'bench.db'}"
    upgrade(url)
    engine = make_engine(url)
    indeling, codelijsten = laad_gebiedsindeling(None), laad_codelijsten(None)
    begin = time.perf_counter()
    vul_demo(engine, indeling, codelijsten, args.gesprekken, JAAR, 1)
    print(f"demo: {args.gesprekken} gesprekken in {time.perf_counter() - begin:.0f} s")
    app = create_app(Settings(database_url=url, rapportage_per_uur=10**9, _env_file=None))  # type: ignore[call-arg]
    context = app.state.context
    with new_session(context.engine) as session:
        _, km = maak_account(session, "km", "kwartiermaker", [], indeling.codes, None)
        _, rap = maak_account(session, "rap", "rapportage", [], indeling.codes, None)
    client = TestClient(app)
    kwartiermaker = {"Authorization": f"Bearer {km}"}
    rapportage = {"Authorization": f"Bearer {rap}"}

    def vraag(pad: str, kop: dict[str, str], **params: str) -> Callable[[], object]:
        def werk() -> object:
            antwoord = client.get(pad, params=params, headers=kop)
            assert antwoord.status_code == 200, antwoord.text
            return antwoord

        return werk

    rijen = []
    vragen = {
        f"jaaranalyses/{JAAR}": ("/api/v1/jaaranalyses/2025", {}),
        "tellingen jaar, wijk x vraagtype": (
            "/api/v1/tellingen",
            {"van": f"{JAAR}-01-01", "tot": f"{JAAR}-12-31", "dimensies": "wijk,vraagtype"},
        ),
        "tellingen maart, wijk x leeftijdsgroep x vraagtype (trajecten)": (
            "/api/v1/tellingen",
            {"van": f"{JAAR}-03-01", "tot": f"{JAAR}-03-31",
             "dimensies": "wijk,leeftijdsgroep,vraagtype", "meting": "trajecten"},
        ),
    }  # fmt: skip
    for naam, (pad, params) in vragen.items():
        exact = ms(vraag(pad, kwartiermaker, **params), 3)
        eerst = ms(vraag(pad, rapportage, **params))
        daarna = ms(vraag(pad, rapportage, **params), 3)
        rijen.append((naam, exact, eerst, daarna))

    # The grid of one year: every period, both metingen, every dimension set up to three.
    perioden = [jaarperiode(JAAR)] + [maand(f"{JAAR}-{m:02d}") for m in range(1, 13)]
    perioden += [lees_periode(maand(f"{JAAR}-{m:02d}").van, maand(f"{JAAR}-{m + 2:02d}").tot)
                 for m in (1, 4, 7, 10)]  # fmt: skip
    cellen_raster = 0
    for periode in perioden:
        for n in range(MAX_DIMENSIES + 1):
            for dims in combinations(DIMENSIES, n):
                cellen_raster += 2 * prod(len(waarden(context, d, periode)) for d in dims)
    # Publishing itself, apart from counting: a batch of new cells, then the same batch again.
    batch = {cel("bench", str(i), [("wijk", "01")]): i % 40 for i in range(100_000)}
    with new_session(context.engine, alleen_lezen=True) as session:
        nieuw = ms(lambda: publiceer(session, context, batch)) / len(batch)
        opgeslagen = ms(lambda: publiceer(session, context, batch)) / len(batch)

    print(f"\n{args.gesprekken:,} gesprekken, SQLite, in-process; medians in ms\n")
    print("| vraag | kwartiermaker (exact) | rapportage, eerste keer | rapportage, daarna |")
    print("|---|---:|---:|---:|")
    for naam, exact, eerst, daarna in rijen:
        print(f"| {naam} | {exact:,.0f} | {eerst:,.0f} | {daarna:,.0f} |")
    print(f"\ncellen in het raster van één jaar (17 periodes, 2 metingen, <= 3 dimensies): "
          f"{cellen_raster:,}")  # fmt: skip
    print(f"publiceren per nieuwe cel: {1000 * nieuw:.1f} us; per opgeslagen cel: "
          f"{1000 * opgeslagen:.1f} us; heel raster alleen publiceren: "
          f"{cellen_raster * nieuw / 1000:,.0f} s")  # fmt: skip
    engine.dispose()
    context.engine.dispose()


if __name__ == "__main__":
    main()
