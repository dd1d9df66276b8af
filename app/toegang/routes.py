from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from app.api_model import ApiModel, Tijdstip
from app.db import utcnow
from app.deps import ContextDep, SessionDep
from app.problems import InvalidParam, OngeldigeInvoer
from app.toegang.deps import Ingelogd
from app.toegang.inloggen import meld_aan
from app.toegang.models import Token

router = APIRouter(prefix="/sessies", tags=["Sessies"])


class InlogFormulier(BaseModel):
    """OAuth2 password-formulier (application/x-www-form-urlencoded), veldnamen volgens RFC 6749."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64, description="De accountnaam.")
    password: str = Field(min_length=1, max_length=200, description="Het wachtwoord.")
    grant_type: str | None = Field(default=None, description="Indien meegestuurd: password.")


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
def maak_sessie(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    formulier: Annotated[InlogFormulier, Form()],
) -> SessieUit:
    if formulier.grant_type not in (None, "password"):
        raise OngeldigeInvoer(
            [InvalidParam(name="grant_type", reason="Alleen grant_type password kan hier.")]
        )
    adres = request.client.host if request.client else "onbekend"
    token, verloopt_op = meld_aan(
        session, context.settings, formulier.username, formulier.password, adres
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
def lees_sessie(gebruiker: Ingelogd) -> HuidigeSessie:
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
def verwijder_sessie(gebruiker: Ingelogd, session: SessionDep) -> Response:
    token = session.get(Token, gebruiker.token_id)
    assert token is not None
    token.ingetrokken_op = utcnow()
    session.add(token)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
