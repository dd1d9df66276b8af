"""`wijkcontact serve` logs what happened, never a token, trajectcode, password or client address.

Runs the console script an operator runs (also what the Docker image and compose start), with one
and with two workers: uvicorn configures each worker process on its own.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.dienst import ROOT, Dienst
from tests.registraties import eerste_gesprek

# Real `wijkcontact serve` processes, started and stopped per test.
pytestmark = pytest.mark.slow

WACHTWOORD = "een lang wachtwoord"
FOUT_WACHTWOORD = "geraden-wachtwoord-42"


def console_script() -> str:
    """The installed `wijkcontact` script next to this Python, as `make run` starts it."""
    naast = Path(sys.executable).with_name("wijkcontact")
    gevonden = str(naast) if naast.exists() else shutil.which("wijkcontact")
    assert gevonden, "het commando wijkcontact is niet geïnstalleerd (pip install -e .)"
    return gevonden


def run_cli(database_url: str, *args: str, invoer: str | None = None) -> str:
    resultaat = subprocess.run(
        [console_script(), *args],
        input=invoer,
        env={**os.environ, "WIJKCONTACT_DATABASE_URL": database_url},
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert resultaat.returncode == 0, resultaat.stderr
    return resultaat.stdout


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_logs_routes_but_no_secrets_codes_or_addresses(tmp_path: Path, workers: int) -> None:
    database_url = f"sqlite:///{tmp_path / 'wijkcontact.db'}"
    run_cli(database_url, "migrate")
    token = run_cli(
        database_url, "account", "add", "anna", "--rol", "preventiewerker", "--wijk", "09",
        "--wachtwoord-stdin", invoer=WACHTWOORD + "\n",
    ).splitlines()[-1]  # fmt: skip

    with Dienst(database_url, workers=workers, command=[console_script()]) as dienst:
        with httpx.Client(base_url=dienst.url, timeout=30) as client:
            kop = {"Authorization": f"Bearer {token}"}
            sessie = client.post(
                "/api/v1/sessies", data={"username": "anna", "password": WACHTWOORD}
            )
            assert sessie.status_code == 200
            sessietoken = sessie.json()["access_token"]
            aangemaakt = client.post("/api/v1/trajecten", json=eerste_gesprek(), headers=kop)
            assert aangemaakt.status_code == 201
            code = aangemaakt.json()["code"]
            assert client.get(f"/api/v1/trajecten/{code}", headers=kop).status_code == 200
            # A token in the query string is refused (no sign-in, so 401 before the unknown
            # parameters' 400), but it did travel in the request line.
            query = f"access_token={sessietoken}&status=open"
            assert client.get(f"/api/v1/trajecten/{code}?{query}").status_code == 401
            assert client.get(f"/api/v1/bestaat-niet/{code}", headers=kop).status_code == 404
            fout = client.post(
                "/api/v1/sessies", data={"username": "anna", "password": FOUT_WACHTWOORD}
            )
            assert fout.status_code == 401
        # Stopped first, so that every process has written (and flushed) all it will write.
        os.killpg(dienst.process.pid, signal.SIGTERM)
        dienst.process.wait(timeout=30)
        uitvoer = dienst.uitvoer()

    for geheim in (token, sessietoken, code, WACHTWOORD, FOUT_WACHTWOORD, "access_token",
                   "status=open", "anna", "bestaat-niet"):  # fmt: skip
        assert geheim not in uitvoer, f"{geheim!r} staat in de uitvoer van wijkcontact serve"
    # The server's own address may show ("luistert op"); a client's address and port may not.
    poorten = {int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", uitvoer)}
    assert poorten <= {dienst.port}, uitvoer

    regels = [json.loads(r) for r in uitvoer.splitlines() if r.startswith("{")]
    verzoeken = sorted(
        (r["method"], r["route"], r["status"])
        for r in regels
        if r.get("event") == "verzoek" and r["route"] != "/health/live"
    )
    assert verzoeken == sorted(
        [
            ("POST", "/api/v1/sessies", 200),
            ("POST", "/api/v1/trajecten", 201),
            ("GET", "/api/v1/trajecten/{code}", 200),
            ("GET", "/api/v1/trajecten/{code}", 401),
            ("GET", "onbekend", 404),
            ("POST", "/api/v1/sessies", 401),
        ]
    ), uitvoer
