"""The OData feed as Power BI and Excel use it, read with a real OData v4 client (python-odata)
over HTTP with Basic sign-in, on both databases: paging over several pages, `$filter` on dates,
and for the rapportage role exactly the cells /tellingen publishes, nothing more."""

import base64
import json
from datetime import date
from typing import Any

import httpx
import pytest
import requests
from fastapi import FastAPI
from fastapi.testclient import TestClient
from odata import ODataService

from tests.analyse.populatie import registreer_populatie
from tests.analyse.verwacht import WIJKEN
from tests.conftest import account

FEED = "/api/v1/odata"


def sleutel(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def basic(naam: str, headers: dict[str, str]) -> dict[str, str]:
    waarde = base64.b64encode(f"{naam}:{sleutel(headers)}".encode()).decode()
    return {"Authorization": f"Basic {waarde}"}


def dienst(
    live_server: str, naam: str, headers: dict[str, str], pagina: int
) -> tuple[ODataService, list[str]]:
    """python-odata as a reporting tool uses it: Basic sign-in, and pages of `pagina` rows;
    with the list of URLs it asked."""
    gevraagd: list[str] = []
    session = requests.Session()
    session.hooks["response"].append(lambda r, *args, **kwargs: gevraagd.append(r.url))
    session.auth = (naam, sleutel(headers))
    session.headers["Prefer"] = f"odata.maxpagesize={pagina}"
    service = ODataService(
        f"{live_server}{FEED}/",
        session=session,
        auth=session.auth,
        reflect_entities=True,
        quiet_progress=True,
    )
    return service, gevraagd


@pytest.fixture
def populatie(app: FastAPI, client: TestClient) -> None:
    registreer_populatie(app, client, seed=17, aantal=80)


@pytest.mark.slow  # a population of 80 trajecten, read page by page
def test_rapportage_reads_the_same_cells_as_tellingen_page_by_page(
    app: FastAPI, client: TestClient, live_server: str, populatie: None
) -> None:
    rapportage = account(app, "powerbi", "rapportage")
    service, gevraagd = dienst(live_server, "powerbi", rapportage, pagina=7)
    gesprekken = service.entities["Gesprekken"]
    gevraagd.clear()
    jaar = service.query(gesprekken).filter("Van ge 2025-01-01 and Tot le 2025-12-31")
    rijen = [(r.Periode, r.Wijk, r.Aantal, r.Onderdrukt) for r in jaar]
    # 2025: the year, 4 quarters and 12 months, each for the gemeente and every wijk.
    assert len(rijen) == 17 * (1 + len(WIJKEN))
    assert jaar.count() == len(rijen)
    assert (
        len(gevraagd) >= 3 and sum("%24skiptoken" in u or "$skiptoken" in u for u in gevraagd) >= 2
    )
    assert {p for p, *_ in rijen} == {"2025", *(f"2025-K{k}" for k in range(1, 5)),
                                      *(f"2025-{m:02d}" for m in range(1, 13))}  # fmt: skip
    feed = {(p, w): (a, o) for p, w, a, o in rijen}
    assert any(a is not None for a, _ in feed.values())
    # The same cells as /tellingen shows rapportage: the year per wijk, a month per wijk, and
    # the gemeente's quarter.
    for van, tot, periode in [
        ("2025-01-01", "2025-12-31", "2025"),
        ("2025-03-01", "2025-03-31", "2025-03"),
    ]:
        tabel = client.get(
            "/api/v1/tellingen",
            params={"van": van, "tot": tot, "dimensies": "wijk"},
            headers=rapportage,
        ).json()
        for rij in tabel["rijen"]:
            assert feed[(periode, rij["wijk"])] == (rij["aantal"], rij["onderdrukt"])
    tabel = client.get(
        "/api/v1/tellingen", params={"van": "2025-04-01", "tot": "2025-06-30"}, headers=rapportage
    ).json()
    assert feed[("2025-K2", None)] == (tabel["rijen"][0]["aantal"], tabel["rijen"][0]["onderdrukt"])

    per_vraagtype = service.entities["GesprekkenPerVraagtype"]
    feed_vraagtype = {
        r.Vraagtype: r.Aantal
        for r in service.query(per_vraagtype).filter("Periode eq '2024' and Wijk eq null")
    }
    tabel = client.get(
        "/api/v1/tellingen",
        params={"van": "2024-01-01", "tot": "2024-12-31", "dimensies": "vraagtype"},
        headers=rapportage,
    ).json()
    assert feed_vraagtype == {r["vraagtype"]: r["aantal"] for r in tabel["rijen"]}


def test_rapportage_gets_only_closed_grid_periods(app: FastAPI, client: TestClient) -> None:
    rapportage = account(app, "powerbi", "rapportage")
    context = app.state.context
    vandaag = context.vandaag()
    wachttijd = context.settings.publicatie_wachttijd_dagen
    antwoord = client.get(
        f"{FEED}/Trajecten", params={"$select": "Periode,Tot"}, headers=basic("powerbi", rapportage)
    )
    assert antwoord.status_code == 200, antwoord.text
    rijen = antwoord.json()["value"]
    assert rijen
    for rij in rijen:
        assert (vandaag - date.fromisoformat(rij["Tot"])).days > wachttijd
        assert set(rij) == {"Periode", "Tot"}
    # The kwartiermaker sees the running month too, with exact counts.
    kwartiermaker = account(app, "kwartiermaker", "kwartiermaker")
    antwoord = client.get(
        f"{FEED}/Trajecten",
        params={"$filter": f"Periode eq '{vandaag:%Y-%m}'", "$count": "true"},
        headers=kwartiermaker,
    )
    assert antwoord.status_code == 200
    assert antwoord.json()["@odata.count"] == 0  # nothing registered: exact, rows that occur


def test_query_options_select_order_count_top_skip(app: FastAPI, client: TestClient) -> None:
    rapportage = basic("powerbi", account(app, "powerbi", "rapportage"))
    alle = client.get(f"{FEED}/Codes", headers=rapportage).json()["value"]
    antwoord = client.get(
        f"{FEED}/Codes",
        params={
            "$filter": "Lijst eq 'vraagtypen' or Lijst eq 'locaties'",
            "$orderby": "Lijst desc,Code",
            "$select": "Lijst,Code",
            "$count": "true",
            "$top": "3",
            "$skip": "1",
        },
        headers=rapportage,
    )
    assert antwoord.headers["OData-Version"] == "4.0"
    inhoud = antwoord.json()
    verwacht = sorted(
        ({"Lijst": r["Lijst"], "Code": r["Code"]} for r in alle
         if r["Lijst"] in ("vraagtypen", "locaties")),
        key=lambda r: (r["Lijst"] != "vraagtypen", r["Code"]),
    )  # fmt: skip
    assert inhoud["@odata.count"] == len(verwacht)
    assert inhoud["value"] == verwacht[1:4]
    assert inhoud["@odata.context"].endswith("/$metadata#Codes(Lijst,Code)")


def odata_fout(antwoord: httpx.Response, status: int) -> dict[str, Any]:
    assert antwoord.status_code == status, antwoord.text
    assert antwoord.headers["content-type"].startswith("application/json")
    fout: dict[str, Any] = antwoord.json()["error"]
    assert fout["code"] and fout["message"]
    return fout


def test_a_bad_or_expired_skiptoken_is_an_error_not_an_empty_page(
    app: FastAPI, client: TestClient
) -> None:
    rapportage = basic("powerbi", account(app, "powerbi", "rapportage"))
    kop = {**rapportage, "Prefer": "odata.maxpagesize=5"}
    eerste = client.get(f"{FEED}/Codes", headers=kop)
    assert eerste.headers["Preference-Applied"] == "odata.maxpagesize=5"
    volgende = eerste.json()["@odata.nextLink"]
    assert len(client.get(volgende, headers=kop).json()["value"]) == 5
    url = httpx.URL(volgende)
    token = url.params["$skiptoken"]
    inhoud = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))

    def met_token(nieuw: dict[str, Any] | str) -> httpx.Response:
        tekst = (
            nieuw
            if isinstance(nieuw, str)
            else base64.urlsafe_b64encode(json.dumps(nieuw).encode()).decode()
        )
        return client.get(str(url.copy_set_param("$skiptoken", tekst)), headers=kop)

    fout = odata_fout(met_token("niet-een-token"), 400)
    assert fout["target"] == "$skiptoken" and "ongeldig" in fout["message"]
    fout = odata_fout(met_token({**inhoud, "t": inhoud["t"] - 7200}), 400)
    assert "verlopen" in fout["message"]
    fout = odata_fout(met_token({**inhoud, "d": "2020-01-01"}), 400)
    assert "verlopen" in fout["message"]
    # The token belongs to its own options: with another filter it is refused.
    anders = client.get(str(url.copy_set_param("$filter", "Lijst eq 'locaties'")), headers=kop)
    assert "andere vraag" in odata_fout(anders, 400)["message"]


