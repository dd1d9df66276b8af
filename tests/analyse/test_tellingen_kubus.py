"""Tellingen from the monthly summaries equal a plain SQL recount, whatever is asked (issue 14).

A population is registered through the API, then corrected and partly withdrawn through the API
(PATCH and DELETE), on both databases. Hypothesis then draws periods, dimension sets and
metingen and compares the service's answer with a count over the raw tables of the same
database: once while every change is still queued, once after the queue was folded into the
sums, and once with half of it folded. Periods that start or end inside a month take their edge
days from the raw tables, so both kinds are drawn.
"""

import random
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.analyse.kubus import KUBUSSEN, kies_kubus
from app.analyse.models import TellingCode, TellingKubus, TellingWachtrij
from app.analyse.schemas import DIMENSIES
from app.analyse.tellingen import _als_maand, _tel_ruw, tel
from app.analyse.wachtrij import vouw
from app.kern.db import new_session
from app.trajecten.models import Gesprek
from tests.analyse.populatie import EERSTE, GEWOON, GISTEREN, LAATSTE, registreer_populatie
from tests.analyse.verwacht import LIJSTEN

K, W, C = (m.__table__ for m in (TellingKubus, TellingWachtrij, TellingCode))  # type: ignore[attr-defined]
G = Gesprek.__table__  # type: ignore[attr-defined]


