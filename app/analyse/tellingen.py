"""Tidy cross tables over any period and any combination of dimensions, counted in SQL.

Whole months with at most three dimensions besides `maand` are summed from the monthly
summaries (app.analyse.kubus); the rest is counted over the registrations themselves (with the
first day of each traject from `analyse_traject`).
"""

import csv
import io
from collections import Counter
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, extract, func, select
from sqlmodel import Session

from app.analyse.kubus import GEEN, MAX_DIMENSIES, kies_kubus, maand_van
from app.analyse.models import AnalyseTraject
from app.analyse.schemas import DIMENSIES, Meting, Tellingen
from app.analyse.wachtrij import tel_kubus
from app.deps import AppContext
from app.kern.db import tabel_van
from app.kern.problems import InvalidParam, OngeldigeInvoer
from app.trajecten.models import Gesprek, GesprekVraagtype, Overdracht, Traject

PER_GESPREK = {"vraagtype", "locatie", "afhandeling"}
LIJST = {
    "vraagtype": "vraagtypen",
    "leeftijdsgroep": "leeftijdsgroepen",
    "locatie": "locaties",
    "instroomroute": "instroomroutes",
    "afhandeling": "afhandelingen",
    "overdrachtdoel": "overdrachtdoelen",
}
MAANDEN = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip
GEEN_OVERDRACHT = "geen overdracht"


def lees_dimensies(tekst: str) -> list[str]:
    """The comma list of dimensions, checked; all problems at once."""
    dimensies = [d.strip() for d in tekst.split(",") if d.strip()]
    problemen = []
    onbekend = [d for d in dimensies if d not in DIMENSIES]
    if onbekend:
        problemen.append(
            InvalidParam(
                name="dimensies",
                reason=f"Onbekende dimensie; kies uit {', '.join(DIMENSIES)}.",
            )
        )
    if len(set(dimensies)) != len(dimensies):
        problemen.append(InvalidParam(name="dimensies", reason="Elke dimensie mag één keer."))
    if problemen:
        raise OngeldigeInvoer(problemen)
    return dimensies


def _maand(kolom: Any) -> ColumnElement[int]:
    # yyyymm as a number: SQLAlchemy compiles `extract` for each database, and the number
    # groups and sorts as the "yyyy-mm" it is turned into below.
    return extract("year", kolom) * 100 + extract("month", kolom)


def _als_maand(yyyymm: Any) -> str:
    jaar, maand = divmod(int(yyyymm), 100)
    return f"{jaar}-{maand:02d}"


def tel(
    session: Session, van: date, tot: date, dimensies: list[str], meting: Meting
) -> list[tuple[Any, ...]]:
    """Rows of (value per dimension..., count) for combinations that occur, sorted.

    Whole months come from the summaries (app.analyse.kubus) when at most three dimensions
    besides `maand` are asked; the days before the first and after the last whole month, and
    tables with more dimensions, are counted from the registrations. Counts over disjoint
    periods add up: a traject counts on one day only, that of its first gesprek.
    """
    delen: list[list[tuple[Any, ...]]] = []
    eerste, laatste = _hele_maanden(van, tot)
    if eerste > laatste or len([d for d in dimensies if d != "maand"]) > MAX_DIMENSIES:
        delen.append(_tel_ruw(session, van, tot, dimensies, meting))
    else:
        delen.append(_tel_kubus(session, eerste, laatste, dimensies, meting))
        if van < eerste:
            delen.append(_tel_ruw(session, van, eerste - timedelta(days=1), dimensies, meting))
        if laatste < tot:
            delen.append(_tel_ruw(session, laatste + timedelta(days=1), tot, dimensies, meting))
    samen: Counter[tuple[Any, ...]] = Counter()
    for rijen in delen:
        for r in rijen:
            samen[tuple(r[:-1])] += int(r[-1] or 0)  # SUM over no rows is NULL
    # Sorted here, not by the database: NULL (no overdracht) sorts first on both.
    uit = [(*k, n) for k, n in sorted(samen.items(), key=_volgorde) if n > 0]
    if "maand" in dimensies:
        i = dimensies.index("maand")
        uit = [(*r[:i], _als_maand(r[i]), *r[i + 1 :]) for r in uit]
    return uit


def _volgorde(item: tuple[tuple[Any, ...], int]) -> tuple[tuple[bool, Any], ...]:
    return tuple((w is not None, w) for w in item[0])


def _hele_maanden(van: date, tot: date) -> tuple[date, date]:
    """The first day of the first whole month and the last day of the last one in the period."""
    eerste = van if van.day == 1 else (van.replace(day=28) + timedelta(days=4)).replace(day=1)
    na = tot + timedelta(days=1)
    laatste = tot if na.day == 1 else tot.replace(day=1) - timedelta(days=1)
    return eerste, laatste


