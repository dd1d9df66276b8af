import re
from dataclasses import dataclass
from pathlib import Path

from app.kern.configbestand import lees_json, vereist
from app.kern.settings import ConfiguratieFout

GEMEENTECODE = re.compile(r"^\d{4}$")
BUURTCODE = re.compile(r"^\d{8}$")
WIJKCODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,15}$")


@dataclass(frozen=True)
class Wijk:
    code: str
    naam: str
    gemeente: str
    gemeentecode: str
    buurtcodes: tuple[str, ...]


@dataclass(frozen=True)
class Gebiedsindeling:
    wijken: tuple[Wijk, ...]

    def wijk(self, code: str) -> Wijk | None:
        return next((w for w in self.wijken if w.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [w.code for w in self.wijken]


def wijkcode(indeling: Gebiedsindeling, code: str) -> str | None:
    """The wijk with this code, or with this number: a spreadsheet that opened the file took
    "09" for the number 9 and saved it so. None when no single wijk fits."""
    if indeling.wijk(code) is not None:
        return code
    if code.isascii() and code.isdigit():
        gelijk = [c for c in indeling.codes if c.isdigit() and int(c) == int(code)]
        if len(gelijk) == 1:
            return gelijk[0]
    return None


def laad_gebiedsindeling(bestand: Path | None = None) -> Gebiedsindeling:
    """Load and check the area division; the Maashorst default when no file is given."""
    data, bron = lees_json(bestand, "gebieden/maashorst.json")
    gemeenten = vereist(vereist(data, dict, bron).get("gemeenten"), list, f"{bron}: gemeenten")
    wijken: list[Wijk] = []
    gezien_wijk: dict[str, str] = {}
    gezien_buurt: dict[str, str] = {}
    gezien_gemeente: set[str] = set()
    for g, gemeente in enumerate(gemeenten):
        plek = f"{bron}: gemeenten[{g}]"
        vereist(gemeente, dict, plek)
        gcode = vereist(gemeente.get("code"), str, f"{plek}.code")
        gnaam = vereist(gemeente.get("naam"), str, f"{plek}.naam")
        if not GEMEENTECODE.match(gcode):
            raise ConfiguratieFout(f"{plek}: gemeentecode {gcode!r} is geen CBS-code van 4 cijfers")
        if gcode in gezien_gemeente:
            raise ConfiguratieFout(f"{plek}: gemeentecode {gcode} staat er twee keer in")
        gezien_gemeente.add(gcode)
        for w, wijk in enumerate(vereist(gemeente.get("wijken"), list, f"{plek}.wijken")):
            wplek = f"{plek}.wijken[{w}]"
            vereist(wijk, dict, wplek)
            wcode = vereist(wijk.get("code"), str, f"{wplek}.code")
            wnaam = vereist(wijk.get("naam"), str, f"{wplek}.naam")
            if not WIJKCODE.match(wcode):
                raise ConfiguratieFout(f"{wplek}: wijkcode {wcode!r} is ongeldig")
            if wcode in gezien_wijk:
                raise ConfiguratieFout(
                    f"{wplek}: wijkcode {wcode} ({wnaam}) is al gebruikt voor {gezien_wijk[wcode]}"
                )
            gezien_wijk[wcode] = wnaam
            buurten = vereist(wijk.get("buurten"), list, f"{wplek}.buurten")
            if not buurten:
                raise ConfiguratieFout(f"{wplek}: wijk {wcode} ({wnaam}) heeft geen buurten")
            codes: list[str] = []
            for b, buurt in enumerate(buurten):
                bplek = f"{wplek}.buurten[{b}]"
                vereist(buurt, dict, bplek)
                bcode = vereist(buurt.get("code"), str, f"{bplek}.code")
                bnaam = vereist(buurt.get("naam"), str, f"{bplek}.naam")
                if not BUURTCODE.match(bcode):
                    raise ConfiguratieFout(
                        f"{bplek}: buurtcode {bcode!r} ({bnaam}) is geen CBS-buurtcode "
                        "van 8 cijfers"
                    )
                if not bcode.startswith(gcode):
                    raise ConfiguratieFout(
                        f"{bplek}: buurtcode {bcode} ({bnaam}) ligt niet in gemeente "
                        f"{gcode} ({gnaam})"
                    )
                if bcode in gezien_buurt:
                    raise ConfiguratieFout(
                        f"{bplek}: buurtcode {bcode} ({bnaam}) hoort al bij wijk "
                        f"{gezien_buurt[bcode]}"
                    )
                gezien_buurt[bcode] = wcode
                codes.append(bcode)
            wijken.append(Wijk(wcode, wnaam, gnaam, gcode, tuple(codes)))
    if not wijken:
        raise ConfiguratieFout(f"{bron}: de gebiedsindeling bevat geen wijken")
    return Gebiedsindeling(tuple(wijken))
