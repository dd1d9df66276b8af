"""The bare baseline: a minimal ASGI app that does only the INSERTs a registration needs, with
the same driver, pool and SQLite pragmas as the service, and nothing else (no sign-in lookup,
no validation, no rules, no problem+json, no middleware). The load benchmark runs the same load
against it to express the service's cost as a ratio.

    uvicorn bench.baseline:app --workers 2   (WIJKCONTACT_DATABASE_URL names the database)

It takes the service's pool settings (WIJKCONTACT_POOL_SIZE, WIJKCONTACT_POOL_OVERFLOW), so that
both hold the same number of connections, and its WIJKCONTACT_SQLITE_BUSY_TIMEOUT. As a minimal
app it runs its inserts on anyio's default thread pool (40 threads); with BASELINE_THREADS it
caps them at that many at once, with a limiter as WIJKCONTACT_DATABASE_THREADS caps the
service's worker threads, for a comparison with that tuning too.
"""

import hashlib
import json
import os
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from anyio import CapacityLimiter, to_thread
from sqlalchemy import text
from starlette.types import Receive, Scope, Send

from app.kern.db import make_engine
from app.kern.idempotentie import VERZOEK_HASH_BYTES

engine = make_engine(
    os.environ["WIJKCONTACT_DATABASE_URL"],
    busy_timeout=float(os.environ.get("WIJKCONTACT_SQLITE_BUSY_TIMEOUT", "5")),
    pool_size=int(os.environ.get("WIJKCONTACT_POOL_SIZE", "10")),
    pool_overflow=int(os.environ.get("WIJKCONTACT_POOL_OVERFLOW", "10")),
)
THREADS = int(os.environ.get("BASELINE_THREADS", "0"))
# As the service caps its worker threads (app.deps.database_threads).
LIMITER = CapacityLimiter(THREADS) if THREADS else None
ACCOUNT_ID = int(os.environ.get("BASELINE_ACCOUNT_ID", "1"))
T = TypeVar("T")
ALFABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _gesprek(connection: Any, traject_id: uuid.UUID, volgnummer: int, g: dict[str, Any]) -> None:
    gesprek_id = uuid.uuid4()
    connection.execute(
        text(
            "INSERT INTO gesprek (id, traject_id, volgnummer, datum, locatie, afhandeling, "
            "account_id, verzoek_hash, aangemaakt_op) VALUES (:id, :traject_id, :volgnummer, "
            ":datum, :locatie, :afhandeling, :account_id, :hash, :nu)"
        ),
        {
            "id": _id(connection, gesprek_id),
            "traject_id": _id(connection, traject_id),
            "volgnummer": volgnummer,
            "datum": date.fromisoformat(g["datum"]),
            "locatie": g["locatie"],
            "afhandeling": g["afhandeling"],
            "account_id": ACCOUNT_ID,
            "hash": hashlib.sha256(json.dumps(g).encode()).digest()[:VERZOEK_HASH_BYTES],
            "nu": datetime.now(UTC),
        },
    )
    connection.execute(
        text("INSERT INTO gesprek_vraagtype (gesprek_id, vraagtype) VALUES (:id, :vraagtype)"),
        [{"id": _id(connection, gesprek_id), "vraagtype": v} for v in g["vraagtypen"]],
    )


def _id(connection: Any, value: uuid.UUID) -> Any:
    # app.kern.db.Uuid16 stores 16 bytes on SQLite and native uuid on PostgreSQL.
    return value.bytes if connection.dialect.name == "sqlite" else value


def maak_traject(body: dict[str, Any]) -> str:
    traject_id = uuid.uuid4()
    code = "".join(secrets.choice(ALFABET) for _ in range(6))
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO traject (id, code, wijk, leeftijdsgroep, instroomroute, status, "
                "account_id, verzoek_hash, aangemaakt_op) VALUES (:id, :code, :wijk, :leeftijd, "
                ":instroom, 'open', :account_id, :hash, :nu)"
            ),
            {
                "id": _id(connection, traject_id),
                "code": code,
                "wijk": body["wijk"],
                "leeftijd": body["leeftijdsgroep"],
                "instroom": body["instroomroute"],
                "account_id": ACCOUNT_ID,
                "hash": hashlib.sha256(json.dumps(body).encode()).digest()[:VERZOEK_HASH_BYTES],
                "nu": datetime.now(UTC),
            },
        )
        _gesprek(connection, traject_id, 1, body["gesprek"])
    return code


def maak_gesprek(code: str, body: dict[str, Any]) -> bool:
    with engine.begin() as connection:
        suffix = "" if connection.dialect.name == "sqlite" else " FOR UPDATE"
        rij = connection.execute(
            text("SELECT id FROM traject WHERE code = :code" + suffix), {"code": code}
        ).first()
        if rij is None:
            return False
        traject_id = rij[0] if isinstance(rij[0], uuid.UUID) else uuid.UUID(bytes=rij[0])
        aantal = connection.execute(
            text("SELECT count(*) FROM gesprek WHERE traject_id = :id"),
            {"id": _id(connection, traject_id)},
        ).scalar_one()
        if aantal >= 5:
            return False
        _gesprek(connection, traject_id, aantal + 1, body)
    return True


async def _in_thread(werk: Callable[..., T], *args: Any) -> T:
    return await to_thread.run_sync(werk, *args, limiter=LIMITER)


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _answer(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    path: str = scope["path"]
    if scope["method"] == "GET" and path == "/health/live":
        await _answer(send, 200, {"status": "ok"})
        return
    body = json.loads(await _body(receive))
    if path == "/api/v1/trajecten":
        code = await _in_thread(maak_traject, body)
        await _answer(send, 201, {"code": code})
    elif path.endswith("/gesprekken"):
        code = path.split("/")[-2]
        ok = await _in_thread(maak_gesprek, code, body)
        await _answer(send, 201 if ok else 409, {})
    else:
        await _answer(send, 404, {})
