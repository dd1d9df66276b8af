"""The jaaranalyse carries all five parts of the yearly analysis, per wijk and for the gemeente,
each beside the year before; what each part counts is tested in its own package's tests."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.publicatie.ruis import MAX_RUIS
from tests.conftest import account
from tests.registraties import GISTEREN, eerste_gesprek, warme_overdracht

VASTGESTELD = 2025  # a closed year, shown to rapportage
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

    # The rapportage role: not this year, which is not over yet.
    rapportage = account(app, "powerbi", "rapportage")
    te_vroeg = client.get(f"/api/v1/jaaranalyses/{jaar}", headers=rapportage)
    assert te_vroeg.status_code == 400


def test_rapportage_sees_parts_4_and_5_published_like_the_contact_figures(
    app: FastAPI, client: TestClient, werker: dict[str, str], kwartiermaker: dict[str, str]
) -> None:
    """A closed year: two respondents and one handover are hidden, 41 beschikkingen shown as
    the beschikkingen route shows them, inzet exact; a mean over 35 scores shown as the results
    route shows it, though one score's count is hidden."""
    jaar, datum = VASTGESTELD, f"{VASTGESTELD}-06-02"
    inzet = {"uren": [{"soort": "preventiewerker_jeugd", "urenPerWeek": 16}], "bedragen": []}
    assert client.put(f"/api/v1/inzet/{jaar}/09", json=inzet, headers=kwartiermaker).is_success
    beschikkingen = {"aantallen": [{"wijk": "09", "voorziening": "wmo_begeleiding", "aantal": 41}]}
    pad = f"/api/v1/beschikkingen/{jaar}"
    assert client.put(pad, json=beschikkingen, headers=kwartiermaker).is_success
    for score in (4, 5):
        respons = {"wijk": "09", "datum": datum, "antwoorden": {"goed_geholpen": score}}
        pad_antwoorden = "/api/v1/vragenlijsten/inwoners/antwoorden"
        assert client.post(pad_antwoorden, json=respons, headers=werker).status_code == 201
    werker_01 = account(app, "werker01", "preventiewerker", ["01"])
    for score in [4] * 32 + [5] * 3:
        respons = {"wijk": "01", "datum": datum, "antwoorden": {"serieus_genomen": score}}
        pad_antwoorden = "/api/v1/vragenlijsten/inwoners/antwoorden"
        assert client.post(pad_antwoorden, json=respons, headers=werker_01).status_code == 201
    gesprek = warme_overdracht(doel="ggz", datum=datum)
    body = eerste_gesprek(gesprek=gesprek)
    assert client.post("/api/v1/trajecten", json=body, headers=werker).status_code == 201

    rapportage = account(app, "powerbi", "rapportage")
    beschermd = client.get(f"/api/v1/jaaranalyses/{jaar}", headers=rapportage)
    assert beschermd.status_code == 200, beschermd.text
    exact = client.get(f"/api/v1/jaaranalyses/{jaar}", headers=kwartiermaker).json()
    reek = next(w for w in beschermd.json()["wijken"] if w["wijk"] == "09")
    inwoners = reek["ervaring"]["vragenlijsten"]["inwoners"]
    assert inwoners["aantalRespondenten"] is None
    assert inwoners["vragen"]["goed_geholpen"] == {"gemiddelde": None, "aantal": None}
    specialistisch = reek["gespecialiseerdeInzet"]
    assert specialistisch["overdrachtenGespecialiseerd"] is None
    getoond = specialistisch["voorzieningen"]["wmo_begeleiding"]
    assert getoond is not None and abs(getoond - 41) <= MAX_RUIS
    route = client.get(pad, headers=rapportage).json()["aantallen"]
    assert getoond == next(
        r["aantal"] for r in route if (r["wijk"], r["voorziening"]) == ("09", "wmo_begeleiding")
    )
    assert specialistisch["voorzieningen"]["participatie"] is None  # a 0
    assert reek["inzet"] == next(w for w in exact["wijken"] if w["wijk"] == "09")["inzet"]

    # The mean is the published sum (143) over the published number of scores (35), each at
    # most MAX_RUIS off and at least 5 (35 scores are shown whatever the noise), on the scale;
    # the results route has the same value.
    serieus = next(w for w in beschermd.json()["wijken"] if w["wijk"] == "01")["ervaring"]
    serieus = serieus["vragenlijsten"]["inwoners"]["vragen"]["serieus_genomen"]
    assert serieus["aantal"] is not None and abs(serieus["aantal"] - 35) <= MAX_RUIS
    assert serieus["gemiddelde"] is not None
    assert 113 / 65 - 0.05 <= serieus["gemiddelde"] <= 5
    resultaten = "/api/v1/vragenlijsten/inwoners/resultaten"
    params = {"jaar": jaar, "wijk": "01"}
    route = client.get(resultaten, params=params, headers=rapportage).json()
    vraag = next(v for v in route["vragen"] if v["vraag"] == "serieus_genomen")
    assert vraag["verdeling"]["5"] is None
    assert vraag["gemiddelde"] == serieus["gemiddelde"]
    export = client.get(resultaten, params=params, headers=rapportage | {"Accept": "text/csv"})
    rij = next(r for r in export.text.splitlines() if ",serieus_genomen," in r)
    assert rij.split(",")[7] == str(serieus["gemiddelde"])
