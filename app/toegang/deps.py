from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, or_, select

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


def _token_lookup() -> Any:
    """Account, token and wijken of a valid bearer token: one row per wijk, one round trip.

    Asked of the database on every request, never cached in the process: a revoked or expired
    token, or a deactivated account, is refused at once by every replica.
    """
    account, token, wijk = (m.__table__ for m in (Account, Token, AccountWijk))  # type: ignore[attr-defined]
    return (
        select(
            account.c.id.label("account_id"), account.c.naam, account.c.rol,
            token.c.id.label("token_id"), token.c.soort, token.c.verloopt_op, wijk.c.wijk,
        )
        .select_from(token)
        .join(account, account.c.id == token.c.account_id)
        .outerjoin(wijk, wijk.c.account_id == account.c.id)
        .where(
            token.c.token_hash == bindparam("token_hash"),
            token.c.ingetrokken_op.is_(None),
            or_(token.c.verloopt_op.is_(None), token.c.verloopt_op > bindparam("nu")),
            account.c.actief.is_(True),
        )
    )  # fmt: skip


# Built once: constructing a statement costs more Python time than running it.
TOKEN_LOOKUP = _token_lookup()


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
    rijen = session.execute(
        TOKEN_LOOKUP, {"token_hash": hash_token(credentials.credentials), "nu": utcnow()}
    ).all()
    if not rijen:
        raise NietIngelogd("Dit token is onbekend, verlopen of ingetrokken. Log opnieuw in.")
    eerste = rijen[0]
    request.scope.setdefault(LOG_KEY, {})["account"] = eerste.account_id
    # End this read here, in its own thread: the route's work starts a transaction of its own,
    # and on SQLite a transaction held across threads can starve the thread pool under load.
    session.commit()
    return Gebruiker(
        id=eerste.account_id,
        naam=eerste.naam,
        rol=eerste.rol,
        wijken=frozenset(rij.wijk for rij in rijen if rij.wijk is not None),
        token_id=eerste.token_id,
        token_soort=eerste.soort,
        verloopt_op=as_utc(eerste.verloopt_op) if eerste.verloopt_op else None,
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
