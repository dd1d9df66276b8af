"""Who may do what: every route answers every role, and bad tokens get 401."""

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from app.kern.db import new_session, utcnow
from app.toegang.models import Token
from app.toegang.tokens import AccountFout, maak_account, trek_in
from tests.conftest import account
from tests.registraties import eerste_gesprek, gesprek

ACTIVITEIT_ID = "5d1b7c1e-2a55-4c43-9d43-2b0f4b6b9a10"
ACTIVITEIT = {
    "id": ACTIVITEIT_ID,
    "wijk": "09",
    "datum": "2025-03-14",
    "soort": "ontmoeting",
    "bijeenkomsten": 1,
    "deelnemers": 12,
    "vrijwilligers": 2,
    "initiatief": "samen",
}
# (method, path, body), run in this order: {code} is a traject of 'werker', in Schaijk, or on
# /vragenlijsten/ a questionnaire; {id} the activity that the POST before it registers.
ROUTES = [
    ("GET", "/api/v1/wijken", None),
    ("GET", "/api/v1/codelijsten", None),
    ("POST", "/api/v1/trajecten", eerste_gesprek()),
    ("GET", "/api/v1/trajecten", None),
    ("GET", "/api/v1/trajecten/{code}", None),
    ("POST", "/api/v1/trajecten/{code}/gesprekken", gesprek()),
    ("PATCH", "/api/v1/trajecten/{code}/gesprekken/{volgnummer}", {"locatie": "school"}),
    ("DELETE", "/api/v1/trajecten/{code}/gesprekken/{volgnummer}", None),
    ("PUT", "/api/v1/trajecten/{code}/overdracht", {"doel": "ggz"}),
    ("POST", "/api/v1/trajecten/{code}/afsluiting", {}),
    ("PATCH", "/api/v1/trajecten/{code}", {"leeftijdsgroep": "18_26"}),
    ("DELETE", "/api/v1/trajecten/{code}", None),
    ("GET", "/api/v1/jaaranalyses/{jaar}", None),
    ("GET", "/api/v1/tellingen?van=2025-01-01&tot=2025-12-31&dimensies=wijk", None),
    ("GET", "/api/v1/auditregels", None),
    ("PUT", "/api/v1/inzet/{jaar}/{wijk}", {"uren": [], "bedragen": []}),
    ("GET", "/api/v1/inzet/{jaar}", None),
    ("POST", "/api/v1/activiteiten", ACTIVITEIT),
    ("GET", "/api/v1/activiteiten", None),
    ("GET", "/api/v1/activiteiten/{id}", None),
    ("PATCH", "/api/v1/activiteiten/{id}", {"deelnemers": 5}),
    ("DELETE", "/api/v1/activiteiten/{id}", None),
    ("GET", "/api/v1/indicatoren", None),
    ("PUT", "/api/v1/indicatoren/{jaar}",
     {"waarden": [{"wijk": "09", "indicator": "inwoners", "waarde": 4000}]}),
    ("GET", "/api/v1/indicatoren/{jaar}", None),
    ("GET", "/api/v1/vragenlijsten", None),
    ("POST", "/api/v1/vragenlijsten/{code}/antwoorden",
     {"wijk": "09", "datum": "2025-03-14", "antwoorden": {"goed_geholpen": 4}}),
    ("GET", "/api/v1/vragenlijsten/{code}/resultaten?jaar=2025", None),
    ("PUT", "/api/v1/beschikkingen/{jaar}",
     {"aantallen": [{"wijk": "09", "voorziening": "wmo_begeleiding", "aantal": 12}]}),
    ("GET", "/api/v1/beschikkingen/{jaar}", None),
    # Last: signing out ends the token for the rest of the table.
    ("GET", "/api/v1/sessies/huidige", None),
    ("DELETE", "/api/v1/sessies/huidige", None),
]  # fmt: skip
# Signing in needs no token; its answers are tested in test_sessies.py.
PUBLIC = [("POST", "/api/v1/sessies")]
GEEN = [401] * len(ROUTES)
# fmt: off
# One row per role, so that it reads as a table. A rapportage key reads beschikkingen of a year
# nobody uploaded: 404, as for any year without an upload.
EXPECTED = {
    "preventiewerker": [200, 200, 201, 200, 200, 201, 200, 204, 200, 409, 200, 204, 403, 403, 403, 403, 403, 201, 200, 200, 200, 204, 200, 403, 403, 200, 201, 403, 403, 403, 200, 204],  # noqa: E501
    "kwartiermaker":   [200, 200, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 200, 200, 201, 200, 200, 200, 204, 200, 200, 200, 200, 403, 200, 200, 200, 200, 204],  # noqa: E501
    "rapportage":      [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 403, 200, 403, 403, 403, 403, 403, 200, 403, 200, 200, 403, 200, 403, 404, 200, 204],  # noqa: E501
    "beheerder":       [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 200, 403, 403, 403, 403, 200, 204],  # noqa: E501
    None: GEEN,
    "onbekend token": GEEN,
    "ingetrokken token": GEEN,
    "verlopen token": GEEN,
}
# fmt: on


