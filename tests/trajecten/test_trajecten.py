import re
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import account
from tests.registraties import eerste_gesprek, gesprek, warme_overdracht


def start(client: TestClient, headers: dict[str, str], **velden: Any) -> dict[str, Any]:
    response = client.post("/api/v1/trajecten", json=eerste_gesprek(**velden), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def vervolg(client: TestClient, headers: dict[str, str], code: str, **velden: Any) -> Any:
    return client.post(
        f"/api/v1/trajecten/{code}/gesprekken", json=gesprek(**velden), headers=headers
    )


def test_first_gesprek_creates_traject_with_short_anonymous_code(
    client: TestClient, werker: dict[str, str]
) -> None:
    response = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker)
    assert response.status_code == 201
    traject = response.json()
    assert re.fullmatch(r"[0-9ABCDEFGHJKMNPQRSTVWXYZ]{6}", traject["code"])
    assert response.headers["Location"] == f"/api/v1/trajecten/{traject['code']}"
    assert traject["status"] == "open"
    assert traject["aantalGesprekken"] == 1
    assert traject["resterendeGesprekken"] == 4
    assert traject["overdrachtVereist"] is False
    assert traject["wijk"] == "09"
    [eerste] = traject["gesprekken"]
    assert eerste["volgnummer"] == 1
    assert eerste["datum"] == "2025-03-14"
    assert sorted(eerste["vraagtypen"]) == ["eenzaamheid", "geldzorgen"]
    assert traject["aangemaaktOp"].endswith("Z")

    gelezen = client.get(response.headers["Location"], headers=werker)
    assert gelezen.status_code == 200
    assert gelezen.json() == traject


def test_codes_differ_between_trajecten(client: TestClient, werker: dict[str, str]) -> None:
    codes = {start(client, werker)["code"] for _ in range(20)}
    assert len(codes) == 20


def test_code_is_found_however_the_worker_types_it(
    client: TestClient, werker: dict[str, str]
) -> None:
    code = start(client, werker)["code"]
    getypt = f"{code[:3].lower()}-{code[3:].lower()}"
    response = client.get(f"/api/v1/trajecten/{getypt}", headers=werker)
    assert response.status_code == 200
    assert response.json()["code"] == code


def test_follow_ups_count_down_to_the_limit(client: TestClient, werker: dict[str, str]) -> None:
    code = start(client, werker)["code"]
    for volgnummer in range(2, 6):
        response = vervolg(client, werker, code, datum=f"2025-04-0{volgnummer}")
        assert response.status_code == 201, response.text
        traject = response.json()
        assert traject["aantalGesprekken"] == volgnummer
        assert traject["resterendeGesprekken"] == 5 - volgnummer
        assert [g["volgnummer"] for g in traject["gesprekken"]] == list(range(1, volgnummer + 1))
    assert traject["overdrachtVereist"] is True
    assert traject["status"] == "open"


def test_sixth_gesprek_is_refused_with_guidance(client: TestClient, werker: dict[str, str]) -> None:
    code = start(client, werker)["code"]
    for _ in range(4):
        assert vervolg(client, werker, code).status_code == 201
    response = vervolg(client, werker, code)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("gesprekkenlimiet-bereikt")
    assert "warme overdracht" in problem["detail"]
    assert f"/trajecten/{code}/overdracht" in problem["detail"]
    assert client.get(f"/api/v1/trajecten/{code}", headers=werker).json()["aantalGesprekken"] == 5


