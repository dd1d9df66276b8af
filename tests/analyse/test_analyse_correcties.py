"""Corrections and withdrawals keep the summary tables exact (the hook's contract).

The corrections themselves are another issue; here they are made straight in the tables, the
way any write path will, followed by `traject_gewijzigd` in the same transaction.
"""

from datetime import date
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update

from app.analyse.onderhoud import traject_gewijzigd
from app.kern.db import new_session
from app.trajecten.models import Gesprek, GesprekVraagtype, Overdracht, Traject
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

        def gewijzigd(traject_id: Any) -> None:
            traject_gewijzigd(session, traject_id)
            session.commit()

        # A gesprek moves to another year (and so may its traject).
        gesprek_id, traject_id = gesprek_ids[0]
        session.execute(update(G).where(G.c.id == gesprek_id).values(datum=date(2024, 1, 2)))
        gewijzigd(traject_id)
        # Its vraagtypen and afhandeling are corrected.
        gesprek_id, traject_id = gesprek_ids[1]
        session.execute(delete(GV).where(GV.c.gesprek_id == gesprek_id))
        session.execute(GV.insert(), [{"gesprek_id": gesprek_id, "vraagtype": "wonen"},
                                      {"gesprek_id": gesprek_id, "vraagtype": "taal"}])  # fmt: skip
        session.execute(update(G).where(G.c.id == gesprek_id).values(afhandeling="verwezen"))
        gewijzigd(traject_id)
        # A gesprek is withdrawn.
        gesprek_id, traject_id = gesprek_ids[2]
        session.execute(delete(G).where(G.c.id == gesprek_id))
        gewijzigd(traject_id)
        # Whole trajecten are withdrawn, one of them twice over (the second call is harmless).
        for traject_id in ids[:3]:
            session.execute(delete(T).where(T.c.id == traject_id))
            gewijzigd(traject_id)
        gewijzigd(ids[0])
        # A traject's wijk and age group are corrected; a handover is withdrawn and reopened.
        session.execute(update(T).where(T.c.id == ids[3]).values(wijk="07", leeftijdsgroep="0_3"))
        gewijzigd(ids[3])
        met_overdracht = session.execute(select(OV.c.traject_id)).scalars().first()
        session.execute(delete(OV).where(OV.c.traject_id == met_overdracht))
        session.execute(update(T).where(T.c.id == met_overdracht).values(status="open"))
        gewijzigd(met_overdracht)

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