def invullen(path: str, code: str) -> str:
    if path.startswith("/api/v1/vragenlijsten/"):
        code = "inwoners"
    return path.format(code=code, volgnummer=2, jaar=2025, wijk="09", id=ACTIVITEIT_ID)


@pytest.mark.parametrize("rol", list(EXPECTED))
def test_access_matrix(app: FastAPI, client: TestClient, rol: str | None) -> None:
    werker = account(app, "werker", "preventiewerker", ["09"])
    code = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker).json()["code"]
    if rol == "preventiewerker":
        headers = werker
    elif rol is None:
        headers = {}
    elif rol == "onbekend token":
        headers = {"Authorization": "Bearer wk_dit-token-bestaat-niet"}
    elif rol == "ingetrokken token":
        headers = account(app, "weg", "preventiewerker", ["09"])
        with new_session(app.state.context.engine) as session:
            trek_in(session, "weg")
    elif rol == "verlopen token":
        headers = account(app, "oud", "preventiewerker", ["09"])
        with new_session(app.state.context.engine) as session:
            for token in session.exec(select(Token)):
                token.verloopt_op = utcnow() - timedelta(minutes=1)
                session.add(token)
            session.commit()
    else:
        headers = account(app, rol, rol)
    statuses = [
        client.request(method, invullen(path, code), json=body, headers=headers).status_code
        for method, path, body in ROUTES
    ]
    assert statuses == EXPECTED[rol]


def test_matrix_covers_every_api_route(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    served = {
        (method.upper(), "/api/v1" + path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    assert served == {(m, p.split("?")[0]) for m, p, _ in ROUTES} | set(PUBLIC)


def test_malformed_authorization_header_is_401(client: TestClient) -> None:
    for value in ("wk_abc", "Basic dXNlcjpwdw==", "Bearer", "Bearer "):
        response = client.get("/api/v1/wijken", headers={"Authorization": value})
        assert response.status_code == 401


def test_account_rules(app: FastAPI) -> None:
    context = app.state.context
    with new_session(context.engine) as session:
        for naam, rol, wijken in [
            ("a", "baas", []),
            ("b", "preventiewerker", []),
            ("c", "preventiewerker", ["99"]),
            ("d", "kwartiermaker", ["09"]),
            ("", "beheerder", []),
        ]:
            with pytest.raises(AccountFout):
                maak_account(session, naam, rol, wijken, context.indeling.codes)
        maak_account(session, "e", "beheerder", [], context.indeling.codes)
        with pytest.raises(AccountFout, match="bestaat al"):
            maak_account(session, "e", "beheerder", [], context.indeling.codes)


def test_without_a_token_an_invalid_body_is_still_401(client: TestClient) -> None:
    """The header is checked before the body: without sign-in nothing about the body is told."""
    response = client.post("/api/v1/trajecten", json={"wijk": "??"})
    assert response.status_code == 401
    assert "invalidParams" not in response.json()


def test_invalid_input_from_a_caller_without_access_is_401_or_403(
    app: FastAPI, client: TestClient
) -> None:
    """The trajecten routes look up the token in their own work, after FastAPI validated the
    input; a caller without access must still hear 401 or 403 and nothing about its input."""
    onbekend = {"Authorization": "Bearer wk_dit-token-bestaat-niet"}
    kwartiermaker = account(app, "kim", "kwartiermaker")
    werker = account(app, "werker", "preventiewerker", ["09"])
    ongeldig = {"wijk": "??"}
    for pad in ("/api/v1/trajecten", "/api/v1/trajecten/ABC123/gesprekken"):
        assert client.post(pad, json=ongeldig, headers=onbekend).status_code == 401
        geweigerd = client.post(pad, json=ongeldig, headers=kwartiermaker)
        assert geweigerd.status_code == 403
        assert "invalidParams" not in geweigerd.json()
        assert client.post(pad, json=ongeldig, headers=werker).status_code == 400
    # An invalid or unknown query parameter, likewise: nothing about it is told.
    for pad in ("trajecten?pagina=0", "trajecten?statu=open", "trajecten/ABC123?x=1"):
        assert client.get(f"/api/v1/{pad}", headers=onbekend).status_code == 401
        assert client.get(f"/api/v1/{pad}", headers=werker).status_code == 400
    geweigerd = client.get("/api/v1/auditregels?statu=open", headers=kwartiermaker)
    assert geweigerd.status_code == 403
    assert "invalidParams" not in geweigerd.json()
