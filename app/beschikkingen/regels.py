"""Reading a year of beschikkingen (CSV or JSON), checked as a whole, and storing it.

One bad row makes the whole file fail with every problem listed, so a gemeente never ends up
with half a year. A CSV file is read as app.kern.csv_invoer reads every uploaded table, and must be
UTF-8 (Excel's "CSV UTF-8").
"""

import json
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import delete, insert
from sqlmodel import Session

from app.audit.models import schrijf_audit
from app.beschikkingen.models import BeschikkingAantal, BeschikkingJaar
from app.beschikkingen.schemas import MAX_AANTAL, BeschikkingenInvoer
from app.deps import AppContext
from app.gebieden.indeling import wijkcode
from app.kern.csv_invoer import lees_tabel
from app.kern.db import tabel_van, upsert, utcnow
from app.kern.problems import InvalidParam, OngeldigeInvoer, invalid_params_from

KOLOMMEN = ("wijk", "voorziening", "aantal")
VERPLICHT = "Dit veld is verplicht."


@dataclass(frozen=True)
class Regel:
    naam: str  # where a problem is reported: `aantallen[3]` in JSON, `regel[4]` (line) in CSV
    wijk: object
    voorziening: object
    aantal: object


def _ongeldig(naam: str, reden: str) -> OngeldigeInvoer:
    return OngeldigeInvoer([InvalidParam(name=naam, reason=reden)])


def lees_json(body: bytes) -> tuple[list[Regel], list[InvalidParam]]:
    try:
        data = json.loads(body)
    except ValueError:
        raise _ongeldig("body", "De body is geen geldige JSON.") from None
    problemen: list[InvalidParam] = []
    try:
        BeschikkingenInvoer.model_validate(data)
    except ValidationError as fout:
        problemen = invalid_params_from(fout.errors())
    regels: list[Regel] = []
    if isinstance(data, dict) and isinstance(data.get("aantallen"), list):
        for i, item in enumerate(data["aantallen"]):
            if isinstance(item, dict):
                naam = f"aantallen[{i}]"
                regels.append(
                    Regel(naam, item.get("wijk"), item.get("voorziening"), item.get("aantal"))
                )
    return regels, problemen


def _aantal(tekst: str) -> int | str:
    """The count, or why it is not one."""
    if not tekst:
        return VERPLICHT
    if tekst.isascii() and tekst.isdigit():
        if int(tekst) > MAX_AANTAL:
            return f"Mag hoogstens {MAX_AANTAL} zijn."
        return int(tekst)
    if tekst.startswith("-") and tekst[1:].isascii() and tekst[1:].isdigit():
        return "Mag niet negatief zijn."
    return "Moet een geheel getal zijn (alleen cijfers)."


def lees_csv(body: bytes) -> tuple[list[Regel], list[InvalidParam]]:
    try:
        tekst = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _ongeldig(
            "body", "Het bestand is geen UTF-8-tekst; sla het op als CSV UTF-8."
        ) from None
    problemen: list[InvalidParam] = []
    regels: list[Regel] = []
    for regel in lees_tabel(tekst, KOLOMMEN, lambda nummer: f"regel[{nummer}]"):
        naam = f"regel[{regel.nummer}]"
        if regel.onleesbaar is not None:
            problemen.append(InvalidParam(name=naam, reason=regel.onleesbaar))
            continue
        velden = regel.cellen
        aantal = _aantal(velden["aantal"])
        if isinstance(aantal, str):
            problemen.append(InvalidParam(name=f"{naam}.aantal", reason=aantal))
        regels.append(Regel(naam, velden["wijk"], velden["voorziening"], aantal))
    return regels, problemen


def controleer(
    context: AppContext, regels: list[Regel], problemen: list[InvalidParam]
) -> list[tuple[str, str, int]]:
    """The rows as (wijk, voorziening, aantal), or 400 with every problem of every row."""
    al_gemeld = {p.name for p in problemen}
    problemen = list(problemen)

    def meld(naam: str, reden: str) -> None:
        if naam not in al_gemeld:
            problemen.append(InvalidParam(name=naam, reason=reden))

    gezien: dict[tuple[str, str], str] = {}
    rijen: list[tuple[str, str, int]] = []
    for regel in regels:
        wijk = voorziening = None
        if regel.wijk in (None, ""):
            meld(f"{regel.naam}.wijk", VERPLICHT)
        elif isinstance(regel.wijk, str):
            wijk = wijkcode(context.indeling, regel.wijk)
            if wijk is None:
                meld(f"{regel.naam}.wijk", "Onbekende wijk; kies uit /wijken.")
        if regel.voorziening in (None, ""):
            meld(f"{regel.naam}.voorziening", VERPLICHT)
        elif isinstance(regel.voorziening, str):
            if context.codelijsten.bevat("voorzieningen", regel.voorziening):
                voorziening = regel.voorziening
            else:
                meld(
                    f"{regel.naam}.voorziening",
                    "Onbekende code; kies een code uit codelijst voorzieningen.",
                )
        if wijk is None or voorziening is None:
            continue
        eerder = gezien.setdefault((wijk, voorziening), regel.naam)
        if eerder != regel.naam:
            meld(
                regel.naam,
                f"Deze wijk en voorziening staan al in {eerder}; geef elke combinatie één keer.",
            )
        elif isinstance(regel.aantal, int) and not isinstance(regel.aantal, bool):
            rijen.append((wijk, voorziening, regel.aantal))
    if problemen:
        raise OngeldigeInvoer(problemen)
    return rijen


def vervang_jaar(
    session: Session, jaar: int, rijen: list[tuple[str, str, int]], account_id: int | None = None
) -> None:
    """The year's counts become exactly these rows, in one transaction."""
    # Two uploads of one year at once would each delete the old rows and then clash on the
    # other's new ones. The year's row, written first, is locked until the commit: the second
    # upload waits here and then replaces the first's rows whole (on SQLite BEGIN IMMEDIATE
    # already lets one writer at a time).
    jaren = tabel_van(BeschikkingJaar)
    nu = utcnow()
    session.execute(
        upsert(jaren)
        .values(jaar=jaar, geladen_op=nu, account_id=account_id)
        .on_conflict_do_update(
            index_elements=[jaren.c.jaar], set_={"geladen_op": nu, "account_id": account_id}
        )
    )
    tabel = tabel_van(BeschikkingAantal)
    weg = session.exec(delete(tabel).where(tabel.c.jaar == jaar)).rowcount
    session.execute(
        insert(tabel),
        [{"jaar": jaar, "wijk": w, "voorziening": v, "aantal": n} for w, v, n in rijen],
    )
    schrijf_audit(
        session,
        "beschikkingen_geladen",
        account_id,
        str(jaar),
        [{"veld": "aantallen", "oud": weg, "nieuw": len(rijen)}],
    )
    session.commit()
