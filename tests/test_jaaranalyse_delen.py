"""The jaaranalyse carries all five parts of the yearly analysis, per wijk and for the gemeente,
each beside the year before; what each part counts is tested in its own package's tests."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import account
from tests.registraties import GISTEREN, eerste_gesprek, warme_overdracht

DELEN = ("inzet", "activiteiten", "effect", "ervaring", "gespecialiseerdeInzet")


def test_the_five_parts_appear_per_wijk_and_in_total_with_the_year_before(
    app: FastAPI, client: TestClient, werker: dict[str, str], kwartiermaker: dict[str, str]
) -> None:
    jaar = int(GISTEREN[:4])
    inzet = {"uren": [{"soort": "preventiewerker_jeugd", "urenPerWeek": 16}], "bedragen": []}
    for j, uren in ((jaar, 16), (jaar - 1, 12)):
        inzet["uren"][0]["urenPerWeek"] = uren
        assert client.put(f"/api/v1/inzet/{j}/09", json=inzet, headers=kwartiermaker).is_success
    activiteit = {"wijk": "09", "datum": GISTEREN, "soort": "ontmoeting", "bijeenkomsten": 3,
                  "deelnemers": 40, "vrijwilligers": 4, "initiatief": "samen"}  # fmt: skip
    assert client.post("/api/v1/activiteiten", json=activiteit, headers=werker).status_code == 201
    csv = "wijk;indicator;waarde\n09;inwoners;4200\n09;eenzaamheid_ernstig;12,5\n"
    antwoord = client.put(
        f"/api/v1/indicatoren/{jaar}", content=csv.encode(),
        headers={**kwartiermaker, "Content-Type": "text/csv"},
    )  # fmt: skip
    assert antwoord.is_success, antwoord.text
    beschikkingen = {"aantallen": [{"wijk": "09", "voorziening": "wmo_begeleiding", "aantal": 21}]}
    antwoord = client.put(
        f"/api/v1/beschikkingen/{jaar}", json=beschikkingen, headers=kwartiermaker
    )
    assert antwoord.is_success, antwoord.text
    for score in (4, 5):
        respons = {"wijk": "09", "datum": GISTEREN, "antwoorden": {"goed_geholpen": score}}
        pad = "/api/v1/vragenlijsten/inwoners/antwoorden"
        assert client.post(pad, json=respons, headers=werker).status_code == 201
    gesprek = warme_overdracht(doel="ggz", datum=GISTEREN)
    assert (
        client.post(
            "/api/v1/trajecten", json=eerste_gesprek(gesprek=gesprek), headers=werker
        ).status_code
        == 201
    )

    body = client.get(f"/api/v1/jaaranalyses/{jaar}", headers=kwartiermaker).json()
    reek = next(w for w in body["wijken"] if w["wijk"] == "09")
    for scope in (reek, body["totaal"]):
        assert set(DELEN) <= set(scope)
        assert scope["inzet"]["uren"]["preventiewerker_jeugd"] == 16
        assert scope["inzet"]["vorigJaar"]["uren"]["preventiewerker_jeugd"] == 12
        assert scope["activiteiten"]["deelnemers"] == 40
        assert scope["activiteiten"]["vorigJaar"]["deelnemers"] == 0
        assert scope["ervaring"]["vragenlijsten"]["inwoners"]["aantalRespondenten"] == 2
        assert scope["gespecialiseerdeInzet"]["voorzieningen"]["wmo_begeleiding"] == 21
        assert scope["gespecialiseerdeInzet"]["overdrachtenGespecialiseerd"] == 1
    assert reek["effect"]["indicatoren"]["eenzaamheid_ernstig"]["waarde"] == 12.5
    assert reek["ervaring"]["vragenlijsten"]["inwoners"]["vragen"]["goed_geholpen"] == {
        "gemiddelde": 4.5, "aantal": 2
    }  # fmt: skip
    leeg = next(w for w in body["wijken"] if w["wijk"] == "01")
    assert leeg["inzet"]["urenPerWeekTotaal"] == 0
    assert leeg["activiteiten"]["aantalActiviteiten"] == 0

    # The rapportage role: a mean over 2 respondents and a count of 1 are not shown.
    rapportage = account(app, "powerbi", "rapportage")
    beschermd = client.get(f"/api/v1/jaaranalyses/{jaar}", headers=rapportage).json()
    reek = next(w for w in beschermd["wijken"] if w["wijk"] == "09")
    vraag = reek["ervaring"]["vragenlijsten"]["inwoners"]["vragen"]["goed_geholpen"]
    assert vraag["gemiddelde"] is None
    assert reek["gespecialiseerdeInzet"]["overdrachtenGespecialiseerd"] is None
    assert reek["inzet"] == next(w for w in body["wijken"] if w["wijk"] == "09")["inzet"]
