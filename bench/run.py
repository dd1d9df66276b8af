"""Benchmark of the annual analysis at 100k and 1M gesprekken, on SQLite and PostgreSQL.

For every database and size, in one run and side by side:
  (a) the service over HTTP: GET /jaaranalyses/{jaar} and a GET /tellingen;
  (b) the naive reference: plain SQL GROUP BY queries over the raw tables that answer the same
      figures (checked to give the same numbers as the service);
  (c) a registration (first gesprek, and a follow-up) with and without the summary hook.
Writes a Markdown table to stdout and to bench/RESULTS-latest.md. Then the tellingen of issue 14
against plain SQL and DuckDB, and the bytes per gesprek (bench/tellingen.py), which it writes as
the section "Tellingen (issue 14)" of bench/RESULTS.md. Run with `make bench`.
"""

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import httpx
import sqlalchemy
from sqlalchemy import create_engine, text

from app.analyse.demo import vul_demo
from app.codelijsten.lijsten import laad_codelijsten
from app.gebieden.indeling import laad_gebiedsindeling
from app.kern.db import make_engine, new_session
from app.kern.migrate import upgrade
from app.toegang.tokens import maak_account
from bench.tellingen import (
    Meting,
    als_duckdb,
    herhaal,
    laad_duckdb,
    markdown,
    markdown_populatie,
    meet_opslag,
    meet_tellingen,
    rijen,
    schrijf_resultaten,
    vergelijk,
    warm_op,
)
from tests.postgres import _bindir, free_port

ROOT = Path(__file__).resolve().parent.parent
JAAR = 2025
TELLING = {"van": f"{JAAR}-01-01", "tot": f"{JAAR}-12-31", "dimensies": "wijk,vraagtype",
           "meting": "gesprekken"}  # fmt: skip


