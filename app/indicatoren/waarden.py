"""Storing and reading a year of indicator values."""

import csv
import io

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.audit.models import schrijf_audit
from app.deps import AppContext
from app.indicatoren.models import GEMEENTE, IndicatorWaarde
from app.indicatoren.schemas import IndicatorwaardenUit, WaardeUit
from app.kern.db import tabel_van

TABEL = tabel_van(IndicatorWaarde)
POGINGEN = 3


def vervang_jaar(
    session: Session,
    jaar: int,
    waarden: list[tuple[str, str, float]],
    account_id: int | None = None,
) -> None:
    """The year's values become exactly these: a file is the whole year, never a patch.

    Replacing the whole year keeps a load predictable: what the file holds is what is stored,
    and a row left out of a corrected file is gone instead of lingering from an older one.
    """
    for poging in range(POGINGEN):
        try:
            weg = session.exec(delete(TABEL).where(TABEL.c.jaar == jaar)).rowcount
            session.execute(
                insert(TABEL),
                [
                    {"jaar": jaar, "wijk": wijk, "indicator": indicator, "waarde": waarde}
                    for wijk, indicator, waarde in waarden
                ],
            )
            schrijf_audit(
                session,
                "indicatoren_geladen",
                account_id,
                str(jaar),
                [{"veld": "waarden", "oud": weg, "nieuw": len(waarden)}],
            )
            session.commit()
            return
        except IntegrityError:
            # On PostgreSQL two loads of the same year at once: the other one's rows were not
            # yet visible to our delete. Once it has committed, the delete sees them; the last
            # load wins, as with one after the other. (SQLite runs writes one at a time.)
            session.rollback()
            if poging == POGINGEN - 1:
                raise


def gemeentenaam(context: AppContext) -> str:
    return ", ".join(dict.fromkeys(w.gemeente for w in context.indeling.wijken))


def lees_jaar(session: Session, context: AppContext, jaar: int) -> IndicatorwaardenUit:
    """The stored values with their definitions; values of an indicator or wijk that the
    configuration no longer knows are left out, as they cannot be read without one."""
    rijen = session.execute(
        select(TABEL.c.wijk, TABEL.c.indicator, TABEL.c.waarde).where(TABEL.c.jaar == jaar)
    ).all()
    opgeslagen = {(r.wijk, r.indicator): r.waarde for r in rijen}
    namen = {w.code: w.naam for w in context.indeling.wijken}
    namen[GEMEENTE] = gemeentenaam(context)
    waarden = [
        WaardeUit(
            wijk=wijk,
            wijk_naam=naam,
            indicator=i.code,
            waarde=opgeslagen[(wijk, i.code)],
            eenheid=i.eenheid,  # type: ignore[arg-type]
            omschrijving=i.omschrijving,
            bron=i.bron,
            hoger_is_beter=i.hoger_is_beter,
            modelschatting=i.modelschatting,
        )
        for wijk, naam in namen.items()
        for i in context.indicatoren.lijst
        if (wijk, i.code) in opgeslagen
    ]
    return IndicatorwaardenUit(jaar=jaar, waarden=waarden)


def getal(waarde: float) -> str:
    """A number for machines: decimal point, no exponent, a whole number without `.0`."""
    return str(int(waarde)) if waarde.is_integer() else f"{waarde:.9f}".rstrip("0")


CSV_KOLOMMEN = (
    "jaar", "wijk", "wijkNaam", "indicator", "waarde", "eenheid", "modelschatting",
    "hogerIsBeter", "omschrijving", "bron",
)  # fmt: skip


def als_csv(uit: IndicatorwaardenUit) -> str:
    """RFC 4180: comma-separated with decimal points, for machines; a spreadsheet in Dutch
    settings reads it with its import wizard (comma as separator, point as decimal sign)."""
    buffer = io.StringIO()
    schrijver = csv.writer(buffer, lineterminator="\r\n")
    schrijver.writerow(CSV_KOLOMMEN)
    for w in uit.waarden:
        schrijver.writerow(
            [
                uit.jaar,
                w.wijk,
                w.wijk_naam,
                w.indicator,
                getal(w.waarde),
                w.eenheid,
                str(w.modelschatting).lower(),
                "" if w.hoger_is_beter is None else str(w.hoger_is_beter).lower(),
                w.omschrijving,
                w.bron,
            ]
        )
    return buffer.getvalue()
