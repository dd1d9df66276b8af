import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session, col, select

from app.audit.models import schrijf_audit
from app.kern.db import as_utc, utcnow
from app.toegang.models import ROLLEN, Account, AccountWijk, Token
from app.toegang.wachtwoorden import hash_wachtwoord, wachtwoord_probleem

TOKEN_PREFIX = "wk_"


def hash_token(token: str) -> str:
    # Tokens are 256 random bits: a plain SHA-256 is enough, no slow hash needed.
    return hashlib.sha256(token.encode()).hexdigest()


def _nieuw_token(
    session: Session, account: Account, soort: str, verloopt_op: datetime | None
) -> tuple[str, Token]:
    assert account.id is not None
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    rij = Token(
        account_id=account.id, token_hash=hash_token(token), soort=soort, verloopt_op=verloopt_op
    )
    session.add(rij)
    return token, rij


def nieuw_token(
    session: Session, account: Account, soort: str, verloopt_op: datetime | None = None
) -> str:
    return _nieuw_token(session, account, soort, verloopt_op)[0]


class AccountFout(ValueError):
    pass


def vind_account(session: Session, naam: str) -> Account:
    account = session.exec(select(Account).where(Account.naam == naam)).first()
    if account is None:
        raise AccountFout(f"account {naam!r} bestaat niet")
    return account


def maak_account(
    session: Session,
    naam: str,
    rol: str,
    wijken: Sequence[str],
    bekende_wijken: Sequence[str],
    wachtwoord: str | None = None,
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
    if wachtwoord is not None and (probleem := wachtwoord_probleem(wachtwoord, naam)):
        raise AccountFout(probleem)
    if session.exec(select(Account).where(Account.naam == naam)).first():
        raise AccountFout(f"account {naam!r} bestaat al")
    account = Account(
        naam=naam,
        rol=rol,
        wachtwoord_hash=hash_wachtwoord(wachtwoord) if wachtwoord is not None else None,
    )
    session.add(account)
    session.flush()
    assert account.id is not None
    for wijk in dict.fromkeys(wijken):
        session.add(AccountWijk(account_id=account.id, wijk=wijk))
    token = nieuw_token(session, account, "sleutel")
    schrijf_audit(
        session,
        "account_aangemaakt",
        None,
        naam,
        [{"veld": "rol", "oud": None, "nieuw": rol}]
        + [{"veld": "wijk", "oud": None, "nieuw": w} for w in dict.fromkeys(wijken)],
    )
    session.commit()
    return account, token


def _trek_tokens_in(session: Session, account: Account, soort: str | None = None) -> int:
    query = select(Token).where(Token.account_id == account.id, col(Token.ingetrokken_op).is_(None))
    if soort is not None:
        query = query.where(Token.soort == soort)
    tokens = session.exec(query).all()
    nu = utcnow()
    for token in tokens:
        token.ingetrokken_op = nu
        session.add(token)
    return len(tokens)


def trek_in(session: Session, naam: str) -> int:
    """Deactivate an account and revoke all its tokens; returns how many tokens were revoked."""
    account = vind_account(session, naam)
    account.actief = False
    session.add(account)
    aantal = _trek_tokens_in(session, account)
    schrijf_audit(session, "account_ingetrokken", None, naam)
    session.commit()
    return aantal


def zet_wachtwoord(session: Session, naam: str, wachtwoord: str) -> int:
    """Set or reset a password; open sign-in sessions of the account end. Returns how many."""
    if probleem := wachtwoord_probleem(wachtwoord, naam):
        raise AccountFout(probleem)
    account = vind_account(session, naam)
    if not account.actief:
        raise AccountFout(f"account {naam!r} is ingetrokken")
    account.wachtwoord_hash = hash_wachtwoord(wachtwoord)
    session.add(account)
    aantal = _trek_tokens_in(session, account, "sessie")
    schrijf_audit(session, "wachtwoord_gezet", None, naam)
    session.commit()
    return aantal


def nieuwe_sleutel(session: Session, naam: str, verloopt_op: datetime | None = None) -> str:
    """Issue another API key, e.g. for a reporting tool; earlier keys stay valid.

    Without `verloopt_op` the key is valid until it is revoked.
    """
    account = vind_account(session, naam)
    if not account.actief:
        raise AccountFout(f"account {naam!r} is ingetrokken")
    if verloopt_op is not None and verloopt_op <= utcnow():
        raise AccountFout("de einddatum van een sleutel moet in de toekomst liggen")
    token, rij = _nieuw_token(session, account, "sleutel", verloopt_op)
    session.flush()
    wijzigingen: list[dict[str, object]] = [{"veld": "sleutel", "oud": None, "nieuw": rij.id}]
    if verloopt_op is not None:
        wijzigingen.append({"veld": "verlooptOp", "oud": None, "nieuw": verloopt_op.isoformat()})
    schrijf_audit(session, "sleutel_uitgegeven", None, naam, wijzigingen)
    session.commit()
    return token


@dataclass(frozen=True)
class Sleutel:
    """An API key as the operator sees it: never the key itself, nor its hash."""

    id: int
    aangemaakt_op: datetime
    verloopt_op: datetime | None
    status: Literal["geldig", "verlopen", "ingetrokken"]


def sleutels(session: Session, naam: str) -> list[Sleutel]:
    """Every API key the account ever had, oldest first, with what it is worth now."""
    account = vind_account(session, naam)
    nu = utcnow()
    uitkomst = []
    for rij in session.exec(
        select(Token)
        .where(Token.account_id == account.id, Token.soort == "sleutel")
        .order_by(col(Token.id))
    ):
        assert rij.id is not None
        verloopt_op = as_utc(rij.verloopt_op) if rij.verloopt_op else None
        status: Literal["geldig", "verlopen", "ingetrokken"] = "geldig"
        if rij.ingetrokken_op is not None:
            status = "ingetrokken"
        elif verloopt_op is not None and verloopt_op <= nu:
            status = "verlopen"
        uitkomst.append(Sleutel(rij.id, as_utc(rij.aangemaakt_op), verloopt_op, status))
    return uitkomst


def trek_sleutel_in(session: Session, naam: str, sleutel_id: int) -> bool:
    """Revoke one API key of the account; False if it was revoked already."""
    account = vind_account(session, naam)
    rij = session.exec(
        select(Token).where(
            Token.id == sleutel_id, Token.account_id == account.id, Token.soort == "sleutel"
        )
    ).first()
    if rij is None:
        raise AccountFout(f"account {naam!r} heeft geen sleutel {sleutel_id}")
    if rij.ingetrokken_op is not None:
        return False
    rij.ingetrokken_op = utcnow()
    session.add(rij)
    schrijf_audit(
        session,
        "sleutel_ingetrokken",
        None,
        naam,
        [{"veld": "sleutel", "oud": sleutel_id, "nieuw": None}],
    )
    session.commit()
    return True
