"""Request bodies as the mobile form sends them, with overrides per test."""

from datetime import date, timedelta
from typing import Any

GISTEREN = (date.today() - timedelta(days=1)).isoformat()


def gesprek(**velden: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "datum": "2025-03-14",
        "locatie": "wijkgebouw",
        "vraagtypen": ["eenzaamheid", "geldzorgen"],
        "afhandeling": "zelf_opgepakt",
    }
    body.update(velden)
    return body


def eerste_gesprek(**velden: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "wijk": "09",
        "leeftijdsgroep": "65_79",
        "instroomroute": "via_netwerk",
        "gesprek": gesprek(),
    }
    body.update(velden)
    return body


def warme_overdracht(doel: str = "algemeen_maatschappelijk_werk", **velden: Any) -> dict[str, Any]:
    return gesprek(
        afhandeling="warme_overdracht",
        overdracht={"doel": doel, "warm": True, "status": "aangemeld"},
        **velden,
    )
