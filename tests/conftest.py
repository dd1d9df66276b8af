import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlmodel import SQLModel

from app.kern.db import new_session
from app.kern.migrate import upgrade
from app.kern.settings import Settings
from app.main import create_app
from app.toegang import wachtwoorden
from app.toegang.tokens import maak_account
from tests.postgres import free_port, throwaway_postgres

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", autouse=True)
def production_hashing() -> Iterator[tuple[PasswordHasher, str]]:
    """Cheap argon2id in this process; answers production's hasher and unknown-name hash.

    Production's parameters (RFC 9106's low-memory profile: 64 MiB, three passes) cost 0.2 s of
    CPU for every hash and every check, and the fast set does some forty of them. What the
    tests ask of hashing here is that it is argon2id and the same for every account and for the
    unknown name; tests/toegang/test_wachtwoorden.py checks production's parameters, and the
    served processes (tests/dienst.py, the CLI) hash with them.
    """
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    production = (wachtwoorden._hasher, wachtwoorden._DUMMY)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wachtwoorden, "_hasher", cheap)
        patch.setattr(wachtwoorden, "_DUMMY", cheap.hash("geen-account-met-deze-naam"))
        yield production


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
def emptying_engine(migrated_postgres: str) -> Iterator[Engine]:
    # One engine for the session: a new one per test spent more on connecting than on emptying.
    engine = create_engine(migrated_postgres)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def sqlite_path() -> Iterator[Path]:
    """One path for the SQLite test database, so that one app can serve test after test.

    In memory where the machine has a tmpfs, as the PostgreSQL test server runs without fsync:
    on disk every commit waited about a millisecond for a flush that no test is about.
    """
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(
        prefix="wijkcontact-test-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    ) as directory:
        yield Path(directory) / "wijkcontact.db"


def fresh_sqlite(template: Path, path: Path) -> None:
    """Put a copy of the migrated template at `path`, as a new file.

    Replaced, not overwritten: a connection a test left open keeps reading the old file
    instead of a file that changes under it. The old WAL and shared-memory files go with it.
    """
    copy = path.with_name(path.name + ".nieuw")
    shutil.copy(template, copy)
    for rest in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        rest.unlink(missing_ok=True)
    os.replace(copy, path)


@pytest.fixture(scope="session")
def shared_urls() -> set[str]:
    """The URLs database_url answers; each test finds a fresh database at one of them."""
    return set()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, shared_urls: set[str]) -> str:
    """A migrated, empty database of each kind, fresh for every test, at the same URL each time."""
    if request.param == "sqlite":
        path: Path = request.getfixturevalue("sqlite_path")
        fresh_sqlite(request.getfixturevalue("migrated_sqlite_template"), path)
        shared_urls.add(f"sqlite:///{path}")
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("migrated_postgres")
    shared_urls.add(url)
    engine: Engine = request.getfixturevalue("emptying_engine")
    tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        # A connection some test left in a transaction would make TRUNCATE wait for ever.
        connection.execute(text("SET LOCAL lock_timeout = '10s'"))
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Sign-in slow-down kept small so that brute-force tests stay quick.
    return Settings(
        database_url=database_url,
        inlog_vertraging_seconden=0.0,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(scope="session")
def built_apps() -> Iterator[dict[str, FastAPI]]:
    """Apps by their settings, for the whole session.

    Building the app is most of the cost of a small test: create_app, then FastAPI's route
    contexts on the first requests and the OpenAPI document, each again for every new app. The
    app keeps nothing of a test between requests (counts and sessions are in the database), so
    one app per settings serves every test that asks for those settings.
    """
    apps: dict[str, FastAPI] = {}
    yield apps
    for application in apps.values():
        application.state.context.engine.dispose()


@pytest.fixture
def app(
    settings: Settings, built_apps: dict[str, FastAPI], shared_urls: set[str]
) -> Iterator[FastAPI]:
    if settings.database_url not in shared_urls:
        # A database of the test's own (the browser tests): an app of its own too.
        application = create_app(settings)
        yield application
        application.state.context.engine.dispose()
        return
    key = settings.model_dump_json()
    if key not in built_apps:
        built_apps[key] = create_app(settings)
    application = built_apps[key]
    yield application
    if settings.database_url.startswith("sqlite"):
        # The next test's database is a new file: connections to this one must not serve it.
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
