from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.kern.db import make_engine, normalise_url


def _migrations() -> Path:
    # A checkout keeps the revisions in migrations/ next to the package; a wheel ships them
    # inside it as app/migrations (see setup.py).
    pakket = Path(__file__).resolve().parents[1]
    for kandidaat in (pakket.parent / "migrations", pakket / "migrations"):
        if (kandidaat / "env.py").is_file():
            return kandidaat
    raise RuntimeError("de migraties van wijkcontact ontbreken in deze installatie")


MIGRATIONS = _migrations()


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would trip over a % in a password.
    config.set_main_option("sqlalchemy.url", normalise_url(database_url).replace("%", "%%"))
    return config


# Any fixed number: the key of the PostgreSQL advisory lock that migrations take.
MIGRATIE_SLOT = 7_157_001


def upgrade(database_url: str, revision: str = "head") -> None:
    if make_url(normalise_url(database_url)).get_backend_name() != "postgresql":
        command.upgrade(alembic_config(database_url), revision)
        return
    # Replicas that start together would each run the same revision; one at a time, the
    # others then find the database already at head.
    engine = make_engine(database_url)
    try:
        with engine.connect() as slot:
            slot.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATIE_SLOT})
            try:
                command.upgrade(alembic_config(database_url), revision)
            finally:
                slot.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATIE_SLOT})
    finally:
        engine.dispose()


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)