def _tel_kubus(
    session: Session, eerste: date, laatste: date, dimensies: list[str], meting: Meting
) -> list[tuple[Any, ...]]:
    vlak = [d for d in dimensies if d != "maand"]
    nummer, plekken = kies_kubus(meting, vlak)
    kolom = {d: "abc"[p] for d, p in zip(vlak, plekken, strict=True)} | {"maand": "maand"}
    kolommen = [kolom[d] for d in dimensies]
    rijen = tel_kubus(session, nummer, maand_van(eerste), maand_van(laatste), kolommen)
    if "overdrachtdoel" in dimensies:
        i = dimensies.index("overdrachtdoel")
        rijen = [(*r[:i], None if r[i] == GEEN else r[i], *r[i + 1 :]) for r in rijen]
    return rijen


def _tel_ruw(
    session: Session, van: date, tot: date, dimensies: list[str], meting: Meting
) -> list[tuple[Any, ...]]:
    """Counted from the registrations themselves, with `maand` as yyyymm: the reference."""
    t, g, gv, o, a = (
        tabel_van(m) for m in (Traject, Gesprek, GesprekVraagtype, Overdracht, AnalyseTraject)
    )
    per_traject = meting == "trajecten"
    nodig_gesprek = not per_traject or bool(PER_GESPREK & set(dimensies))
    if per_traject:
        bron = a.join(t, t.c.id == a.c.traject_id)
        dag = a.c.begindatum
        if nodig_gesprek:
            bron = bron.join(g, g.c.traject_id == t.c.id)
    else:
        bron = g.join(t, t.c.id == g.c.traject_id)
        dag = g.c.datum
    if "vraagtype" in dimensies:
        bron = bron.join(gv, gv.c.gesprek_id == g.c.id)
    if "overdrachtdoel" in dimensies:
        bron = bron.outerjoin(o, o.c.traject_id == t.c.id)
    kolommen = {
        "wijk": t.c.wijk,
        "maand": _maand(dag),
        "vraagtype": gv.c.vraagtype,
        "leeftijdsgroep": t.c.leeftijdsgroep,
        "locatie": g.c.locatie,
        "instroomroute": t.c.instroomroute,
        "afhandeling": g.c.afhandeling,
        "overdrachtdoel": o.c.doel,
    }
    gekozen = [kolommen[d].label(d) for d in dimensies]
    # A traject with two gesprekken on the same vraagtype counts once under it.
    aantal = func.count(t.c.id.distinct()) if per_traject and nodig_gesprek else func.count()
    query = select(*gekozen, aantal).select_from(bron).where(dag.between(van, tot))
    if gekozen:
        query = query.group_by(*gekozen)
    return [tuple(r) for r in session.execute(query).all()]


def maak_tellingen(
    session: Session,
    context: AppContext,
    van: date,
    tot: date,
    dimensies: list[str],
    meting: Meting,
    labels: bool,
) -> Tellingen:
    """Exact counts, for the kwartiermaker; the rapportage role reads app/publicatie's."""
    uit = []
    for rij in tel(session, van, tot, dimensies, meting):
        item: dict[str, Any] = {}
        for d, waarde in zip(dimensies, rij, strict=False):
            item[d] = waarde
            if labels:
                item[f"{d}Omschrijving"] = omschrijving(context, d, waarde)
        item["aantal"] = rij[-1]
        item["onderdrukt"] = False
        uit.append(item)
    return Tellingen(van=van, tot=tot, meting=meting, dimensies=dimensies, rijen=uit)


def omschrijving(context: AppContext, dimensie: str, waarde: str | None) -> str | None:
    """The Dutch label of a value, so a reporting tool needs no second call."""
    if waarde is None:
        return GEEN_OVERDRACHT if dimensie == "overdrachtdoel" else None
    if dimensie == "wijk":
        wijk = context.indeling.wijk(waarde)
        return wijk.naam if wijk else waarde
    if dimensie == "maand":
        return f"{MAANDEN[int(waarde[5:]) - 1]} {waarde[:4]}"
    for code in context.codelijsten.lijsten[LIJST[dimensie]]:
        if code.code == waarde:
            return code.omschrijving
    return waarde


def als_csv(tellingen: Tellingen, labels: bool) -> str:
    """The same rows as CSV: a header of the dimension names (and labels), aantal and onderdrukt.

    A hidden count is an empty field with `true` beside it: Excel and Power BI read an empty
    number, and the status says why it is empty.
    """
    kolommen: list[str] = []
    for d in tellingen.dimensies:
        kolommen.append(d)
        if labels:
            kolommen.append(f"{d}Omschrijving")
    kolommen += ["aantal", "onderdrukt"]
    uit = io.StringIO()
    schrijver = csv.writer(uit, lineterminator="\r\n")
    schrijver.writerow(kolommen)
    for rij in tellingen.rijen:
        schrijver.writerow([_veld(rij.get(c)) for c in kolommen])
    return uit.getvalue()


def _veld(waarde: Any) -> Any:
    if waarde is None:
        return ""
    return str(waarde).lower() if isinstance(waarde, bool) else waarde
