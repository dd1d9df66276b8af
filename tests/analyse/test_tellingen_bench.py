"""The tellingen benchmark's check: the service, plain SQL and DuckDB count the same rows.

`make bench` refuses to time tables on which the three disagree; this runs that check on a
small demo population, so that neither the service's tellingen nor the benchmark's hand-written
queries drift from the counting rules unnoticed.
"""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from app.analyse.demo import vul_demo
from bench.tellingen import JUNI_TOT, JUNI_VAN, TABELLEN, laad_duckdb, meet_tellingen

# A demo population, DuckDB, and every table three times over.
pytestmark = pytest.mark.slow


def test_service_plain_sql_and_duckdb_give_the_same_tellingen(
    app: FastAPI, kwartiermaker: dict[str, str], database_url: str
) -> None:
    context = app.state.context
    vul_demo(context.engine, context.indeling, context.codelijsten, 400, 2025, seed=3)
    client = TestClient(app, headers=kwartiermaker)
    juni = client.get(
        "/api/v1/tellingen",
        params={"van": JUNI_VAN.isoformat(), "tot": JUNI_TOT.isoformat(),
                "dimensies": "wijk,vraagtype", "meting": "trajecten"},
    ).json()  # fmt: skip
    assert juni["rijen"], "the population must reach into the one-month window"
    engine = create_engine(database_url)
    con, _ = laad_duckdb(engine)
    try:
        metingen = meet_tellingen(client, engine, con, keer=1)  # raises if any two disagree
    finally:
        con.close()
        engine.dispose()
    assert [m.naam for m in metingen] == [t.naam for t in TABELLEN]
