from alembic import context
from sqlmodel import SQLModel

import app.analyse.models
import app.audit.models
import app.publicatie.models
import app.toegang.models
import app.trajecten.models  # noqa: F401 - registers the tables on the metadata
from app.kern.db import make_engine
from app.kern.settings import get_settings

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    url = context.config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
