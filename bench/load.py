"""Load benchmark: 100 simulated preventiewerkers against the service and a bare baseline.

    make bench-load                       # 30 s per run, SQLite and PostgreSQL
    .venv/bin/python -m bench.load --seconds 60 --clients 100 --workers 2

For each database it starts `wijkcontact serve --workers N` (as production does) and the bare
baseline (bench/baseline.py under uvicorn with the same workers), then lets every simulated
preventiewerker, each with an account and token of its own, register a first contact and four
follow-ups, over and over, for a fixed time. It reports throughput and p50/p95/p99 latency and
writes bench/RESULTS-load.md. PostgreSQL is a throwaway server with durable settings (fsync on),
unlike the test suite's.
"""

import argparse
import asyncio
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

import aiohttp

from app.db import make_engine, new_session
from app.gebieden.indeling import laad_gebiedsindeling
from app.migrate import upgrade
from app.toegang.tokens import maak_account
from tests.dienst import Dienst
from tests.postgres import PostgresServer, free_port

ROOT = Path(__file__).resolve().parent.parent
DATUM = date.today().replace(day=1).isoformat()


def eerste(wijk: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "wijk": wijk,
        "leeftijdsgroep": "65_79",
        "instroomroute": "via_netwerk",
        "gesprek": {
            "id": str(uuid.uuid4()),
            "datum": DATUM,
            "locatie": "wijkgebouw",
            "vraagtypen": ["eenzaamheid", "geldzorgen"],
            "afhandeling": "zelf_opgepakt",
        },
    }


def vervolg() -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "datum": DATUM,
        "locatie": "huisbezoek",
        "vraagtypen": ["geldzorgen"],
        "afhandeling": "zelf_opgepakt",
    }


