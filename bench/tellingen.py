"""Tellingen (issue 14): the service against plain SQL and DuckDB on the same facts.

For every table of the issue, on one loaded population: (a) `GET /api/v1/tellingen` over HTTP,
(b) one hand-written GROUP BY over the raw tables in the same database, (c) the same GROUP BY in
an in-memory DuckDB loaded once with the same facts. The three must give exactly the same rows
before anything is timed. Also the bytes each gesprek costs on disk, indexes included. Called by
bench/run.py, which loads the population and starts the service.
"""

import csv
import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import httpx
import sqlalchemy
from sqlalchemy import text

JAAR = 2025
JAAR_VAN, JAAR_TOT = date(JAAR, 1, 1), date(JAAR, 12, 31)
JUNI_VAN, JUNI_TOT = date(JAAR, 6, 1), date(JAAR, 6, 30)
DOEL_MS = 100.0
DOEL_BYTES = 300
DOEL_DEMO_S = 60.0  # for a million gesprekken
# Seconds one measurement may take: a call slower than this is timed fewer times (at least
# once after the warm-up), so that a slow engine at 1M does not take an hour per table.
BUDGET_S = 20.0


@dataclass(frozen=True)
class Tabel:
    dimensies: tuple[str, ...]
    meting: str
    van: date = JAAR_VAN
    tot: date = JAAR_TOT

    @property
    def naam(self) -> str:
        if (self.van, self.tot) == (JAAR_VAN, JAAR_TOT):
            periode = str(JAAR)
        elif (self.van, self.tot) == (JUNI_VAN, JUNI_TOT):
            periode = f"juni {JAAR}"
        else:
            periode = f"{self.van}..{self.tot}"
        return f"{' x '.join(self.dimensies)} ({self.meting}), {periode}"


# The tables issue 14 measured, then a one-month window and a three-code table without wijk/maand.
TABELLEN = [
    Tabel(("wijk", "vraagtype"), "gesprekken"),
    Tabel(("wijk", "maand"), "gesprekken"),
    Tabel(("wijk", "maand", "vraagtype"), "gesprekken"),
    Tabel(("leeftijdsgroep", "instroomroute"), "trajecten"),
    Tabel(("wijk", "vraagtype"), "trajecten"),
    Tabel(("maand", "leeftijdsgroep", "vraagtype"), "trajecten"),
    Tabel(("wijk", "vraagtype"), "gesprekken", JUNI_VAN, JUNI_TOT),
    Tabel(("maand", "leeftijdsgroep", "vraagtype"), "gesprekken", JUNI_VAN, JUNI_TOT),
    Tabel(("wijk", "vraagtype"), "trajecten", JUNI_VAN, JUNI_TOT),
    Tabel(("maand", "leeftijdsgroep", "vraagtype"), "trajecten", JUNI_VAN, JUNI_TOT),
    Tabel(("leeftijdsgroep", "locatie", "vraagtype"), "trajecten"),
]

KOLOM = {
    "wijk": "t.wijk",
    "vraagtype": "v.vraagtype",
    "leeftijdsgroep": "t.leeftijdsgroep",
    "locatie": "g.locatie",
    "instroomroute": "t.instroomroute",
    "afhandeling": "g.afhandeling",
    "overdrachtdoel": "o.doel",
}
PER_GESPREK = {"vraagtype", "locatie", "afhandeling"}


def maand_sql(dialect: str, kolom: str) -> str:
    return {
        "postgresql": f"to_char({kolom}, 'YYYY-MM')",
        "sqlite": f"strftime('%Y-%m', {kolom})",
        "duckdb": f"strftime({kolom}, '%Y-%m')",
    }[dialect]


