"""A seeded random population of trajecten, registered through the API like the form does."""

import random
from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.analyse.verwacht import LIJSTEN, WIJKEN
from tests.conftest import account

EERSTE = date(2024, 1, 1)
LAATSTE = date(2025, 12, 31)
GISTEREN = date.today() - timedelta(days=1)
GEWOON = [a for a in LIJSTEN.codes("afhandelingen") if a != "warme_overdracht"]


def registreer_populatie(
    app: FastAPI, client: TestClient, seed: int, aantal: int
) -> list[dict[str, Any]]:
    """Registers `aantal` trajecten; answers them in the shape tests/analyse/verwacht reads."""
    rnd = random.Random(seed)
    werker = account(app, f"werker{seed}", "preventiewerker", [w.code for w in WIJKEN])
    # A few wijken get most of the work, as in real life; some stay small or empty.
    gewichten = [rnd.choice([0, 1, 1, 3, 8]) for _ in WIJKEN]
    trajecten = []
    for _ in range(aantal):
        wijk = rnd.choices(WIJKEN, weights=gewichten)[0].code
        dag = EERSTE + timedelta(days=rnd.randrange((LAATSTE - EERSTE).days + 1))
        traject: dict[str, Any] = {
            "wijk": wijk,
            "leeftijdsgroep": rnd.choice(LIJSTEN.codes("leeftijdsgroepen")),
            "instroomroute": rnd.choice(LIJSTEN.codes("instroomroutes")),
            "status": "open",
            "gesprekken": [],
            "overdracht": None,
        }
        n = rnd.choices([1, 2, 3, 4, 5], weights=[40, 25, 15, 10, 10])[0]
        code = None
        for i in range(n):
            if i:
                dag = min(dag + timedelta(days=rnd.randrange(0, 60)), GISTEREN)
            gesprek: dict[str, Any] = {
                "datum": dag,
                "locatie": rnd.choice(LIJSTEN.codes("locaties")),
                "vraagtypen": rnd.sample(LIJSTEN.codes("vraagtypen"), rnd.choice([1, 1, 2, 3])),
                "afhandeling": rnd.choice(GEWOON),
            }
            body: dict[str, Any] = {**gesprek, "datum": dag.isoformat()}
            if i == n - 1 and rnd.random() < 0.25:
                doel = rnd.choice(LIJSTEN.codes("overdrachtdoelen"))
                gesprek["afhandeling"] = body["afhandeling"] = "warme_overdracht"
                body["overdracht"] = {"doel": doel, "warm": True, "status": "aangemeld"}
                traject["overdracht"] = {"doel": doel, "warm": True}
                traject["status"] = "overgedragen"
            if code is None:
                response = client.post(
                    "/api/v1/trajecten",
                    json={k: traject[k] for k in ("wijk", "leeftijdsgroep", "instroomroute")}
                    | {"gesprek": body},
                    headers=werker,
                )
            else:
                response = client.post(
                    f"/api/v1/trajecten/{code}/gesprekken", json=body, headers=werker
                )
            assert response.status_code == 201, response.text
            code = response.json()["code"]
            traject["gesprekken"].append(gesprek)
        if traject["status"] == "open":
            keuze = rnd.random()
            if keuze < 0.3:
                r = client.post(f"/api/v1/trajecten/{code}/afsluiting", json={}, headers=werker)
                assert r.status_code == 200, r.text
                traject["status"] = "afgerond"
            elif keuze < 0.5:
                doel = rnd.choice(LIJSTEN.codes("overdrachtdoelen"))
                warm = rnd.random() < 0.7
                overdracht = {"doel": doel, "warm": warm, "status": "aangemeld"}
                r = client.put(
                    f"/api/v1/trajecten/{code}/overdracht", json=overdracht, headers=werker
                )
                assert r.status_code == 200, r.text
                if rnd.random() < 0.5:  # later accepted: changes nothing that is counted
                    overdracht["status"] = "geaccepteerd"
                    r = client.put(
                        f"/api/v1/trajecten/{code}/overdracht", json=overdracht, headers=werker
                    )
                    assert r.status_code == 200, r.text
                traject["overdracht"] = {"doel": doel, "warm": warm}
                traject["status"] = "overgedragen"
        traject["code"] = code
        traject["werker"] = werker  # the author: only they may correct or withdraw it
        trajecten.append(traject)
    return trajecten
