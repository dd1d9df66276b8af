"""Corrections and withdrawals keep the summary tables exact (the listener's contract).

The first test makes changes straight in the tables, including ones no route offers (a wijk, a
gesprek moved to another year), announced the way every write path does: the traject as loaded
to change it, and as it is after, in the same transaction.
"""

from datetime import date
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update

from app.kern.db import new_session
from app.trajecten.aankondiging import TrajectGewijzigd, kondig_aan
from app.trajecten.models import Gesprek, GesprekVraagtype, Overdracht, Traject
from app.trajecten.stand import laad_traject
from tests.analyse import verwacht
from tests.analyse.populatie import registreer_populatie

T, G, GV, OV = (m.__table__ for m in (Traject, Gesprek, GesprekVraagtype, Overdracht))  # type: ignore[attr-defined]


def uit_de_tabellen(app: FastAPI) -> list[dict[str, Any]]:
    """Every traject as the raw tables hold it now, in the shape the recount reads."""
    with new_session(app.state.context.engine) as session:
        trajecten = {
            r.id: {"wijk": r.wijk, "leeftijdsgroep": r.leeftijdsgroep,
                   "instroomroute": r.instroomroute, "status": r.status, "gesprekken": [],
                   "overdracht": None}
            for r in session.execute(select(T))
        }  # fmt: skip
        gesprekken = {}
        for r in session.execute(select(G)):
            gesprek = {"datum": r.datum, "locatie": r.locatie, "afhandeling": r.afhandeling,
                       "vraagtypen": []}  # fmt: skip
            gesprekken[r.id] = gesprek
            trajecten[r.traject_id]["gesprekken"].append(gesprek)
        for r in session.execute(select(GV)):
            gesprekken[r.gesprek_id]["vraagtypen"].append(r.vraagtype)
        for r in session.execute(select(OV)):
            trajecten[r.traject_id]["overdracht"] = {"doel": r.doel, "warm": r.warm}
    return [t for t in trajecten.values() if t["gesprekken"]]


def test_corrections_and_withdrawals_keep_every_figure_exact(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str]
) -> None:
    registreer_populatie(app, client, seed=99, aantal=40)
    with new_session(app.state.context.engine) as session:
        ids = session.execute(select(T.c.id).order_by(T.c.code)).scalars().all()
        gesprek_ids = session.execute(select(G.c.id, G.c.traject_id).order_by(G.c.id)).all()

        def gewijzigd(traject_id: Any, *wijzigingen: Any) -> None:
            voor = laad_traject(session, id=traject_id, voor_update=True)
            for wijziging in wijzigingen:
                session.execute(wijziging)
            na = laad_traject(session, id=traject_id)
            if voor is not None:
                kondig_aan(session, TrajectGewijzigd.van(voor, na))
            session.commit()

        # A gesprek moves to another year (and so may its traject).
        gesprek_id, traject_id = gesprek_ids[0]
        gewijzigd(traject_id, update(G).where(G.c.id == gesprek_id).values(datum=date(2024, 1, 2)))
        # Its vraagtypen and afhandeling are corrected.
        gesprek_id, traject_id = gesprek_ids[1]
        gewijzigd(
            traject_id,
            delete(GV).where(GV.c.gesprek_id == gesprek_id),
            GV.insert().values([{"gesprek_id": gesprek_id, "vraagtype": "wonen"},
                                {"gesprek_id": gesprek_id, "vraagtype": "taal"}]),
            update(G).where(G.c.id == gesprek_id).values(afhandeling="verwezen"),
        )  # fmt: skip
        # A gesprek is withdrawn.
        gesprek_id, traject_id = gesprek_ids[2]
        gewijzigd(traject_id, delete(G).where(G.c.id == gesprek_id))
        # Whole trajecten are withdrawn, one of them twice over (the second time is a no-op).
        for traject_id in ids[:3]:
            gewijzigd(traject_id, delete(T).where(T.c.id == traject_id))
        gewijzigd(ids[0], delete(T).where(T.c.id == ids[0]))
        # A traject's wijk and age group are corrected; a handover is withdrawn and reopened.
        gewijzigd(ids[3], update(T).where(T.c.id == ids[3]).values(wijk="07", leeftijdsgroep="0_3"))
        met_overdracht = session.execute(select(OV.c.traject_id)).scalars().first()
        gewijzigd(
            met_overdracht,
            delete(OV).where(OV.c.traject_id == met_overdracht),
            update(T).where(T.c.id == met_overdracht).values(status="open"),
        )

    trajecten = uit_de_tabellen(app)
    for jaar in (2024, 2025, 2026):
        body = client.get(f"/api/v1/jaaranalyses/{jaar}", headers=kwartiermaker).json()
        assert verwacht.contactcijfers(body) == verwacht.jaaranalyse(trajecten, jaar)
    for meting in ("trajecten", "gesprekken"):
        body = client.get(
            "/api/v1/tellingen",
            params={"van": "2024-01-01", "tot": "2026-12-31", "dimensies": "wijk,maand",
                    "meting": meting},
            headers=kwartiermaker,
        ).json()  # fmt: skip
        assert {(r["wijk"], r["maand"]): r["aantal"] for r in body["rijen"]} == verwacht.tellingen(
            trajecten, date(2024, 1, 1), date(2026, 12, 31), ["wijk", "maand"], meting
        )


