"""`$filter`: parsed by odata-query, evaluated here over the computed rows.

odata-query (a maintained OData v4 parser) turns the text into a syntax tree; its SQLAlchemy
translation does not fit here, and not only because it pins SQLAlchemy below 2: the rows of the
feed do not live in a table. They are the published release, computed per period by the same
functions as /tellingen (noise, hidden cells, the grid), so a filter can only run over those
rows. The same tree is also asked, with only the period of a block known, whether any row of
that block could match (three-valued logic); blocks that cannot are not computed at all.
"""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from odata_query import ast
from odata_query.exceptions import ODataException
from odata_query.grammar import ODataLexer, ODataParser

from app.odata.fouten import NietOndersteund, OngeldigeOptie
from app.odata.model import EntitySet

ONBEKEND = object()  # a property whose value is not known yet: compare gives "maybe"

VERGELIJK: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
}
SOORTEN: dict[str, tuple[type, ...]] = {
    "Edm.String": (str,),
    "Edm.Int32": (int, float),
    "Edm.Double": (int, float),
    "Edm.Date": (date,),
    "Edm.Boolean": (bool,),
}


# A compiled filter: a row (perhaps with only some properties known) to True, False or None
# where it depends on a property the row does not hold yet (Kleene's three-valued logic).
Filter = Callable[[Mapping[str, Any]], bool | None]


def lees_filter(tekst: str, entity_set: EntitySet) -> Filter:
    """The filter, checked once: every property known, every literal of a matching type."""
    try:
        boom = ODataParser().parse(ODataLexer().tokenize(tekst))
    except ODataException:
        raise OngeldigeOptie("$filter", "Deze $filter-expressie is niet te lezen.") from None
    return _compileer(boom, entity_set)


def _compileer(knoop: Any, entity_set: EntitySet) -> Filter:
    if isinstance(knoop, ast.BoolOp):
        links, rechts = _compileer(knoop.left, entity_set), _compileer(knoop.right, entity_set)
        return _en(links, rechts) if isinstance(knoop.op, ast.And) else _of(links, rechts)
    if isinstance(knoop, ast.UnaryOp) and isinstance(knoop.op, ast.Not):
        binnen = _compileer(knoop.operand, entity_set)
        return lambda rij: None if (w := binnen(rij)) is None else not w
    if isinstance(knoop, ast.Compare) and type(knoop.comparator) in VERGELIJK:
        return _vergelijking(knoop, entity_set)
    raise NietOndersteund(
        "$filter kent hier: eq, ne, gt, ge, lt, le, and, or, not en haakjes, met een "
        "eigenschap aan de ene en een waarde aan de andere kant."
    )


def _en(links: Filter, rechts: Filter) -> Filter:
    def en(rij: Mapping[str, Any]) -> bool | None:
        a, b = links(rij), rechts(rij)
        if a is False or b is False:
            return False
        return None if a is None or b is None else True

    return en


def _of(links: Filter, rechts: Filter) -> Filter:
    def of(rij: Mapping[str, Any]) -> bool | None:
        a, b = links(rij), rechts(rij)
        if a is True or b is True:
            return True
        return None if a is None or b is None else False

    return of


def _vergelijking(knoop: Any, entity_set: EntitySet) -> Filter:
    links, rechts, omgedraaid = knoop.left, knoop.right, False
    if isinstance(rechts, ast.Identifier) and not isinstance(links, ast.Identifier):
        links, rechts, omgedraaid = rechts, links, True
    if not isinstance(links, ast.Identifier) or not isinstance(rechts, ast._Literal):
        raise NietOndersteund("$filter vergelijkt een eigenschap met een waarde.")
    eigenschap = entity_set.eigenschap(links.name)
    if eigenschap is None or links.namespace:
        raise OngeldigeOptie(
            "$filter",
            f"Onbekende eigenschap; {entity_set.naam} heeft: {', '.join(entity_set.namen)}.",
        )
    waarde = _waarde(rechts, eigenschap.soort)
    if waarde is not None and (
        not isinstance(waarde, SOORTEN[eigenschap.soort])
        or (isinstance(waarde, bool) and eigenschap.soort != "Edm.Boolean")
    ):
        raise OngeldigeOptie(
            "$filter",
            f"{eigenschap.naam} is {eigenschap.soort}: vergelijk met een waarde van die soort.",
        )
    naam, operator = eigenschap.naam, type(knoop.comparator)
    functie = VERGELIJK[operator]

    def vergelijk(rij: Mapping[str, Any]) -> bool | None:
        gevonden = rij.get(naam, ONBEKEND)
        if gevonden is ONBEKEND:
            return None
        a, b = (waarde, gevonden) if omgedraaid else (gevonden, waarde)
        if a is None or b is None:
            # OData: null equals only null, and any ordering with null is false.
            if operator is ast.Eq:
                return a is b
            if operator is ast.NotEq:
                return a is not b
            return False
        return bool(functie(a, b))

    return vergelijk


def _waarde(literal: Any, soort: str) -> Any:
    waarde = literal.py_val
    # Some clients quote a date ('2025-01-01'); its meaning is plain.
    if soort == "Edm.Date" and isinstance(waarde, str):
        try:
            return date.fromisoformat(waarde)
        except ValueError:
            return waarde
    return waarde