def test_traject_at_limit_stays_in_worklist_until_handed_over(
    client: TestClient, werker: dict[str, str]
) -> None:
    code = start(client, werker)["code"]
    for _ in range(4):
        vervolg(client, werker, code)
    open_items = client.get("/api/v1/trajecten?status=open", headers=werker).json()["items"]
    assert [(i["code"], i["overdrachtVereist"]) for i in open_items] == [(code, True)]

    response = client.put(
        f"/api/v1/trajecten/{code}/overdracht",
        headers=werker,
        json={"doel": "ggz", "warm": True, "status": "aangemeld"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "overgedragen"
    assert response.json()["overdrachtVereist"] is False
    assert client.get("/api/v1/trajecten?status=open", headers=werker).json()["totaal"] == 0


def test_warm_handover_in_a_gesprek_closes_the_traject(
    client: TestClient, werker: dict[str, str]
) -> None:
    code = start(client, werker)["code"]
    response = client.post(
        f"/api/v1/trajecten/{code}/gesprekken",
        headers=werker,
        json=warme_overdracht("schuldhulp_vrijwillig"),
    )
    assert response.status_code == 201
    traject = response.json()
    assert traject["status"] == "overgedragen"
    assert traject["afgeslotenOp"] is not None
    assert traject["overdracht"]["doel"] == "schuldhulp_vrijwillig"
    assert traject["overdracht"]["niveau"] == "voorliggend"
    assert traject["overdracht"]["volgnummer"] == 2
    assert traject["resterendeGesprekken"] == 0

    later = vervolg(client, werker, code)
    assert later.status_code == 409
    assert later.json()["type"].endswith("traject-afgesloten")
    assert "nieuw traject" in later.json()["detail"]


def test_handover_in_the_first_gesprek(client: TestClient, werker: dict[str, str]) -> None:
    traject = start(client, werker, gesprek=warme_overdracht("gemeentelijke_toegang"))
    assert traject["status"] == "overgedragen"
    assert traject["overdracht"]["niveau"] == "gespecialiseerd"


def test_cold_referral_leaves_the_traject_open(client: TestClient, werker: dict[str, str]) -> None:
    traject = start(client, werker, gesprek=gesprek(afhandeling="verwezen"))
    assert traject["status"] == "open"
    assert traject["overdracht"] is None


def test_handover_status_can_be_updated_later(client: TestClient, werker: dict[str, str]) -> None:
    code = start(client, werker, gesprek=warme_overdracht("welzijnswerk"))["code"]
    response = client.put(
        f"/api/v1/trajecten/{code}/overdracht",
        headers=werker,
        json={"doel": "welzijnswerk", "warm": True, "status": "geaccepteerd"},
    )
    assert response.status_code == 200
    overdracht = response.json()["overdracht"]
    assert overdracht["status"] == "geaccepteerd"
    assert overdracht["bijgewerktOp"] >= overdracht["vastgelegdOp"]
    assert response.json()["status"] == "overgedragen"


def test_closing_without_handover(client: TestClient, werker: dict[str, str]) -> None:
    code = start(client, werker)["code"]
    response = client.post(f"/api/v1/trajecten/{code}/afsluiting", json={}, headers=werker)
    assert response.status_code == 200
    assert response.json()["status"] == "afgerond"
    again = client.post(f"/api/v1/trajecten/{code}/afsluiting", json={}, headers=werker)
    assert again.status_code == 200
    assert again.json()["afgeslotenOp"] == response.json()["afgeslotenOp"]
    assert vervolg(client, werker, code).status_code == 409
    overdracht = client.put(
        f"/api/v1/trajecten/{code}/overdracht", headers=werker, json={"doel": "ggz"}
    )
    assert overdracht.status_code == 409


def test_closing_a_handed_over_traject_is_refused(
    client: TestClient, werker: dict[str, str]
) -> None:
    code = start(client, werker, gesprek=warme_overdracht())["code"]
    response = client.post(f"/api/v1/trajecten/{code}/afsluiting", json={}, headers=werker)
    assert response.status_code == 409
    assert client.get(f"/api/v1/trajecten/{code}", headers=werker).json()["status"] == (
        "overgedragen"
    )


def test_afsluiting_body_must_be_empty(client: TestClient, werker: dict[str, str]) -> None:
    code = start(client, werker)["code"]
    response = client.post(
        f"/api/v1/trajecten/{code}/afsluiting", json={"reden": "x"}, headers=werker
    )
    assert response.status_code == 400
    assert client.get(f"/api/v1/trajecten/{code}", headers=werker).json()["status"] == "open"


def test_worklist_shows_own_trajecten_newest_first_with_paging(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    collega = account(app, "collega", "preventiewerker", ["09"])
    codes = [
        start(client, werker, gesprek=gesprek(datum=f"2025-05-{dag:02d}"))["code"]
        for dag in range(1, 8)
    ]
    start(client, collega)
    eerste = client.get("/api/v1/trajecten?paginaGrootte=3", headers=werker).json()
    assert eerste["totaal"] == 7
    assert [i["code"] for i in eerste["items"]] == codes[::-1][:3]
    assert eerste["paginaGrootte"] == 3
    derde = client.get("/api/v1/trajecten?paginaGrootte=3&pagina=3", headers=werker).json()
    assert [i["code"] for i in derde["items"]] == [codes[0]]
    item = eerste["items"][0]
    assert item["laatsteGesprekDatum"] == "2025-05-07"
    assert item["vraagtypen"] == ["eenzaamheid", "geldzorgen"]
    assert item["aantalGesprekken"] == 1


def test_worklist_filters_on_status_and_wijk(app: FastAPI, client: TestClient) -> None:
    werker = account(app, "tweewijken", "preventiewerker", ["09", "10"])
    open_code = start(client, werker)["code"]
    start(client, werker, wijk="10", gesprek=warme_overdracht())
    lijst = client.get("/api/v1/trajecten?status=open", headers=werker).json()
    assert [i["code"] for i in lijst["items"]] == [open_code]
    reek = client.get("/api/v1/trajecten?wijk=10", headers=werker).json()
    assert [i["wijk"] for i in reek["items"]] == ["10"]
    assert reek["items"][0]["status"] == "overgedragen"
    onbekend = client.get("/api/v1/trajecten?wijk=99", headers=werker)
    assert onbekend.status_code == 400
    assert onbekend.json()["invalidParams"][0]["name"] == "wijk"


def test_kwartiermaker_sees_every_traject_but_cannot_register(
    app: FastAPI, client: TestClient, werker: dict[str, str], kwartiermaker: dict[str, str]
) -> None:
    ander = account(app, "ander", "preventiewerker", ["01"])
    code = start(client, werker)["code"]
    start(client, ander, wijk="01")
    assert client.get("/api/v1/trajecten", headers=kwartiermaker).json()["totaal"] == 2
    assert client.get(f"/api/v1/trajecten/{code}", headers=kwartiermaker).status_code == 200
    assert (
        client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=kwartiermaker).status_code
        == 403
    )
    assert vervolg(client, kwartiermaker, code).status_code == 403


def test_worker_from_another_wijk_cannot_see_or_add(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    ander = account(app, "ander", "preventiewerker", ["01"])
    code = start(client, werker)["code"]
    assert client.get(f"/api/v1/trajecten/{code}", headers=ander).status_code == 404
    assert vervolg(client, ander, code).status_code == 404
    assert client.get("/api/v1/trajecten", headers=ander).json()["totaal"] == 0


def test_colleague_in_the_same_wijk_may_add_hand_over_and_close(
    app: FastAPI, client: TestClient, werker: dict[str, str]
) -> None:
    """One rule on all three paths: a colleague of the same lokaal team may close a traject,
    by a gesprek with a warm handover, by recording the handover, or by closing it."""
    collega = account(app, "collega", "preventiewerker", ["09"])
    ander = account(app, "ander", "preventiewerker", ["01"])

    via_gesprek = start(client, werker)["code"]
    antwoord = vervolg(client, collega, via_gesprek, **warme_overdracht())
    assert antwoord.status_code == 201
    assert antwoord.json()["status"] == "overgedragen"

    via_overdracht = start(client, werker)["code"]
    assert vervolg(client, ander, via_overdracht).status_code == 404
    assert (
        client.put(
            f"/api/v1/trajecten/{via_overdracht}/overdracht", json={"doel": "ggz"}, headers=ander
        ).status_code
        == 404
    )
    overdracht = client.put(
        f"/api/v1/trajecten/{via_overdracht}/overdracht", json={"doel": "ggz"}, headers=collega
    )
    assert overdracht.status_code == 200
    assert overdracht.json()["status"] == "overgedragen"

    via_afsluiting = start(client, werker)["code"]
    pad = f"/api/v1/trajecten/{via_afsluiting}/afsluiting"
    assert client.post(pad, json={}, headers=ander).status_code == 404
    afsluiten = client.post(pad, json={}, headers=collega)
    assert afsluiten.status_code == 200
    assert client.get(f"/api/v1/trajecten/{via_afsluiting}", headers=werker).json()["status"] == (
        "afgerond"
    )


def test_unknown_code_is_404(client: TestClient, werker: dict[str, str]) -> None:
    for code in ("ZZZZZZ", "bestaat-niet"):
        response = client.get(f"/api/v1/trajecten/{code}", headers=werker)
        assert response.status_code == 404
        assert response.json()["title"] == "Niet gevonden"
