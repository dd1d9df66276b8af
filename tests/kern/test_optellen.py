"""Counter rows added in one statement (app.kern.optellen), on both databases."""

from fastapi import FastAPI
from sqlalchemy import select

from app.analyse.onderhoud import TEL_OP, telling
from app.kern.db import new_session
from app.kern.optellen import tel_op


def _tellers(app: FastAPI) -> dict[tuple[object, ...], int]:
    with new_session(app.state.context.engine) as session:
        return {tuple(rij[:5]): rij[5] for rij in session.execute(select(telling)).all()}


def test_rows_are_added_to_their_counters_and_new_keys_inserted(app: FastAPI) -> None:
    engine = app.state.context.engine
    with new_session(engine) as session:
        tel_op(session, TEL_OP, [(2025, "01", "vraagtype", "geldzorgen", 3, 2),
                                 (2025, "01", "locatie", "huisbezoek", 3, 1)])  # fmt: skip
        session.commit()
    with new_session(engine) as session:
        tel_op(session, TEL_OP, [(2025, "01", "vraagtype", "geldzorgen", 3, -1),
                                 (2026, "02", "vraagtype", "geldzorgen", 3, 5),
                                 (2025, "01", "locatie", "huisbezoek", 4, 1)])  # fmt: skip
        # Nothing to add: no statement, no error.
        tel_op(session, TEL_OP, [])
        session.commit()
    assert _tellers(app) == {
        (2025, "01", "vraagtype", "geldzorgen", 3): 1,
        (2025, "01", "locatie", "huisbezoek", 3): 1,
        (2025, "01", "locatie", "huisbezoek", 4): 1,
        (2026, "02", "vraagtype", "geldzorgen", 3): 5,
    }


def test_a_rollback_takes_the_additions_back(app: FastAPI) -> None:
    engine = app.state.context.engine
    with new_session(engine) as session:
        tel_op(session, TEL_OP, [(2025, "01", "trajecten", "", 0, 7)])
        session.rollback()
    assert _tellers(app) == {}


def test_codes_with_quotes_and_non_ascii_arrive_as_written(app: FastAPI) -> None:
    # The values travel as JSON text: what the database unpacks must be exactly the string.
    vreemd = "ë\"\\'ß"
    with new_session(app.state.context.engine) as session:
        tel_op(session, TEL_OP, [(2025, "01", "vraagtype", vreemd, 0, 1)])
        session.commit()
    assert _tellers(app) == {(2025, "01", "vraagtype", vreemd, 0): 1}
