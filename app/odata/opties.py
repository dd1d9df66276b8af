"""The system query options of a collection request, and server-driven paging.

Paging is by position in the filtered, ordered rows: the next page's link carries a
`$skiptoken` with that position, a fingerprint of the options it belongs to, and when it was
made. A token that does not belong to these options, cannot be read, or is older than
TOKEN_GELDIG (or from before midnight, when periods may have been added), is an error: an empty
page would look like the end of the data (ODK Central's users met that).
"""

import base64
import hashlib
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.odata.filter import Filter, lees_filter
from app.odata.fouten import NietOndersteund, OngeldigeOptie
from app.odata.model import EntitySet

PAGINA = 10_000  # rows a page at most; a client may ask fewer with Prefer: odata.maxpagesize
TOKEN_GELDIG = 3600  # seconds
OPTIES = ("$filter", "$select", "$orderby", "$top", "$skip", "$count", "$skiptoken", "$format")
NIET_ONDERSTEUND = ("$expand", "$search", "$apply", "$compute", "$levels", "$index")


@dataclass(frozen=True)
class Opties:
    filter: Filter | None
    select: list[str]
    orderby: list[tuple[str, bool]]  # (property, descending)
    top: int | None
    skip: int
    count: bool
    positie: int  # where this page starts, from $skiptoken, else $skip
    pagina: int
    gevraagde_pagina: int | None  # honoured from Prefer: odata.maxpagesize
    vingerafdruk: str


def _geheel(naam: str, tekst: str | None) -> int | None:
    if tekst is None:
        return None
    if not tekst.isdigit() or len(tekst) > 9:
        raise OngeldigeOptie(naam, f"{naam} is een geheel getal van 0 of meer.")
    return int(tekst)


def _eigenschappen(naam: str, tekst: str, entity_set: EntitySet) -> list[str]:
    namen = [n.strip() for n in tekst.split(",") if n.strip()]
    onbekend = [n for n in namen if entity_set.eigenschap(n) is None]
    if onbekend or not namen:
        raise OngeldigeOptie(
            naam, f"Onbekende eigenschap; {entity_set.naam} heeft: {', '.join(entity_set.namen)}."
        )
    return namen


def _orderby(tekst: str, entity_set: EntitySet) -> list[tuple[str, bool]]:
    uit = []
    for deel in tekst.split(","):
        woorden = deel.split()
        if (
            not woorden
            or len(woorden) > 2
            or (len(woorden) == 2 and woorden[1] not in ("asc", "desc"))
        ):
            raise OngeldigeOptie(
                "$orderby", "$orderby is een kommalijst van 'Eigenschap [asc|desc]'."
            )
        (naam,) = _eigenschappen("$orderby", woorden[0], entity_set)
        uit.append((naam, len(woorden) == 2 and woorden[1] == "desc"))
    return uit


def _maxpagesize(prefer: str | None) -> int | None:
    for deel in (prefer or "").split(","):
        sleutel, _, waarde = deel.strip().partition("=")
        if sleutel.strip().lower() == "odata.maxpagesize" and waarde.strip().isdigit():
            return max(1, min(PAGINA, int(waarde.strip())))
    return None