def test_migration_summarises_registrations_made_before_it(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str], database_url: str
) -> None:
    from app.kern.migrate import downgrade, upgrade

    trajecten = registreer_populatie(app, client, seed=5, aantal=15)
    app.state.context.engine.dispose()
    downgrade(database_url, "0002")
    upgrade(database_url)
    body = client.get("/api/v1/jaaranalyses/2025", headers=kwartiermaker).json()
    assert verwacht.contactcijfers(body) == verwacht.jaaranalyse(trajecten, 2025)


def test_downgrade_below_0011_stores_increments_that_add_up_to_the_counters(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str], database_url: str
) -> None:
    """Revision 0010's code takes a traject's stored increments back on every change: after the
    downgrade each traject must hold exactly what it added, so that they sum to the counters."""
    import json
    from collections import Counter

    from sqlalchemy import create_engine, text

    from app.kern.db import normalise_url
    from app.kern.migrate import downgrade, upgrade

    trajecten = registreer_populatie(app, client, seed=8, aantal=30)
    app.state.context.engine.dispose()
    downgrade(database_url, "0010")
    engine = create_engine(normalise_url(database_url))
    with engine.connect() as connection:
        opgeteld: Counter[tuple[Any, ...]] = Counter()
        rijen = connection.execute(text("SELECT bijdrage FROM analyse_traject")).scalars().all()
        for bijdrage in rijen:
            for jaar, wijk, kenmerk, code, aantal in json.loads(bijdrage):
                opgeteld[(jaar, wijk, kenmerk, code)] += aantal
        tellers = connection.execute(
            text("SELECT jaar, wijk, kenmerk, code, sum(aantal) FROM analyse_telling "
                 "GROUP BY jaar, wijk, kenmerk, code HAVING sum(aantal) <> 0")
        ).all()  # fmt: skip
    engine.dispose()
    assert len(rijen) == len(trajecten)
    assert opgeteld == {tuple(r[:4]): r[4] for r in tellers}
    upgrade(database_url)
    body = client.get("/api/v1/jaaranalyses/2025", headers=kwartiermaker).json()
    assert verwacht.contactcijfers(body) == verwacht.jaaranalyse(trajecten, 2025)


def test_corrections_through_the_api_show_in_the_figures_at_once(
    client: TestClient, werker: dict[str, str], kwartiermaker: dict[str, str]
) -> None:
    from tests.registraties import eerste_gesprek, gesprek, warme_overdracht

    def cijfers() -> dict[str, Any]:
        body = client.get("/api/v1/jaaranalyses/2025?wijk=09", headers=kwartiermaker).json()
        return next(w for w in body["wijken"] if w["wijk"] == "09")

    codes = [
        client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker).json()["code"]
        for _ in range(3)
    ]
    client.post(f"/api/v1/trajecten/{codes[1]}/gesprekken", json=warme_overdracht("ggz"),
                headers=werker)  # fmt: skip
    voor = cijfers()
    assert (voor["aantalTrajecten"], voor["aantalGesprekken"]) == (3, 4)
    assert voor["overdrachtdoelen"]["ggz"] == 1

    client.patch(f"/api/v1/trajecten/{codes[0]}/gesprekken/1",
                 json={"vraagtypen": ["wonen"]}, headers=werker)  # fmt: skip
    na = cijfers()
    assert na["vraagtypen"]["wonen"] == voor["vraagtypen"]["wonen"] + 1
    assert na["vraagtypen"]["eenzaamheid"] == voor["vraagtypen"]["eenzaamheid"] - 1

    client.patch(f"/api/v1/trajecten/{codes[0]}", json={"leeftijdsgroep": "18_26"},
                 headers=werker)  # fmt: skip
    assert cijfers()["leeftijdsgroepen"]["18_26"] == voor["leeftijdsgroepen"]["18_26"] + 1

    client.delete(f"/api/v1/trajecten/{codes[1]}/gesprekken/2", headers=werker)
    na = cijfers()
    assert (na["aantalGesprekken"], na["overdrachtdoelen"]["ggz"]) == (3, 0)

    client.delete(f"/api/v1/trajecten/{codes[2]}", headers=werker)
    na = cijfers()
    assert (na["aantalTrajecten"], na["aantalGesprekken"]) == (2, 2)
    client.post(f"/api/v1/trajecten/{codes[0]}/gesprekken", json=gesprek(), headers=werker)
    assert cijfers()["aantalGesprekken"] == 3
