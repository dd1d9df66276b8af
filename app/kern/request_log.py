"""One JSON line per request: method, route template, status, duration and account id.

Never the body, the query string, a token or a password: the route template (`/trajecten/{code}`)
is logged instead of the path, so not even a traject code lands in the log.
"""

import logging
import time

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

structlog.configure(
    processors=[
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.JSONRenderer(),
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)
log = structlog.get_logger("wijkcontact.verzoeken")
LOG_KEY = "wijkcontact.log"


def configure_output(level: int = logging.INFO) -> None:
    """Send the service's log lines to stderr as they are (they are JSON already)."""
    logger = logging.getLogger("wijkcontact")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        begin = time.perf_counter()
        status = 500
        velden: dict[str, object] = {}
        scope[LOG_KEY] = velden

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None)
            log.info(
                "verzoek",
                method=scope["method"],
                route=(scope.get("root_path", "") + template) if template else "onbekend",
                status=status,
                duur_ms=round((time.perf_counter() - begin) * 1000, 1),
                account=velden.get("account"),
            )
