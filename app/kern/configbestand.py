import json
from importlib import resources
from pathlib import Path
from typing import Any

from app.kern.settings import ConfiguratieFout


def lees_json(bestand: Path | None, standaard: str) -> tuple[Any, str]:
    """Read an operator's file, or the packaged default (`package/file.json`) when none is set."""
    if bestand is None:
        package, name = standaard.split("/")
        tekst = resources.files(f"app.{package}").joinpath(name).read_text(encoding="utf-8")
        bron = f"standaard {name}"
    else:
        bron = str(bestand)
        try:
            tekst = bestand.read_text(encoding="utf-8")
        except OSError as fout:
            raise ConfiguratieFout(
                f"{bron}: kan het bestand niet lezen ({fout.strerror})"
            ) from None
    try:
        return json.loads(tekst), bron
    except json.JSONDecodeError as fout:
        raise ConfiguratieFout(
            f"{bron}: geen geldige JSON (regel {fout.lineno}, kolom {fout.colno})"
        ) from None


def vereist(waarde: Any, soort: type, plek: str) -> Any:
    if not isinstance(waarde, soort) or (soort is str and not str(waarde).strip()):
        namen: dict[type, str] = {list: "een lijst", dict: "een object", str: "een niet-lege tekst"}
        naam = namen[soort]
        raise ConfiguratieFout(f"{plek}: moet {naam} zijn")
    return waarde
