from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import or_
from sqlmodel import col, select

from app.db import as_utc, utcnow
from app.deps import SessionDep
from app.problems import GeenToegang, NietIngelogd
from app.request_log import LOG_KEY
from app.toegang.models import Account, AccountWijk, Token
from app.toegang.tokens import hash_token

bearer = HTTPBearer(
    auto_error=False,
    description="Bearer-token van `wijkcontact account add` of een API-sleutel.",
)


@dataclass(frozen=True)
class Gebruiker:
    """The signed-in account as the routes see it."""

    id: int
    naam: str
    rol: str
    wijken: frozenset[str]
    token_id: int
    token_soort: str
    verloopt_op: datetime | None


def huidige_gebruiker(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Gebruiker:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NietIngelogd("Log in en stuur het token mee als 'Authorization: Bearer <token>'.")
    nu = utcnow()
    rij = session.exec(
        select(Account, Token)
        .join(Token, col(Token.account_id) == col(Account.id))
        .where(
            Token.token_hash == hash_token(credentials.credentials),
            col(Token.ingetrokken_op).is_(None),
            or_(col(Token.verloopt_op).is_(None), col(Token.verloopt_op) > nu),
            col(Account.actief).is_(True),
        )
    ).first()
    if rij is None:
        raise NietIngelogd("Dit token is onbekend, verlopen of ingetrokken. Log opnieuw in.")
    account, token = rij
    assert account.id is not None and token.id is not None
    wijken = session.exec(
        select(AccountWijk.wijk).where(AccountWijk.account_id == account.id)
    ).all()
    request.scope.setdefault(LOG_KEY, {})["account"] = account.id
    # End this read here, in its own thread: the route's work starts a transaction of its own,
    # and on SQLite a transaction held across threads can starve the thread pool under load.
    session.commit()
    return Gebruiker(
        id=account.id,
        naam=account.naam,
        rol=account.rol,
        wijken=frozenset(wijken),
        token_id=token.id,
        token_soort=token.soort,
        verloopt_op=as_utc(token.verloopt_op) if token.verloopt_op else None,
    )


def vereist_rol(*rollen: str):  # type: ignore[no-untyped-def]
    # async: a check this small should not pay for a trip through the thread pool.
    async def controleer(gebruiker: Annotated[Gebruiker, Depends(huidige_gebruiker)]) -> Gebruiker:
        if gebruiker.rol not in rollen:
            raise GeenToegang(
                f"De rol {gebruiker.rol} heeft hier geen toegang; dit is voor: {', '.join(rollen)}."
            )
        return gebruiker

    return Depends(controleer)


Ingelogd = Annotated[Gebruiker, Depends(huidige_gebruiker)]
Preventiewerker = Annotated[Gebruiker, vereist_rol("preventiewerker")]
TrajectLezer = Annotated[Gebruiker, vereist_rol("preventiewerker", "kwartiermaker")]
Beheerder = Annotated[Gebruiker, vereist_rol("beheerder")]