@contextmanager
def postgres() -> Iterator[str]:
    """A private PostgreSQL with durable commits (unlike the test server): realistic writes."""
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="wijkcontact-bench-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    port = free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, cwd=root)

    run(str(bindir / "initdb"), "-D", str(root / "data"), "-U", "wijkcontact", "-A", "trust",
        "-E", "UTF8", "--no-locale")  # fmt: skip
    options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c shared_buffers=1GB "
               "-c max_connections=200 -c work_mem=32MB")  # fmt: skip
    run(str(bindir / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"), "-o", options,
        "-w", "start")  # fmt: skip
    try:
        yield f"postgresql+psycopg://wijkcontact@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m", "fast",
                        "stop"], capture_output=True, cwd=root)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def server(url: str, zonder_onderhoud: bool = False) -> Iterator[str]:
    port = free_port()
    args = [sys.executable, str(ROOT / "bench" / "server.py"), "--port", str(port)]
    if zonder_onderhoud:
        args.append("--zonder-onderhoud")
    env = {**os.environ, "WIJKCONTACT_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    proces = subprocess.Popen(args, env=env, cwd=ROOT)
    basis = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(basis + "/health/live").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield basis
    finally:
        proces.terminate()
        proces.wait(timeout=30)


def meet(functie: Callable[[], Any], keer: int, opwarmen: int = 1) -> list[float]:
    for _ in range(opwarmen):
        functie()
    tijden = []
    for _ in range(keer):
        begin = time.perf_counter()
        functie()
        tijden.append((time.perf_counter() - begin) * 1000)
    return tijden


def referentie_queries(dialect: str) -> dict[str, str]:
    """The plain GROUP BY queries a first version would run over the raw tables."""

    def maand(kolom: str) -> str:
        return {"postgresql": f"to_char({kolom}, 'MM')", "sqlite": f"strftime('%m', {kolom})",
                "duckdb": f"strftime({kolom}, '%m')"}[dialect]  # fmt: skip

    begin = ("WITH b AS (SELECT traject_id, MIN(datum) AS d, COUNT(*) AS n FROM gesprek "
             "GROUP BY traject_id) ")  # fmt: skip
    traject = begin + "SELECT t.wijk, {x}, COUNT(*) FROM b JOIN traject t ON t.id = b.traject_id "
    gesprek = "SELECT t.wijk, {x}, COUNT(*) FROM gesprek g JOIN traject t ON t.id = g.traject_id "
    jaar = " WHERE {k} BETWEEN :van AND :tot GROUP BY 1, 2"
    return {
        "trajecten_maand": traject.format(x=maand("b.d")) + jaar.format(k="b.d"),
        "vorig_trajecten": traject.format(x="'-'") + jaar.format(k="b.d").replace(":van", ":vvan")
        .replace(":tot", ":vtot"),
        "leeftijdsgroep": traject.format(x="t.leeftijdsgroep") + jaar.format(k="b.d"),
        "instroomroute": traject.format(x="t.instroomroute") + jaar.format(k="b.d"),
        "lengte_status": begin + "SELECT t.wijk, b.n, t.status, COUNT(*) FROM b JOIN traject t "
        "ON t.id = b.traject_id WHERE b.d BETWEEN :van AND :tot GROUP BY 1, 2, 3",
        "overdracht": begin + "SELECT t.wijk, o.doel, o.warm, COUNT(*) FROM b JOIN traject t ON "
        "t.id = b.traject_id JOIN overdracht o ON o.traject_id = t.id WHERE b.d BETWEEN :van AND "
        ":tot GROUP BY 1, 2, 3",
        "afsluiting": begin + "SELECT t.wijk, CASE WHEN b.d >= :van THEN 'dit' ELSE 'vorig' END, "
        "o.doel, COUNT(*) FROM b JOIN traject t ON t.id = b.traject_id LEFT JOIN overdracht o ON "
        "o.traject_id = t.id WHERE t.status <> 'open' AND b.d BETWEEN :vvan AND :tot "
        "GROUP BY 1, 2, 3",
        "gesprekken_maand": gesprek.format(x=maand("g.datum")) + jaar.format(k="g.datum"),
        "vorig_gesprekken": gesprek.format(x="'-'") + jaar.format(k="g.datum")
        .replace(":van", ":vvan").replace(":tot", ":vtot"),
        "locatie": gesprek.format(x="g.locatie") + jaar.format(k="g.datum"),
        "afhandeling": gesprek.format(x="g.afhandeling") + jaar.format(k="g.datum"),
        "vraagtype": "SELECT t.wijk, v.vraagtype, COUNT(*) FROM gesprek g JOIN traject t ON "
        "t.id = g.traject_id JOIN gesprek_vraagtype v ON v.gesprek_id = g.id"
        + jaar.format(k="g.datum"),
    }  # fmt: skip


def referentie(engine: sqlalchemy.Engine) -> dict[str, list[Any]]:
    params = {"van": f"{JAAR}-01-01", "tot": f"{JAAR}-12-31", "vvan": f"{JAAR - 1}-01-01",
              "vtot": f"{JAAR - 1}-12-31"}  # fmt: skip
    if engine.dialect.name == "postgresql":
        from datetime import date

        params = {k: date.fromisoformat(v) for k, v in params.items()}
    uit = {}
    with engine.connect() as connection:
        for naam, sql in referentie_queries(engine.dialect.name).items():
            uit[naam] = [tuple(r) for r in connection.execute(text(sql), params)]
    return uit


def referentie_duckdb(con: duckdb.DuckDBPyConnection) -> dict[str, list[Any]]:
    """The same naive queries in DuckDB, over the facts bench/tellingen.py loaded."""
    from datetime import date

    params = {"van": date(JAAR, 1, 1), "tot": date(JAAR, 12, 31), "vvan": date(JAAR - 1, 1, 1),
              "vtot": date(JAAR - 1, 12, 31)}  # fmt: skip
    uit = {}
    for naam, sql in referentie_queries("duckdb").items():
        sql = als_duckdb(sql)
        uit[naam] = con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql}).fetchall()
    return uit


