from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.deps import ContextDep
from app.kern.problems import DatabaseOnbereikbaar, database_probleem

router = APIRouter(prefix="/health", include_in_schema=False)

# A database that answers reads but refuses writes (a read-only SQLite file, a PostgreSQL
# standby or read-only default) is not ready: every registration would fail. A write that
# changes no row is refused the same way, and writes nothing (the connection rolls back when it
# closes). Plain SQL that both databases read alike.
SCHRIJFPROEF = text("UPDATE traject SET status = status WHERE 1 = 0")


class Gezondheid(BaseModel):
    status: str


@router.get("/live")
def live() -> Gezondheid:
    return Gezondheid(status="ok")


@router.get("/ready")
def ready(context: ContextDep) -> Gezondheid:
    try:
        with context.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            connection.execute(SCHRIJFPROEF)
    except DBAPIError as exc:
        raise database_probleem(exc) from None
    except Exception:
        raise DatabaseOnbereikbaar() from None
    return Gezondheid(status="ok")
