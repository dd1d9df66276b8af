from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine


def normalise_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and use the psycopg 3 driver for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(
    url: str, *, busy_timeout: float = 5.0, pool_size: int = 10, pool_overflow: int = 10
) -> Engine:
    url = normalise_url(url)
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(
            url,
            # pre_ping lets the pool recover by itself after the database restarted.
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=pool_overflow,
            # A request waiting for a free connection fails (503) rather than hangs.
            pool_timeout=10,
            # An unreachable server answers 503 in seconds, not after the TCP timeout.
            connect_args={"connect_timeout": 5},
        )
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so that BEGIN IMMEDIATE below works.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Waiting for another process's write lock ends in a clear 503, never in a hang.
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        if connection.get_execution_options().get(ALLEEN_LEZEN):
            # Reads share the database; in WAL mode they never wait for a writer.
            connection.exec_driver_sql("BEGIN")
            return
        # A write lock from the start: a read that later writes can never deadlock with
        # another writer, which is what makes the five-conversation check race-free here.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


ALLEEN_LEZEN = "wijkcontact_alleen_lezen"


def new_session(engine: Engine, alleen_lezen: bool = False) -> Session:
    """A session; alleen_lezen for requests that never write (on SQLite: no write lock)."""
    if alleen_lezen:
        engine = engine.execution_options(**{ALLEEN_LEZEN: True})
    # Objects stay readable after commit: routes answer with what they just stored.
    return Session(engine, expire_on_commit=False)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(waarde: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return waarde.replace(tzinfo=UTC) if waarde.tzinfo is None else waarde.astimezone(UTC)
