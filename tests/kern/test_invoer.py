"""Bad input: each kind gets a 400 problem+json that lists every problem and echoes nothing."""

from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import account
from tests.registraties import eerste_gesprek, gesprek, warme_overdracht


def invalid(response: Any) -> dict[str, str]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(problem)
    assert problem["status"] == 400
    return {p["name"]: p["reason"] for p in problem["invalidParams"]}


def nothing_stored(client: TestClient, headers: dict[str, str]) -> None:
    assert client.get("/api/v1/trajecten", headers=headers).json()["totaal"] == 0


def test_unknown_code(client: TestClient, werker: dict[str, str]) -> None:
    body = eerste_gesprek(instroomroute="via_de_buurvrouw")
    params = invalid(client.post("/api/v1/trajecten", json=body, headers=werker))
    assert params == {
        "instroomroute": "Onbekende code; kies een code uit codelijst instroomroutes."
    }
    nothing_stored(client, werker)


def test_unknown_field_is_refused_at_every_level(
    client: TestClient, werker: dict[str, str]
) -> None:
    body = eerste_gesprek(naam="Jan Jansen", gesprek=gesprek(toelichting="woont op nr 12"))
    response = client.post("/api/v1/trajecten", json=body, headers=werker)
    params = invalid(response)
    assert set(params) == {"naam", "gesprek.toelichting"}
    assert "Jan" not in response.text and "nr 12" not in response.text
    nothing_stored(client, werker)


def test_phone_number_where_a_code_belongs_is_not_echoed(
    client: TestClient, werker: dict[str, str]
) -> None:
    body = eerste_gesprek(leeftijdsgroep="0612345678", gesprek=gesprek(locatie="06-12345678"))
    response = client.post("/api/v1/trajecten", json=body, headers=werker)
    params = invalid(response)
    assert set(params) == {"leeftijdsgroep", "gesprek.locatie"}
    assert "12345678" not in response.text
    nothing_stored(client, werker)


def test_all_problems_are_listed_at_once(client: TestClient, werker: dict[str, str]) -> None:
    morgen = (date.today() + timedelta(days=2)).isoformat()
    body = eerste_gesprek(
        wijk="12",
        leeftijdsgroep="oud",
        gesprek=gesprek(datum=morgen, vraagtypen=["eenzaamheid", "ruzie"], afhandeling="anders"),
    )
    params = invalid(client.post("/api/v1/trajecten", json=body, headers=werker))
    assert set(params) == {
        "wijk",
        "leeftijdsgroep",
        "gesprek.datum",
        "gesprek.vraagtypen[1]",
        "gesprek.afhandeling",
    }


def test_structural_problems_are_listed_at_once(client: TestClient, werker: dict[str, str]) -> None:
    body = {"wijk": "09", "gesprek": {"datum": "14-03-2025", "vraagtypen": []}}
    params = invalid(client.post("/api/v1/trajecten", json=body, headers=werker))
    assert set(params) == {
        "leeftijdsgroep",
        "instroomroute",
        "gesprek.datum",
        "gesprek.locatie",
        "gesprek.vraagtypen",
        "gesprek.afhandeling",
    }
    assert params["leeftijdsgroep"] == "Dit veld is verplicht."


def test_future_date(client: TestClient, werker: dict[str, str]) -> None:
    morgen = (date.today() + timedelta(days=2)).isoformat()
    body = eerste_gesprek(gesprek=gesprek(datum=morgen))
    params = invalid(client.post("/api/v1/trajecten", json=body, headers=werker))
    assert "toekomst" in params["gesprek.datum"]
    nothing_stored(client, werker)


def test_date_before_the_service_started(client: TestClient, werker: dict[str, str]) -> None:
    body = eerste_gesprek(gesprek=gesprek(datum="2019-12-31"))
    params = invalid(client.post("/api/v1/trajecten", json=body, headers=werker))
    assert "vóór de start" in params["gesprek.datum"]