def controleer(antwoord: dict[str, Any], ref: dict[str, list[Any]]) -> None:
    """The service and the naive queries must give the same figures."""
    niveaus = {c.code: c.niveau for c in laad_codelijsten().lijsten["overdrachtdoelen"]}
    per: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for naam, figuur in [("leeftijdsgroep", "leeftijdsgroepen"), ("instroomroute",
                         "instroomroutes"), ("locatie", "locaties"), ("afhandeling",
                         "afhandelingen"), ("vraagtype", "vraagtypen")]:  # fmt: skip
        for wijk, code, n in ref[naam]:
            per[wijk][figuur][code] += n
    for wijk, maand, n in ref["trajecten_maand"]:
        per[wijk]["aantalTrajecten"][""] += n
        per[wijk]["perMaandTrajecten"][f"{JAAR}-{maand}"] += n
    for wijk, maand, n in ref["gesprekken_maand"]:
        per[wijk]["aantalGesprekken"][""] += n
        per[wijk]["perMaandGesprekken"][f"{JAAR}-{maand}"] += n
    for wijk, lengte, status, n in ref["lengte_status"]:
        per[wijk]["gesprekkenPerTraject"][str(lengte)] += n
        if lengte == 5 and status == "open":
            per[wijk]["trajectenWachtOpOverdracht"][""] += n
    for wijk, doel, _warm, n in ref["overdracht"]:
        per[wijk]["overdrachtdoelen"][doel] += n
    for wijk, jaar, doel, n in ref["afsluiting"]:
        if jaar == "dit":
            per[wijk]["dicht"][""] += n
            per[wijk]["gespecialiseerd"][""] += n if niveaus.get(doel) == "gespecialiseerd" else 0
    for w in antwoord["wijken"]:
        r = per[w["wijk"]]
        assert w["aantalTrajecten"] == r["aantalTrajecten"][""], w["wijk"]
        assert w["aantalGesprekken"] == r["aantalGesprekken"][""], w["wijk"]
        for figuur in ("leeftijdsgroepen", "instroomroutes", "locaties", "afhandelingen",
                       "vraagtypen", "overdrachtdoelen", "gesprekkenPerTraject"):  # fmt: skip
            assert {k: v for k, v in w[figuur].items() if v} == dict(r[figuur]), figuur
        assert {m: v["trajecten"] for m, v in w["perMaand"].items() if v["trajecten"]} == dict(
            r["perMaandTrajecten"])  # fmt: skip
        assert w["trajectenWachtOpOverdracht"] == r["trajectenWachtOpOverdracht"][""]
        dicht, spec = r["dicht"][""], r["gespecialiseerd"][""]
        verwacht = round(100 * (dicht - spec) / dicht, 1) if dicht else None
        assert w["aandeelSocialeBasis"] == verwacht


def registraties(basis_met: str, basis_zonder: str, headers: dict[str, str], keer: int) -> dict:
    """Interleaved registrations against the server with and without the summary hook."""
    rnd = random.Random(5)
    tijden: dict[tuple[str, str], list[float]] = defaultdict(list)
    with httpx.Client() as met, httpx.Client() as zonder:
        clients = {"met": (met, basis_met), "zonder": (zonder, basis_zonder)}
        for i in range(keer + 10):
            for soort in rnd.sample(["met", "zonder"], 2):
                client, basis = clients[soort]
                body = {"wijk": "09", "leeftijdsgroep": "45_64", "instroomroute": "huisarts",
                        "gesprek": {"datum": "2026-03-02", "locatie": "wijkgebouw",
                                    "vraagtypen": ["geldzorgen", "administratie"],
                                    "afhandeling": "zelf_opgepakt"}}  # fmt: skip
                begin = time.perf_counter()
                r = client.post(basis + "/api/v1/trajecten", json=body, headers=headers)
                eerste = (time.perf_counter() - begin) * 1000
                assert r.status_code == 201, r.text
                code = r.json()["code"]
                begin = time.perf_counter()
                r = client.post(basis + f"/api/v1/trajecten/{code}/gesprekken",
                                json=body["gesprek"] | {"datum": "2026-03-09"},
                                headers=headers)  # fmt: skip
                vervolg = (time.perf_counter() - begin) * 1000
                assert r.status_code == 201, r.text
                if i >= 10:  # the first ones warm up connections and caches
                    tijden[(soort, "eerste")].append(eerste)
                    tijden[(soort, "vervolg")].append(vervolg)
    return tijden


def bench_een(url: str, gesprekken: int, keer: int, alleen_tellingen: bool) -> dict[str, Any]:
    upgrade(url)
    engine = make_engine(url)
    begin = time.monotonic()
    vul_demo(engine, laad_gebiedsindeling(), laad_codelijsten(), gesprekken, JAAR, seed=42)
    laadtijd = time.monotonic() - begin
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as c:
            c.execute(text("ANALYZE"))
    indeling = laad_gebiedsindeling()
    with new_session(engine) as session:
        _, kwartier = maak_account(session, "bench-kwartier", "kwartiermaker", [], indeling.codes)
    with new_session(engine) as session:
        _, werker = maak_account(session, "bench-werker", "preventiewerker", ["09"],
                                 indeling.codes)  # fmt: skip
    with new_session(engine) as session:
        _, rapportage = maak_account(session, "bench-rapportage", "rapportage", [], indeling.codes)
    with engine.connect() as c:
        tellingrijen = c.execute(text("SELECT COUNT(*) FROM analyse_telling")).scalar()
    uit: dict[str, Any] = {"laadtijd": laadtijd, "tellingrijen": tellingrijen}
    uit["opslag"] = meet_opslag(engine)
    kop = {"Authorization": f"Bearer {kwartier}"}
    uit |= bench_tellingen(url, engine, kop, keer, {"Authorization": f"Bearer {rapportage}"})
    if not alleen_tellingen:
        uit |= bench_analyse(url, engine, kop, werker, keer)
    engine.dispose()
    return uit


