"""One INSERT ... ON CONFLICT construct serves both databases (app.kern.db.upsert)."""

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from app.analyse.onderhoud import BEWAAR, TEL_OP


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=lambda d: d.name)
def test_the_summary_upserts_compile_to_on_conflict_on_both_databases(dialect: Dialect) -> None:
    telling = str(TEL_OP.compile(dialect=dialect))
    assert "ON CONFLICT (jaar, wijk, kenmerk, code, deel) DO UPDATE SET aantal = " in telling
    assert "analyse_telling.aantal + excluded.aantal" in telling
    bewaar = str(BEWAAR.compile(dialect=dialect))
    assert "ON CONFLICT (traject_id) DO UPDATE SET" in bewaar
    assert "begindatum = excluded.begindatum" in bewaar
