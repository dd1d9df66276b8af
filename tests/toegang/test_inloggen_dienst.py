"""Signing in against the service as an operator runs it: a real `wijkcontact serve` process.

Two things only a real server shows: a burst of wrong sign-ins slows the guesser, not everyone
else; and which address the per-address limit counts, which uvicorn decides before the app runs.
"""

import time
from concurrent.futures import Future, ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine, select

from app.kern.db import normalise_url
from app.kern.settings import Settings
from app.main import create_app
from app.toegang.inloggen import _sleutel
from app.toegang.models import Inlogpoging
from tests.conftest import account
from tests.dienst import Dienst
from tests.registraties import eerste_gesprek

# Real `wijkcontact serve` processes, started and stopped per test.
pytestmark = pytest.mark.slow

# More than the 40 threads FastAPI runs plain routes in: each slowed answer used to hold one.
POGINGEN = 48


def _werker(database_url: str) -> dict[str, str]:
    app = create_app(Settings(database_url=database_url, _env_file=None))  # type: ignore[call-arg]
    headers = account(app, "werker", "preventiewerker", ["09"])
    app.state.context.engine.dispose()
    return headers


def _mislukt_vanaf(database_url: str, adres: str) -> int:
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as verbinding:
            mislukt = verbinding.execute(
                select(Inlogpoging.mislukt).where(  # type: ignore[call-overload]
                    Inlogpoging.sleutel == _sleutel("adres", adres)
                )
            ).scalar_one_or_none()
    finally:
        engine.dispose()
    return mislukt or 0


def _fout_inloggen(url: str, naam: str, headers: dict[str, str] | None = None) -> tuple[int, float]:
    begin = time.monotonic()
    antwoord = httpx.post(
        f"{url}/api/v1/sessies",
        data={"username": naam, "password": "zeker niet het wachtwoord"},
        headers=headers,
        timeout=120,
    )
    return antwoord.status_code, time.monotonic() - begin


def test_a_burst_of_wrong_sign_ins_does_not_slow_other_requests(database_url: str) -> None:
    werker = _werker(database_url)
    env = {
        # Slowed answers then wait 12 s: far longer than anything the machine's load can add to
        # another request, so the bound below tells a stall from a busy machine.
        "WIJKCONTACT_INLOG_VERTRAGING_SECONDEN": "1.5",
        # No lock-out here: every attempt must be a slowed 401, the case that used to stall.
        "WIJKCONTACT_INLOG_MAX_POGINGEN": "1000",
        "WIJKCONTACT_INLOG_MAX_POGINGEN_PER_ADRES": "1000",
    }
    wijken: list[float] = []
    registraties: list[float] = []
    with Dienst(database_url, env=env) as dienst, ThreadPoolExecutor(POGINGEN) as pool:
        # A first request of each kind opens connections and warms caches: not what is measured.
        httpx.get(f"{dienst.url}/api/v1/wijken", headers=werker, timeout=60)
        httpx.post(f"{dienst.url}/api/v1/trajecten", json=eerste_gesprek(), headers=werker)
        pogingen: list[Future[tuple[int, float]]] = [
            pool.submit(_fout_inloggen, dienst.url, f"raden{i % 10}") for i in range(POGINGEN)
        ]
        # Another user's requests, the whole time the guesser's attempts are in progress.
        while not all(p.done() for p in pogingen):
            begin = time.monotonic()
            antwoord = httpx.get(f"{dienst.url}/api/v1/wijken", headers=werker, timeout=60)
            assert antwoord.status_code == 200
            wijken.append(time.monotonic() - begin)
            begin = time.monotonic()
            antwoord = httpx.post(
                f"{dienst.url}/api/v1/trajecten", json=eerste_gesprek(), headers=werker, timeout=60
            )
            assert antwoord.status_code == 201
            registraties.append(time.monotonic() - begin)
            time.sleep(0.2)
        uitkomsten = [p.result() for p in pogingen]
    assert {status for status, _ in uitkomsten} == {401}
    # The guesser did get slowed down: from the sixth failure on, answers wait 12 s.
    vertraagd = max(duur for _, duur in uitkomsten)
    assert vertraagd >= 12.0
    assert len(wijken) >= 5, "de andere verzoeken kwamen niet tijdens de aanval"
    # Typically 50 ms. A request stalled behind a slowed answer (the old blocking delay) waits
    # as long as that answer; half of it leaves room for a machine busy with the guesser's hash
    # checks and whatever else runs (a 2 s bound failed once on a loaded machine).
    grens = vertraagd / 2
    assert max(wijken) < grens, f"GET /wijken duurde tot {max(wijken):.2f} s tijdens de aanval"
    assert max(registraties) < grens, f"registreren duurde tot {max(registraties):.2f} s"


def _limiet_env(**extra: str) -> dict[str, str]:
    return {
        "WIJKCONTACT_INLOG_VERTRAGING_SECONDEN": "0",
        "WIJKCONTACT_INLOG_MAX_POGINGEN_PER_ADRES": "5",
        **extra,
    }


def test_a_client_cannot_choose_its_address_with_x_forwarded_for(database_url: str) -> None:
    # uvicorn's own variable would trust everyone; the service's setting decides, and is empty.
    with Dienst(database_url, env=_limiet_env(FORWARDED_ALLOW_IPS="*")) as dienst:
        for i in range(5):
            status, _ = _fout_inloggen(
                dienst.url, f"naam{i}", {"X-Forwarded-For": f"203.0.113.{i}"}
            )
            assert status == 401
        status, _ = _fout_inloggen(dienst.url, "nieuw", {"X-Forwarded-For": "203.0.113.99"})
    assert status == 429
    assert _mislukt_vanaf(database_url, "203.0.113.0") == 0


def test_a_trusted_proxy_names_the_client_address(database_url: str) -> None:
    env = _limiet_env(WIJKCONTACT_VERTROUWDE_PROXIES="127.0.0.1")
    with Dienst(database_url, env=env) as dienst:
        # Five different clients behind the proxy: none of them reaches its limit.
        for i in range(5):
            status, _ = _fout_inloggen(
                dienst.url, f"naam{i}", {"X-Forwarded-For": f"203.0.113.{i}"}
            )
            assert status == 401
        status, _ = _fout_inloggen(dienst.url, "nieuw", {"X-Forwarded-For": "203.0.113.99"})
        assert status == 401
        # One client behind the proxy that keeps trying is limited, the others are not.
        for i in range(5):
            _fout_inloggen(dienst.url, f"ander{i}", {"X-Forwarded-For": "198.51.100.7"})
        status, _ = _fout_inloggen(dienst.url, "weer", {"X-Forwarded-For": "198.51.100.7"})
        assert status == 429
        status, _ = _fout_inloggen(dienst.url, "weer", {"X-Forwarded-For": "203.0.113.50"})
        assert status == 401
    assert _mislukt_vanaf(database_url, "127.0.0.1") == 0
