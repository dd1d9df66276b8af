"""Gebiedsindeling and code lists are data: defaults, replacement files, and clear refusals."""

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.codelijsten.lijsten import LIJSTEN, laad_codelijsten
from app.codelijsten.routes import TRAJECTSTATUSSEN
from app.gebieden.indeling import laad_gebiedsindeling
from app.kern.settings import ConfiguratieFout, Settings
from app.main import create_app
from app.trajecten.models import STATUSSEN
from tests.conftest import account
from tests.registraties import eerste_gesprek

ROOT = Path(__file__).resolve().parents[2]
MAASHORST = json.loads((ROOT / "app/gebieden/maashorst.json").read_text(encoding="utf-8"))
CODES = json.loads((ROOT / "app/codelijsten/standaard.json").read_text(encoding="utf-8"))


def write(tmp_path: Path, data: Any, name: str = "config.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_maashorst_default_has_its_eleven_werkgebieden(
    client: TestClient, werker: dict[str, str]
) -> None:
    wijken = client.get("/api/v1/wijken", headers=werker).json()
    assert [w["naam"] for w in wijken] == [
        "Centrum", "West", "Midden", "Noord", "Oost", "Zuid",
        "Volkel", "Odiliapeel", "Schaijk", "Reek", "Zeeland",
    ]  # fmt: skip
    assert [w["code"] for w in wijken] == [f"{i:02d}" for i in range(1, 12)]
    buurten = [b for w in wijken for b in w["buurtcodes"]]
    assert len(buurten) == len(set(buurten)) == 39
    assert all(len(b) == 8 and b.startswith("1991") for b in buurten)
    oost = next(w for w in wijken if w["naam"] == "Oost")
    assert "19910110" in oost["buurtcodes"]  # Melle, with the corrected code
    assert {w["gemeente"] for w in wijken} == {"Maashorst"}


def test_codelijsten_answer_every_list_with_dutch_labels(
    client: TestClient, werker: dict[str, str]
) -> None:
    lijsten = client.get("/api/v1/codelijsten", headers=werker).json()
    for lijst in LIJSTEN:
        assert lijsten[lijst], lijst
        for code in lijsten[lijst]:
            assert code["code"] and code["omschrijving"]
    assert {d["niveau"] for d in lijsten["overdrachtdoelen"]} == {"voorliggend", "gespecialiseerd"}
    assert "warme_overdracht" in [a["code"] for a in lijsten["afhandelingen"]]
    assert [s["code"] for s in lijsten["trajectstatussen"]] == list(STATUSSEN)
    assert [s.code for s in TRAJECTSTATUSSEN] == list(STATUSSEN)


def test_melle_typo_from_the_published_table_is_caught(tmp_path: Path) -> None:
    data = copy.deepcopy(MAASHORST)
    oost = data["gemeenten"][0]["wijken"][4]
    next(b for b in oost["buurten"] if b["naam"] == "Melle")["code"] = "10010110"
    with pytest.raises(ConfiguratieFout) as fout:
        laad_gebiedsindeling(write(tmp_path, data))
    bericht = str(fout.value)
    assert "10010110" in bericht and "Melle" in bericht and "1991" in bericht
    assert "\n" not in bericht


@pytest.mark.parametrize(
    ("wijziging", "verwacht"),
    [
        (lambda d: d["gemeenten"][0]["wijken"][1].update(code="01"), "wijkcode 01"),
        (lambda d: d["gemeenten"][0]["wijken"][1]["buurten"].append(
            {"code": "19910101", "naam": "Centrum"}), "19910101"),
        (lambda d: d["gemeenten"][0].update(code="19"), "gemeentecode"),
        (lambda d: d["gemeenten"][0]["wijken"][2].update(buurten=[]), "geen buurten"),
        (lambda d: d["gemeenten"][0]["wijken"][0].pop("naam"), r"wijken\[0\]\.naam"),
        (lambda d: d.update(gemeenten={}), "gemeenten"),
    ],
)  # fmt: skip
def test_invalid_gebiedsindeling_names_the_wrong_entry(
    tmp_path: Path, wijziging: Any, verwacht: str
) -> None:
    data = copy.deepcopy(MAASHORST)
    wijziging(data)
    with pytest.raises(ConfiguratieFout, match=verwacht):
        laad_gebiedsindeling(write(tmp_path, data))


