from datetime import datetime, time, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field
from sqlmodel import col, func, select

from app.audit.models import ACTIES, Auditregel
from app.deps import SessionDep
from app.kern.api_model import ALLEEN_CIJFERS, ApiModel, Datum, Pagina, QueryParameters, Tijdstip
from app.kern.problems import InvalidParam, OngeldigeInvoer
from app.toegang.deps import Beheerder
from app.toegang.models import Account

router = APIRouter(prefix="/auditregels", tags=["Audit"])

Actie = Literal[ACTIES]  # type: ignore[valid-type]


class Wijziging(ApiModel):
    veld: str
    oud: Any = Field(description="Code, datum of lijst van codes vóór de wijziging.")
    nieuw: Any = Field(description="Code, datum of lijst van codes na de wijziging.")


class AuditregelUit(ApiModel):
    id: int
    tijdstip: Tijdstip
    account: str | None = Field(description="Wie het deed; leeg bij de beheeropdracht.")
    actie: str
    onderwerp: str | None = Field(
        description="Trajectcode, trajectcode/volgnummer of account; bij `rapportage_vraag` de "
        "gevraagde route."
    )
    wijzigingen: list[Wijziging] = Field(
        description="Bij `rapportage_vraag`: `sleutel` (het nummer van de gebruikte sleutel, "
        "nooit de sleutel zelf) en elke parameter van de vraag, met de waarde in `nieuw`."
    )


class Auditlog(ApiModel):
    items: list[AuditregelUit]
    totaal: int
    pagina: int
    pagina_grootte: int


class AuditParameters(QueryParameters):
    account: Annotated[str | None, Field(max_length=64, description="Alleen dit account.")] = None
    actie: Annotated[
        Actie | None, Field(description="Alleen deze actie, zoals `rapportage_vraag`.")
    ] = None
    van: Annotated[Datum | None, Field(description="Vanaf deze datum (UTC).")] = None
    tot: Annotated[Datum | None, Field(description="Tot en met deze datum (UTC).")] = None
    pagina: Pagina = 1
    pagina_grootte: Annotated[
        int,
        Field(alias="paginaGrootte", ge=1, le=200, description="Regels per pagina."),
        ALLEEN_CIJFERS,
    ] = 50


@router.get(
    "",
    summary="Auditlog",
    description="Alle correcties, intrekkingen en accountwijzigingen, en elke vraag van een "
    "account van de rol rapportage (`rapportage_vraag`), nieuwste eerst. Alleen voor de "
    "beheerder.",
)
def lijst_auditregels(
    session: SessionDep,
    _beheerder: Beheerder,
    parameters: Annotated[AuditParameters, Query()],
) -> Auditlog:
    account, actie, van, tot = parameters.account, parameters.actie, parameters.van, parameters.tot
    pagina, pagina_grootte = parameters.pagina, parameters.pagina_grootte
    if van is not None and tot is not None and van > tot:
        raise OngeldigeInvoer([InvalidParam(name="tot", reason="tot ligt vóór van.")])
    filters = []
    if account is not None:
        filters.append(col(Account.naam) == account)
    if actie is not None:
        filters.append(col(Auditregel.actie) == actie)
    if van is not None:
        filters.append(col(Auditregel.tijdstip) >= datetime.combine(van, time.min))
    if tot is not None:
        filters.append(
            col(Auditregel.tijdstip) < datetime.combine(tot + timedelta(days=1), time.min)
        )
    basis = (
        select(Auditregel, Account.naam)
        .outerjoin(Account, col(Account.id) == col(Auditregel.account_id))
        .where(*filters)
    )
    totaal = session.exec(select(func.count()).select_from(basis.subquery())).one()
    rijen = session.exec(
        basis.order_by(col(Auditregel.tijdstip).desc(), col(Auditregel.id).desc())
        .offset((pagina - 1) * pagina_grootte)
        .limit(pagina_grootte)
    ).all()
    return Auditlog(
        items=[
            AuditregelUit(
                id=regel.id,  # type: ignore[arg-type]
                tijdstip=regel.tijdstip,
                account=naam,
                actie=regel.actie,
                onderwerp=regel.onderwerp,
                wijzigingen=[Wijziging(**w) for w in regel.wijzigingen],
            )
            for regel, naam in rijen
        ],
        totaal=totaal,
        pagina=pagina,
        pagina_grootte=pagina_grootte,
    )
