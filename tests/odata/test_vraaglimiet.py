"""A page of figures costs a rapportage account one question of its hourly allowance, as a
/tellingen question does; the feed's description (service document, $metadata, Wijken, Codes)
costs nothing. Over the limit: 429 with Retry-After, in OData's error format."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.kern.settings import Settings
from app.main import create_app
from tests.conftest import account


def test_pages_of_figures_count_against_the_hourly_limit(database_url: str) -> None:
    app: FastAPI = create_app(
        Settings(database_url=database_url, rapportage_per_uur=2, _env_file=None)  # type: ignore[call-arg]
    )
    try:
        client = TestClient(app)
        rapportage = account(app, "powerbi", "rapportage")
        for pad in ("", "/$metadata", "/Wijken", "/Codes", "/Wijken"):
            assert client.get(f"/api/v1/odata{pad}", headers=rapportage).status_code == 200
        filter_ = {"$filter": "Jaar eq 2025 and Periodesoort eq 'jaar'"}
        for _ in range(2):
            antwoord = client.get("/api/v1/odata/Trajecten", params=filter_, headers=rapportage)
            assert antwoord.status_code == 200
        antwoord = client.get("/api/v1/odata/Trajecten", params=filter_, headers=rapportage)
        assert antwoord.status_code == 429
        assert int(antwoord.headers["Retry-After"]) > 0
        assert antwoord.json()["error"]["code"] == "te-veel-vragen"
        # The allowance is the account's, shared with /tellingen.
        tellingen = client.get(
            "/api/v1/tellingen",
            params={"van": "2025-01-01", "tot": "2025-12-31"},
            headers=rapportage,
        )
        assert tellingen.status_code == 429
    finally:
        app.state.context.engine.dispose()
