import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, select

from app.db import utcnow
from app.toegang.models import ROLLEN, Account, AccountWijk, Token

TOKEN_PREFIX = "wk_"


def hash_token(token: str) -> str:
    # Tokens are 256 random bits: a plain SHA-256 is enough, no slow hash needed.
    return hashlib.sha256(token.encode()).hexdigest()


def nieuw_token(
    session: Session, account: Account, soort: str, verloopt_op: datetime | None = None
) -> str:
    assert account.id is not None
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        Token(
            account_id=account.id,
            token_hash=hash_token(token),
            soort=soort,
            verloopt_op=verloopt_op,
        )
    )
    return token


class AccountFout(ValueError):
    pass


def maak_account(
    session: Session, naam: str, rol: str, wijken: Sequence[str], bekende_wijken: Sequence[str]
) -> tuple[Account, str]:
    """Create an account with a long-lived key; returns the account and its bearer token."""
    if rol not in ROLLEN:
        raise AccountFout(f"onbekende rol {rol!r} (kies uit {', '.join(ROLLEN)})")
    if not naam or len(naam) > 64 or not naam.isprintable() or naam.strip() != naam:
        raise AccountFout("de accountnaam moet 1 tot 64 zichtbare tekens zijn")
    onbekend = [w for w in wijken if w not in bekende_wijken]
    if onbekend:
        raise AccountFout(f"onbekende wijk {onbekend[0]!r} (bekend: {', '.join(bekende_wijken)})")
    if rol == "preventiewerker" and not wijken:
        raise AccountFout("een preventiewerker heeft minstens één --wijk nodig")
    if rol != "preventiewerker" and wijken:
        raise AccountFout("alleen een preventiewerker werkt in wijken")
    if session.exec(select(Account).where(Account.naam == naam)).first():
        raise AccountFout(f"account {naam!r} bestaat al")
    account = Account(naam=naam, rol=rol)
    session.add(account)
    session.flush()
    assert account.id is not None
    for wijk in dict.fromkeys(wijken):
        session.add(AccountWijk(account_id=account.id, wijk=wijk))
    token = nieuw_token(session, account, "sleutel")
    session.commit()
    return account, token


def trek_in(session: Session, naam: str) -> int:
    """Deactivate an account and revoke all its tokens; returns how many tokens were revoked."""
    account = session.exec(select(Account).where(Account.naam == naam)).first()
    if account is None:
        raise AccountFout(f"account {naam!r} bestaat niet")
    account.actief = False
    nu = utcnow()
    tokens = session.exec(
        select(Token).where(Token.account_id == account.id, Token.ingetrokken_op.is_(None))  # type: ignore[union-attr]
    ).all()
    for token in tokens:
        token.ingetrokken_op = nu
    session.add(account)
    session.commit()
    return len(tokens)
