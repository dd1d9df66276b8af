import re
from dataclasses import dataclass
from pathlib import Path

from app.kern.configbestand import lees_json, vereist
from app.kern.settings import ConfiguratieFout

LIJSTEN = (
    "vraagtypen",
    "leeftijdsgroepen",
    "locaties",
    "instroomroutes",
    "afhandelingen",
    "overdrachtdoelen",
)
# The other parts of the annual analysis (inzet, activiteiten, beschikkingen). A gemeente's own
# file may leave them out: a file written before these parts existed keeps working, with the
# packaged lists for them.
AANVULLEND = ("uursoorten", "budgetposten", "activiteitsoorten", "voorzieningen")
NIVEAUS = ("voorliggend", "gespecialiseerd")
CODE = re.compile(r"^[a-z0-9][a-z0-9_]{0,39}$")
# The handover rule hangs on this code, so every list of afhandelingen must have it.
WARME_OVERDRACHT = "warme_overdracht"


@dataclass(frozen=True)
class Code:
    code: str
    omschrijving: str
    niveau: str | None = None


@dataclass(frozen=True)
class Codelijsten:
    lijsten: dict[str, tuple[Code, ...]]

    def codes(self, lijst: str) -> list[str]:
        return [c.code for c in self.lijsten[lijst]]

    def bevat(self, lijst: str, code: str) -> bool:
        return any(c.code == code for c in self.lijsten[lijst])


def laad_codelijsten(bestand: Path | None = None) -> Codelijsten:
    """Load and check the code lists; the packaged defaults when no file is given."""
    data, bron = lees_json(bestand, "codelijsten/standaard.json")
    vereist(data, dict, bron)
    onbekend = sorted(set(data) - set(LIJSTEN) - set(AANVULLEND))
    if onbekend:
        raise ConfiguratieFout(f"{bron}: onbekende codelijst {onbekend[0]!r}")
    ontbrekend = [lijst for lijst in AANVULLEND if lijst not in data]
    if bestand is not None and ontbrekend:
        standaard, _ = lees_json(None, "codelijsten/standaard.json")
        data = {**data, **{lijst: standaard[lijst] for lijst in ontbrekend}}
    lijsten: dict[str, tuple[Code, ...]] = {}
    for lijst in (*LIJSTEN, *AANVULLEND):
        items = vereist(data.get(lijst), list, f"{bron}: {lijst}")
        if not items:
            raise ConfiguratieFout(f"{bron}: {lijst} is leeg")
        codes: list[Code] = []
        for i, item in enumerate(items):
            plek = f"{bron}: {lijst}[{i}]"
            vereist(item, dict, plek)
            code = vereist(item.get("code"), str, f"{plek}.code")
            omschrijving = vereist(item.get("omschrijving"), str, f"{plek}.omschrijving")
            if not CODE.match(code):
                raise ConfiguratieFout(
                    f"{plek}: code {code!r} moet uit kleine letters, cijfers en _ bestaan"
                )
            if any(c.code == code for c in codes):
                raise ConfiguratieFout(f"{plek}: code {code} staat twee keer in {lijst}")
            niveau = item.get("niveau")
            if lijst == "overdrachtdoelen":
                if niveau not in NIVEAUS:
                    raise ConfiguratieFout(
                        f"{plek}: onbekend niveau {niveau!r} voor {code} "
                        f"(kies uit {', '.join(NIVEAUS)})"
                    )
            elif niveau is not None:
                raise ConfiguratieFout(f"{plek}: alleen overdrachtdoelen hebben een niveau")
            codes.append(Code(code, omschrijving, niveau))
        lijsten[lijst] = tuple(codes)
    if WARME_OVERDRACHT not in [c.code for c in lijsten["afhandelingen"]]:
        raise ConfiguratieFout(f"{bron}: afhandelingen mist de code {WARME_OVERDRACHT}")
    return Codelijsten(lijsten)
