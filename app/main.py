import gc
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from app import API_VERSION
from app.activiteiten.routes import router as activiteiten_router
from app.analyse.routes import router as analyse_router
from app.analyse.wachtrij import Vouwer
from app.audit.routes import router as audit_router
from app.beschikkingen.routes import router as beschikkingen_router
from app.codelijsten.lijsten import laad_codelijsten
from app.codelijsten.routes import router as codelijsten_router
from app.deps import AppContext, BindContext, database_threads
from app.ervaring.routes import router as ervaring_router
from app.ervaring.vragenlijsten import laad_vragenlijsten
from app.gebieden.indeling import laad_gebiedsindeling
from app.gebieden.routes import router as gebieden_router
from app.indicatoren.definities import laad_indicatoren
from app.indicatoren.routes import router as indicatoren_router
from app.inzet.routes import router as inzet_router
from app.kern.db import make_engine
from app.kern.draden import DatabaseDraden
from app.kern.health import router as health_router
from app.kern.http_middleware import ResponseHeaders
from app.kern.openapi_doc import build_openapi, operation_id
from app.kern.problems import install_handlers
from app.kern.request_log import RequestLog, configure_output
from app.kern.settings import Settings, get_settings
from app.kern.webformulier import installeer_formulier
from app.odata.routes import router as odata_router
from app.toegang.routes import router as sessies_router
from app.trajecten.routes import router as trajecten_router


def create_api() -> FastAPI:
    """The versioned API, mounted at /api/v1; its OpenAPI document lives at /api/v1/openapi.json."""
    api = FastAPI(
        title="wijkcontact",
        version=API_VERSION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        # The ADR: a trailing slash is a 404, never a redirect.
        redirect_slashes=False,
        generate_unique_id_function=operation_id,
    )
    api.include_router(sessies_router)
    api.include_router(trajecten_router)
    api.include_router(gebieden_router)
    api.include_router(codelijsten_router)
    api.include_router(audit_router)
    api.include_router(analyse_router)
    api.include_router(beschikkingen_router)
    api.include_router(ervaring_router)
    api.include_router(indicatoren_router)
    api.include_router(inzet_router)
    api.include_router(activiteiten_router)
    api.include_router(odata_router)
    install_handlers(api)
    api.openapi = lambda: build_openapi(api)  # type: ignore[method-assign]
    return api


def _lifespan(context: AppContext) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The database threads' limit, and the thread that folds the tellingen's queue."""
    draden = database_threads(context.settings.database_threads)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        vouwer = Vouwer(context.engine, context.settings.kubus_vouw_seconden)
        async with draden(app):
            vouwer.start()
            try:
                yield
            finally:
                vouwer.stop()

    return lifespan


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the whole service; configuration errors surface here, before serving anything."""
    settings = settings or get_settings()
    context = AppContext(
        settings=settings,
        engine=make_engine(
            settings.database_url,
            busy_timeout=settings.sqlite_busy_timeout,
            pool_size=settings.pool_size,
            pool_overflow=settings.pool_overflow,
        ),
        indeling=laad_gebiedsindeling(settings.gebiedsindeling),
        codelijsten=laad_codelijsten(settings.codelijsten),
        vragenlijsten=laad_vragenlijsten(settings.vragenlijsten),
        indicatoren=laad_indicatoren(settings.indicatoren),
        draden=DatabaseDraden(settings.database_threads),
    )
    api = create_api()
    app = FastAPI(
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        redirect_slashes=False,
        lifespan=_lifespan(context),
    )
    app.state.context = api.state.context = context
    app.include_router(health_router)
    app.mount("/api/v1", api)
    # The mobile form at / (after the API and health routes, which keep their own answers).
    installeer_formulier(app)
    install_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["API-Version", "Location", "Retry-After"],
        )
    app.add_middleware(BindContext, context=context)
    app.add_middleware(ResponseHeaders)
    app.add_middleware(RequestLog)
    return app


def create_served_app() -> FastAPI:
    """The app as `wijkcontact serve` runs it, once in each server process."""
    # Here and not only in the CLI: with --workers N, uvicorn spawns fresh processes that never
    # ran the CLI, and without a handler their request log lines were dropped.
    configure_output()
    app = create_app()
    # What exists now (the app, its routes and schemas, the configuration, the libraries) lives
    # as long as the process. Frozen, the cycle collector stops walking it on every full
    # collection: under load those took up to 175 ms each, and stalled every request of the
    # process meanwhile (bench/RESULTS-load.md).
    gc.freeze()
    return app
