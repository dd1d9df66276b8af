"""The mobile web form: static files in app/web, served at / on the outer app.

The API stays a sub-app at /api/v1; this only adds what is not under /api or /health.
The service worker is served by its own route so that its text carries a version derived
from the content of every file of the form: change any file and browsers install the new
app shell on their next visit.
"""

import hashlib
import mimetypes
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import Response
from starlette.staticfiles import StaticFiles

WEB = Path(__file__).parents[1] / "web"
SERVICE_WORKER = "sw.js"

# Explicit, so that the answer does not depend on the machine's /etc/mime.types.
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/css", ".css")
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("image/svg+xml", ".svg")


@cache
def versie() -> str:
    """A short hash over the names and contents of every file of the form."""
    digest = hashlib.sha256()
    for path in sorted(WEB.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(WEB).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def _service_worker() -> bytes:
    return (WEB / SERVICE_WORKER).read_text().replace("__VERSIE__", versie()).encode()


def installeer_formulier(app: FastAPI) -> None:
    """Serve the form at /: index.html for /, the other files by name, 404 otherwise."""

    @app.api_route(f"/{SERVICE_WORKER}", methods=["GET", "HEAD"], include_in_schema=False)
    def service_worker() -> Response:
        return Response(_service_worker(), media_type="text/javascript")

    app.mount("/", StaticFiles(directory=WEB, html=True), name="formulier")