@pytest.mark.parametrize(
    ("wijziging", "verwacht"),
    [
        (lambda d: d["overdrachtdoelen"][0].update(niveau="licht"), "onbekend niveau 'licht'"),
        (lambda d: d["vraagtypen"].append(dict(d["vraagtypen"][0])), "twee keer"),
        (lambda d: d["locaties"][0].update(code="Wijk Gebouw"), "kleine letters"),
        (lambda d: d.pop("afhandelingen"), "afhandelingen"),
        (lambda d: d.update(afhandelingen=[{"code": "x", "omschrijving": "X"}]),
         "warme_overdracht"),
        (lambda d: d["vraagtypen"][0].update(niveau="voorliggend"), "alleen overdrachtdoelen"),
    ],
)  # fmt: skip
def test_invalid_codelijsten_name_the_wrong_entry(
    tmp_path: Path, wijziging: Any, verwacht: str
) -> None:
    data = copy.deepcopy(CODES)
    wijziging(data)
    with pytest.raises(ConfiguratieFout, match=verwacht):
        laad_codelijsten(write(tmp_path, data))


def test_unreadable_or_broken_file(tmp_path: Path) -> None:
    with pytest.raises(ConfiguratieFout, match="kan het bestand niet lezen"):
        laad_gebiedsindeling(tmp_path / "bestaat-niet.json")
    kapot = tmp_path / "kapot.json"
    kapot.write_text("{", encoding="utf-8")
    with pytest.raises(ConfiguratieFout, match="geen geldige JSON"):
        laad_codelijsten(kapot)


def test_another_gemeente_replaces_the_default(tmp_path: Path, database_url: str) -> None:
    den_helder = {
        "gemeenten": [
            {
                "code": "0400",
                "naam": "Den Helder",
                "wijken": [
                    {"code": "DH1", "naam": "Nieuw Den Helder",
                     "buurten": [{"code": "04000101", "naam": "Buurt 1"}]},
                    {"code": "DH2", "naam": "Centrum",
                     "buurten": [{"code": "04000201", "naam": "Buurt 2"}]},
                ],
            }
        ]
    }  # fmt: skip
    codes = copy.deepcopy(CODES)
    codes["vraagtypen"] = [{"code": "eenzaamheid", "omschrijving": "Eenzaamheid"}]
    settings = Settings(
        database_url=database_url,
        gebiedsindeling=write(tmp_path, den_helder, "gebieden.json"),
        codelijsten=write(tmp_path, codes, "codes.json"),
        _env_file=None,  # type: ignore[call-arg]
    )
    app: FastAPI = create_app(settings)
    client = TestClient(app)
    werker = account(app, "dh", "preventiewerker", ["DH1"])
    assert [w["code"] for w in client.get("/api/v1/wijken", headers=werker).json()] == [
        "DH1", "DH2"
    ]  # fmt: skip
    body = eerste_gesprek(wijk="DH1")
    response = client.post("/api/v1/trajecten", json=body, headers=werker)
    assert response.status_code == 400  # geldzorgen is not in this gemeente's list
    assert [p["name"] for p in response.json()["invalidParams"]] == ["gesprek.vraagtypen[1]"]
    body["gesprek"]["vraagtypen"] = ["eenzaamheid"]
    assert client.post("/api/v1/trajecten", json=body, headers=werker).status_code == 201
    app.state.context.engine.dispose()


@pytest.mark.slow  # a fresh `wijkcontact serve` process
def test_serve_stops_with_one_line_on_a_broken_file(tmp_path: Path) -> None:
    data = copy.deepcopy(MAASHORST)
    data["gemeenten"][0]["wijken"][4]["buurten"][2]["code"] = "10010110"
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", "1"],
        env={
            "WIJKCONTACT_GEBIEDSINDELING": str(write(tmp_path, data)),
            "WIJKCONTACT_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "configuratiefout" in lines[0] and "10010110" in lines[0]
    assert not (tmp_path / "x.db").exists()


def test_a_file_from_before_the_other_parts_keeps_working(tmp_path: Path) -> None:
    """A gemeente's own file without the lists of inzet, activiteiten and beschikkingen gets
    the packaged ones for those; a list it does give replaces the packaged one."""
    data = {lijst: CODES[lijst] for lijst in LIJSTEN}
    data["voorzieningen"] = [{"code": "wmo_begeleiding", "omschrijving": "Begeleiding"}]
    codelijsten = laad_codelijsten(write(tmp_path, data))
    assert codelijsten.codes("uursoorten") == [c["code"] for c in CODES["uursoorten"]]
    assert codelijsten.codes("voorzieningen") == ["wmo_begeleiding"]
    data["budgetposten"] = []
    with pytest.raises(ConfiguratieFout, match="budgetposten is leeg"):
        laad_codelijsten(write(tmp_path, data))
