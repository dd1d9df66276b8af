import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from app.kern.db import new_session
from app.kern.migrate import upgrade
from app.kern.settings import Settings
from app.main import create_app
from app.toegang.tokens import maak_account
from tests.postgres import free_port, throwaway_postgres

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    existing = os.environ.get("WIJKCONTACT_TEST_POSTGRES_URL")
    if existing:
        yield existing
        return
    with throwaway_postgres() as url:
        yield url


def create_database(server_url: str, name: str) -> str:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session")
def migrated_postgres(postgres_server: str) -> str:
    url = create_database(postgres_server, "wijkcontact_test")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of each kind, fresh for every test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("migrated_sqlite_template")
        path = tmp_path / "wijkcontact.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("migrated_postgres")
    engine = create_engine(url)
    tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Sign-in slow-down kept small so that brute-force tests stay quick.
    return Settings(
        database_url=database_url,
        inlog_vertraging_seconden=0.0,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.context.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


def account(
    app: FastAPI,
    naam: str,
    rol: str,
    wijken: list[str] | None = None,
    wachtwoord: str | None = None,
) -> dict[str, str]:
    """Create an account the way the CLI does; answers the Authorization header for it."""
    context = app.state.context
    with new_session(context.engine) as session:
        _, token = maak_account(
            session, naam, rol, wijken or [], context.indeling.codes, wachtwoord
        )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def werker(app: FastAPI) -> dict[str, str]:
    """A preventiewerker in Schaijk (09)."""
    return account(app, "werker", "preventiewerker", ["09"])


@pytest.fixture
def kwartiermaker(app: FastAPI) -> dict[str, str]:
    return account(app, "kwartiermaker", "kwartiermaker")


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[str]:
    """The app served by a real uvicorn on a free port, for tests that need real concurrency."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