def bench_tellingen(
    url: str,
    engine: sqlalchemy.Engine,
    kop: dict[str, str],
    keer: int,
    rapportage: dict[str, str],
) -> dict[str, Any]:
    """Issue 14: each table on the service, plain SQL and DuckDB (bench/tellingen.py)."""
    ref_engine = create_engine(url)
    duck, duck_laadtijd = laad_duckdb(ref_engine)
    with server(url) as basis, httpx.Client(base_url=basis, headers=kop, timeout=600) as client:
        functies: dict[str, Callable[[], Any]] = {
            "service": lambda: client.get(f"/api/v1/jaaranalyses/{JAAR}").raise_for_status(),
            "sql": lambda: referentie(ref_engine),
            "duckdb": lambda: referentie_duckdb(duck),
        }
        eerste = {naam: warm_op(functie) for naam, functie in functies.items()}
        controleer(eerste["service"][0].json(), eerste["sql"][0])
        for naam, sql_rijen in eerste["sql"][0].items():
            vergelijk(f"jaaranalyse, {naam}", sql=rijen(sql_rijen),
                      duckdb=rijen(eerste["duckdb"][0][naam]))  # fmt: skip
        jaaranalyse = Meting(
            f"GET /jaaranalyses/{JAAR} (SQL and DuckDB: the naive reference)",
            *(herhaal(f, keer, eerste[n][1]) for n, f in functies.items()),
        )
        jaaranalyse.rapportage = herhaal(
            lambda: client.get(f"/api/v1/jaaranalyses/{JAAR}", headers=rapportage)
            .raise_for_status(), keer, 1.0)  # fmt: skip
        metingen = [jaaranalyse, *meet_tellingen(client, ref_engine, duck, keer, rapportage)]
    duck.close()
    ref_engine.dispose()
    # The machine is shared: say how busy it was while the tables were timed.
    belasting = os.getloadavg()[1]
    return {"tellingen_issue14": metingen, "duckdb_laadtijd": duck_laadtijd, "belasting": belasting}


