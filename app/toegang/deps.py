from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam, or_, select
from sqlmodel import Session

from app.deps import ContextDep, SessionDep
from app.kern.db import as_utc, buiten_transactie, tabel_van, utcnow
from app.kern.problems import GeenToegang, NietIngelogd
from app.kern.request_log import LOG_KEY
from app.toegang.models import Account, AccountWijk, Token
from app.toegang.rapportage import registreer_vraag
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
    account, token, wijk = (tabel_van(m) for m in (Account, Token, AccountWijk))
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


def controleer_token(session: Session, token: str, velden: dict[str, object]) -> Gebruiker:
    """The account behind a bearer token, or 401; `velden` gets the account id for the log."""
    rijen = session.execute(TOKEN_LOOKUP, {"token_hash": hash_token(token), "nu": utcnow()}).all()
    if not rijen:
        raise NietIngelogd("Dit token is onbekend, verlopen of ingetrokken. Log opnieuw in.")
    eerste = rijen[0]
    velden["account"] = eerste.account_id
    return Gebruiker(
        id=eerste.account_id,
        naam=eerste.naam,
        rol=eerste.rol,
        wijken=frozenset(rij.wijk for rij in rijen if rij.wijk is not None),
        token_id=eerste.token_id,
        token_soort=eerste.soort,
        verloopt_op=as_utc(eerste.verloopt_op) if eerste.verloopt_op else None,
    )


def _token_uit(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NietIngelogd("Log in en stuur het token mee als 'Authorization: Bearer <token>'.")
    return credentials.credentials


def _aanmelden(request: Request, session: Session, token: str) -> Gebruiker:
    # Outside a transaction, also in a writing request: on SQLite it then takes no write lock,
    # which the route's own transaction takes next, in its own thread, for its rule's work only
    # (a transaction held across threads can starve the thread pool under load).
    buiten_transactie(session)
    gebruiker = controleer_token(session, token, request.scope.setdefault(LOG_KEY, {}))
    session.commit()
    return gebruiker


async def huidige_gebruiker(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Gebruiker:
    token = _token_uit(credentials)
    return await context.draden.run(_aanmelden, request, session, token)


def _controleer_rol(gebruiker: Gebruiker, rollen: tuple[str, ...]) -> Gebruiker:
    if gebruiker.rol not in rollen:
        raise GeenToegang(
            f"De rol {gebruiker.rol} heeft hier geen toegang; dit is voor: {', '.join(rollen)}."
        )
    return gebruiker


def vereist_rol(*rollen: str):  # type: ignore[no-untyped-def]
    # A route open to rapportage takes Analist, which counts and records each question.
    assert "rapportage" not in rollen, "gebruik Analist voor routes van de rol rapportage"

    # The sign-in check itself rather than a dependency on `huidige_gebruiker`: one level of
    # dependencies less for FastAPI to solve on every request of the hot routes.
    async def controleer(
        request: Request,
        session: SessionDep,
        context: ContextDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Gebruiker:
        gebruiker = await huidige_gebruiker(request, session, context, credentials)
        return _controleer_rol(gebruiker, rollen)

    return Depends(controleer)


def analist(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Gebruiker:
    """Kwartiermaker or rapportage; a rapportage question is counted and audited, or 429.

    In one worker thread: the token lookup in the request's read session, then for rapportage
    the count and the audit line in one write transaction of their own.
    """
    buiten_transactie(session)
    gebruiker = _controleer_rol(
        controleer_token(session, _token_uit(credentials), request.scope.setdefault(LOG_KEY, {})),
        ("kwartiermaker", "rapportage"),
    )
    session.commit()
    if gebruiker.rol == "rapportage":
        registreer_vraag(
            context.engine,
            context.settings.rapportage_per_uur,
            gebruiker.id,
            gebruiker.token_id,
            request,
        )
    return gebruiker


Ingelogd = Annotated[Gebruiker, Depends(huidige_gebruiker)]
# Every route that answers figures to the rapportage role (and the kwartiermaker) takes this,
# and documents the answer it can give: `responses=TE_VEEL_VRAGEN`.
Analist = Annotated[Gebruiker, Depends(analist)]
TE_VEEL_VRAGEN: dict[int | str, dict[str, Any]] = {
    429: {
        "description": "Een account van de rol rapportage heeft dit uur het maximum aantal "
        "vragen gesteld (instelling RAPPORTAGE_PER_UUR, standaard 600); probeer het na "
        "`Retry-After` seconden, bij het volgende hele uur."
    }
}
Preventiewerker = Annotated[Gebruiker, vereist_rol("preventiewerker")]
TrajectLezer = Annotated[Gebruiker, vereist_rol("preventiewerker", "kwartiermaker")]
Beheerder = Annotated[Gebruiker, vereist_rol("beheerder")]
