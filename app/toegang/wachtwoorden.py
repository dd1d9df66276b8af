import threading
from collections.abc import Mapping, Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile.
_hasher = PasswordHasher()
# Verified against when the account does not exist, so that answer takes as long as a real one.
_DUMMY = _hasher.hash("geen-account-met-deze-naam")
# NCSC and NIST SP 800-63B: length first, then refuse what attackers try first; no rules
# about character classes, which only lead to 'Welkom01!'.
MIN_LENGTE = 12
# The sign-in form takes at most this much; a longer password could never be used.
MAX_LENGTE = 200
# zxcvbn's score 3: about 10^8 guesses or more. What it estimates lower is in the first lists
# an attacker tries: common passwords, names, repeats, sequences, keyboard rows, dates.
MIN_SCORE = 3
# zxcvbn knows English lists; these are tried first against a Dutch service for the wijk.
# Passed as zxcvbn's user inputs, the documented way to add words specific to a site.
DIENSTWOORDEN = (
    "wachtwoord", "welkom", "geheim", "wijkcontact", "maashorst", "preventiewerker",
    "kwartiermaker", "wijk", "voetbal", "ajax", "feyenoord", "nederland", "holland", "oranje",
    "amsterdam", "liefde", "schatje", "prinses", "zomer", "winter", "lente", "herfst", "hallo",
    "maandag", "vrijdag", "zondag", "januari", "december",
)  # fmt: skip
# zxcvbn keeps the user inputs of a call in a module-level dictionary; one call at a time.
_zxcvbn_lock = threading.Lock()
# zxcvbn refuses longer input; a password whose first 72 characters are strong is strong.
_ZXCVBN_MAX = 72

# Why a guessable password was refused, by the kind of zxcvbn match that made it guessable.
_REDENEN = {
    "repeat": "het herhaalt tekens of stukjes (zoals 'aaaa' of 'abcabc')",
    "sequence": "het is een reeks (zoals 'abcd' of '1234')",
    "spatial": "het is een rij toetsen (zoals 'qwerty')",
    "date": "het is vooral een datum",
    "regex": "het is vooral een jaartal",
    "dictionary": "het lijkt op een veelgebruikt wachtwoord of een bekend woord",
}


def hash_wachtwoord(wachtwoord: str) -> str:
    return _hasher.hash(wachtwoord)


def controleer_wachtwoord(opgeslagen: str | None, wachtwoord: str) -> bool:
    try:
        return _hasher.verify(opgeslagen or _DUMMY, wachtwoord) and opgeslagen is not None
    except (VerificationError, InvalidHashError):
        return False


def _reden(sequence: Sequence[Mapping[str, object]], naam: str) -> str:
    """The Dutch reason for the weakest part: the longest match that is not plain guessing."""
    delen = [m for m in sequence if m["pattern"] != "bruteforce"]
    if not delen:
        return "het is te makkelijk te raden"
    grootste = max(delen, key=lambda m: len(str(m["token"])))
    token = str(grootste["token"]).casefold()
    if grootste["pattern"] == "dictionary" and naam and token in naam.casefold():
        return "het bevat de accountnaam"
    return _REDENEN.get(str(grootste["pattern"]), "het is te makkelijk te raden")


def wachtwoord_probleem(wachtwoord: str, naam: str = "") -> str | None:
    """Why this password is refused (Dutch, for the operator), or None if it is fine."""
    if len(wachtwoord) < MIN_LENGTE:
        return (
            f"het wachtwoord moet minstens {MIN_LENGTE} tekens lang zijn; een zin van een paar "
            "woorden is sterk en goed te onthouden"
        )
    if len(wachtwoord) > MAX_LENGTE:
        return f"het wachtwoord mag hoogstens {MAX_LENGTE} tekens lang zijn"
    if wachtwoord.strip() != wachtwoord:
        return "het wachtwoord mag niet met een spatie beginnen of eindigen"
    with _zxcvbn_lock:
        schatting = zxcvbn(wachtwoord[:_ZXCVBN_MAX], user_inputs=[naam, *DIENSTWOORDEN])
    if schatting["score"] < MIN_SCORE:
        return (
            f"dit wachtwoord is te makkelijk te raden: {_reden(schatting['sequence'], naam)}; "
            "kies bijvoorbeeld een zin van een paar woorden die niet voor de hand liggen"
        )
    return None
