import secrets

# Crockford base32: no I, L, O or U, so a code read aloud or copied by hand stays unambiguous.
ALFABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTE = 6
_VERWARRING = str.maketrans({"I": "1", "L": "1", "O": "0"})


def nieuwe_code() -> str:
    """A random traject code; it is never derived from anything about the person."""
    return "".join(secrets.choice(ALFABET) for _ in range(LENGTE))


def normaliseer_code(invoer: str) -> str | None:
    """The canonical code for what a worker typed (any case, with dashes or spaces), or None."""
    code = invoer.strip().upper().replace("-", "").replace(" ", "").translate(_VERWARRING)
    if len(code) != LENGTE or any(teken not in ALFABET for teken in code):
        return None
    return code
