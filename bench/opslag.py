"""Bytes on disk per gesprek, per table and index, on SQLite and PostgreSQL (issue 14).

Fills a fresh database with `wijkcontact demo` and reads the sizes from SQLite's `dbstat` and
PostgreSQL's `pg_relation_size`. Run with `python -m bench.opslag [--gesprekken N]`.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.run import postgres

JAAR = 2025

SQLITE = "SELECT name, sum(pgsize) FROM dbstat GROUP BY name"
# Every table and index of the public schema, TOAST included in its table.
POSTGRES = """
SELECT c.relname, pg_relation_size(c.oid)
    + coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')
"""


def vul(url: str, gesprekken: int) -> None:
    env = {**os.environ, "WIJKCONTACT_DATABASE_URL": url}
    commando = [sys.executable, "-m", "app.cli", "demo", "--gesprekken", str(gesprekken),
                "--jaar", str(JAAR)]  # fmt: skip
    subprocess.run(commando, env=env, check=True, stdout=subprocess.DEVNULL)


def groottes(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("CHECKPOINT"))
            rijen = connection.execute(text(POSTGRES)).all()
        else:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            rijen = connection.execute(text(SQLITE)).all()
    engine.dispose()
    return {naam: int(grootte) for naam, grootte in rijen}


def verslag(naam: str, url: str, gesprekken: int) -> None:
    vul(url, gesprekken)
    maten = groottes(url)
    print(f"\n{naam}, {gesprekken} gesprekken: bytes (bytes per gesprek)")
    for tabel, grootte in sorted(maten.items(), key=lambda x: -x[1]):
        if grootte >= 64 * 1024:
            print(f"  {tabel:48} {grootte:>12,} {grootte / gesprekken:8.1f}")
    totaal = sum(maten.values())
    print(f"  {'totaal':48} {totaal:>12,} {totaal / gesprekken:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gesprekken", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], nargs="*",
                        default=["sqlite", "postgresql"])  # fmt: skip
    args = parser.parse_args()
    if "sqlite" in args.database:
        with tempfile.TemporaryDirectory() as map_:
            verslag("SQLite", f"sqlite:///{Path(map_) / 'opslag.db'}", args.gesprekken)
    if "postgresql" in args.database:
        with postgres() as url:
            verslag("PostgreSQL", url, args.gesprekken)


if __name__ == "__main__":
    main()
