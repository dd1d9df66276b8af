"""`wijkcontact demo`: bulk synthetic data whose summary tables equal a plain recount."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.analyse import verwacht
from tests.analyse.test_analyse_correcties import uit_de_tabellen
from tests.test_cli import wijkcontact

# The demo's bulk data, counted twice.
pytestmark = pytest.mark.slow


def test_demo_fills_the_database_and_the_analysis_agrees_with_a_recount(
    app: FastAPI, client: TestClient, kwartiermaker: dict[str, str], database_url: str
) -> None:
    result = wijkcontact(database_url, "demo", "--gesprekken", "600", "--jaar", "2025")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("600 gesprekken in ")
    trajecten = uit_de_tabellen(app)
    assert sum(len(t["gesprekken"]) for t in trajecten) == 600
    assert {t["wijk"] for t in trajecten} == {w.code for w in verwacht.WIJKEN}
    for jaar in (2025, 2026):
        body = client.get(f"/api/v1/jaaranalyses/{jaar}", headers=kwartiermaker).json()
        assert verwacht.contactcijfers(body) == verwacht.jaaranalyse(trajecten, jaar)

    # Every other part of the analysis is filled too, for the year and the one before it.
    totaal = client.get("/api/v1/jaaranalyses/2025", headers=kwartiermaker).json()["totaal"]
    for cijfers in (totaal["inzet"], totaal["inzet"]["vorigJaar"]):
        assert cijfers["urenPerWeekTotaal"] > 0
    assert totaal["activiteiten"]["aantalActiviteiten"] > 0
    assert totaal["activiteiten"]["vorigJaar"]["aantalActiviteiten"] > 0
    assert totaal["effect"]["indicatoren"]["inwoners"]["waarde"] > 0
    assert totaal["ervaring"]["vragenlijsten"]["inwoners"]["aantalRespondenten"] > 0
    assert totaal["gespecialiseerdeInzet"]["totaal"] > 0
    assert totaal["gespecialiseerdeInzet"]["vorigJaar"]["totaal"] > 0
