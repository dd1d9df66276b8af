"""The form's static files as the service serves them (no browser needed)."""

import re
from html.parser import HTMLParser
from pathlib import Path

from fastapi.testclient import TestClient

from app.kern.http_middleware import SECURITY_HEADERS
from app.kern.webformulier import WEB

SOORTEN = {
    "/": "text/html",
    "/app.js": "text/javascript",
    "/api.js": "text/javascript",
    "/wachtrij.js": "text/javascript",
    "/sw.js": "text/javascript",
    "/app.css": "text/css",
    "/manifest.webmanifest": "application/manifest+json",
    "/icon.svg": "image/svg+xml",
}


def test_formulier_op_de_wortel_met_beveiligingsheaders(client: TestClient) -> None:
    antwoord = client.get("/")
    assert antwoord.status_code == 200
    assert antwoord.headers["content-type"].startswith("text/html")
    assert '<html lang="nl">' in antwoord.text
    for naam, waarde in SECURITY_HEADERS.items():
        if naam != "Cache-Control":
            assert antwoord.headers[naam] == waarde
    # The app shell may be kept, but is revalidated before each use.
    assert antwoord.headers["cache-control"] == "no-cache"
    assert antwoord.headers["etag"]


def test_statische_bestanden_met_het_juiste_inhoudstype(client: TestClient) -> None:
    for pad, soort in SOORTEN.items():
        antwoord = client.get(pad)
        assert antwoord.status_code == 200, pad
        assert antwoord.headers["content-type"].split(";")[0] == soort, pad
        assert antwoord.headers["x-content-type-options"] == "nosniff"
        assert antwoord.headers["cache-control"] == "no-cache", pad


def test_etag_geeft_304(client: TestClient) -> None:
    etag = client.get("/app.js").headers["etag"]
    assert client.get("/app.js", headers={"If-None-Match": etag}).status_code == 304


def test_api_en_health_blijven_no_store(client: TestClient) -> None:
    assert client.get("/health/live").headers["cache-control"] == "no-store"
    wijken = client.get("/api/v1/wijken")
    assert wijken.status_code == 401
    assert wijken.headers["cache-control"] == "no-store"
    assert client.get("/api/v1/openapi.json").headers["cache-control"] == "no-store"
    for pad in ("/api", "/health", "/api/v2/wijken"):
        assert client.get(pad).headers["cache-control"] == "no-store", pad


def test_slash_op_het_eind_blijft_404_onder_api(client: TestClient) -> None:
    for pad in ("/api/v1/wijken/", "/api/v1/trajecten/", "/api/v2/wijken", "/bestaat-niet.js"):
        antwoord = client.get(pad, follow_redirects=False)
        assert antwoord.status_code == 404, pad
        assert antwoord.headers["content-type"] == "application/problem+json", pad


# The kwartiermaker's report is not part of the offline shell: it needs the API anyway, and the
# preventiewerker's first load stays small without it.
JAARVERSLAG = {"/jaarverslag.html", "/jaarverslag.js", "/jaarverslag.css", "/grafiek.js"}
# An XML namespace is a name, not an address anything is loaded from.
SVG_NAMESPACE = '"http://www.w3.org/2000/svg"'


def test_service_worker_kent_elk_bestand_en_een_versie(client: TestClient) -> None:
    tekst = client.get("/sw.js").text
    assert "__VERSIE__" not in tekst
    assert re.search(r'const VERSIE = "[0-9a-f]{12}"', tekst)
    shell = set(re.findall(r'^\s+"(/[^"]*)",$', tekst, re.MULTILINE))
    bestanden = {f"/{p.name}" for p in WEB.iterdir() if p.name not in ("index.html", "sw.js")}
    assert shell == bestanden - JAARVERSLAG | {"/"}
    assert client.head("/sw.js").headers["content-type"].startswith("text/javascript")


class _Inline(HTMLParser):
    """Collects what the CSP (default-src 'self') would block: inline code and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.problemen: list[str] = []
        self.bronnen: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributen = dict(attrs)
        if tag == "style":
            self.problemen.append("<style>")
        if tag == "script" and not attributen.get("src"):
            self.problemen.append("inline <script>")
        for naam in attributen:
            if naam == "style" or naam.startswith("on"):
                self.problemen.append(f"{tag} {naam}=")
        for naam in ("src", "href"):
            waarde = attributen.get(naam) or ""
            if waarde.startswith(("http:", "https:", "//", "data:")):
                self.problemen.append(f"externe bron {waarde}")
            elif waarde.startswith("/"):
                self.bronnen.append(waarde)


def test_geen_inline_code_en_geen_externe_bronnen(client: TestClient) -> None:
    for pagina in ("/", "/jaarverslag.html"):
        parser = _Inline()
        parser.feed(client.get(pagina).text)
        assert parser.problemen == [], pagina
        for bron in parser.bronnen:
            assert client.get(bron).status_code == 200, bron
    for pad in WEB.glob("*.js"):
        tekst = Path(pad).read_text().replace(SVG_NAMESPACE, "")
        assert "http://" not in tekst and "https://" not in tekst, pad.name
        assert "innerHTML" not in tekst and "eval(" not in tekst, pad.name
