"""Hostile bodies are refused at the door: too large (413), too deep, too long, wrong type."""

import json
import time
import uuid
from collections.abc import Iterator

import httpx
from fastapi.testclient import TestClient

from app.kern.http_middleware import MAX_BODY_BYTES, nesting_depth
from tests.registraties import eerste_gesprek, gesprek


def problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "instance"} <= set(body)
    return body


def nothing_stored(client: TestClient, headers: dict[str, str]) -> None:
    assert client.get("/api/v1/trajecten", headers=headers).json()["totaal"] == 0


def test_a_body_over_the_limit_is_413_before_it_is_read(
    client: TestClient, werker: dict[str, str]
) -> None:
    body = json.dumps(eerste_gesprek(opvulling="x" * MAX_BODY_BYTES)).encode()
    response = client.post(
        "/api/v1/trajecten", content=body, headers={**werker, "Content-Type": "application/json"}
    )
    assert problem(response, 413)["type"] == "urn:wijkcontact:probleem:verzoek-te-groot"
    assert "xxxx" not in response.text
    nothing_stored(client, werker)


def test_a_chunked_body_without_length_is_cut_off_at_the_limit(
    client: TestClient, werker: dict[str, str]
) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"wijk": "09", "opvulling": "'
        for _ in range(1000):  # 4 MB if anyone read it all
            sent += 1
            yield b"x" * 4096
        yield b'"}'

    response = client.post(
        "/api/v1/trajecten",
        content=chunks(),
        headers={**werker, "Content-Type": "application/json"},
    )
    problem(response, 413)
    nothing_stored(client, werker)


def test_a_body_just_under_the_limit_is_read_and_judged_on_content(
    client: TestClient, werker: dict[str, str]
) -> None:
    body = json.dumps(eerste_gesprek(opvulling="x" * (MAX_BODY_BYTES - 500))).encode()
    assert len(body) <= MAX_BODY_BYTES
    response = client.post(
        "/api/v1/trajecten", content=body, headers={**werker, "Content-Type": "application/json"}
    )
    assert problem(response, 400)["invalidParams"] == [
        {"name": "opvulling", "reason": "Onbekend veld: dit veld hoort niet bij dit verzoek."}
    ]


def test_deeply_nested_json_is_refused_without_parsing(
    client: TestClient, werker: dict[str, str]
) -> None:
    diep = b'{"wijk": "09", "gesprek": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"
    started = time.perf_counter()
    response = client.post(
        "/api/v1/trajecten", content=diep, headers={**werker, "Content-Type": "application/json"}
    )
    assert time.perf_counter() - started < 1
    assert problem(response, 400)["invalidParams"] == [
        {"name": "body", "reason": "De JSON is te diep genest."}
    ]
    nothing_stored(client, werker)


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert nesting_depth(b'{"a": "' + b"[{" * 100 + b'\\"]"}') == 1
    assert nesting_depth(b"[" * 17 + b"]" * 17) == 17
    assert nesting_depth(json.dumps(eerste_gesprek()).encode()) <= 3


def test_a_huge_array_is_refused_with_its_limit(client: TestClient, werker: dict[str, str]) -> None:
    body = eerste_gesprek(gesprek=gesprek(vraagtypen=["eenzaamheid"] * 3000))
    response = client.post("/api/v1/trajecten", json=body, headers=werker)
    params = problem(response, 400)["invalidParams"]
    assert [p["name"] for p in params] == ["gesprek.vraagtypen"]  # type: ignore[index]
    nothing_stored(client, werker)


def test_a_follow_up_and_a_handover_have_the_same_limits(
    client: TestClient, werker: dict[str, str]
) -> None:
    code = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=werker).json()["code"]
    groot = b'{"x": "' + b"y" * MAX_BODY_BYTES + b'"}'
    for method, path in (
        ("POST", f"/api/v1/trajecten/{code}/gesprekken"),
        ("PUT", f"/api/v1/trajecten/{code}/overdracht"),
        ("POST", f"/api/v1/trajecten/{code}/afsluiting"),
    ):
        response = client.request(
            method, path, content=groot, headers={**werker, "Content-Type": "application/json"}
        )
        problem(response, 413)
    assert client.get(f"/api/v1/trajecten/{code}", headers=werker).json()["status"] == "open"


def test_json_with_a_charset_or_problem_type_is_still_json(
    client: TestClient, werker: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/trajecten",
        content=json.dumps(eerste_gesprek()).encode(),
        headers={**werker, "Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201


def test_a_body_without_content_type_is_415(client: TestClient, werker: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/trajecten", content=json.dumps(eerste_gesprek()).encode(), headers=werker
    )
    problem(response, 415)
    nothing_stored(client, werker)


def test_a_field_named_twice_is_refused_not_last_one_wins(
    client: TestClient, werker: dict[str, str]
) -> None:
    headers = {**werker, "Content-Type": "application/json"}
    eerste = json.dumps(eerste_gesprek())
    for body in (
        eerste.replace('"wijk": "09"', '"wijk": "09", "wijk": "10"'),
        eerste.replace('"locatie": "wijkgebouw"', '"locatie": "wijkgebouw", "locatie": "school"'),
    ):
        assert body != eerste
        response = client.post("/api/v1/trajecten", content=body.encode(), headers=headers)
        assert problem(response, 400)["invalidParams"] == [
            {
                "name": "body",
                "reason": "Een veld staat meer dan eens in hetzelfde JSON-object; "
                "stuur elk veld één keer.",
            }
        ]
        assert "school" not in response.text
    nothing_stored(client, werker)
    # The same name in two different objects is no duplicate.
    beide = eerste_gesprek(id=str(uuid.uuid4()), gesprek=gesprek(id=str(uuid.uuid4())))
    response = client.post("/api/v1/trajecten", content=json.dumps(beide), headers=headers)
    assert response.status_code == 201, response.text