def test_date_with_a_time_or_as_a_number_is_refused(
    client: TestClient, werker: dict[str, str]
) -> None:
    for datum in ("2025-03-14T10:00:00Z", 1741910400, "2025-02-30"):
        body = eerste_gesprek(gesprek=gesprek(datum=datum))
        params = invalid(client.post("/api/v1/trajecten", json=body, headers=werker))
        assert set(params) == {"gesprek.datum"}


def test_follow_up_dated_before_the_previous_gesprek(
    client: TestClient, werker: dict[str, str]
) -> None:
    code = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker).json()["code"]
    response = client.post(
        f"/api/v1/trajecten/{code}/gesprekken", json=gesprek(datum="2025-03-13"), headers=werker
    )
    params = invalid(response)
    assert "vorige gesprek" in params["datum"]
    same_day = client.post(
        f"/api/v1/trajecten/{code}/gesprekken", json=gesprek(datum="2025-03-14"), headers=werker
    )
    assert same_day.status_code == 201
    assert same_day.json()["aantalGesprekken"] == 2


def test_malformed_json(client: TestClient, werker: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/trajecten",
        content=b'{"wijk": "09",',
        headers={**werker, "Content-Type": "application/json"},
    )
    assert invalid(response) == {"body": "De body is geen geldige JSON."}


def test_missing_body(client: TestClient, werker: dict[str, str]) -> None:
    response = client.post("/api/v1/trajecten", headers=werker)
    assert set(invalid(response)) == {"body"}


def test_wrong_content_type_is_415(client: TestClient, werker: dict[str, str]) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = client.post(
            "/api/v1/trajecten",
            content=b"wijk=09",
            headers={**werker, "Content-Type": content_type},
        )
        assert response.status_code == 415
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == 415
    nothing_stored(client, werker)


def test_wijk_must_be_one_of_the_workers_own(client: TestClient, werker: dict[str, str]) -> None:
    params = invalid(
        client.post("/api/v1/trajecten", json=eerste_gesprek(wijk="01"), headers=werker)
    )
    assert params == {"wijk": "Dit is niet een van uw eigen wijken."}
    params = invalid(
        client.post("/api/v1/trajecten", json=eerste_gesprek(wijk="12"), headers=werker)
    )
    assert params == {"wijk": "Onbekende wijk; kies uit /wijken."}


def test_handover_needs_a_target_and_only_with_warme_overdracht(
    client: TestClient, werker: dict[str, str]
) -> None:
    zonder_doel = eerste_gesprek(gesprek=gesprek(afhandeling="warme_overdracht"))
    assert set(invalid(client.post("/api/v1/trajecten", json=zonder_doel, headers=werker))) == {
        "gesprek.overdracht"
    }
    onnodig = eerste_gesprek(gesprek=gesprek(overdracht={"doel": "ggz"}))
    assert set(invalid(client.post("/api/v1/trajecten", json=onnodig, headers=werker))) == {
        "gesprek.overdracht"
    }
    onbekend_doel = eerste_gesprek(gesprek=warme_overdracht("kapper"))
    assert set(invalid(client.post("/api/v1/trajecten", json=onbekend_doel, headers=werker))) == {
        "gesprek.overdracht.doel"
    }
    koud = eerste_gesprek(
        gesprek=gesprek(afhandeling="warme_overdracht", overdracht={"doel": "ggz", "warm": False})
    )
    assert set(invalid(client.post("/api/v1/trajecten", json=koud, headers=werker))) == {
        "gesprek.overdracht"
    }
    nothing_stored(client, werker)


def test_duplicate_and_empty_vraagtypen(client: TestClient, werker: dict[str, str]) -> None:
    for vraagtypen in ([], ["geldzorgen", "geldzorgen"], "geldzorgen"):
        body = eerste_gesprek(gesprek=gesprek(vraagtypen=vraagtypen))
        assert set(invalid(client.post("/api/v1/trajecten", json=body, headers=werker))) == {
            "gesprek.vraagtypen"
        }


def test_bad_query_parameters_are_400_not_422(client: TestClient, werker: dict[str, str]) -> None:
    response = client.get(
        "/api/v1/trajecten?paginaGrootte=1000&pagina=0&status=weg", headers=werker
    )
    assert set(invalid(response)) == {"paginaGrootte", "pagina", "status"}


