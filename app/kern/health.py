from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.deps import ContextDep
from app.kern.problems import DatabaseOnbereikbaar, database_probleem

router = APIRouter(prefix="/health", include_in_schema=False)


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
            if connection.dialect.name == "sqlite":
                # A read-only SQLite file still answers reads, yet every registration would
                # fail: a write that changes no row is refused the same way, and nothing is
                # written (the connection rolls back when it closes).
                connection.execute(text("UPDATE traject SET status = status WHERE 0"))
    except OperationalError as exc:
        raise database_probleem(exc) from None
    except Exception:
        raise DatabaseOnbereikbaar() from None
    return Gezondheid(status="ok")