def telling_sql(tabel: Tabel, dialect: str) -> str:
    """One GROUP BY over the raw tables, written for this benchmark from DESIGN.md's rules.

    A traject counts on the day of its first gesprek: in PostgreSQL and SQLite that is gesprek 1
    (a follow-up is never dated before the previous one); DuckDB was loaded with that day as a
    column of traject, the way an analyst would prepare the facts. Per traject, a vraagtype (or
    locatie, afhandeling) in two of its gesprekken counts once.
    """
    dimensies = tabel.dimensies
    per_traject = tabel.meting == "trajecten"
    met_gesprek = not per_traject or bool(PER_GESPREK & set(dimensies))
    if per_traject:
        if dialect == "duckdb":
            bron, dag = "traject t", "t.begindatum"
        else:
            bron = "traject t JOIN gesprek e ON e.traject_id = t.id AND e.volgnummer = 1"
            dag = "e.datum"
        if met_gesprek:
            bron += " JOIN gesprek g ON g.traject_id = t.id"
    else:
        bron, dag = "gesprek g JOIN traject t ON t.id = g.traject_id", "g.datum"
    if "vraagtype" in dimensies:
        bron += " JOIN gesprek_vraagtype v ON v.gesprek_id = g.id"
    if "overdrachtdoel" in dimensies:
        bron += " LEFT JOIN overdracht o ON o.traject_id = t.id"
    kolommen = [maand_sql(dialect, dag) if d == "maand" else KOLOM[d] for d in dimensies]
    aantal = "COUNT(DISTINCT t.id)" if per_traject and met_gesprek else "COUNT(*)"
    sql = f"SELECT {', '.join([*kolommen, aantal])} FROM {bron} WHERE {dag} BETWEEN :van AND :tot"
    if dimensies:
        sql += " GROUP BY " + ", ".join(str(i + 1) for i in range(len(dimensies)))
    return sql


def als_duckdb(sql: str) -> str:
    """DuckDB's named parameters are `$naam`, not `:naam`."""
    for naam in ("vvan", "vtot", "van", "tot"):
        sql = sql.replace(f":{naam}", f"${naam}")
    return sql


def sql_parameters(dialect: str, **datums: date) -> dict[str, Any]:
    # SQLite stores dates as ISO text; the others take date objects.
    if dialect == "sqlite":
        return {k: v.isoformat() for k, v in datums.items()}
    return dict(datums)


@dataclass
class Meting:
    """The times of one table on the three engines, in milliseconds."""

    naam: str
    service: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    duckdb: list[float] = field(default_factory=list)
    # The same question as the rapportage role: every cell of the grid, protected (app/publicatie).
    rapportage: list[float] = field(default_factory=list)


def warm_op(functie: Callable[[], Any]) -> tuple[Any, float]:
    """The first call, also the warm-up: its answer, to check before timing, and its seconds."""
    begin = time.perf_counter()
    antwoord = functie()
    return antwoord, time.perf_counter() - begin


def herhaal(functie: Callable[[], Any], keer: int, eerste_s: float) -> list[float]:
    """Up to `keer` timed calls in ms, fewer when they would take more than BUDGET_S together."""
    uit = []
    for _ in range(max(1, min(keer, int(BUDGET_S / max(eerste_s, 1e-6))))):
        begin = time.perf_counter()
        functie()
        uit.append((time.perf_counter() - begin) * 1000)
    return uit


def rijen(uitkomst: Any) -> Counter[tuple[Any, ...]]:
    """Rows as a multiset of (values..., count): order does not matter, counts do."""
    return Counter(tuple(r) for r in uitkomst)


def vergelijk(naam: str, **uitkomsten: Counter[tuple[Any, ...]]) -> None:
    """Fails loudly, naming the engines and a few differing rows, if any two disagree."""
    (eerste, verwacht), *rest = uitkomsten.items()
    for ander, gekregen in rest:
        if gekregen != verwacht:
            alleen_eerste = list((verwacht - gekregen).items())[:5]
            alleen_ander = list((gekregen - verwacht).items())[:5]
            raise AssertionError(
                f"{naam}: {eerste} en {ander} verschillen; alleen {eerste}: {alleen_eerste}; "
                f"alleen {ander}: {alleen_ander}"
            )


