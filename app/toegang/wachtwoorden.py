from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory profile.
_hasher = PasswordHasher()
# Verified against when the account does not exist, so that answer takes as long as a real one.
_DUMMY = _hasher.hash("geen-account-met-deze-naam")
MIN_LENGTE = 10


def hash_wachtwoord(wachtwoord: str) -> str:
    return _hasher.hash(wachtwoord)


def controleer_wachtwoord(opgeslagen: str | None, wachtwoord: str) -> bool:
    try:
        return _hasher.verify(opgeslagen or _DUMMY, wachtwoord) and opgeslagen is not None
    except (VerificationError, InvalidHashError):
        return False


def wachtwoord_probleem(wachtwoord: str) -> str | None:
    if len(wachtwoord) < MIN_LENGTE:
        return f"het wachtwoord moet minstens {MIN_LENGTE} tekens lang zijn"
    if wachtwoord.strip() != wachtwoord:
        return "het wachtwoord mag niet met een spatie beginnen of eindigen"
    return None
