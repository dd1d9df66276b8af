from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from anyio import to_thread
from fastapi import Depends, FastAPI, Query, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.types import ASGIApp, Receive, Scope, Send

from app.codelijsten.lijsten import Codelijsten
from app.ervaring.vragenlijsten import Vragenlijsten
from app.gebieden.indeling import Gebiedsindeling
from app.indicatoren.definities import Indicatoren
from app.kern.api_model import GeenParameters
from app.kern.db import new_session
from app.kern.draden import DatabaseDraden
from app.kern.problems import InvalidParam, OngeldigeInvoer
from app.kern.settings import Settings


@dataclass(frozen=True)
class AppContext:
    """What one process knows: settings, its database engine and the loaded configuration."""

    settings: Settings
    engine: Engine
    indeling: Gebiedsindeling
    codelijsten: Codelijsten
    vragenlijsten: Vragenlijsten
    indicatoren: Indicatoren
    # For the hot routes' database work (app.kern.draden); sized by DATABASE_THREADS.
    draden: DatabaseDraden

    def vandaag(self) -> date:
        return datetime.now(ZoneInfo(self.settings.tijdzone)).date()

    def controleer_wijkfilter(self, wijk: str | None) -> None:
        """A `wijk` query filter must name a configured wijk: a typo must not answer empty."""
        if wijk is not None and wijk not in self.indeling.codes:
            raise OngeldigeInvoer(
                [InvalidParam(name="wijk", reason="Onbekende wijk; kies uit /wijken.")]
            )


def database_threads(aantal: int) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """At most `aantal` of FastAPI's worker threads at once (DATABASE_THREADS), in each process.

    The database work of the routes on FastAPI's own path runs in those threads (the hot routes
    have theirs, app.kern.draden). Beyond a few, more threads do not add throughput: they hold a
    pooled connection while they wait for the GIL, which stretches every transaction under load
    (bench/RESULTS-load.md). anyio's limiter is the documented knob.
    """

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = aantal
        yield

    return lifespan


# The small dependencies are `async def` on purpose: FastAPI runs a plain `def` dependency in
# the thread pool, and that hop (queue, thread switch, GIL hand-over) costs more than the work.
async def get_context(request: Request) -> AppContext:
    return request.app.state.context  # type: ignore[no-any-return]


ContextDep = Annotated[AppContext, Depends(get_context)]


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


async def get_session(request: Request, context: ContextDep) -> AsyncIterator[Session]:
    # Async on purpose: closing the session (which ends the transaction and, on SQLite, frees
    # the write lock) then runs on the event loop. As a sync dependency it would need a free
    # worker thread, and under load every thread can be waiting for that very lock.
    session = new_session(context.engine, alleen_lezen=request.method in SAFE_METHODS)
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


# Set for each request by BindContext, so that request schemas can check codes against the
# configured code lists while pydantic validates, and report them with every other problem.
huidige_context: ContextVar[AppContext] = ContextVar("huidige_context")


def actieve_context() -> AppContext:
    try:
        return huidige_context.get()
    except LookupError:
        raise RuntimeError("geen AppContext: valideer binnen een verzoek of use_context") from None


class BindContext:
    def __init__(self, app: ASGIApp, context: AppContext) -> None:
        self.app = app
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = huidige_context.set(self.context)
        try:
            await self.app(scope, receive, send)
        finally:
            huidige_context.reset(token)


# A route without query parameters takes the empty query model as a parameter of its own
# (`_geen: GeenQuery`), so that `?x=1` is refused there too. As a parameter, not as a router's or
# route's dependency: the wrapping dependency cost FastAPI 0.2 ms of CPU per request on the
# registration path (bench-load, issue 13).
GeenQuery = Annotated[GeenParameters, Query()]
