"""The monitor's questionnaires as data: the packaged default or a gemeente's own file."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.codelijsten.lijsten import CODE
from app.kern.configbestand import lees_json, vereist
from app.kern.settings import ConfiguratieFout

SCORES = (1, 2, 3, 4, 5)
# A respondent answers one question per screen: beyond this a questionnaire is no longer short.
MAX_VRAGEN = 20


@dataclass(frozen=True)
class Vraag:
    code: str
    tekst: str


@dataclass(frozen=True)
class Vragenlijst:
    code: str
    titel: str
    doelgroep: str
    vragen: tuple[Vraag, ...]

    @property
    def vraagcodes(self) -> list[str]:
        return [v.code for v in self.vragen]


@dataclass(frozen=True)
class Schaalwaarde:
    waarde: int
    omschrijving: str


@dataclass(frozen=True)
class Vragenlijsten:
    schaal: tuple[Schaalwaarde, ...]
    weet_niet: str
    lijsten: tuple[Vragenlijst, ...]

    def vragenlijst(self, code: str) -> Vragenlijst | None:
        return next((v for v in self.lijsten if v.code == code), None)


def _alleen(item: dict[str, Any], sleutels: set[str], plek: str) -> None:
    # A misspelt key ("vrgen") must stop the start, not silently drop a part of the file.
    onbekend = sorted(set(item) - sleutels)
    if onbekend:
        raise ConfiguratieFout(f"{plek}: onbekende sleutel {onbekend[0]!r}")


def _code(item: dict[str, Any], plek: str) -> str:
    code: str = vereist(item.get("code"), str, f"{plek}.code")
    if not CODE.match(code):
        raise ConfiguratieFout(
            f"{plek}: code {code!r} moet uit kleine letters, cijfers en _ bestaan"
        )
    return code


def laad_vragenlijsten(bestand: Path | None = None) -> Vragenlijsten:
    """Load and check the questionnaires; the packaged ones when no file is given."""
    data, bron = lees_json(bestand, "ervaring/vragenlijsten.json")
    vereist(data, dict, bron)
    _alleen(data, {"toelichting", "schaal", "weetNiet", "vragenlijsten"}, bron)
    if "toelichting" in data:
        vereist(data["toelichting"], str, f"{bron}: toelichting")

    schaal = vereist(data.get("schaal"), list, f"{bron}: schaal")
    if len(schaal) != len(SCORES):
        raise ConfiguratieFout(f"{bron}: schaal moet precies de waarden 1 tot en met 5 hebben")
    waarden: list[Schaalwaarde] = []
    for i, item in enumerate(schaal):
        plek = f"{bron}: schaal[{i}]"
        vereist(item, dict, plek)
        _alleen(item, {"waarde", "omschrijving"}, plek)
        if item.get("waarde") != SCORES[i] or isinstance(item.get("waarde"), bool):
            raise ConfiguratieFout(f"{plek}: waarde moet {SCORES[i]} zijn (de schaal loopt op)")
        omschrijving = vereist(item.get("omschrijving"), str, f"{plek}.omschrijving")
        waarden.append(Schaalwaarde(SCORES[i], omschrijving))
    weet_niet = vereist(data.get("weetNiet"), str, f"{bron}: weetNiet")

    items = vereist(data.get("vragenlijsten"), list, f"{bron}: vragenlijsten")
    if not items:
        raise ConfiguratieFout(f"{bron}: vragenlijsten is leeg")
    lijsten: list[Vragenlijst] = []
    for i, item in enumerate(items):
        plek = f"{bron}: vragenlijsten[{i}]"
        vereist(item, dict, plek)
        _alleen(item, {"code", "titel", "doelgroep", "vragen"}, plek)
        code = _code(item, plek)
        if any(v.code == code for v in lijsten):
            raise ConfiguratieFout(f"{plek}: vragenlijst {code} staat er twee keer in")
        titel = vereist(item.get("titel"), str, f"{plek}.titel")
        doelgroep = vereist(item.get("doelgroep"), str, f"{plek}.doelgroep")
        vragen_data = vereist(item.get("vragen"), list, f"{plek}.vragen")
        if not 1 <= len(vragen_data) <= MAX_VRAGEN:
            raise ConfiguratieFout(f"{plek}: vragen moet 1 tot {MAX_VRAGEN} vragen hebben")
        vragen: list[Vraag] = []
        for j, vraag in enumerate(vragen_data):
            vplek = f"{plek}.vragen[{j}]"
            vereist(vraag, dict, vplek)
            _alleen(vraag, {"code", "tekst"}, vplek)
            vcode = _code(vraag, vplek)
            if any(v.code == vcode for v in vragen):
                raise ConfiguratieFout(f"{vplek}: vraag {vcode} staat twee keer in {code}")
            vragen.append(Vraag(vcode, vereist(vraag.get("tekst"), str, f"{vplek}.tekst")))
        lijsten.append(Vragenlijst(code, titel, doelgroep, tuple(vragen)))
    return Vragenlijsten(tuple(waarden), weet_niet, tuple(lijsten))