@dataclass
class Meting:
    latencies: list[float] = field(default_factory=list)
    fouten: dict[str, int] = field(default_factory=dict)
    seconden: float = 0.0

    def fout(self, soort: str) -> None:
        self.fouten[soort] = self.fouten.get(soort, 0) + 1

    def kwantiel(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0

    @property
    def doorvoer(self) -> float:
        return len(self.latencies) / self.seconden if self.seconden else 0.0


async def preventiewerker(
    session: aiohttp.ClientSession,
    url: str,
    token: str,
    wijk: str,
    tot: float,
    meet_vanaf: float,
    meting: Meting,
) -> None:
    headers = {"Authorization": f"Bearer {token}"}

    async def post(path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        started = time.perf_counter()
        try:
            async with session.post(url + path, json=body, headers=headers) as response:
                payload = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as fout:
            meting.fout(type(fout).__name__)
            return None
        if started >= meet_vanaf:
            if status == 201:
                meting.latencies.append(time.perf_counter() - started)
            else:
                meting.fout(str(status))
        return payload if status == 201 else None

    while time.perf_counter() < tot:
        traject = await post("/api/v1/trajecten", eerste(wijk))
        if traject is None:
            await asyncio.sleep(0.05)
            continue
        for _ in range(4):
            if time.perf_counter() >= tot:
                break
            if await post(f"/api/v1/trajecten/{traject['code']}/gesprekken", vervolg()) is None:
                break


async def belast(url: str, tokens: list[str], wijken: list[str], seconden: float) -> Meting:
    meting = Meting()
    connector = aiohttp.TCPConnector(limit=len(tokens), force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        opwarmen = min(3.0, seconden / 5)
        start = time.perf_counter()
        meet_vanaf, tot = start + opwarmen, start + opwarmen + seconden
        await asyncio.gather(
            *(
                preventiewerker(
                    session, url, token, wijken[i % len(wijken)], tot, meet_vanaf, meting
                )
                for i, token in enumerate(tokens)
            )
        )
        meting.seconden = time.perf_counter() - meet_vanaf
    return meting


def accounts(database_url: str, aantal: int) -> tuple[list[str], list[str]]:
    indeling = laad_gebiedsindeling(None)
    engine = make_engine(database_url)
    tokens, wijken = [], []
    with new_session(engine) as session:
        for i in range(aantal):
            wijk = indeling.codes[i % len(indeling.codes)]
            _, token = maak_account(
                session, f"werker{i}", "preventiewerker", [wijk], indeling.codes
            )
            tokens.append(token)
            wijken.append(wijk)
    engine.dispose()
    return tokens, wijken


class Baseline:
    def __init__(self, database_url: str, workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bench.baseline:app", "--port", str(self.port),
             "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
            env={**os.environ, "WIJKCONTACT_DATABASE_URL": database_url},
            cwd=ROOT, start_new_session=True,
        )  # fmt: skip
        import httpx

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health/live", timeout=1).status_code == 200:
                    time.sleep(0.5)
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("baseline kwam niet op")

    def stop(self) -> None:
        os.killpg(self.process.pid, 15)
        self.process.wait(timeout=15)


def leeg(database_url: str) -> None:
    """Remove the registrations of the previous run, keep the accounts."""
    from sqlalchemy import text

    engine = make_engine(database_url)
    with engine.begin() as connection:
        for tabel in ("overdracht", "gesprek_vraagtype", "gesprek", "traject"):
            connection.execute(text(f"DELETE FROM {tabel}"))
    engine.dispose()


def meet(database_url: str, args: argparse.Namespace) -> dict[str, Meting]:
    upgrade(database_url)
    tokens, wijken = accounts(database_url, args.clients)
    uitslag: dict[str, Meting] = {}
    env = {"WIJKCONTACT_POOL_SIZE": str(args.pool), "WIJKCONTACT_POOL_OVERFLOW": "0"}
    with Dienst(database_url, workers=args.workers, env=env) as dienst:
        print(f"  dienst ({args.workers} workers) ...", flush=True)
        uitslag["dienst"] = asyncio.run(belast(dienst.url, tokens, wijken, args.seconds))
    leeg(database_url)
    baseline = Baseline(database_url, args.workers)
    try:
        print(f"  baseline ({args.workers} workers) ...", flush=True)
        uitslag["baseline"] = asyncio.run(belast(baseline.url, tokens, wijken, args.seconds))
    finally:
        baseline.stop()
    return uitslag


def versies() -> str:
    pakketten = ["fastapi", "starlette", "uvicorn", "sqlalchemy", "psycopg", "pydantic", "aiohttp"]
    pg = subprocess.run(
        [str(PostgresServer.bindir_static() / "postgres"), "--version"],
        capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    import sqlite3

    regels = [f"Python {platform.python_version()}", f"SQLite {sqlite3.sqlite_version}", pg]
    regels += [f"{p} {metadata.version(p)}" for p in pakketten]
    return ", ".join(regels)


def machine() -> str:
    cpu = "onbekend"
    try:
        for regel in Path("/proc/cpuinfo").read_text().splitlines():
            if regel.startswith("model name"):
                cpu = regel.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    geheugen = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {geheugen:.0f} GiB, {platform.platform()}"


def rapport(uitslagen: dict[str, dict[str, Meting]], args: argparse.Namespace) -> str:
    regels = [
        "# Load benchmark: registrations under 100 concurrent preventiewerkers",
        "",
        f"Run: `make bench-load` on {date.today().isoformat()}; {args.clients} simulated "
        f"preventiewerkers (each its own account and token), {args.seconds:.0f} s measured after a "
        f"warm-up, uvicorn with {args.workers} workers, PostgreSQL pool {args.pool} per worker. "
        "Each client registers a first contact and four follow-ups, again and again, "
        "waiting for each answer (closed loop). Latency is per request, as the client sees it.",
        "",
        f"- Machine: {machine()}. The load client runs on the same machine and competes for the "
        "same cores as the server and the database.",
        f"- Versions: {versies()}.",
        "- PostgreSQL: a local throwaway server with durable settings (fsync, synchronous_commit "
        "on). SQLite: WAL, synchronous=NORMAL, BEGIN IMMEDIATE.",
        "",
        "| database | server | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for database, uitslag in uitslagen.items():
        for server, m in uitslag.items():
            fouten = ", ".join(f"{k}: {v}" for k, v in sorted(m.fouten.items())) or "none"
            maximum = max(m.latencies) * 1000 if m.latencies else 0
            regels.append(
                f"| {database} | {server} | {m.doorvoer:.0f} | {m.kwantiel(0.5):.1f} | "
                f"{m.kwantiel(0.95):.1f} | {m.kwantiel(0.99):.1f} | {maximum:.0f} | {fouten} |"
            )
    regels += [
        "",
        "| database | throughput vs baseline (target >= 50%) "
        "| p99 (target < 100 ms on PostgreSQL) |",
        "|---|---:|---|",
    ]
    for database, uitslag in uitslagen.items():
        d, b = uitslag["dienst"], uitslag["baseline"]
        ratio = d.doorvoer / b.doorvoer * 100 if b.doorvoer else 0
        p99 = d.kwantiel(0.99)
        doel = ("met" if p99 < 100 else "missed") if database == "postgresql" else "(no target)"
        gehaald = "met" if ratio >= 50 else "missed"
        regels.append(f"| {database} | {ratio:.0f}% ({gehaald}) | {p99:.1f} ms {doel} |")
    return "\n".join(regels) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pool", type=int, default=10, help="PostgreSQL connections per worker")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS-load.md")
    args = parser.parse_args()

    uitslagen: dict[str, dict[str, Meting]] = {}
    if args.only in (None, "sqlite"):
        tmp = Path(tempfile.mkdtemp(prefix="wijkcontact-bench-"))
        try:
            print("SQLite", flush=True)
            uitslagen["sqlite"] = meet(f"sqlite:///{tmp / 'bench.db'}", args)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.only in (None, "postgresql"):
        server = PostgresServer()
        server.start(durable=True)
        try:
            print("PostgreSQL", flush=True)
            from tests.conftest import create_database

            uitslagen["postgresql"] = meet(create_database(server.url, "bench"), args)
        finally:
            server.remove()
    tekst = rapport(uitslagen, args)
    print(tekst)
    args.output.write_text(tekst, encoding="utf-8")
    print(f"geschreven: {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
