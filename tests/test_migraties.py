"""Every schema change is an Alembic revision: the models and the migrations agree, both ways."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import app.main  # noqa: F401 - every package's routes, and with them all its tables
from app.kern.db import make_engine
from app.kern.migrate import downgrade, upgrade
from tests.conftest import create_database

# Every revision up and down on both databases.
pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migraties.db'}"
    return create_database(request.getfixturevalue("postgres_server"), "wijkcontact_migraties")


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_upgrade_matches_the_models_and_downgrade_removes_everything(empty_database: str) -> None:
    upgrade(empty_database)
    assert tables(empty_database) >= {t.name for t in SQLModel.metadata.sorted_tables}

    engine = make_engine(empty_database)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        verschillen = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert verschillen == []

    downgrade(empty_database)
    assert tables(empty_database) <= {"alembic_version"}
    upgrade(empty_database)
    assert tables(empty_database) >= {t.name for t in SQLModel.metadata.sorted_tables}
