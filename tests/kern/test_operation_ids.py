"""Every operation has a short, stable operationId, so that a generated client reads well."""

import importlib
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from app.cli import served_document
from tests.dienst import ROOT, Dienst
from tests.registraties import eerste_gesprek

OPENAPI = ROOT / "openapi" / "openapi.json"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def test_every_operation_id_is_lower_camel_case_and_unique() -> None:
    ids = [
        operation.get("operationId")
        for operations in served_document()["paths"].values()
        for method, operation in operations.items()
        if method in METHODS
    ]
    assert len(ids) >= 18
    slecht = [i for i in ids if not (isinstance(i, str) and re.fullmatch(r"[a-z][a-zA-Z0-9]+", i))]
    assert slecht == []
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    # The names a client author sees: what the call does, not its path and method.
    assert {"maakTraject", "lijstWijken", "leesJaaranalyse"} <= set(ids)


@pytest.fixture
def client_package(tmp_path: Path) -> Iterator[ModuleType]:
    """openapi-python-client's package for openapi/openapi.json (as committed), imported."""
    uitvoer = tmp_path / "wijkcontact_client"
    bin_dir = Path(sys.executable).parent
    # A CSV request body (PUT /indicatoren/{jaar}) is a file to the client: sent as it is.
    config = tmp_path / "config.yml"
    config.write_text("content_type_overrides:\n  text/csv: application/octet-stream\n")
    resultaat = subprocess.run(
        [bin_dir / "openapi-python-client", "generate", "--path", OPENAPI, "--config", config,
         "--output-path", uitvoer, "--meta", "none", "--fail-on-warning"],
        # Its post-generation hook formats the code with ruff, which it looks up on PATH.
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert resultaat.returncode == 0, resultaat.stdout + resultaat.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("wijkcontact_client")
    finally:
        sys.path.remove(str(tmp_path))
        for naam in [n for n in sys.modules if n.split(".")[0] == "wijkcontact_client"]:
            del sys.modules[naam]


@pytest.mark.slow  # generates a client, against a served process
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_generated_python_client_lists_wijken_and_registers_a_traject(
    client_package: ModuleType, database_url: str, werker: dict[str, str]
) -> None:
    lijst_wijken = importlib.import_module("wijkcontact_client.api.gebieden.lijst_wijken")
    maak_traject = importlib.import_module("wijkcontact_client.api.trajecten.maak_traject")
    lees_traject = importlib.import_module("wijkcontact_client.api.trajecten.lees_traject")
    models = importlib.import_module("wijkcontact_client.models")
    token = werker["Authorization"].removeprefix("Bearer ")

    with Dienst(database_url) as dienst:
        client = client_package.AuthenticatedClient(base_url=f"{dienst.url}/api/v1", token=token)
        with client:
            wijken = lijst_wijken.sync(client=client)
            assert isinstance(wijken, list)
            assert len(wijken) == 11
            schaijk = next(w for w in wijken if w.code == "09")
            assert schaijk.naam == "Schaijk"
            assert all(re.fullmatch(r"\d{8}", b) for b in schaijk.buurtcodes)

            antwoord = maak_traject.sync_detailed(
                client=client, body=models.TrajectInvoer.from_dict(eerste_gesprek())
            )
            assert antwoord.status_code == 201
            traject = antwoord.parsed
            assert isinstance(traject, models.TrajectUit)
            assert antwoord.headers["Location"] == f"/api/v1/trajecten/{traject.code}"
            assert (traject.wijk, traject.status.value) == ("09", "open")
            assert (traject.aantal_gesprekken, traject.resterende_gesprekken) == (1, 4)
            assert traject.gesprekken[0].vraagtypen == ["eenzaamheid", "geldzorgen"]

            gelezen = lees_traject.sync(client=client, code=traject.code)
            assert isinstance(gelezen, models.TrajectUit)
            assert gelezen.id == traject.id

            # A refusal arrives as the generated Problem model, with its invalidParams.
            fout = maak_traject.sync(
                client=client, body=models.TrajectInvoer.from_dict(eerste_gesprek(wijk="01"))
            )
            assert isinstance(fout, models.Problem)
            assert fout.status == 400
            assert [p.name for p in fout.invalid_params] == ["wijk"]
