"""The inzet figures per wijk and for the gemeente, summed in SQL; also as tidy CSV.

Hours and euros are about professionals and budgets, not about residents: no figure here can
point to a person, so none is suppressed for the role rapportage.
"""

import csv
import io
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from app.deps import AppContext
from app.inzet.models import Inzet, InzetBedrag, InzetUren
from app.inzet.schemas import InzetCijfers, InzetJaar, InzetVastgelegd, InzetWijk
from app.kern.db import tabel_van

GEMEENTE = None  # the key of all wijken together


def _per_code(
    session: Session, model: Any, code: str, waarde: str, jaren: list[int], wijken: list[str]
) -> dict[tuple[int, str | None, str], int]:
    """(jaar, wijk or GEMEENTE, code) -> sum of whole hundredths, for every wijk and in total."""
    t = model.__table__
    filter_ = (t.c.jaar.in_(jaren), t.c.wijk.in_(wijken))
    som = func.sum(t.c[waarde])
    uit: dict[tuple[int, str | None, str], int] = {}
    for jaar, wijk, c, n in session.execute(
        select(t.c.jaar, t.c.wijk, t.c[code], som).where(*filter_)
        .group_by(t.c.jaar, t.c.wijk, t.c[code])
    ):  # fmt: skip
        uit[(jaar, wijk, c)] = int(n)
    for jaar, c, n in session.execute(
        select(t.c.jaar, t.c[code], som).where(*filter_).group_by(t.c.jaar, t.c[code])
    ):
        uit[(jaar, GEMEENTE, c)] = int(n)
    return uit


def _vastgelegd(
    session: Session, jaren: list[int], wijken: list[str]
) -> dict[tuple[int, str], Any]:
    t = tabel_van(Inzet)
    rijen = session.execute(
        select(t.c.jaar, t.c.wijk, t.c.bijgewerkt_op).where(
            t.c.jaar.in_(jaren), t.c.wijk.in_(wijken)
        )
    )
    return {(jaar, wijk): op for jaar, wijk, op in rijen}


def _cijfers(
    context: AppContext,
    uren: dict[str, int],
    bedragen: dict[str, int],
    ingevuld: int,
    aantal_wijken: int,
) -> dict[str, Any]:
    # Only the codes of today's lists, so that the parts always add up to the total shown.
    uren = {c: uren.get(c, 0) for c in context.codelijsten.codes("uursoorten")}
    bedragen = {c: bedragen.get(c, 0) for c in context.codelijsten.codes("budgetposten")}
    norm = context.settings.inzet_norm_uren_per_week * aantal_wijken
    totaal = sum(uren.values()) / 100
    return {
        "wijken_ingevuld": ingevuld,
        "uren": {c: n / 100 for c, n in uren.items()},
        "uren_per_week_totaal": totaal,
        "norm_uren_per_week": norm,
        "verschil_met_norm": round(totaal - norm, 2) if ingevuld else None,
        "percentage_van_norm": round(100 * totaal / norm, 1) if ingevuld and norm else None,
        "bedragen": {c: n / 100 for c, n in bedragen.items()},
        "euro_totaal": sum(bedragen.values()) / 100,
    }


def lees_cijfers(
    session: Session, context: AppContext, jaren: list[int]
) -> dict[tuple[int, str | None], dict[str, Any]]:
    """(jaar, wijk or GEMEENTE) -> the fields of InzetCijfers (and bijgewerktOp for a wijk).

    Every wijk of the indeling is there, also without data; rows of a wijk no longer in the
    indeling are left out of the gemeente too.
    """
    wijken = context.indeling.codes
    uren = _per_code(session, InzetUren, "soort", "honderdste_uren", jaren, wijken)
    bedragen = _per_code(session, InzetBedrag, "post", "centen", jaren, wijken)
    vastgelegd = _vastgelegd(session, jaren, wijken)
    per_scope: dict[tuple[int, str | None], tuple[dict[str, int], dict[str, int]]] = defaultdict(
        lambda: ({}, {})
    )
    for (jaar, wijk, soort), n in uren.items():
        per_scope[(jaar, wijk)][0][soort] = n
    for (jaar, wijk, post), n in bedragen.items():
        per_scope[(jaar, wijk)][1][post] = n
    uit: dict[tuple[int, str | None], dict[str, Any]] = {}
    for jaar in jaren:
        ingevuld_in_jaar = sum(1 for j, _ in vastgelegd if j == jaar)
        u, b = per_scope[(jaar, GEMEENTE)]
        uit[(jaar, GEMEENTE)] = _cijfers(context, u, b, ingevuld_in_jaar, len(wijken))
        for wijk in wijken:
            u, b = per_scope[(jaar, wijk)]
            op = vastgelegd.get((jaar, wijk))
            uit[(jaar, wijk)] = {
                **_cijfers(context, u, b, int(op is not None), 1),
                "bijgewerkt_op": op,
            }
    return uit


def _naam(context: AppContext, wijk: str) -> str:
    gevonden = context.indeling.wijk(wijk)
    assert gevonden is not None
    return gevonden.naam


def inzet_vastgelegd(
    session: Session, context: AppContext, jaar: int, wijk: str
) -> InzetVastgelegd:
    cijfers = lees_cijfers(session, context, [jaar])[(jaar, wijk)]
    return InzetVastgelegd(jaar=jaar, wijk=wijk, naam=_naam(context, wijk), **cijfers)


def inzet_jaar(
    session: Session, context: AppContext, jaar: int, alleen_wijk: str | None
) -> InzetJaar:
    cijfers = lees_cijfers(session, context, [jaar])
    return InzetJaar(
        jaar=jaar,
        totaal=InzetCijfers(**cijfers[(jaar, GEMEENTE)]),
        wijken=[
            InzetWijk(wijk=wijk, naam=_naam(context, wijk), **cijfers[(jaar, wijk)])
            for wijk in context.indeling.codes
            if alleen_wijk is None or wijk == alleen_wijk
        ],
    )


def als_csv(context: AppContext, inzet: InzetJaar) -> str:
    """One line per wijk and uursoort or budgetpost, every code also with 0: a tidy table."""
    labels = {
        lijst: {c.code: c.omschrijving for c in context.codelijsten.lijsten[lijst]}
        for lijst in ("uursoorten", "budgetposten")
    }
    uit = io.StringIO()
    schrijver = csv.writer(uit, lineterminator="\r\n")
    schrijver.writerow(
        ["jaar", "wijk", "wijknaam", "onderdeel", "code", "omschrijving", "waarde", "eenheid"]
    )
    for w in inzet.wijken:
        for soort, uren in w.uren.items():
            schrijver.writerow(
                [inzet.jaar, w.wijk, w.naam, "uren", soort, labels["uursoorten"][soort],
                 f"{uren:.2f}", "uur per week"]
            )  # fmt: skip
        for post, euro in w.bedragen.items():
            schrijver.writerow(
                [inzet.jaar, w.wijk, w.naam, "bedragen", post, labels["budgetposten"][post],
                 f"{euro:.2f}", "euro"]
            )  # fmt: skip
    return uit.getvalue()
