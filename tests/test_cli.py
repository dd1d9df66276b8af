"""The operator's command: its printed token works against the API, revoke stops it."""

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.registraties import eerste_gesprek

ROOT = Path(__file__).resolve().parent.parent


def wijkcontact(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIJKCONTACT_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env, capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip


def test_account_add_prints_a_working_token_last_and_revoke_stops_it(database_url: str) -> None:
    added = wijkcontact(database_url, "account", "add", "anna", "--rol", "preventiewerker",
                        "--wijk", "09", "--wijk", "10")  # fmt: skip
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}

    app = create_app(Settings(database_url=database_url, _env_file=None))  # type: ignore[call-arg]
    client = TestClient(app)
    assert client.post("/api/v1/trajecten", json=eerste_gesprek(wijk="10"),
                       headers=headers).status_code == 201  # fmt: skip

    listed = wijkcontact(database_url, "account", "list")
    assert listed.returncode == 0
    assert "anna\tpreventiewerker\t09,10\tactief\tgeen wachtwoord\t1 geldige tokens" in (
        listed.stdout
    )
    assert token not in listed.stdout

    revoked = wijkcontact(database_url, "account", "revoke", "anna")
    assert revoked.returncode == 0
    assert client.get("/api/v1/wijken", headers=headers).status_code == 401
    app.state.context.engine.dispose()


def test_account_add_refuses_unknown_wijk_and_duplicate_names(database_url: str) -> None:
    onbekend = wijkcontact(database_url, "account", "add", "x", "--rol", "preventiewerker",
                           "--wijk", "99")  # fmt: skip
    assert onbekend.returncode == 2
    assert "onbekende wijk '99'" in onbekend.stderr
    assert (
        wijkcontact(database_url, "account", "add", "kim", "--rol", "kwartiermaker").returncode == 0
    )
    again = wijkcontact(database_url, "account", "add", "kim", "--rol", "kwartiermaker")
    assert again.returncode == 2
    assert "bestaat al" in again.stderr


def test_migrate_creates_the_schema_on_a_new_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nieuw.db'}"
    assert wijkcontact(url, "migrate").returncode == 0
    assert wijkcontact(url, "account", "add", "b", "--rol", "beheerder").returncode == 0


def test_password_from_stdin_reset_and_reporting_key(database_url: str) -> None:
    env = {**os.environ, "WIJKCONTACT_DATABASE_URL": database_url}

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            env=env, input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=60,
        )  # fmt: skip

    assert run("account", "add", "anna", "--rol", "preventiewerker", "--wijk", "09",
               "--wachtwoord-stdin", stdin="kort\n").returncode == 2  # fmt: skip
    added = run("account", "add", "anna", "--rol", "preventiewerker", "--wijk", "09",
                "--wachtwoord-stdin", stdin="eerste wachtwoord\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    app = create_app(Settings(database_url=database_url, _env_file=None))  # type: ignore[call-arg]
    client = TestClient(app)

    def inloggen(wachtwoord: str) -> int:
        form = {"username": "anna", "password": wachtwoord}
        return client.post("/api/v1/sessies", data=form).status_code

    assert inloggen("eerste wachtwoord") == 200
    sessie = client.post("/api/v1/sessies",
                         data={"username": "anna", "password": "eerste wachtwoord"})  # fmt: skip
    headers = {"Authorization": f"Bearer {sessie.json()['access_token']}"}
    reset = run("account", "wachtwoord", "anna", stdin="tweede wachtwoord\n")
    assert reset.returncode == 0
    assert "sessie(s) beëindigd" in reset.stdout
    assert client.get("/api/v1/wijken", headers=headers).status_code == 401
    assert inloggen("eerste wachtwoord") == 401
    assert inloggen("tweede wachtwoord") == 200

    assert run("account", "add", "powerbi", "--rol", "rapportage").returncode == 0
    sleutel = run("account", "sleutel", "powerbi")
    assert sleutel.returncode == 0
    key = {"Authorization": f"Bearer {sleutel.stdout.strip().splitlines()[-1]}"}
    assert client.get("/api/v1/sessies/huidige", headers=key).json()["soort"] == "sleutel"
    assert run("account", "revoke", "powerbi").returncode == 0
    assert client.get("/api/v1/sessies/huidige", headers=key).status_code == 401
    app.state.context.engine.dispose()
