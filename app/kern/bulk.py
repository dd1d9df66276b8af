"""Loading many rows at once (`wijkcontact demo`): COPY on PostgreSQL, executemany on SQLite.

An executemany INSERT through SQLAlchemy prepares every row's parameters in Python (for the
demo's million gesprekken on SQLite 45 s of its 214 s, py-spy), and on PostgreSQL still sends
a statement per thousand rows. The fastest path differs per database, so it lives here, once:
PostgreSQL's COPY streams the rows in one command (psycopg 3's `cursor.copy`); SQLite has no
round trips, and the sqlite3 module's own `executemany` of one prepared INSERT runs the loop
in C.

Values go through the columns' own bind processors for the dialect, as an ordinary INSERT's
would: a column whose type changes (a uuid stored as bytes, a TypeDecorator) needs no change here.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.engine import Dialect
from sqlmodel import Session

# SQLite's page cache while loading, in KiB (a negative cache_size is KiB, not pages). The
# default 2 MB cannot hold the indexes on random uuids of a million rows: every insert then
# reads and writes pages of the database file and a load slows down as it grows. (A million
# gesprekken make a database of some 750 MB; a cache of 1 GB measured no faster.)
_SQLITE_CACHE_KIB = 512 * 1024


def _verbinding(verbinding: Session | Connection) -> Connection:
    return verbinding.connection() if isinstance(verbinding, Session) else verbinding


def _processors(
    tabel: Table, kolommen: Sequence[str], dialect: Dialect
) -> list[Callable[[Any], Any] | None]:
    return [tabel.c[k].type.dialect_impl(dialect).bind_processor(dialect) for k in kolommen]


def _verwerkt(
    rijen: Iterable[Sequence[Any]], processors: list[Callable[[Any], Any] | None]
) -> Iterator[Sequence[Any]]:
    if not any(processors):
        yield from rijen
        return
    paren = [(i, p) for i, p in enumerate(processors) if p is not None]
    for rij in rijen:
        waarden = list(rij)
        for i, proces in paren:
            if waarden[i] is not None:
                waarden[i] = proces(waarden[i])
        yield waarden


def voeg_in(
    verbinding: Session | Connection,
    tabel: Table,
    rijen: Iterable[Sequence[Any]],
    kolommen: Sequence[str] | None = None,
) -> None:
    """Insert `rijen` (tuples in the order of `kolommen`, default all of the table's columns)
    in the caller's transaction. No defaults are filled in: every column a row needs is given."""
    conn = _verbinding(verbinding)
    if not conn.in_transaction():
        conn.begin()  # as a statement through SQLAlchemy would: the caller commits
    dialect = conn.dialect
    kolommen = [k.name for k in tabel.columns] if kolommen is None else list(kolommen)
    quote = dialect.identifier_preparer
    naam = quote.format_table(tabel)
    lijst = ", ".join(quote.quote(k) for k in kolommen)
    waarden = _verwerkt(rijen, _processors(tabel, kolommen, dialect))
    # The driver's own connection, in the transaction SQLAlchemy began on it.
    driver: Any = conn.connection.driver_connection
    with closing(driver.cursor()) as cursor:
        if dialect.name == "postgresql":
            with cursor.copy(f"COPY {naam} ({lijst}) FROM STDIN") as copy:
                for rij in waarden:
                    copy.write_row(rij)
        else:
            plaatsen = ", ".join("?" for _ in kolommen)
            cursor.executemany(f"INSERT INTO {naam} ({lijst}) VALUES ({plaatsen})", waarden)


@contextmanager
def laden(verbinding: Session | Connection) -> Iterator[None]:
    """Settings of this connection for a large load, restored afterwards.

    On SQLite a page cache large enough for the indexes being filled (`cache_size` belongs to
    the connection only: a service beside it is not affected). PostgreSQL needs nothing: its
    shared buffers serve every connection.
    """
    conn = _verbinding(verbinding)
    if conn.dialect.name != "sqlite":
        yield
        return
    vorige = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(vorige)}")
