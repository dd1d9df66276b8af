"""Tellingen for the rapportage role: a grid period, at most three dimensions, every cell shown.

Every combination of the dimensions' values is a row, also where nothing happened: a row that
appears only when its combination occurs would say "at least one" even with its count hidden.
"""

from typing import Any

from sqlmodel import Session

from app.analyse.schemas import Meting, Tellingen
from app.analyse.tellingen import LIJST, omschrijving, tel
from app.deps import AppContext
from app.kern.problems import InvalidParam, OngeldigeInvoer
from app.publicatie.raster import Periode, controleer_vastgesteld, lees_periode
from app.publicatie.ruis import Cel, cel
from app.publicatie.vastleggen import publiceer

MAX_DIMENSIES = 3


def waarden(context: AppContext, dimensie: str, periode: Periode) -> list[Any]:
    """Every value a dimension can take in the period: the whole grid, not what occurred."""
    if dimensie == "wijk":
        return list(context.indeling.codes)
    if dimensie == "maand":
        return periode.maanden()
    codes: list[Any] = list(context.codelijsten.codes(LIJST[dimensie]))
    return [*codes, None] if dimensie == "overdrachtdoel" else codes


def celnaam_van(meting: str, periode: Periode, dimensies: list[str], rij: tuple[Any, ...]) -> Cel:
    """A row's cell: with `maand` among the dimensions, the month is the cell's period, so that
    the year by month and each month on its own are the same cells."""
    paren = dict(zip(dimensies, rij, strict=True))
    naam = paren.pop("maand", None) or periode.naam
    return cel(meting, naam, list(paren.items()))


def beschermde_tellingen(
    session: Session,
    context: AppContext,
    van: Any,
    tot: Any,
    dimensies: list[str],
    meting: Meting,
    labels: bool,
) -> Tellingen:
    periode = lees_periode(van, tot)
    if len(dimensies) > MAX_DIMENSIES:
        raise OngeldigeInvoer(
            [
                InvalidParam(
                    name="dimensies",
                    reason=f"Voor de rol rapportage hoogstens {MAX_DIMENSIES} dimensies per tabel.",
                )
            ]
        )
    controleer_vastgesteld(
        periode, context.vandaag(), context.settings.publicatie_wachttijd_dagen, "tot"
    )
    geteld = {tuple(r[:-1]): int(r[-1]) for r in tel(session, van, tot, dimensies, meting)}
    combinaties: list[tuple[Any, ...]] = [()]
    for d in dimensies:
        combinaties = [(*c, w) for c in combinaties for w in waarden(context, d, periode)]
    raster = set(combinaties)
    # A value outside today's code lists (a retired code) is shown only when its count is.
    buiten = [r for r in geteld if r not in raster]
    cellen = {r: celnaam_van(meting, periode, dimensies, r) for r in [*combinaties, *buiten]}
    gepubliceerd = publiceer(session, context, {c: geteld.get(r, 0) for r, c in cellen.items()})
    rijen = []
    for r in cellen:
        aantal = gepubliceerd[cellen[r]]
        if r not in raster and aantal is None:
            continue
        item: dict[str, Any] = {}
        for d, waarde in zip(dimensies, r, strict=True):
            item[d] = waarde
            if labels:
                item[f"{d}Omschrijving"] = omschrijving(context, d, waarde)
        item["aantal"] = aantal
        item["onderdrukt"] = aantal is None
        rijen.append(item)
    return Tellingen(
        van=periode.van, tot=periode.tot, meting=meting, dimensies=dimensies, rijen=rijen
    )
