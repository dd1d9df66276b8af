from alembic import context
from sqlmodel import SQLModel

import app.analyse.models
import app.audit.models
import app.publicatie.models
import app.toegang.models
import app.trajecten.models  # noqa: F401 - registers the tables on the metadata
from app.kern.db import UUID_BYTES_VANAF, make_engine, uuid_als_hex
from app.kern.settings import get_settings

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    url = context.config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by dropping the old one, and on SQLite dropping a
            # table deletes its rows first, with every ON DELETE CASCADE that reaches from it.
            # The pragma only takes effect outside a transaction, so on the driver's connection
            # before the migrations begin theirs; foreign_key_check below still holds them to it.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            if sqlite:
                huidige = context.get_context().get_current_revision()
                uuid_als_hex(connection.dialect, huidige is None or huidige < UUID_BYTES_VANAF)
            context.run_migrations()
            if sqlite and (fout := connection.exec_driver_sql("PRAGMA foreign_key_check").first()):
                raise RuntimeError(f"een verwijzing klopt niet meer na de migratie: {fout}")
    engine.dispose()


run_migrations()
