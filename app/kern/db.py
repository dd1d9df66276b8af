import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import LargeBinary, Table, TypeDecorator, Uuid, event
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, SQLModel, create_engine


def tabel_van(model: type[SQLModel]) -> Table:
    """The Core table of a `table=True` model, typed (for inserts and updates without the ORM)."""
    # SQLModel sets `__table__` on every table model but does not declare it for type checkers.
    return model.__table__  # type: ignore[attr-defined,no-any-return]


# The revision from which SQLite keeps UUIDs in 16 bytes; before it, as 32 hexadecimal characters.
UUID_BYTES_VANAF = "0013"
_UUID_ALS_HEX = "wijkcontact_uuid_als_hex"


def uuid_als_hex(dialect: Dialect, ja: bool) -> None:
    """Read and write UUIDs on this engine's SQLite database as hexadecimal text (or not).

    Only for migrations: revisions before UUID_BYTES_VANAF that load registrations through the
    current code (0003's upgrade, 0011's downgrade) meet the UUIDs in the form of their time.
    Set on the migration engine's own dialect, which the service's engine never shares.
    """
    setattr(dialect, _UUID_ALS_HEX, ja)


class Uuid16(TypeDecorator[uuid.UUID]):
    """A UUID in 16 bytes on both databases: PostgreSQL's own uuid, on SQLite a BLOB.

    SQLAlchemy's `Uuid` stores 32 hexadecimal characters on SQLite: 33 bytes in the row and
    again in every index that holds the key, where 17 do. Which database gets which is decided
    here only; the models and queries use this one type.
    """

    impl = Uuid
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(LargeBinary(16))
        return dialect.type_descriptor(Uuid())

    def bind_processor(self, dialect: Dialect) -> Any:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        # One function instead of LargeBinary's on top: sqlite3 stores bytes as a BLOB.
        def process(waarde: Any) -> bytes | str | None:
            if waarde is None:
                return None
            u = waarde if isinstance(waarde, uuid.UUID) else uuid.UUID(waarde)
            return u.hex if getattr(dialect, _UUID_ALS_HEX, False) else u.bytes

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def process(waarde: bytes | str | None) -> uuid.UUID | None:
            if waarde is None:
                return None
            return uuid.UUID(hex=waarde) if isinstance(waarde, str) else uuid.UUID(bytes=waarde)

        return process


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
        engine = create_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_overflow,
            # A request waiting for a free connection fails (503) rather than hangs.
            pool_timeout=10,
            # An unreachable server answers 503 in seconds, not after the TCP timeout.
            connect_args={"connect_timeout": 5},
        )
        _ping_na_stilte(engine)
        return engine
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout},
        # pysqlite's own transaction handling is off (below): every transaction is begun
        # explicitly by `_begin`. Saying so to SQLAlchemy keeps it from switching pysqlite's
        # handling back on when a connection that asked for AUTOCOMMIT returns to the pool.
        isolation_level="AUTOCOMMIT",
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so that BEGIN IMMEDIATE below works.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL: a registration that got its 201 survives a power loss too, not only a crash of
        # the process (NORMAL would lose the last commits in WAL mode).
        cursor.execute("PRAGMA synchronous=FULL")
        # Waiting for another process's write lock ends in a clear 503, never in a hang.
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        opties = connection.get_execution_options()
        if opties.get("isolation_level") == "AUTOCOMMIT":
            return  # asked for by name (`buiten_transactie`): each statement on its own
        if opties.get(ALLEEN_LEZEN):
            # Reads share the database; in WAL mode they never wait for a writer.
            connection.exec_driver_sql("BEGIN")
            return
        # A write lock from the start: a read that later writes can never deadlock with
        # another writer, which is what makes the five-conversation check race-free here.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


ALLEEN_LEZEN = "wijkcontact_alleen_lezen"
# A pooled connection unused for longer than this is tested before use.
PING_NA_STILTE_SECONDEN = 1.0
_TERUG_OP = "wijkcontact_terug_op"


def _ping_na_stilte(engine: Engine) -> None:
    """Test a pooled connection before use only when it lay unused for a while.

    SQLAlchemy's pool_pre_ping tests it on every checkout, a round trip on every request. A
    connection in steady use is known to work; one that breaks while in use (the database
    restarted) fails its request with a 503 and makes SQLAlchemy replace the whole pool, so the
    service recovers by itself. What this test adds: a connection that went stale while idle,
    for instance overnight, is replaced before a request ever sees it.
    """

    @event.listens_for(engine, "checkin")
    def _terug(_dbapi_connection: Any, record: Any) -> None:
        record.info[_TERUG_OP] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _uit(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get(_TERUG_OP, 0.0) < PING_NA_STILTE_SECONDEN:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as fout:
            # The pool then opens a new connection (up to three attempts) for this checkout.
            raise DisconnectionError() from fout


def buiten_transactie(session: Session) -> None:
    """Let the session's next statements run outside a transaction, until its next commit.

    For one short read before the request's own work (the sign-in check): on PostgreSQL it
    then costs one round trip instead of three (BEGIN, the read, COMMIT), on SQLite it holds no
    lock, and the work after the commit starts a transaction of its own.
    """
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def new_session(engine: Engine, alleen_lezen: bool = False) -> Session:
    """A session; alleen_lezen for requests that never write (on SQLite: no write lock)."""
    if alleen_lezen:
        engine = engine.execution_options(**{ALLEEN_LEZEN: True})
    # Objects stay readable after commit: routes answer with what they just stored.
    return Session(engine, expire_on_commit=False)


def een_schrijfslot(engine: Engine) -> bool:
    """Whether every write transaction waits for one lock on the whole database (SQLite).

    Work that can be done in a read transaction then belongs there: a long write transaction
    makes every registration wait, where on PostgreSQL it only locks the rows it touches.
    """
    return engine.dialect.name == "sqlite"


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(waarde: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return waarde.replace(tzinfo=UTC) if waarde.tzinfo is None else waarde.astimezone(UTC)


def upsert(tabel: Table) -> postgresql.Insert:
    """INSERT ... ON CONFLICT, one construct for both databases.

    PostgreSQL's construct: SQLite's compiler renders its `on_conflict_do_update` as well (both
    compilers visit the clause by the same name). Name the conflict by `index_elements`, never
    by `constraint`, which SQLite has no syntax for. tests/test_upsert.py compiles it for both.
    """
    return postgresql.insert(tabel)