def lees_opties(
    query: Iterable[tuple[str, str]], entity_set: EntitySet, prefer: str | None, vandaag: date
) -> Opties:
    gegeven: dict[str, str] = {}
    for naam, waarde in query:
        if naam in NIET_ONDERSTEUND:
            raise NietOndersteund(f"{naam} wordt door deze feed niet ondersteund.")
        if naam.startswith("$") and naam not in OPTIES:
            raise OngeldigeOptie(naam, f"Onbekende optie; hier kunnen: {', '.join(OPTIES)}.")
        if naam in gegeven:
            raise OngeldigeOptie(naam, "Elke optie mag één keer.")
        gegeven[naam] = waarde
    if gegeven.get("$format", "json").split(";")[0] not in ("json", "application/json"):
        raise NietOndersteund("Deze feed levert alleen JSON ($format=json).")
    count = gegeven.get("$count", "false")
    if count not in ("true", "false"):
        raise OngeldigeOptie("$count", "$count is true of false.")
    maxpagesize = _maxpagesize(prefer)
    vingerafdruk = _vingerafdruk(
        entity_set.naam, {k: v for k, v in gegeven.items() if k != "$skiptoken"}, maxpagesize
    )
    skip = _geheel("$skip", gegeven.get("$skip")) or 0
    positie = skip
    if "$skiptoken" in gegeven:
        positie = lees_token(gegeven["$skiptoken"], vingerafdruk, vandaag)
    return Opties(
        filter=lees_filter(gegeven["$filter"], entity_set) if "$filter" in gegeven else None,
        select=_eigenschappen("$select", gegeven["$select"], entity_set)
        if gegeven.get("$select", "*") != "*"
        else [],
        orderby=_orderby(gegeven["$orderby"], entity_set) if "$orderby" in gegeven else [],
        top=_geheel("$top", gegeven.get("$top")),
        skip=skip,
        count=count == "true",
        positie=positie,
        pagina=maxpagesize or PAGINA,
        gevraagde_pagina=maxpagesize,
        vingerafdruk=vingerafdruk,
    )


def _vingerafdruk(set_naam: str, opties: Mapping[str, str], maxpagesize: int | None) -> str:
    tekst = json.dumps([set_naam, sorted(opties.items()), maxpagesize])
    return hashlib.sha256(tekst.encode()).hexdigest()[:16]


def maak_token(positie: int, vingerafdruk: str, vandaag: date) -> str:
    inhoud = {"p": positie, "v": vingerafdruk, "d": vandaag.isoformat(), "t": int(time.time())}
    return base64.urlsafe_b64encode(json.dumps(inhoud).encode()).decode().rstrip("=")


def lees_token(token: str, vingerafdruk: str, vandaag: date) -> int:
    try:
        inhoud = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        positie, van, dag, moment = inhoud["p"], inhoud["v"], inhoud["d"], inhoud["t"]
        if not isinstance(positie, int) or positie < 0 or not isinstance(moment, int):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise OngeldigeOptie(
            "$skiptoken",
            "Dit vervolgtoken is ongeldig; vraag de gegevens opnieuw op vanaf het begin.",
        ) from None
    if van != vingerafdruk:
        raise OngeldigeOptie(
            "$skiptoken",
            "Dit vervolgtoken hoort bij een andere vraag; gebruik de volgende link ongewijzigd.",
        )
    if dag != vandaag.isoformat() or not 0 <= time.time() - moment <= TOKEN_GELDIG:
        raise OngeldigeOptie(
            "$skiptoken",
            "Dit vervolgtoken is verlopen (het is een uur geldig, en tot middernacht); vraag de "
            "gegevens opnieuw op vanaf het begin.",
        )
    return positie


def _sleutel(waarde: Any) -> tuple[bool, Any]:
    # OData: null sorts before every value.
    return (waarde is not None, waarde)


def pas_toe(
    rijen: Iterable[dict[str, Any]], opties: Opties
) -> tuple[list[dict[str, Any]], int, bool]:
    """(the rows of this page, the number of matching rows, whether a next page follows)."""
    gevonden = [r for r in rijen if opties.filter is None or opties.filter(r) is True]
    for naam, aflopend in reversed(opties.orderby):
        gevonden.sort(key=lambda r: _sleutel(r[naam]), reverse=aflopend)
    einde = len(gevonden) if opties.top is None else min(len(gevonden), opties.skip + opties.top)
    pagina = gevonden[opties.positie : min(einde, opties.positie + opties.pagina)]
    meer = opties.positie + len(pagina) < einde
    if opties.select:
        pagina = [{n: r[n] for n in opties.select} for r in pagina]
    return pagina, len(gevonden), meer