def _corrigeer(client: TestClient, trajecten: list[dict[str, Any]], seed: int) -> None:
    """Corrections and withdrawals as a preventiewerker makes them; refusals are fine too."""
    rnd = random.Random(seed)
    for traject in rnd.sample(trajecten, len(trajecten) // 2):
        code, n = traject["code"], len(traject["gesprekken"])
        keuze = rnd.random()
        if keuze < 0.15:
            r = client.delete(f"/api/v1/trajecten/{code}", headers=traject["werker"])
        elif keuze < 0.3 and n > 1:  # gesprek 1 is the traject itself: withdrawn as above
            r = client.delete(f"/api/v1/trajecten/{code}/gesprekken/{n}", headers=traject["werker"])
        elif keuze < 0.5:
            r = client.patch(
                f"/api/v1/trajecten/{code}",
                json={"leeftijdsgroep": rnd.choice(LIJSTEN.codes("leeftijdsgroepen")),
                      "instroomroute": rnd.choice(LIJSTEN.codes("instroomroutes"))},
                headers=traject["werker"],
            )  # fmt: skip
        else:
            # The last gesprek, moved within what the order of gesprekken allows: possibly to
            # another month or year, and so its traject too when it has only one.
            gesprekken = traject["gesprekken"]
            vroegst = gesprekken[-2]["datum"] if len(gesprekken) > 1 else EERSTE
            dag = min(vroegst + timedelta(days=rnd.randrange(0, 400)), GISTEREN)
            r = client.patch(
                f"/api/v1/trajecten/{code}/gesprekken/{len(gesprekken)}",
                json={"datum": dag.isoformat(), "locatie": rnd.choice(LIJSTEN.codes("locaties")),
                      "vraagtypen": rnd.sample(LIJSTEN.codes("vraagtypen"), 2)}
                | ({"afhandeling": rnd.choice(GEWOON)}  # a warm handover stays one
                   if gesprekken[-1]["afhandeling"] in GEWOON else {}),
                headers=traject["werker"],
            )  # fmt: skip
        assert r.status_code in (200, 204), r.text


def _verwacht(app: FastAPI, van: date, tot: date, dimensies: list[str], meting: Any) -> Any:
    with new_session(app.state.context.engine) as session:
        rijen = _tel_ruw(session, van, tot, dimensies, meting)
    uit = {}
    for r in rijen:
        sleutel = list(r[:-1])
        if "maand" in dimensies:
            i = dimensies.index("maand")
            sleutel[i] = _als_maand(sleutel[i])
        if r[-1]:
            uit[tuple(sleutel)] = r[-1]
    return uit


def _dag(van_dag: date) -> st.SearchStrategy[date]:
    # Month boundaries drawn often: they decide how much comes from the summaries.
    return st.one_of(
        st.dates(van_dag, LAATSTE + timedelta(days=40)),
        st.builds(
            lambda j, m, eind: date(j, m, 1) - timedelta(days=1) if eind else date(j, m, 1),
            st.sampled_from([2024, 2025]),
            st.integers(1, 12),
            st.booleans(),
        ),
    )


def test_tellingen_equal_a_recount_over_the_raw_tables(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    engine = app.state.context.engine
    eerste = registreer_populatie(app, client, seed=14, aantal=25)
    _corrigeer(client, eerste, seed=14)
    assert vouw(engine) > 0
    tweede = registreer_populatie(app, client, seed=16, aantal=25)
    _corrigeer(client, tweede, seed=16)

    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(
        dimensies=st.lists(st.sampled_from(DIMENSIES), max_size=4, unique=True),
        meting=st.sampled_from(["gesprekken", "trajecten"]),
        van=_dag(EERSTE - timedelta(days=40)),
        lengte=st.integers(0, 800),
    )
    def eigenschap(dimensies: list[str], meting: str, van: date, lengte: int) -> None:
        tot = van + timedelta(days=lengte)
        response = client.get(
            "/api/v1/tellingen",
            params={"van": van.isoformat(), "tot": tot.isoformat(),
                    "dimensies": ",".join(dimensies), "meting": meting},
            headers=kwartiermaker,
        )  # fmt: skip
        assert response.status_code == 200, response.text
        rijen = response.json()["rijen"]
        gekregen = {tuple(r[d] for d in dimensies): r["aantal"] for r in rijen}
        assert len(gekregen) == len(rijen)
        assert gekregen == _verwacht(app, van, tot, dimensies, meting)

    eigenschap()  # half folded, half queued
    assert vouw(engine) > 0
    eigenschap()  # all folded
    assert _wachtend(engine) == 0


def _wachtend(engine: Any) -> int:
    with new_session(engine) as session:
        return len(session.execute(select(W.c.id)).all())


def test_the_server_folds_the_queue_by_itself(app: FastAPI, kwartiermaker: dict[str, str]) -> None:
    engine = app.state.context.engine
    with TestClient(app) as client:  # with its lifespan: the folding thread runs
        registreer_populatie(app, client, seed=17, aantal=10)
        deadline = time.monotonic() + 30
        while _wachtend(engine) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _wachtend(engine) == 0
        body = client.get(
            "/api/v1/tellingen", params={"van": "2024-01-01", "tot": GISTEREN.isoformat()},
            headers=kwartiermaker,
        ).json()  # fmt: skip
    with new_session(engine) as session:
        gesprekken = session.execute(select(func.count()).select_from(G)).scalar()
    assert body["rijen"][0]["aantal"] == gesprekken


def test_migration_fills_the_summaries_as_the_registrations_would(
    app: FastAPI, client: TestClient, database_url: str
) -> None:
    from app.kern.migrate import downgrade, upgrade

    trajecten = registreer_populatie(app, client, seed=15, aantal=30)
    _corrigeer(client, trajecten, seed=15)
    engine = app.state.context.engine

    def inhoud() -> set[tuple[Any, ...]]:
        # With the codes as text: the numbers may be handed out in another order.
        with new_session(engine) as session:
            code = dict(session.execute(select(C.c.nummer, C.c.code)).all())
            rijen = session.execute(select(K).where(K.c.aantal != 0)).all()
        return {(k, m, code[a], code[b], code[c], n) for k, m, a, b, c, n in rijen}

    vouw(engine)
    bijgehouden = inhoud()
    assert len(bijgehouden) > 100
    engine.dispose()
    downgrade(database_url, "0013")
    with new_session(engine) as session:
        tabellen = session.connection().dialect.get_table_names(session.connection())
        assert not {"telling_kubus", "telling_wachtrij", "telling_code"} & set(tabellen)
    engine.dispose()
    upgrade(database_url)
    assert inhoud() == bijgehouden
    with new_session(engine) as session:
        for meting in ("gesprekken", "trajecten"):
            van, tot = date(2024, 1, 1), date(2025, 12, 31)
            assert tel(session, van, tot, ["wijk", "vraagtype"], meting)  # not empty


def test_the_numbers_of_stored_summaries_stay_the_same() -> None:
    # telling_kubus knows a summary by its number: renumbering would mix up stored counts
    # without a migration that moves them.
    assert len(KUBUSSEN) == 70
    assert KUBUSSEN[0] == ("gesprekken", ("wijk", "leeftijdsgroep", "instroomroute"))
    assert KUBUSSEN[34] == ("gesprekken", ("locatie", "afhandeling", "vraagtype"))
    assert KUBUSSEN[35] == ("trajecten", ("wijk", "leeftijdsgroep", "instroomroute"))
    assert KUBUSSEN[69] == ("trajecten", ("locatie", "afhandeling", "vraagtype"))
    assert kies_kubus("trajecten", ["vraagtype"]) == (
        KUBUSSEN.index(("trajecten", ("wijk", "leeftijdsgroep", "vraagtype"))),
        [2],
    )


def test_folding_at_once_in_several_processes_counts_every_change_once(
    app: FastAPI, client: TestClient
) -> None:
    engine = app.state.context.engine
    registreer_populatie(app, client, seed=18, aantal=30)
    assert _wachtend(engine) > 0
    with ThreadPoolExecutor(4) as pool:  # as four server processes' folding threads would
        gevouwen = sum(pool.map(lambda _: vouw(engine), range(8)))
    gevouwen += vouw(engine)  # what a round that stepped aside left
    assert _wachtend(engine) == 0
    assert gevouwen > 0
    for meting in ("gesprekken", "trajecten"):
        with new_session(engine) as session:
            gekregen = tel(session, EERSTE, LAATSTE, ["wijk", "vraagtype"], meting)
        assert {tuple(r[:-1]): r[-1] for r in gekregen} == _verwacht(
            app, EERSTE, LAATSTE, ["wijk", "vraagtype"], meting
        )
