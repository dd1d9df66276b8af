"""Bulk loading (app.kern.bulk): COPY on PostgreSQL, executemany on SQLite, same rows back."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Connection, Table, delete, select

from app.analyse.demo import demo_accounts
from app.kern.bulk import laden, voeg_in
from app.kern.db import new_session, tabel_van
from app.trajecten.models import Gesprek, Overdracht, Traject

traject, gesprek, overdracht = tabel_van(Traject), tabel_van(Gesprek), tabel_van(Overdracht)


def _rij(tabel: Table, waarden: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(tabel.c.keys(), waarden, strict=True))


def _overdrachten(verbinding: Connection) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in verbinding.execute(select(overdracht).order_by(overdracht.c.doel))]


def test_rows_loaded_in_bulk_read_back_as_an_ordinary_insert_stores_them(app: FastAPI) -> None:
    engine = app.state.context.engine
    with new_session(engine) as session:
        account = next(iter(demo_accounts(session, app.state.context.indeling).values()))
    t1, t2, g1 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    om = datetime(2025, 3, 14, 10, 30, 15, 123456, tzinfo=UTC)
    trajecten = [
        (
            t1,
            "AAAAAA",
            "01",
            "65_79",
            "via_netwerk",
            "overgedragen",
            account,
            bytes(range(16)),
            om,
            om,
        ),
        (t2, "BBBBBB", "02", "18_26", "zelf", "open", account, b"h" * 16, om, None),
    ]
    gesprekken = [(g1, t1, 1, date(2025, 3, 14), "wijkgebouw", "warme_overdracht", account,
                   b"h" * 16, om)]  # fmt: skip
    overdrachten = [(t1, g1, "ggz", True, "aangemeld", om, om),
                    (t2, None, "schuldhulp", False, "niet_gelukt", om, om)]  # fmt: skip
    with engine.connect() as verbinding, laden(verbinding):
        voeg_in(verbinding, traject, trajecten)
        voeg_in(verbinding, gesprek, gesprekken)
        # Columns named in another order than the table's.
        voeg_in(verbinding, overdracht, [(o[2], *o[:2], *o[3:]) for o in overdrachten],
                ["doel", "traject_id", "gesprek_id", "warm", "status", "vastgelegd_op",
                 "bijgewerkt_op"])  # fmt: skip
        voeg_in(verbinding, gesprek, [])
        verbinding.commit()
        gelezen_t = [tuple(r) for r in verbinding.execute(select(traject).order_by(traject.c.code))]
        gelezen_g = [tuple(r) for r in verbinding.execute(select(gesprek))]
        gelezen_o = _overdrachten(verbinding)
        # The same rows through SQLAlchemy's INSERT read back the same, whatever each
        # database makes of the types (SQLite keeps a timestamp without its zone).
        verbinding.execute(delete(traject))
        verbinding.execute(traject.insert(), [_rij(traject, t) for t in trajecten])
        verbinding.execute(gesprek.insert(), [_rij(gesprek, g) for g in gesprekken])
        verbinding.execute(overdracht.insert(), [_rij(overdracht, o) for o in overdrachten])
        assert gelezen_t == [
            tuple(r) for r in verbinding.execute(select(traject).order_by(traject.c.code))
        ]
        assert gelezen_g == [tuple(r) for r in verbinding.execute(select(gesprek))]
        assert gelezen_o == _overdrachten(verbinding)
        verbinding.rollback()
    assert [r[:8] for r in gelezen_t] == [t[:8] for t in trajecten]
    assert [r[9] is None for r in gelezen_t] == [False, True]
    assert [r[:8] for r in gelezen_g] == [g[:8] for g in gesprekken]
    assert [r[:5] for r in gelezen_o] == [o[:5] for o in overdrachten]
    assert {r[8].replace(tzinfo=UTC) for r in gelezen_t + gelezen_g} == {om}


def test_rows_of_an_unfinished_transaction_are_not_kept(app: FastAPI) -> None:
    engine = app.state.context.engine
    with new_session(engine) as session:
        account = next(iter(demo_accounts(session, app.state.context.indeling).values()))
    om = datetime(2025, 3, 14, 9, tzinfo=UTC)
    with engine.connect() as verbinding:
        voeg_in(verbinding, traject, [(uuid.uuid4(), "CCCCCC", "01", "65_79", "zelf", "open",
                                       account, b"h" * 16, om, None)])  # fmt: skip
        verbinding.rollback()
    with new_session(engine) as session:
        assert session.execute(select(traject)).all() == []


def test_loading_leaves_the_connection_as_it_found_it(app: FastAPI) -> None:
    # SQLite's larger page cache is for the load only; on PostgreSQL there is nothing to undo.
    with app.state.context.engine.connect() as verbinding:
        if verbinding.dialect.name != "sqlite":
            return
        voor = verbinding.exec_driver_sql("PRAGMA cache_size").scalar_one()
        with laden(verbinding):
            assert verbinding.exec_driver_sql("PRAGMA cache_size").scalar_one() != voor
        assert verbinding.exec_driver_sql("PRAGMA cache_size").scalar_one() == voor
