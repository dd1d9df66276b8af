"""Sign-in to the feed: a bearer token as everywhere, or HTTP Basic with account name and API key.

Power BI's and Excel's OData connector can send no bearer token of their own choosing, but it
offers "Basis" (Basic): user name and password. Here those are the account's name and one of
its API keys (`wijkcontact account sleutel`), as ODK Central does; a session token or the account's
password is not accepted that way. Only over HTTPS in production: Basic sends the key as is.
"""

import base64
import binascii
import hmac
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlmodel import Session

from app.deps import ContextDep, SessionDep
from app.kern.problems import GeenToegang, NietIngelogd
from app.kern.request_log import LOG_KEY
from app.toegang.deps import Gebruiker, controleer_token
from app.toegang.rapportage import registreer_vraag

ROLLEN = ("kwartiermaker", "rapportage")
UITDAGING = 'Basic realm="wijkcontact", charset="UTF-8", Bearer realm="wijkcontact"'


class NietAangemeld(NietIngelogd):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.headers = {"WWW-Authenticate": UITDAGING}


def _basic(waarde: str) -> tuple[str, str]:
    try:
        naam, _, sleutel = base64.b64decode(waarde, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise NietAangemeld("De Basic-aanmelding is niet te lezen.") from None
    if not naam or not sleutel:
        raise NietAangemeld(
            "Geef als gebruikersnaam de accountnaam en als wachtwoord een API-sleutel."
        )
    return naam, sleutel


def _basic_gebruiker(session: Session, waarde: str, velden: dict[str, object]) -> Gebruiker:
    naam, sleutel = _basic(waarde)
    try:
        gebruiker = controleer_token(session, sleutel, velden)
    except NietIngelogd:
        gebruiker = None
    # One answer for a wrong name and a wrong key: which of the two is wrong is not told.
    if (
        gebruiker is None
        or not hmac.compare_digest(gebruiker.naam.encode(), naam.encode())
        or gebruiker.token_soort != "sleutel"
    ):
        raise NietAangemeld(
            "Onbekende combinatie van accountnaam en API-sleutel (of de sleutel is ingetrokken "
            "of verlopen)."
        )
    return gebruiker


def odata_gebruiker(
    request: Request,
    session: SessionDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Gebruiker:
    schema, _, waarde = (authorization or "").partition(" ")
    velden = request.scope.setdefault(LOG_KEY, {})
    if schema.lower() == "bearer" and waarde:
        gebruiker = controleer_token(session, waarde.strip(), velden)
    elif schema.lower() == "basic" and waarde:
        gebruiker = _basic_gebruiker(session, waarde.strip(), velden)
    else:
        raise NietAangemeld(
            "Meld u aan met HTTP Basic (accountnaam en API-sleutel) of met "
            "'Authorization: Bearer <token>'."
        )
    if gebruiker.rol not in ROLLEN:
        raise GeenToegang(
            f"De rol {gebruiker.rol} heeft hier geen toegang; dit is voor: {', '.join(ROLLEN)}."
        )
    # End this read in its own thread, as the other sign-in dependencies do (app/toegang/deps.py).
    session.commit()
    return gebruiker


OData = Annotated[Gebruiker, Depends(odata_gebruiker)]


def tel_vraag(request: Request, context: ContextDep, gebruiker: Gebruiker) -> None:
    """A question for figures costs a rapportage account one of its hourly allowance, as on
    /tellingen; the service document, $metadata, wijken and codes do not (docs/rapportage.md)."""
    if gebruiker.rol == "rapportage":
        registreer_vraag(
            context.engine,
            context.settings.rapportage_per_uur,
            gebruiker.id,
            gebruiker.token_id,
            request,
        )