# The facts DuckDB gets: the columns the tables and the reference queries read, nothing more.
FEITEN = {
    "traject": (
        "SELECT t.id, t.wijk, t.leeftijdsgroep, t.instroomroute, t.status, e.datum AS begindatum "
        "FROM traject t JOIN gesprek e ON e.traject_id = t.id AND e.volgnummer = 1",
        "{'id': 'UUID', 'wijk': 'VARCHAR', 'leeftijdsgroep': 'VARCHAR', "
        "'instroomroute': 'VARCHAR', 'status': 'VARCHAR', 'begindatum': 'DATE'}",
    ),
    "gesprek": (
        "SELECT id, traject_id, volgnummer, datum, locatie, afhandeling FROM gesprek",
        "{'id': 'UUID', 'traject_id': 'UUID', 'volgnummer': 'INTEGER', 'datum': 'DATE', "
        "'locatie': 'VARCHAR', 'afhandeling': 'VARCHAR'}",
    ),
    "gesprek_vraagtype": (
        "SELECT gesprek_id, vraagtype FROM gesprek_vraagtype",
        "{'gesprek_id': 'UUID', 'vraagtype': 'VARCHAR'}",
    ),
    "overdracht": (
        # 1/0 on both databases, so the CSV reads the same whichever wrote it.
        "SELECT traject_id, doel, CASE WHEN warm THEN 1 ELSE 0 END AS warm FROM overdracht",
        "{'traject_id': 'UUID', 'doel': 'VARCHAR', 'warm': 'INTEGER'}",
    ),
}


def _als_csv(rij: Any) -> list[Any]:
    # SQLite keeps UUIDs as 16 raw bytes (app.kern.db.Uuid16), PostgreSQL as uuid: both become
    # the text DuckDB reads as UUID.
    return [str(uuid.UUID(bytes=v)) if isinstance(v, bytes) else v for v in rij]


def laad_duckdb(engine: sqlalchemy.Engine) -> tuple[duckdb.DuckDBPyConnection, float]:
    """An in-memory DuckDB with the facts, through CSV files; and the seconds it took."""
    begin = time.monotonic()
    con = duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="wijkcontact-duckdb-") as map_:
        for tabel, (select, kolommen) in FEITEN.items():
            pad = Path(map_) / f"{tabel}.csv"
            with (
                engine.connect().execution_options(stream_results=True, yield_per=50_000) as c,
                pad.open("w", newline="", encoding="utf-8") as bestand,
            ):
                resultaat = c.execute(text(select))
                schrijver = csv.writer(bestand)
                schrijver.writerow(resultaat.keys())
                schrijver.writerows(map(_als_csv, resultaat))
            con.execute(
                f"CREATE TABLE {tabel} AS SELECT * FROM read_csv('{pad}', header = true, "
                f"columns = {kolommen})"
            )
    return con, time.monotonic() - begin


def meet_tellingen(
    client: httpx.Client,
    engine: sqlalchemy.Engine,
    con: duckdb.DuckDBPyConnection,
    keer: int,
    rapportage: dict[str, str] | None = None,
) -> list[Meting]:
    """Every table of TABELLEN on the three engines, checked to agree before it is timed; with
    `rapportage` (its Authorization header) also timed as that role, which cannot be compared
    (its counts are protected)."""
    dialect = engine.dialect.name
    uit = []
    with engine.connect() as verbinding:
        for tabel in TABELLEN:
            vraag = {"van": tabel.van.isoformat(), "tot": tabel.tot.isoformat(),
                     "dimensies": ",".join(tabel.dimensies), "meting": tabel.meting}  # fmt: skip
            sql = text(telling_sql(tabel, dialect))
            params = sql_parameters(dialect, van=tabel.van, tot=tabel.tot)
            sql_duckdb = als_duckdb(telling_sql(tabel, "duckdb"))
            functies: dict[str, Callable[[], Any]] = {
                "service": lambda v=vraag: client.get("/api/v1/tellingen", params=v)
                .raise_for_status(),
                "sql": lambda s=sql, p=params: verbinding.execute(s, p).all(),
                "duckdb": lambda s=sql_duckdb, v=tabel: con.execute(s, {"van": v.van,
                                                                        "tot": v.tot}).fetchall(),
            }  # fmt: skip
            eerste = {naam: warm_op(functie) for naam, functie in functies.items()}
            service = (
                (*(r[d] for d in tabel.dimensies), r["aantal"])
                for r in eerste["service"][0].json()["rijen"]
            )
            vergelijk(tabel.naam, service=rijen(service), sql=rijen(eerste["sql"][0]),
                      duckdb=rijen(eerste["duckdb"][0]))  # fmt: skip
            meting = Meting(
                tabel.naam, *(herhaal(f, keer, eerste[n][1]) for n, f in functies.items())
            )
            if rapportage is not None:
                meting.rapportage = tijden_rapportage(client, rapportage, vraag, keer)
            uit.append(meting)
            verbinding.rollback()  # no long-open transaction between tables (PostgreSQL)
    return uit