def test_put_overdracht_with_unknown_doel(client: TestClient, werker: dict[str, str]) -> None:
    code = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker).json()["code"]
    response = client.put(
        f"/api/v1/trajecten/{code}/overdracht", json={"doel": "onbekend"}, headers=werker
    )
    assert set(invalid(response)) == {"doel"}
    assert client.get(f"/api/v1/trajecten/{code}", headers=werker).json()["status"] == "open"


def test_unknown_query_parameter_is_400_not_ignored(
    client: TestClient, werker: dict[str, str]
) -> None:
    response = client.get("/api/v1/trajecten?statu=open&pagina=1", headers=werker)
    assert invalid(response) == {
        "statu": "Onbekende parameter; hier kunnen: pagina, paginaGrootte, status, wijk."
    }
    # The Python name of a parameter is not its name in the API.
    assert set(invalid(client.get("/api/v1/trajecten?pagina_grootte=5", headers=werker))) == {
        "pagina_grootte"
    }
    assert invalid(client.get("/api/v1/wijken?x=1&x=2", headers=werker)) == {
        "x": "Onbekende parameter; hier kunnen: geen."
    }


def test_an_unknown_query_parameter_comes_with_the_bodys_problems(
    client: TestClient, werker: dict[str, str]
) -> None:
    response = client.post("/api/v1/trajecten?statu=open", json={}, headers=werker)
    assert {"statu", "wijk", "gesprek"} <= set(invalid(response))


def _pad(sjabloon: str) -> str:
    voorbeelden = {"code": "ABC123", "volgnummer": "1", "jaar": "2025", "wijk": "09", "id": "1"}
    for naam, waarde in voorbeelden.items():
        sjabloon = sjabloon.replace("{" + naam + "}", waarde)
    return sjabloon


def test_every_operation_refuses_a_query_parameter_it_does_not_know(
    app: FastAPI, client: TestClient
) -> None:
    """Each route in the document, also one without query parameters, names what it takes;
    a route added without its query parameter model (or `_geen: GeenQuery`) fails here."""
    rollen = [
        account(app, "werker", "preventiewerker", ["09"]),
        account(app, "kim", "kwartiermaker"),
        account(app, "beheer", "beheerder"),
        account(app, "dashboard", "rapportage"),
    ]
    document = client.get("/api/v1/openapi.json").json()
    gecontroleerd = 0
    for sjabloon, operaties in document["paths"].items():
        for methode, operatie in operaties.items():
            namen = sorted(p["name"] for p in operatie.get("parameters", []) if p["in"] == "query")
            verwacht = f"Onbekende parameter; hier kunnen: {', '.join(namen) or 'geen'}."
            url = f"/api/v1{_pad(sjabloon)}?onbekend=1"
            for headers in rollen:
                response = client.request(methode, url, headers=headers)
                if response.status_code not in (401, 403):
                    break
            assert response.status_code == 400, f"{methode} {sjabloon}: {response.text[:200]}"
            assert invalid(response)["onbekend"] == verwacht, f"{methode} {sjabloon}"
            gecontroleerd += 1
    assert gecontroleerd > 30


def test_a_number_with_decimals_or_signs_is_not_a_whole_number(
    client: TestClient, werker: dict[str, str], kwartiermaker: dict[str, str]
) -> None:
    reden = "Moet een geheel getal zijn (alleen cijfers)."
    for jaar in ("2025.0", "2025e0", "+2025", " 2025"):
        response = client.get(f"/api/v1/jaaranalyses/{jaar}", headers=kwartiermaker)
        assert invalid(response) == {"jaar": reden}
    assert client.get("/api/v1/jaaranalyses/2025", headers=kwartiermaker).status_code == 200
    response = client.get("/api/v1/trajecten?pagina=1.0&paginaGrootte=2.5", headers=werker)
    assert invalid(response) == {"pagina": reden, "paginaGrootte": reden}
    assert client.get("/api/v1/trajecten?pagina=1&paginaGrootte=2", headers=werker).is_success
