"""The effect indicators as data: which outside figures a gemeente follows, and how to read them.

The packaged `indicatoren.json` holds the Maashorst set; a file named in the setting
`WIJKCONTACT_INDICATOREN` replaces it. Loading checks every entry and stops with one line that
names the wrong one, so a typo never reaches the annual analysis.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from app.codelijsten.lijsten import CODE
from app.kern.configbestand import lees_json, vereist
from app.kern.settings import ConfiguratieFout

Eenheid = Literal["procent", "aantal", "per 1.000 inwoners", "per 1.000 jongeren", "rapportcijfer"]
EENHEDEN: tuple[str, ...] = get_args(Eenheid)
# What a value of each unit can be; an `aantal` is also a whole number.
BEREIK: dict[str, tuple[float, float]] = {
    "procent": (0, 100),
    "aantal": (0, 100_000_000),
    "per 1.000 inwoners": (0, 1000),
    "per 1.000 jongeren": (0, 1000),
    "rapportcijfer": (1, 10),
}
# Other parts (beschikkingen per 1.000 inwoners) read the population under this code, so every
# definitions file must have it, counted in people.
INWONERS = "inwoners"
VELDEN = {"code", "omschrijving", "eenheid", "bron", "hogerIsBeter", "modelschatting"}


@dataclass(frozen=True)
class Indicator:
    code: str
    omschrijving: str
    eenheid: str
    bron: str
    # None: a change is neither better nor worse (the number of inwoners, mantelzorgers).
    hoger_is_beter: bool | None
    # GGD figures per wijk are estimated from a model (survey and register data), not measured.
    modelschatting: bool


@dataclass(frozen=True)
class Indicatoren:
    lijst: tuple[Indicator, ...]

    def get(self, code: str) -> Indicator | None:
        return next((i for i in self.lijst if i.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.lijst]


def laad_indicatoren(bestand: Path | None = None) -> Indicatoren:
    """Load and check the definitions; the packaged ones when no file is given."""
    data, bron = lees_json(bestand, "indicatoren/indicatoren.json")
    vereist(data, dict, bron)
    onbekend = sorted(set(data) - {"indicatoren"})
    if onbekend:
        raise ConfiguratieFout(f"{bron}: onbekend veld {onbekend[0]!r} (alleen 'indicatoren')")
    items = vereist(data.get("indicatoren"), list, f"{bron}: indicatoren")
    lijst: list[Indicator] = []
    for i, item in enumerate(items):
        plek = f"{bron}: indicatoren[{i}]"
        vereist(item, dict, plek)
        code = vereist(item.get("code"), str, f"{plek}.code")
        plek = f"{plek} ({code})"
        if not CODE.match(code):
            raise ConfiguratieFout(f"{plek}: de code moet uit kleine letters, cijfers en _ bestaan")
        if any(bestaand.code == code for bestaand in lijst):
            raise ConfiguratieFout(f"{plek}: de code {code} staat er twee keer in")
        vreemd = sorted(set(item) - VELDEN)
        if vreemd:
            raise ConfiguratieFout(
                f"{plek}: onbekend veld {vreemd[0]!r} (kies uit {', '.join(sorted(VELDEN))})"
            )
        omschrijving = vereist(item.get("omschrijving"), str, f"{plek}.omschrijving")
        bron_tekst = vereist(item.get("bron"), str, f"{plek}.bron")
        eenheid = item.get("eenheid")
        if eenheid not in EENHEDEN:
            raise ConfiguratieFout(f"{plek}.eenheid: moet een van deze zijn: {', '.join(EENHEDEN)}")
        hoger_is_beter = item.get("hogerIsBeter", "ontbreekt")
        # isinstance, not `in (True, False, None)`: 1 == True would pass.
        if not (hoger_is_beter is None or isinstance(hoger_is_beter, bool)):
            raise ConfiguratieFout(f"{plek}.hogerIsBeter: moet true, false of null zijn")
        if not isinstance(item.get("modelschatting"), bool):
            raise ConfiguratieFout(f"{plek}.modelschatting: moet true of false zijn")
        lijst.append(
            Indicator(
                code=code,
                omschrijving=omschrijving,
                eenheid=eenheid,
                bron=bron_tekst,
                hoger_is_beter=hoger_is_beter,
                modelschatting=item["modelschatting"],
            )
        )
    inwoners = next((i for i in lijst if i.code == INWONERS), None)
    if inwoners is None or inwoners.eenheid != "aantal":
        raise ConfiguratieFout(
            f"{bron}: de indicator {INWONERS} (eenheid aantal) ontbreekt; andere onderdelen "
            "rekenen ermee per 1.000 inwoners"
        )
    return Indicatoren(tuple(lijst))