def test_errors_are_odata_errors(app: FastAPI, client: TestClient) -> None:
    rapportage = account(app, "powerbi", "rapportage")
    fout = odata_fout(client.get(f"{FEED}/Wijken"), 401)
    fout = odata_fout(client.get(f"{FEED}/Wijken", headers=basic("iemand-anders", rapportage)), 401)
    assert "accountnaam" in fout["message"]
    antwoord = client.get(f"{FEED}/Wijken", headers=basic("powerbi", rapportage))
    assert antwoord.status_code == 200
    assert client.get(f"{FEED}/Wijken").headers["WWW-Authenticate"].startswith("Basic")
    werker = account(app, "werker", "preventiewerker", ["09"])
    odata_fout(client.get(f"{FEED}/Wijken", headers=werker), 403)
    odata_fout(client.get(f"{FEED}/Bestaatniet", headers=rapportage), 404)
    fout = odata_fout(
        client.get(f"{FEED}/Trajecten", params={"$filter": "Onbekend eq 1"}, headers=rapportage),
        400,
    )
    assert fout["target"] == "$filter"
    odata_fout(
        client.get(f"{FEED}/Trajecten", params={"$filter": "Van ge 5"}, headers=rapportage), 400
    )
    odata_fout(client.get(f"{FEED}/Trajecten", params={"$expand": "Wijk"}, headers=rapportage), 501)
    odata_fout(client.get(f"{FEED}/Trajecten", params={"$top": "-1"}, headers=rapportage), 400)
    # A key that is no system query option is refused as one, in OData's shape; sign-in first.
    for pad in ("", "/$metadata", "/Wijken", "/Wijken/$count"):
        assert client.get(f"{FEED}{pad}?wijk=09").status_code == 401
        fout = odata_fout(client.get(f"{FEED}{pad}?wijk=09&$top=1", headers=rapportage), 400)
        assert fout["target"] == "wijk"
        assert fout["details"][0]["message"].startswith("Onbekende parameter; hier kunnen: $")


