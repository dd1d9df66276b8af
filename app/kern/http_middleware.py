"""Headers every response carries, and the gates for request bodies: content type, size, nesting.

Pure ASGI (no BaseHTTPMiddleware) so that it adds next to nothing to each request, and so that
an oversized or hostile body is refused before FastAPI reads or parses any of it.
"""

import json
import logging
import re

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import API_VERSION
from app.kern.problems import (
    INTERNE_FOUT,
    HttpFout,
    InvalidParam,
    OngeldigeInvoer,
    Probleem,
    probleem_antwoord,
)

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
# Except a year of outside figures (PUT .../{jaar}), which may also arrive as the CSV file a
# spreadsheet wrote; the route itself tells CSV from JSON. The size limit holds for both.
CSV_PATHS = re.compile(r"/api/v1/(indicatoren|beschikkingen)/[^/]+")
# The largest real body (a first gesprek with every vraagtype) is well under 2 KB.
MAX_BODY_BYTES = 64 * 1024
# Our bodies nest three levels deep; a parser should never be asked to recurse further than this.
MAX_NESTING = 16


def nesting_depth(body: bytes) -> int:
    """How deep JSON arrays and objects nest in body, ignoring brackets inside strings."""
    # Almost every body has a handful of brackets: two C-speed counts settle those.
    if body.count(b"[") + body.count(b"{") <= MAX_NESTING:
        return body.count(b"[") + body.count(b"{")
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_NESTING:
                    return deepest
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


class _DubbeleSleutel(ValueError):
    pass


def _zonder_dubbele_sleutels(paren: list[tuple[str, object]]) -> dict[str, object]:
    uitkomst = dict(paren)
    if len(uitkomst) != len(paren):
        raise _DubbeleSleutel
    return uitkomst


def has_duplicate_key(body: bytes) -> bool:
    """Whether some JSON object in body names a key twice.

    Python's parser lets the last one win, so `{"wijk": "09", "wijk": "01"}` would mean what
    the client may not have meant, and a checker that reads the first could see another value.
    A body that is no JSON at all is left for FastAPI's own answer.
    """
    if body.count(b'"') < 4:
        return False
    try:
        json.loads(body, object_pairs_hook=_zonder_dubbele_sleutels)
    except _DubbeleSleutel:
        return True
    except ValueError:
        return False
    return False


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _is_csv(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "text/csv"


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
            csv_pad = CSV_PATHS.fullmatch(path) is not None
            csv = csv_pad and _is_csv(content_type or "")
            if (content_type is not None or has_body) and not (csv or _is_json(content_type or "")):
                detail = "Stuur de body als JSON met 'Content-Type: application/json'" + (
                    " of als CSV met 'Content-Type: text/csv'." if csv_pad else "."
                )
                await _weiger(HttpFout(415, detail), scope, receive, send_with_headers)
                return
            try:
                body = await _read_body(request_headers, receive)
            except ClientWeg:
                return
            if body is None:
                detail = (
                    f"De body is groter dan {MAX_BODY_BYTES // 1024} KB; een registratie is "
                    "veel kleiner. Controleer wat er wordt verstuurd."
                )
                await _weiger(HttpFout(413, detail), scope, receive, send_with_headers)
                return
            if not csv and nesting_depth(body) > MAX_NESTING:
                reden = "De JSON is te diep genest."
                await _weiger(_ongeldige_body(reden), scope, receive, send_with_headers)
                return
            if not csv and has_duplicate_key(body):
                reden = (
                    "Een veld staat meer dan eens in hetzelfde JSON-object; "
                    "stuur elk veld één keer."
                )
                await _weiger(_ongeldige_body(reden), scope, receive, send_with_headers)
                return
            receive = _replay(body, receive)
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # The answer may already be on its way (a sub-application's own error page);
            # either way the client gets problem+json and the trace goes to the log only.
            log.exception("onverwachte fout bij %s %s", scope["method"], path)
            if not started:
                await _weiger(Probleem(INTERNE_FOUT), scope, receive, send_with_headers)


class ClientWeg(Exception):
    """The client disconnected before its body was complete: there is nobody to answer."""


async def _read_body(headers: Headers, receive: Receive) -> bytes | None:
    """The whole request body, or None as soon as it passes the limit (also when chunked)."""
    try:
        if int(headers.get("content-length", "0")) > MAX_BODY_BYTES:
            return None
    except ValueError:
        pass  # h11 refuses a malformed Content-Length before we get here
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise ClientWeg
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the already-read body to the application once, then the real one."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _ongeldige_body(reden: str) -> OngeldigeInvoer:
    return OngeldigeInvoer([InvalidParam(name="body", reason=reden)])


async def _weiger(probleem: Probleem, scope: Scope, receive: Receive, send: Send) -> None:
    await probleem_antwoord(probleem, scope["path"])(scope, receive, send)
