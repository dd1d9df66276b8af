"""The operator's command: its printed token works against the API, revoke stops it."""

import io
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from app.cli import main
from app.kern.db import new_session, utcnow
from app.kern.settings import Settings, get_settings
from app.main import create_app
from app.toegang.models import Token
from app.toegang.tokens import hash_token
from tests.registraties import eerste_gesprek

# Every command is a fresh Python process that imports the whole service.
pytestmark = pytest.mark.slow

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


def cli(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    """`wijkcontact ARGS` in this process (quicker than a new one): exit code, stdout, stderr."""
    monkeypatch.setenv("WIJKCONTACT_DATABASE_URL", database_url)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    get_settings.cache_clear()
    try:
        code = main(list(args))
    finally:
        get_settings.cache_clear()
    uit = capsys.readouterr()
    return code, uit.out, uit.err


def sessie(client: TestClient, naam: str, wachtwoord: str) -> dict[str, str]:
    antwoord = client.post("/api/v1/sessies", data={"username": naam, "password": wachtwoord})
    assert antwoord.status_code == 200
    return {"Authorization": f"Bearer {antwoord.json()['access_token']}"}


def test_password_reset_ends_every_session_of_that_account_and_nothing_else(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        return cli(monkeypatch, capsys, database_url, *args, stdin=stdin)

    wachtwoord = "een lang wachtwoord voor de wijk"
    code, uit, _ = run("account", "add", "anna", "--rol", "preventiewerker", "--wijk", "09",
                       "--wachtwoord-stdin", stdin=wachtwoord + "\n")  # fmt: skip
    assert code == 0
    sleutel = {"Authorization": f"Bearer {uit.strip().splitlines()[-1]}"}
    assert run("account", "add", "bert", "--rol", "kwartiermaker", "--wachtwoord-stdin",
               stdin="bert zijn eigen wachtwoord\n")[0] == 0  # fmt: skip
    app = create_app(Settings(database_url=database_url, _env_file=None))  # type: ignore[call-arg]
    client = TestClient(app)
    telefoon = sessie(client, "anna", wachtwoord)
    laptop = sessie(client, "anna", wachtwoord)
    bert = sessie(client, "bert", "bert zijn eigen wachtwoord")

    # A password the rules refuse changes nothing: the sessions go on.
    code, _, fout = run("account", "wachtwoord", "anna", stdin="aaaaaaaaaaaa\n")
    assert code == 2
    assert "herhaalt" in fout
    assert client.get("/api/v1/wijken", headers=telefoon).status_code == 200

    code, uit, _ = run("account", "wachtwoord", "anna", stdin="nog een ander lang wachtwoord\n")
    assert code == 0
    assert "2 open sessie(s) beëindigd" in uit
    for oud in (telefoon, laptop):
        assert client.get("/api/v1/wijken", headers=oud).status_code == 401
    assert client.get("/api/v1/wijken", headers=bert).status_code == 200
    # The operator's key is no sign-in session: it is listed and revoked on its own.
    assert client.get("/api/v1/wijken", headers=sleutel).status_code == 200
    sessie(client, "anna", "nog een ander lang wachtwoord")
    app.state.context.engine.dispose()


def test_api_keys_are_listed_revoked_one_by_one_and_expire(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*args: str) -> tuple[int, str, str]:
        return cli(monkeypatch, capsys, database_url, *args)

    def sleutel(uit: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {uit.strip().splitlines()[-1]}"}

    vandaag = datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    morgen = (vandaag + timedelta(days=1)).isoformat()
    code, uit, _ = run("account", "add", "powerbi", "--rol", "rapportage")
    assert code == 0
    eerste = sleutel(uit)
    code, uit, _ = run("account", "sleutel", "powerbi", "--verloopt-op", morgen)
    assert code == 0
    assert f"verloopt op {morgen}" in uit
    tijdelijk = sleutel(uit)
    code, uit, _ = run("account", "sleutel", "powerbi")
    assert code == 0
    derde = sleutel(uit)
    assert run("account", "add", "excel", "--rol", "rapportage")[0] == 0

    app = create_app(Settings(database_url=database_url, _env_file=None))  # type: ignore[call-arg]
    client = TestClient(app)
    for headers in (eerste, tijdelijk, derde):
        assert client.get("/api/v1/sessies/huidige", headers=headers).status_code == 200
    assert client.get("/api/v1/sessies/huidige", headers=tijdelijk).json()["verlooptOp"]

    code, uit, _ = run("account", "sleutels", "powerbi")
    assert code == 0
    regels = [regel.split("\t") for regel in uit.strip().splitlines()]
    assert regels[0] == ["id", "aangemaakt", "verloopt op", "status"]
    assert [(r[2], r[3]) for r in regels[1:]] == [
        ("-", "geldig"), (morgen, "geldig"), ("-", "geldig")
    ]  # fmt: skip
    for headers in (eerste, tijdelijk, derde):
        token = headers["Authorization"].removeprefix("Bearer ")
        assert token not in uit
        assert hash_token(token) not in uit
    ids = [r[0] for r in regels[1:]]

    # One key revoked: that key is refused at once, the others keep working.
    code, uit, _ = run("account", "sleutel-intrekken", "powerbi", ids[0])
    assert code == 0
    assert client.get("/api/v1/wijken", headers=eerste).status_code == 401
    assert client.get("/api/v1/wijken", headers=tijdelijk).status_code == 200
    assert client.get("/api/v1/wijken", headers=derde).status_code == 200
    assert "al ingetrokken" in run("account", "sleutel-intrekken", "powerbi", ids[0])[1]
    # A key of another account, or no key at all, cannot be revoked through this one.
    code, _, fout = run("account", "sleutel-intrekken", "excel", ids[1])
    assert code == 2
    assert "geen sleutel" in fout

    # The day a key expires comes: from then on it is refused.
    with new_session(app.state.context.engine) as session:
        rij = session.get(Token, int(ids[1]))
        assert rij is not None
        rij.verloopt_op = utcnow() - timedelta(seconds=1)
        session.add(rij)
        session.commit()
    assert client.get("/api/v1/wijken", headers=tijdelijk).status_code == 401
    assert client.get("/api/v1/wijken", headers=derde).status_code == 200
    statussen = [r.split("\t")[3] for r in run("account", "sleutels", "powerbi")[1].splitlines()]
    assert statussen[1:] == ["ingetrokken", "verlopen", "geldig"]

    # An expiry date must lie ahead, and be a date.
    code, _, fout = run("account", "sleutel", "powerbi", "--verloopt-op", vandaag.isoformat())
    assert code == 2
    assert "toekomst" in fout
    with pytest.raises(SystemExit):
        run("account", "sleutel", "powerbi", "--verloopt-op", "31-12-2030")

    # Every change is in the audit log, with the key's id and never the key.
    beheer = sleutel(run("account", "add", "beheer", "--rol", "beheerder")[1])
    sleutelregels = [
        (r["actie"], r["onderwerp"], r["wijzigingen"])
        for r in client.get("/api/v1/auditregels", headers=beheer).json()["items"]
        if r["actie"].startswith("sleutel_")
    ]
    nr = [int(i) for i in ids]
    assert sleutelregels == [
        ("sleutel_ingetrokken", "powerbi", [{"veld": "sleutel", "oud": nr[0], "nieuw": None}]),
        ("sleutel_uitgegeven", "powerbi", [{"veld": "sleutel", "oud": None, "nieuw": nr[2]}]),
        ("sleutel_uitgegeven", "powerbi", [
            {"veld": "sleutel", "oud": None, "nieuw": nr[1]},
            {"veld": "verlooptOp", "oud": None, "nieuw": sleutelregels[2][2][1]["nieuw"]},
        ]),
    ]  # fmt: skip
    assert sleutelregels[2][2][1]["nieuw"].startswith(morgen)
    app.state.context.engine.dispose()


def test_trusted_proxies_are_read_as_a_list_and_a_typo_stops_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for waarde, verwacht in [
        ("", []),
        ("127.0.0.1", ["127.0.0.1"]),
        ("10.0.0.5, 10.1.0.0/16", ["10.0.0.5", "10.1.0.0/16"]),
        ('["::1", "10.0.0.5"]', ["::1", "10.0.0.5"]),
    ]:
        monkeypatch.setenv("WIJKCONTACT_VERTROUWDE_PROXIES", waarde)
        assert Settings(_env_file=None).vertrouwde_proxies == verwacht  # type: ignore[call-arg]
    # uvicorn would take these as names that never match, and trust nobody without a word.
    for fout in ("10.0.0.5/24", "proxy.local", "*,10.0.0.5"):
        monkeypatch.setenv("WIJKCONTACT_VERTROUWDE_PROXIES", fout)
        code, _, melding = cli(monkeypatch, capsys, f"sqlite:///{tmp_path / 'x.db'}", "migrate")
        assert code == 2
        assert melding.startswith(
            "wijkcontact: ongeldige instelling WIJKCONTACT_VERTROUWDE_PROXIES"
        )
        assert len(melding.strip().splitlines()) == 1
