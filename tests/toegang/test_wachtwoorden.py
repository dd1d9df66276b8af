"""Password rules after NCSC and NIST SP 800-63B: long enough, and not among the first guesses."""

import pytest
from argon2 import PasswordHasher, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY
from fastapi import FastAPI
from sqlmodel import select

from app.kern.db import new_session
from app.toegang.models import Account
from app.toegang.tokens import AccountFout, maak_account, zet_wachtwoord
from app.toegang.wachtwoorden import wachtwoord_probleem
from tests.conftest import account


@pytest.mark.parametrize(
    ("wachtwoord", "reden"),
    [
        ("aaaaaaaaaa", "minstens 12 tekens"),  # long enough under the old rule
        ("kort genoeg", "minstens 12 tekens"),
        ("aaaaaaaaaaaa", "herhaalt"),
        ("abcabcabcabc", "herhaalt"),
        ("abcdefghijkl", "reeks"),
        ("123456789012", "veelgebruikt"),
        ("password1234", "veelgebruikt"),
        ("wachtwoord12", "veelgebruikt"),
        ("welkom123456", "veelgebruikt"),
        ("wijkcontact1", "veelgebruikt"),
        ("qwertyuiop[]", "rij toetsen"),
        ("19-04-1980ab", "datum"),
        (" spatie ervoor en erna ", "spatie"),
        ("x" * 201, "hoogstens 200"),
    ],
)
def test_weak_passwords_are_refused_with_a_dutch_reason(wachtwoord: str, reden: str) -> None:
    probleem = wachtwoord_probleem(wachtwoord, "anna")
    assert probleem is not None
    assert reden in probleem


def test_the_account_name_is_no_password() -> None:
    probleem = wachtwoord_probleem("hermanus2024", "hermanus")
    assert probleem is not None
    assert "accountnaam" in probleem
    assert wachtwoord_probleem("hermanus2024", "bert") is None


@pytest.mark.parametrize(
    "wachtwoord",
    [
        "een lang wachtwoord voor de wijk",
        "een lang wachtwoord",  # the README's example
        "correct paard batterij",
        "Fiets!Regen7Koffie",
        "y" * 30 + "k9#Lm2$xQ" + "z" * 150,  # longer than the estimator reads: its start counts
    ],
)
def test_passphrases_and_random_passwords_are_accepted(wachtwoord: str) -> None:
    assert wachtwoord_probleem(wachtwoord, "anna") is None


def test_a_refused_password_stores_nothing(app: FastAPI) -> None:
    context = app.state.context
    with new_session(context.engine) as session:
        with pytest.raises(AccountFout, match="herhaalt"):
            maak_account(session, "anna", "preventiewerker", ["09"], context.indeling.codes,
                         "aaaaaaaaaaaa")  # fmt: skip
        assert session.exec(select(Account)).all() == []
    account(app, "hermanus", "kwartiermaker", wachtwoord="een lang wachtwoord")
    with new_session(context.engine) as session:
        with pytest.raises(AccountFout, match="accountnaam"):
            zet_wachtwoord(session, "hermanus", "hermanus2024")
        oud = session.exec(select(Account.wachtwoord_hash)).one()
        zet_wachtwoord(session, "hermanus", "hermanus kiest een nieuwe zin")
        assert session.exec(select(Account.wachtwoord_hash)).one() != oud


def test_production_hashes_with_argon2id_at_rfc_9106s_low_memory_profile(
    production_hashing: tuple[PasswordHasher, str],
) -> None:
    # The tests in this process hash cheaply (tests/conftest.py); this is what the service uses.
    hasher, unknown_name = production_hashing
    assert extract_parameters(hasher.hash("een lang wachtwoord")) == RFC_9106_LOW_MEMORY
    # A sign-in with an unknown name checks against a hash of the same cost: equal work.
    assert extract_parameters(unknown_name) == RFC_9106_LOW_MEMORY