@pytest.mark.slow  # a population of 80 trajecten
def test_jaarcijfers_are_the_numbers_of_the_jaaranalyse(
    app: FastAPI, client: TestClient, populatie: None
) -> None:
    rapportage = account(app, "powerbi", "rapportage")
    analyse = client.get("/api/v1/jaaranalyses/2025", headers=rapportage).json()
    antwoord = client.get(
        f"{FEED}/Jaarcijfers",
        params={"$filter": "Jaar eq 2025 and (Wijk eq null or Wijk eq '09')"},
        headers=basic("powerbi", rapportage),
    )
    assert antwoord.status_code == 200, antwoord.text
    feed = {(r["Wijk"], r["Deel"], r["Kenmerk"]): r["Waarde"] for r in antwoord.json()["value"]}
    assert {w for w, _, _ in feed} == {None, "09"}
    assert {d for _, d, _ in feed} == {"registraties", "inzet", "activiteiten", "effect",
                                       "ervaring", "gespecialiseerdeInzet"}  # fmt: skip
    totaal = analyse["totaal"]
    assert feed[(None, "registraties", "aantalGesprekken")] == totaal["aantalGesprekken"]
    for code, aantal in totaal["vraagtypen"].items():
        assert feed[(None, "registraties", f"vraagtypen.{code}")] == aantal
    wijk = next(w for w in analyse["wijken"] if w["wijk"] == "09")
    assert feed[("09", "registraties", "aantalTrajecten")] == wijk["aantalTrajecten"]
    assert feed[("09", "inzet", "normUrenPerWeek")] == wijk["inzet"]["normUrenPerWeek"]
