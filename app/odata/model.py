"""The entity data model of the feed, and its CSDL XML (`$metadata`).

Every entity set is computed, not a table: the model is declared here once, and the rows, the
`$select`/`$filter`/`$orderby` checks and the metadata document all read it.
"""

from dataclasses import dataclass
from xml.etree import ElementTree as ET

NAMESPACE = "Wijkcontact"
EDMX = "http://docs.oasis-open.org/odata/ns/edmx"
EDM = "http://docs.oasis-open.org/odata/ns/edm"


@dataclass(frozen=True)
class Eigenschap:
    naam: str
    soort: str  # an Edm primitive type: Edm.String, Edm.Int32, Edm.Date, ...
    leeg_mag: bool = True


@dataclass(frozen=True)
class EntitySet:
    naam: str
    type_naam: str
    eigenschappen: tuple[Eigenschap, ...]
    omschrijving: str
    telt_als_vraag: bool  # figures: counted against a rapportage account's hourly allowance

    def eigenschap(self, naam: str) -> Eigenschap | None:
        return next((e for e in self.eigenschappen if e.naam == naam), None)

    @property
    def namen(self) -> list[str]:
        return [e.naam for e in self.eigenschappen]


def _id() -> Eigenschap:
    return Eigenschap("Id", "Edm.String", leeg_mag=False)


PERIODE = (
    Eigenschap("Periode", "Edm.String", leeg_mag=False),
    Eigenschap("Periodesoort", "Edm.String", leeg_mag=False),
    Eigenschap("Jaar", "Edm.Int32", leeg_mag=False),
    Eigenschap("Van", "Edm.Date", leeg_mag=False),
    Eigenschap("Tot", "Edm.Date", leeg_mag=False),
)
WIJK = (Eigenschap("Wijk", "Edm.String"), Eigenschap("Wijknaam", "Edm.String", leeg_mag=False))
AANTAL = (
    Eigenschap("Aantal", "Edm.Int32"),
    Eigenschap("Onderdrukt", "Edm.Boolean", leeg_mag=False),
)


@dataclass(frozen=True)
class Telset:
    """An entity set of tellingen: one meting per period x wijk (and the whole gemeente) x code."""

    naam: str
    meting: str
    dimensie: str | None  # a dimension of /tellingen, or None for the totals


# The pairs of the jaaranalyse: what it counts per code as gesprekken, and what as trajecten.
TELSETS = (
    Telset("Gesprekken", "gesprekken", None),
    Telset("Trajecten", "trajecten", None),
    Telset("GesprekkenPerVraagtype", "gesprekken", "vraagtype"),
    Telset("GesprekkenPerLocatie", "gesprekken", "locatie"),
    Telset("GesprekkenPerAfhandeling", "gesprekken", "afhandeling"),
    Telset("TrajectenPerLeeftijdsgroep", "trajecten", "leeftijdsgroep"),
    Telset("TrajectenPerInstroomroute", "trajecten", "instroomroute"),
    Telset("TrajectenPerOverdrachtdoel", "trajecten", "overdrachtdoel"),
)


def _telset(t: Telset) -> EntitySet:
    code: tuple[Eigenschap, ...] = ()
    if t.dimensie:
        naam = t.dimensie.capitalize()
        code = (Eigenschap(naam, "Edm.String"), Eigenschap(f"{naam}Omschrijving", "Edm.String"))
    per = f" per {t.dimensie}" if t.dimensie else ""
    return EntitySet(
        t.naam,
        f"{t.naam}Rij",
        (_id(), *PERIODE, *WIJK, *code, *AANTAL),
        f"Aantal {t.meting}{per} per maand, kwartaal en jaar, per wijk en voor de hele gemeente "
        "(Wijk leeg).",
        telt_als_vraag=True,
    )


ENTITY_SETS: dict[str, EntitySet] = {
    s.naam: s
    for s in (
        EntitySet(
            "Wijken",
            "Wijk",
            (
                Eigenschap("Code", "Edm.String", leeg_mag=False),
                Eigenschap("Naam", "Edm.String", leeg_mag=False),
                Eigenschap("Gemeente", "Edm.String", leeg_mag=False),
                Eigenschap("Gemeentecode", "Edm.String", leeg_mag=False),
            ),
            "De werkgebieden (wijken en kernen).",
            telt_als_vraag=False,
        ),
        EntitySet(
            "Codes",
            "Code",
            (
                _id(),
                Eigenschap("Lijst", "Edm.String", leeg_mag=False),
                Eigenschap("Code", "Edm.String", leeg_mag=False),
                Eigenschap("Omschrijving", "Edm.String", leeg_mag=False),
            ),
            "De codelijsten met hun Nederlandse omschrijving.",
            telt_als_vraag=False,
        ),
        *(_telset(t) for t in TELSETS),
        EntitySet(
            "Jaarcijfers",
            "Jaarcijfer",
            (
                _id(),
                Eigenschap("Jaar", "Edm.Int32", leeg_mag=False),
                *WIJK,
                Eigenschap("Deel", "Edm.String", leeg_mag=False),
                Eigenschap("Kenmerk", "Edm.String", leeg_mag=False),
                Eigenschap("Waarde", "Edm.Double"),
            ),
            "De jaaranalyse als lange tabel: elk getal van elk deel, per wijk en voor de hele "
            "gemeente (Wijk leeg).",
            telt_als_vraag=True,
        ),
    )
}
TELSET_VAN = {t.naam: t for t in TELSETS}


def metadata_xml() -> bytes:
    """The CSDL XML document: one entity type per set, each keyed on its first property."""
    # Registered for the process, as ElementTree only allows: EDM as the default namespace of
    # the document, as every CSDL example writes it; nothing else here serializes either.
    ET.register_namespace("edmx", EDMX)
    ET.register_namespace("", EDM)
    edmx = ET.Element(f"{{{EDMX}}}Edmx", Version="4.0")
    services = ET.SubElement(edmx, f"{{{EDMX}}}DataServices")
    schema = ET.SubElement(services, f"{{{EDM}}}Schema", Namespace=NAMESPACE)
    for s in ENTITY_SETS.values():
        entity = ET.SubElement(schema, f"{{{EDM}}}EntityType", Name=s.type_naam)
        key = ET.SubElement(entity, f"{{{EDM}}}Key")
        ET.SubElement(key, f"{{{EDM}}}PropertyRef", Name=s.eigenschappen[0].naam)
        for e in s.eigenschappen:
            ET.SubElement(
                entity,
                f"{{{EDM}}}Property",
                Name=e.naam,
                Type=e.soort,
                Nullable="true" if e.leeg_mag else "false",
            )
    container = ET.SubElement(schema, f"{{{EDM}}}EntityContainer", Name="Container")
    for s in ENTITY_SETS.values():
        ET.SubElement(
            container, f"{{{EDM}}}EntitySet", Name=s.naam, EntityType=f"{NAMESPACE}.{s.type_naam}"
        )
    document: bytes = ET.tostring(edmx, encoding="utf-8", xml_declaration=True)
    return document
