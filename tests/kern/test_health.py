import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from app.kern.settings import Settings
from app.main import create_app
from tests.postgres import free_port


def test_live_and_ready(client: TestClient) -> None:
    assert client.get("/health/live").json() == {"status": "ok"}
    assert client.get("/health/ready").json() == {"status": "ok"}


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_ready_fails_when_postgresql_refuses_writes(database_url: str, client: TestClient) -> None:
    """A standby, or a read-only default, answers reads, yet every registration would fail.
    (A read-only SQLite file: tests/kern/test_storingen.py.)"""
    alleen_lezen = make_url(database_url).update_query_dict(
        {"options": "-c default_transaction_read_only=on"}
    )
    app = create_app(Settings(database_url=alleen_lezen.render_as_string(False), _env_file=None))  # type: ignore[call-arg]
    try:
        ready = TestClient(app).get("/health/ready")
    finally:
        app.state.context.engine.dispose()
    assert ready.status_code == 503
    assert ready.headers["retry-after"]
    assert "alleen-lezen" in ready.json()["detail"]
    assert client.get("/health/ready").status_code == 200


def test_ready_fails_with_503_when_the_database_is_unreachable() -> None:
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/wijkcontact?connect_timeout=2"
    app = create_app(Settings(database_url=url, _env_file=None))  # type: ignore[call-arg]
    client = TestClient(app)
    assert client.get("/health/live").status_code == 200
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/problem+json"
    assert ready.headers["retry-after"]
    assert "nobody" not in ready.text and "psycopg" not in ready.text


def test_api_answers_503_problem_when_the_database_is_unreachable() -> None:
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/wijkcontact?connect_timeout=2"
    client = TestClient(create_app(Settings(database_url=url, _env_file=None)))  # type: ignore[call-arg]
    response = client.get("/api/v1/wijken", headers={"Authorization": "Bearer wk_x"})
    assert response.status_code == 503
    assert response.json()["title"] == "Tijdelijk niet beschikbaar"
    assert response.headers["retry-after"] == "5"
