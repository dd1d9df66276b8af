"""The rows of each entity set, computed by the functions behind /tellingen and /jaaranalyses.

A rapportage caller's rows come from `beschermde_tellingen` and `beschermde_jaaranalyse`, the
very functions of those routes: the same grid periods (closed, after the wachttijd), at most
three dimensions, every cell under its one name and so its one published value. A month row is
a cell of the year's table by month, which is the month's own cell (app/publicatie/tellingen.py).
The kwartiermaker's rows are the exact counts of the same periods, the running ones included.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from app.analyse.jaaranalyse import maak_jaaranalyse
from app.analyse.kenmerken import HELE_GEMEENTE, kenmerken
from app.analyse.schemas import Meting
from app.analyse.tellingen import maak_tellingen
from app.deps import AppContext
from app.odata.filter import Filter
from app.odata.model import TELSET_VAN, Telset
from app.publicatie import raster
from app.publicatie.jaaranalyse import beschermde_jaaranalyse
from app.publicatie.raster import Periode
from app.publicatie.tellingen import beschermde_tellingen
from app.toegang.deps import Gebruiker

# The feed's years: this one and the two before. Fixed, not "since the first registration":
# which periods exist must not depend on the data.
JAREN = 3

Rij = dict[str, Any]


@dataclass(frozen=True)
class Blok:
    """One call of the tellingen functions: a grid period, perhaps split by month."""

    periode: Periode
    per_maand: bool
    perioden: tuple[Periode, ...]  # the periods of its rows


def _kwartaal(jaar: int, k: int) -> Periode:
    van = date(jaar, 3 * k - 2, 1)
    tot = raster.maand(f"{jaar}-{3 * k:02d}").tot
    return raster.lees_periode(van, tot)


def _soort(periode: Periode) -> str:
    if len(periode.naam) == 4:
        return "jaar"
    return "kwartaal" if "K" in periode.naam else "maand"


def zichtbaar(context: AppContext, gebruiker: Gebruiker, periode: Periode) -> bool:
    vandaag = context.vandaag()
    if gebruiker.rol == "rapportage":
        wachttijd = context.settings.publicatie_wachttijd_dagen
        return vandaag >= raster.vastgesteld_op(periode, wachttijd)
    return periode.van <= vandaag


def jaren(context: AppContext) -> range:
    dit = context.vandaag().year
    return range(dit - JAREN + 1, dit + 1)


def blokken(context: AppContext, gebruiker: Gebruiker) -> list[Blok]:
    uit = []
    for j in jaren(context):
        jaar = raster.jaar(j)
        kwartalen = [_kwartaal(j, k) for k in range(1, 5)]
        maanden = [raster.maand(m) for m in jaar.maanden()]
        if not zichtbaar(context, gebruiker, jaar):
            # The running year (for rapportage also January until the wachttijd has passed):
            # the closed quarters and months one by one.
            uit += [Blok(p, False, (p,)) for p in kwartalen if zichtbaar(context, gebruiker, p)]
            uit += [Blok(p, False, (p,)) for p in maanden if zichtbaar(context, gebruiker, p)]
            continue
        uit.append(Blok(jaar, False, (jaar,)))
        uit += [Blok(p, False, (p,)) for p in kwartalen if zichtbaar(context, gebruiker, p)]
        getoond = tuple(p for p in maanden if zichtbaar(context, gebruiker, p))
        uit.append(Blok(jaar, True, getoond))
    return uit


def _periode_velden(periode: Periode) -> Rij:
    return {
        "Periode": periode.naam,
        "Periodesoort": _soort(periode),
        "Jaar": periode.van.year,
        "Van": periode.van,
        "Tot": periode.tot,
    }


def telrijen(
    session: Session,
    context: AppContext,
    gebruiker: Gebruiker,
    set_naam: str,
    filter_: Filter | None,
) -> Iterator[Rij]:
    telset: Telset = TELSET_VAN[set_naam]
    meting: Meting = "gesprekken" if telset.meting == "gesprekken" else "trajecten"
    for blok in blokken(context, gebruiker):
        for per_wijk in (False, True):
            bekend = {} if per_wijk else {"Wijk": None, "Wijknaam": HELE_GEMEENTE}
            if filter_ is not None and all(
                filter_({**_periode_velden(p), **bekend}) is False for p in blok.perioden
            ):
                continue
            dimensies = ["wijk"] if per_wijk else []
            dimensies += ["maand"] if blok.per_maand else []
            dimensies += [telset.dimensie] if telset.dimensie else []
            p = blok.periode
            if gebruiker.rol == "rapportage":
                tellingen = beschermde_tellingen(
                    session, context, p.van, p.tot, dimensies, meting, True
                )
            else:
                tellingen = maak_tellingen(session, context, p.van, p.tot, dimensies, meting, True)
            for rij in tellingen.rijen:
                periode = raster.maand(str(rij["maand"])) if blok.per_maand else p
                yield _telrij(telset, periode, rij)


def _telrij(telset: Telset, periode: Periode, rij: dict[str, Any]) -> Rij:
    wijk = rij.get("wijk")
    uit: Rij = {"Id": "", **_periode_velden(periode)}
    uit["Wijk"] = wijk
    uit["Wijknaam"] = rij.get("wijkOmschrijving") or HELE_GEMEENTE
    code = None
    if telset.dimensie:
        naam = telset.dimensie.capitalize()
        code = rij.get(telset.dimensie)
        uit[naam] = code
        uit[f"{naam}Omschrijving"] = rij.get(f"{telset.dimensie}Omschrijving")
    uit["Aantal"] = rij["aantal"]
    uit["Onderdrukt"] = rij["onderdrukt"]
    uit["Id"] = "/".join([periode.naam, str(wijk or "gemeente"), str(code or "")]).rstrip("/")
    return uit


def jaarcijfers(
    session: Session, context: AppContext, gebruiker: Gebruiker, filter_: Filter | None
) -> Iterator[Rij]:
    for j in jaren(context):
        if not zichtbaar(context, gebruiker, raster.jaar(j)):
            continue
        if filter_ is not None and filter_({"Jaar": j}) is False:
            continue
        if gebruiker.rol == "rapportage":
            analyse = beschermde_jaaranalyse(session, context, j, None)
        else:
            analyse = maak_jaaranalyse(session, context, j, None)
        for k in kenmerken(analyse):
            yield {
                "Id": f"{j}/{k.wijk or 'gemeente'}/{k.deel}/{k.kenmerk}",
                "Jaar": j,
                "Wijk": k.wijk,
                "Wijknaam": k.wijknaam,
                "Deel": k.deel,
                "Kenmerk": k.kenmerk,
                "Waarde": k.waarde,
            }


def wijken(context: AppContext) -> Iterator[Rij]:
    for w in context.indeling.wijken:
        yield {
            "Code": w.code,
            "Naam": w.naam,
            "Gemeente": w.gemeente,
            "Gemeentecode": w.gemeentecode,
        }


def codes(context: AppContext) -> Iterator[Rij]:
    for lijst, items in context.codelijsten.lijsten.items():
        for c in items:
            yield {
                "Id": f"{lijst}/{c.code}",
                "Lijst": lijst,
                "Code": c.code,
                "Omschrijving": c.omschrijving,
            }
