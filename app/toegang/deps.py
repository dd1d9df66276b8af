from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import or_
from sqlmodel import col, select

from app.db import utcnow
from app.deps import SessionDep
from app.problems import GeenToegang, NietIngelogd
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


def huidige_gebruiker(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Gebruiker:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NietIngelogd("Log in en stuur het token mee als 'Authorization: Bearer <token>'.")
    nu = utcnow()
    rij = session.exec(
        select(Account)
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
    assert rij.id is not None
    wijken = session.exec(select(AccountWijk.wijk).where(AccountWijk.account_id == rij.id)).all()
    # End this read here, in its own thread: the route's work starts a transaction of its own,
    # and on SQLite a transaction held across threads can starve the thread pool under load.
    session.commit()
    return Gebruiker(id=rij.id, naam=rij.naam, rol=rij.rol, wijken=frozenset(wijken))


def vereist_rol(*rollen: str):  # type: ignore[no-untyped-def]
    def controleer(gebruiker: Annotated[Gebruiker, Depends(huidige_gebruiker)]) -> Gebruiker:
        if gebruiker.rol not in rollen:
            raise GeenToegang(
                f"De rol {gebruiker.rol} heeft hier geen toegang; dit is voor: {', '.join(rollen)}."
            )
        return gebruiker

    return Depends(controleer)


Ingelogd = Annotated[Gebruiker, Depends(huidige_gebruiker)]
Preventiewerker = Annotated[Gebruiker, vereist_rol("preventiewerker")]
TrajectLezer = Annotated[Gebruiker, vereist_rol("preventiewerker", "kwartiermaker")]
