"""Headers every response carries, and the content-type gate for request bodies.

Pure ASGI (no BaseHTTPMiddleware) so that it adds next to nothing to each request.
"""

import json
import logging

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import API_VERSION
from app.problems import PROBLEM_JSON, TYPE_PREFIX

log = logging.getLogger("wijkcontact")
OPENAPI_PATH = "/api/v1/openapi.json"
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
        "object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "API-Version": API_VERSION,
}
# Answers that may carry data are never stored; everything else is the form's app shell.
NO_STORE_PREFIXES = ("/api/", "/health/")
BODY_METHODS = {"POST", "PUT", "PATCH"}
# Sign-in is an OAuth2 password form; every other body in the API is JSON.
FORM_PATHS = {"/api/v1/sessies"}


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class ResponseHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if not (path + "/").startswith(NO_STORE_PREFIXES):
                    # The form's static app shell holds nothing personal: the browser may keep
                    # it, but must ask the service (ETag) before each use, so an update arrives
                    # at once and the service worker's precache costs 304s, not full downloads.
                    headers["Cache-Control"] = "no-cache"
                if path == OPENAPI_PATH:
                    headers["Access-Control-Allow-Origin"] = "*"
            await send(message)

        if scope["method"] in BODY_METHODS and path.startswith("/api/") and path not in FORM_PATHS:
            request_headers = Headers(scope=scope)
            content_type = request_headers.get("content-type")
            has_body = request_headers.get("content-length", "0") != "0" or (
                "transfer-encoding" in request_headers
            )
            if (content_type is not None or has_body) and not _is_json(content_type or ""):
                await _problem(
                    send_with_headers,
                    path,
                    415,
                    "onjuist-inhoudstype",
                    "Onjuist inhoudstype",
                    "Stuur de body als JSON met 'Content-Type: application/json'.",
                )
                return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # The answer may already be on its way (a sub-application's own error page);
            # either way the client gets problem+json and the trace goes to the log only.
            log.exception("onverwachte fout bij %s %s", scope["method"], path)
            if not started:
                await _problem(
                    send_with_headers,
                    path,
                    500,
                    "interne-fout",
                    "Interne fout",
                    "Er ging iets mis aan onze kant; er is niets half opgeslagen. "
                    "Probeer het later opnieuw.",
                )


async def _problem(send: Send, path: str, status: int, soort: str, titel: str, detail: str) -> None:
    body = json.dumps(
        {
            "type": TYPE_PREFIX + soort,
            "title": titel,
            "status": status,
            "detail": detail,
            "instance": path,
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