@dataclass
class Opslag:
    """Bytes on disk, indexes included, and where they are."""

    totaal: int
    gesprekken: int
    # (table, bytes of the table itself, bytes of its indexes), largest first
    per_tabel: list[tuple[str, int, int]]
    hoe: str


def meet_opslag(engine: sqlalchemy.Engine) -> Opslag:
    with engine.connect() as c:
        gesprekken = c.execute(text("SELECT COUNT(*) FROM gesprek")).scalar_one()
        if engine.dialect.name == "postgresql":
            per = [(naam, int(tabel), int(index)) for naam, tabel, index in c.execute(text(
                "SELECT relname, pg_table_size(relid), pg_indexes_size(relid) "
                "FROM pg_stat_user_tables"))]  # fmt: skip
            totaal = sum(t + i for _, t, i in per)
            hoe = "sum of pg_total_relation_size over the user tables (TOAST and indexes included)"
        else:
            assert engine.url.database
            pad = engine.url.database
            # A connection of its own, outside the engine's explicit transactions: a checkpoint
            # inside a transaction is refused ("database table is locked").
            with closing(sqlite3.connect(pad, isolation_level=None)) as ruw:
                ruw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                totaal = Path(pad).stat().st_size
                try:
                    # dbstat names each b-tree; sqlite_master says which table an index is of.
                    stat = ruw.execute(
                        "SELECT m.tbl_name, m.type, SUM(s.pgsize) FROM dbstat s JOIN "
                        "sqlite_master m ON m.name = s.name GROUP BY 1, 2"
                    ).fetchall()
                except sqlite3.OperationalError:
                    stat = []
            bytes_: dict[str, list[int]] = {}
            for naam, soort, grootte in stat:
                bytes_.setdefault(naam, [0, 0])[0 if soort == "table" else 1] += int(grootte)
            per = [(naam, t, i) for naam, (t, i) in bytes_.items()]
            hoe = "file size after a WAL checkpoint; per table from the dbstat virtual table"
            if not stat:
                hoe = "file size after a WAL checkpoint (this SQLite has no dbstat: no breakdown)"
    per.sort(key=lambda r: -(r[1] + r[2]))
    return Opslag(totaal, gesprekken, per, hoe)


def tijden_rapportage(
    client: httpx.Client, kop: dict[str, str], vraag: dict[str, str], keer: int
) -> list[float]:
    """The rapportage role's times for one question (its own rate limit allows a bench run)."""
    functie = lambda: client.get("/api/v1/tellingen", params=vraag, headers=kop).raise_for_status()  # noqa: E731
    return herhaal(functie, keer, warm_op(functie)[1])


def mediaan(tijden: list[float]) -> float:
    return statistics.median(tijden) if tijden else float("nan")


