from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from app.deps import ContextDep, GeenQuery, SessionDep
from app.kern.api_model import ApiModel, Tijdstip
from app.kern.db import utcnow
from app.toegang.deps import Ingelogd
from app.toegang.inloggen import meld_aan_zonder_te_blokkeren
from app.toegang.models import Token

router = APIRouter(prefix="/sessies", tags=["Sessies"])


class InlogFormulier(BaseModel):
    """OAuth2 password-formulier (application/x-www-form-urlencoded), veldnamen volgens RFC 6749."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64, description="De accountnaam.")
    password: str = Field(min_length=1, max_length=200, description="Het wachtwoord.")
    # A fixed set, so the schema says it: a client generated from it cannot send another.
    grant_type: Literal["password"] = Field(
        default="password", description="Indien meegestuurd: password."
    )


class SessieUit(ApiModel):
    """Een nieuw bearer-token. De veldnamen met _ volgen de OAuth2-standaard (RFC 6749)."""

    access_token: str = Field(serialization_alias="access_token")
    token_type: Literal["bearer"] = Field(serialization_alias="token_type")
    expires_in: int = Field(serialization_alias="expires_in", description="Geldigheid in seconden.")
    verloopt_op: Tijdstip = Field(description="Tot wanneer het token geldig is (UTC).")


class HuidigeSessie(ApiModel):
    naam: str
    rol: str
    wijken: list[str] = Field(description="De eigen werkgebieden (alleen voor preventiewerkers).")
    soort: Literal["sessie", "sleutel"] = Field(
        description="sessie: ingelogd met wachtwoord; sleutel: API-sleutel."
    )
    verloopt_op: Tijdstip | None = Field(description="Leeg voor een sleutel zonder einddatum.")


@router.post(
    "",
    summary="Inloggen",
    description="Inloggen met accountnaam en wachtwoord (OAuth2 password-formulier). Na "
    "herhaalde mislukte pogingen volgt eerst vertraging en daarna 429 met Retry-After; het "
    "antwoord verraadt nooit of een account bestaat.",
    responses={
        401: {"description": "Onjuiste naam of wachtwoord."},
        429: {"description": "Te veel mislukte pogingen; probeer het na Retry-After seconden."},
    },
)
async def maak_sessie(
    request: Request,
    context: ContextDep,
    formulier: Annotated[InlogFormulier, Form()],
    _geen: GeenQuery,
) -> SessieUit:
    # The address of the connection as uvicorn hands it over: a forwarded address only when
    # the connection came from a proxy in WIJKCONTACT_VERTROUWDE_PROXIES.
    adres = request.client.host if request.client else "onbekend"
    token, verloopt_op = await meld_aan_zonder_te_blokkeren(
        context.engine, context.settings, formulier.username, formulier.password, adres
    )
    return SessieUit(
        access_token=token,
        token_type="bearer",
        expires_in=round(context.settings.sessie_uren * 3600),
        verloopt_op=verloopt_op,
    )


@router.get(
    "/huidige",
    summary="Wie ben ik",
    description="Het account achter het meegestuurde token, met de eigen wijken.",
)
def lees_sessie(gebruiker: Ingelogd, _geen: GeenQuery) -> HuidigeSessie:
    return HuidigeSessie(
        naam=gebruiker.naam,
        rol=gebruiker.rol,
        wijken=sorted(gebruiker.wijken),
        soort=gebruiker.token_soort,  # type: ignore[arg-type]
        verloopt_op=gebruiker.verloopt_op,
    )


@router.delete(
    "/huidige",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Uitloggen",
    description="Trekt het meegestuurde token in; daarna geeft het meteen 401.",
)
def verwijder_sessie(gebruiker: Ingelogd, session: SessionDep, _geen: GeenQuery) -> Response:
    token = session.get(Token, gebruiker.token_id)
    assert token is not None
    token.ingetrokken_op = utcnow()
    session.add(token)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
