"""opslag: fewer bytes per gesprek on disk (issue 14)

- `verzoek_hash` (traject, gesprek, activiteit, ervaring_respons): the first 16 bytes of the
  SHA-256, raw, instead of its 64 hexadecimal characters (app.kern.idempotentie says why 16
  are enough). A retry of a request stored before the upgrade is still recognised: its stored
  hash is cut to the same 16 bytes the service now computes.
- gesprek_vraagtype is a WITHOUT ROWID table on SQLite: its primary key is the whole row, kept
  once instead of twice. PostgreSQL has no such option and is left as it is.
- UUIDs on SQLite: 16 bytes (app.kern.db.Uuid16) instead of 32 hexadecimal characters, in every
  table and index that holds one. PostgreSQL's uuid columns already take 16 bytes.

All are converted in SQL, table by table; on SQLite each changed table is rebuilt (batch
mode), on PostgreSQL one ALTER TABLE per table rewrites it. The downgrade gives back 32
hexadecimal characters: the other half of the hash is gone, so a retry of a request stored
before the downgrade is then refused as a clash (409) instead of answered as a retry.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 14:45:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.kern.db import Uuid16, uuid_als_hex
from app.kern.idempotentie import VERZOEK_HASH_BYTES

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MET_VERZOEK_HASH = ("traject", "gesprek", "activiteit", "ervaring_respons")
HEX = sa.String(64)
BYTES = sa.LargeBinary(VERZOEK_HASH_BYTES)
# Every UUID column; on SQLite they change from 32 hexadecimal characters to 16 bytes.
UUIDS = {
    "traject": ("id",),
    "gesprek": ("id", "traject_id"),
    "gesprek_vraagtype": ("gesprek_id",),
    "overdracht": ("traject_id", "gesprek_id"),
    "analyse_traject": ("traject_id",),
    "activiteit": ("id",),
    "ervaring_respons": ("id",),
    "ervaring_antwoord": ("respons_id",),
}


def _sqlite() -> bool:
    # SQLite can change neither a column's type nor a table's rowid in place: it stores the
    # new values in the old columns first (a column of any type holds any value there), then
    # rebuilds the table with the new declaration. PostgreSQL converts during its ALTER TABLE,
    # and its uuid columns already take 16 bytes.
    return op.get_bind().dialect.name == "sqlite"


def _batch(tabel: str, sqlite: bool, with_rowid: bool) -> Any:
    if sqlite and tabel == "gesprek_vraagtype":
        return op.batch_alter_table(
            tabel, recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
        )
    return op.batch_alter_table(tabel)


def _unhex(waarde: str | None) -> bytes | None:
    return None if waarde is None else bytes.fromhex(waarde)


def _cache() -> None:
    # Every key changes, so every index entry moves within one transaction: with SQLite's
    # default cache of 2 MB that spills to disk over and over (a million gesprekken: 160 s
    # instead of 110 s with this). Taken only as far as needed; this connection is the
    # migration's own and closes after it.
    op.execute("PRAGMA cache_size = -262144")


def upgrade() -> None:
    sqlite = _sqlite()
    if sqlite:
        _cache()
        # SQLite has unhex() only from 3.41 on; Python's is the same for valid hexadecimal.
        op.get_bind().connection.driver_connection.create_function(  # type: ignore[union-attr]
            "wijkcontact_unhex", 1, _unhex, deterministic=True
        )
        for tabel, kolommen in UUIDS.items():
            waarden = [f"{k} = wijkcontact_unhex({k})" for k in kolommen]
            if tabel in MET_VERZOEK_HASH:
                lengte = 2 * VERZOEK_HASH_BYTES
                waarden.append(
                    f"verzoek_hash = wijkcontact_unhex(substr(verzoek_hash, 1, {lengte}))"
                )
            op.execute(f"UPDATE {tabel} SET {', '.join(waarden)}")
    for tabel in UUIDS:
        with _batch(tabel, sqlite, with_rowid=False) as batch_op:
            if tabel in MET_VERZOEK_HASH:
                batch_op.alter_column(
                    "verzoek_hash",
                    existing_type=HEX,
                    type_=BYTES,
                    existing_nullable=False,
                    postgresql_using="decode(substr(verzoek_hash, 1, "
                    f"{2 * VERZOEK_HASH_BYTES}), 'hex')",
                )
            for kolom in UUIDS[tabel] if sqlite else ():
                batch_op.alter_column(kolom, existing_type=sa.Uuid(), type_=Uuid16())
    if sqlite:
        uuid_als_hex(op.get_bind().dialect, False)


def downgrade() -> None:
    sqlite = _sqlite()
    if sqlite:
        # The revisions below load registrations through the current code (0011's downgrade).
        uuid_als_hex(op.get_bind().dialect, True)
        _cache()
        for tabel, kolommen in UUIDS.items():
            # hex(NULL) is the empty string: an overdracht without gesprek keeps its NULL.
            waarden = [f"{k} = nullif(lower(hex({k})), '')" for k in kolommen]
            if tabel in MET_VERZOEK_HASH:
                waarden.append("verzoek_hash = lower(hex(verzoek_hash))")
            op.execute(f"UPDATE {tabel} SET {', '.join(waarden)}")
    for tabel in UUIDS:
        with _batch(tabel, sqlite, with_rowid=True) as batch_op:
            if tabel in MET_VERZOEK_HASH:
                batch_op.alter_column(
                    "verzoek_hash",
                    existing_type=BYTES,
                    type_=HEX,
                    existing_nullable=False,
                    postgresql_using="encode(verzoek_hash, 'hex')",
                )
            for kolom in UUIDS[tabel] if sqlite else ():
                batch_op.alter_column(kolom, existing_type=Uuid16(), type_=sa.Uuid())