def bench_analyse(
    url: str, engine: sqlalchemy.Engine, kop: dict[str, str], werker: str, keer: int
) -> dict[str, Any]:
    """The jaaranalyse against the naive reference, and the registration with and without hook."""
    uit: dict[str, Any] = {}
    with server(url) as basis, httpx.Client(base_url=basis, headers=kop, timeout=120) as client:
        antwoord = client.get(f"/api/v1/jaaranalyses/{JAAR}").json()
        uit["jaaranalyse"] = meet(lambda: client.get(f"/api/v1/jaaranalyses/{JAAR}")
                                  .raise_for_status(), keer * 3)  # fmt: skip
        uit["tellingen"] = meet(lambda: client.get("/api/v1/tellingen", params=TELLING)
                                .raise_for_status(), max(3, keer // 2))  # fmt: skip
        uit["tellingen_csv"] = meet(lambda: client.get("/api/v1/tellingen", params=TELLING,
            headers={"Accept": "text/csv"}).raise_for_status(), max(3, keer // 2))  # fmt: skip
    ref_engine = create_engine(url)
    ref = referentie(ref_engine)
    controleer(antwoord, ref)
    uit["referentie"] = meet(lambda: referentie(ref_engine), max(3, keer // 3))
    telling_sql = text(
        "SELECT t.wijk, v.vraagtype, COUNT(*) FROM gesprek g JOIN traject t ON t.id = "
        "g.traject_id JOIN gesprek_vraagtype v ON v.gesprek_id = g.id WHERE g.datum BETWEEN "
        ":van AND :tot GROUP BY 1, 2"
    )
    from datetime import date

    tparams = {"van": date(JAAR, 1, 1), "tot": date(JAAR, 12, 31)}
    if engine.dialect.name == "sqlite":
        tparams = {k: v.isoformat() for k, v in tparams.items()}

    def tel_ref() -> None:
        with ref_engine.connect() as c:
            c.execute(telling_sql, tparams).all()

    uit["tellingen_referentie"] = meet(tel_ref, max(3, keer // 3))
    ref_engine.dispose()
    with server(url) as met, server(url, zonder_onderhoud=True) as zonder:
        uit["registratie"] = registraties(met, zonder, {"Authorization": f"Bearer {werker}"},
                                          keer * 20)  # fmt: skip
    return uit


def ms(tijden: list[float]) -> str:
    return f"{statistics.median(tijden):.1f}"


def p95(tijden: list[float]) -> str:
    return f"{sorted(tijden)[int(len(tijden) * 0.95) - 1]:.1f}"


def keer_sneller(traag: list[float], snel: list[float]) -> str:
    return f"{statistics.median(traag) / statistics.median(snel):.0f}x"


def met_zonder(tijden: dict[tuple[str, str], list[float]], soort: str) -> str:
    met, zonder = tijden[("met", soort)], tijden[("zonder", soort)]
    extra = statistics.median(met) / statistics.median(zonder) * 100 - 100
    return f"{ms(met)} / {ms(zonder)} ({extra:+.0f}%)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groottes", default="100000,1000000")
    parser.add_argument("--tien-miljoen", action="store_true", help="ook 10.000.000 gesprekken")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--keer", type=int, default=10, help="herhalingen per meting")
    parser.add_argument(
        "--alleen-tellingen",
        action="store_true",
        help="alleen de tellingen van issue 14 en de bytes per gesprek",
    )
    args = parser.parse_args()
    groottes = [int(g) for g in args.groottes.split(",")]
    if args.tien_miljoen:
        groottes.append(10_000_000)
    versie = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=ROOT).stdout.strip() or "?"  # fmt: skip
    if subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                      capture_output=True, text=True, cwd=ROOT).stdout.strip():  # fmt: skip
        versie += " with uncommitted changes"
    machine = [
        f"Code: {versie}",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 2**30} GiB; "
        f"{platform.platform()}",
        f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}, "
        f"SQLAlchemy {sqlalchemy.__version__}, DuckDB {duckdb.__version__}, "
        + subprocess.run(
            [str(_bindir() / "postgres"), "--version"], capture_output=True, text=True
        ).stdout.strip(),
    ]
    regels = [
        *machine,
        "",
        "| database | gesprekken | laden (s) | jaaranalyse median / p95 (ms) | naïeve referentie "
        "median (ms) | versnelling | tellingen JSON / CSV median (ms) | tellingen referentie-SQL "
        "(ms) | eerste gesprek met / zonder hook (ms) | vervolggesprek met / zonder hook (ms) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    populaties: list[list[str]] = []
    for database in args.databases.split(","):
        for grootte in groottes:
            print(f"{database}, {grootte} gesprekken ...", flush=True, file=sys.stderr)
            if database == "sqlite":
                map_ = Path(tempfile.mkdtemp(prefix="wijkcontact-bench-"))
                context = contextmanager(lambda m=map_: iter([f"sqlite:///{m / 'bench.db'}"]))()
            else:
                context = postgres()
            with context as url:
                r = bench_een(url, grootte, args.keer, args.alleen_tellingen)
            if database == "sqlite":
                shutil.rmtree(map_, ignore_errors=True)
            populaties.append(markdown_populatie(database, grootte, r["duckdb_laadtijd"],
                              r["tellingen_issue14"], r["opslag"], r["belasting"],
                              r["laadtijd"]))  # fmt: skip
            print("\n".join(populaties[-1]), flush=True, file=sys.stderr)
            # After every population, so that a long run's finished part is kept.
            schrijf_resultaten(ROOT / "bench" / "RESULTS.md", markdown(machine, populaties))
            if args.alleen_tellingen:
                continue
            reg = r["registratie"]
            regels.append(
                f"| {database} | {grootte:,} | {r['laadtijd']:.0f} | {ms(r['jaaranalyse'])} / "
                f"{p95(r['jaaranalyse'])} | {ms(r['referentie'])} | "
                f"{keer_sneller(r['referentie'], r['jaaranalyse'])} | "
                f"{ms(r['tellingen'])} / {ms(r['tellingen_csv'])} | "
                f"{ms(r['tellingen_referentie'])} | "
                f"{met_zonder(reg, 'eerste')} | {met_zonder(reg, 'vervolg')} |"
            )
            print(regels[-1], flush=True, file=sys.stderr)
    if not args.alleen_tellingen:
        tekst = "\n".join(regels) + "\n"
        print(tekst)
        (ROOT / "bench" / "RESULTS-latest.md").write_text(tekst, encoding="utf-8")


if __name__ == "__main__":
    main()