def markdown_populatie(
    database: str,
    grootte: int,
    laadtijd: float,
    metingen: list[Meting],
    opslag: Opslag,
    belasting: float,
    demo_s: float | None = None,
) -> list[str]:
    """The section of one database and size: the times against the targets, then the bytes."""
    regels = [f"### {database}, {grootte:,} gesprekken", ""]
    if demo_s is not None:
        doel = (
            ""
            if grootte != 1_000_000
            else (
                f" (target < {DOEL_DEMO_S:.0f} s: {'met' if demo_s < DOEL_DEMO_S else 'not met'})"
            )
        )
        regels += [
            f"Loaded by `vul_demo` (what `wijkcontact demo` runs) in {demo_s:.0f} s{doel}.",
            "",
        ]
    regels += [
        f"DuckDB loaded in {laadtijd:.1f} s (streaming SELECT to CSV, then `read_csv`), not "
        f"included in its query times. Load average {belasting:.1f} on {os.cpu_count()} cores.",
        "",
        "| table | service median (ms) | plain SQL median (ms) | DuckDB median (ms) | < 100 ms? "
        "| no slower than DuckDB? | rapportage median (ms) | rapportage < 100 ms? "
        "| timed calls (service / SQL / DuckDB / rapportage) |",
        "|---|---:|---:|---:|---|---|---:|---|---|",
    ]
    for m in metingen:
        service, sql, duck = mediaan(m.service), mediaan(m.sql), mediaan(m.duckdb)
        snel = "met" if service < DOEL_MS else "not met"
        duckdb_doel = "met" if service <= duck else f"not met ({service / duck:.1f}x)"
        rapportage = mediaan(m.rapportage)
        rapportage_doel = "" if not m.rapportage else "met" if rapportage < DOEL_MS else "not met"
        regels.append(
            f"| {m.naam} | {service:.1f} | {sql:.1f} | {duck:.1f} | {snel} | {duckdb_doel} | "
            f"{rapportage:.1f} | {rapportage_doel} | "
            f"{len(m.service)} / {len(m.sql)} / {len(m.duckdb)} / {len(m.rapportage)} |"
        )
    per_gesprek = opslag.totaal / opslag.gesprekken
    doel = "met" if per_gesprek < DOEL_BYTES else "not met"
    regels += [
        "",
        f"Bytes per gesprek: **{per_gesprek:.0f}** (target < {DOEL_BYTES}: {doel}); "
        f"{opslag.totaal / 2**20:.1f} MiB for {opslag.gesprekken:,} gesprekken ({opslag.hoe}).",
    ]
    if opslag.per_tabel:
        regels += [
            "",
            "| table | table (MiB) | indexes (MiB) | bytes per gesprek |",
            "|---|---:|---:|---:|",
        ]
        for naam, tabel, index in opslag.per_tabel:
            if tabel + index >= 64 * 1024:  # the small tables say nothing about bytes per gesprek
                regels.append(
                    f"| {naam} | {tabel / 2**20:.1f} | {index / 2**20:.1f} | "
                    f"{(tabel + index) / opslag.gesprekken:.0f} |"
                )
    return [*regels, ""]


INLEIDING = """\
## Tellingen (issue 14)

Generated by `make bench` (`bench/run.py` with `bench/tellingen.py`); do not edit by hand. For
each database and size, after loading the demo population, every table below is answered by:

- **service**: `GET /api/v1/tellingen` (JSON, as kwartiermaker) over HTTP against the service in
  its own uvicorn process; the jaaranalyse row is `GET /api/v1/jaaranalyses/2025`;
- **rapportage**: the same question as the rapportage role (every cell of the grid, through
  disclosure control), timed only: its counts are protected, so not compared;
- **plain SQL**: one hand-written `GROUP BY` over the raw tables (`traject`, `gesprek`,
  `gesprek_vraagtype`, `overdracht`) in the same database, a traject's day being that of its
  gesprek 1; for the jaaranalyse, the twelve naive reference queries above;
- **DuckDB**: the same SQL in DuckDB's dialect, in memory, loaded once per population with the
  same facts (and each traject's first day as a column of `traject`).

Before timing, the three must give exactly the same rows (the same count for every
combination); the run stops if not. Times are medians of up to `--keer` calls after one warm-up
call (fewer when they would take more than {budget:.0f} s together, see the last column), in
milliseconds. The machine may be shared: the load average given is that of the last five
minutes of the population's timing. Targets: service median under {doel:.0f} ms, and the
service no slower than DuckDB on the same facts in the same run. Bytes per gesprek count every
table and index of the database (target < {bytes_} bytes).
"""


def markdown(machine: list[str], populaties: list[list[str]]) -> str:
    tekst = INLEIDING.format(budget=BUDGET_S, doel=DOEL_MS, bytes_=DOEL_BYTES)
    regels = [tekst, *(f"{r}  " for r in machine), ""]
    for populatie in populaties:
        regels += populatie
    return "\n".join(regels)


def schrijf_resultaten(pad: Path, sectie: str) -> None:
    """Put the section in RESULTS.md in place of an earlier one, or at the end."""
    kop = "## Tellingen (issue 14)"
    tekst = pad.read_text(encoding="utf-8") if pad.exists() else ""
    if kop in tekst:
        voor, na = tekst.split(kop, 1)
        rest = na.find("\n## ")
        tekst = voor + sectie.rstrip("\n") + "\n" + (na[rest:] if rest >= 0 else "")
    else:
        tekst = tekst.rstrip("\n") + "\n\n" + sectie.rstrip("\n") + "\n"
    pad.write_text(tekst, encoding="utf-8")
