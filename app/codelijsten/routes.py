from typing import Literal

from fastapi import APIRouter
from pydantic import Field

from app.deps import ContextDep, GeenQuery
from app.kern.api_model import ApiModel
from app.toegang.deps import Ingelogd

router = APIRouter(tags=["Codelijsten"])


class CodeUit(ApiModel):
    code: str = Field(description="Stabiele code (kleine letters, cijfers en _).")
    omschrijving: str = Field(description="Nederlandse omschrijving.")


class OverdrachtdoelUit(CodeUit):
    niveau: Literal["voorliggend", "gespecialiseerd"] = Field(
        description="voorliggend: vrij toegankelijk in de sociale basis; "
        "gespecialiseerd: geïndiceerde of medische zorg."
    )


class CodelijstenUit(ApiModel):
    vraagtypen: list[CodeUit]
    leeftijdsgroepen: list[CodeUit]
    locaties: list[CodeUit]
    instroomroutes: list[CodeUit]
    afhandelingen: list[CodeUit]
    overdrachtdoelen: list[OverdrachtdoelUit]
    uursoorten: list[CodeUit] = Field(
        description="Soorten professionele inzet (jaaranalyse: inzet)."
    )
    budgetposten: list[CodeUit] = Field(description="Begrotingsposten (jaaranalyse: inzet).")
    activiteitsoorten: list[CodeUit] = Field(description="Soorten collectieve activiteiten.")
    voorzieningen: list[CodeUit] = Field(
        description="Gespecialiseerde voorzieningen waarvoor beschikkingen worden geteld."
    )
    trajectstatussen: list[CodeUit]
    overdrachtstatussen: list[CodeUit]


TRAJECTSTATUSSEN = [
    CodeUit(code="open", omschrijving="Open: er kunnen nog gesprekken bij"),
    CodeUit(code="afgerond", omschrijving="Afgerond zonder overdracht"),
    CodeUit(code="overgedragen", omschrijving="Overgedragen (warme overdracht vastgelegd)"),
]
OVERDRACHTSTATUSSEN = [
    CodeUit(code="aangemeld", omschrijving="Aangemeld bij de nieuwe voorziening"),
    CodeUit(code="geaccepteerd", omschrijving="Geaccepteerd: de inwoner is geland"),
    CodeUit(code="niet_gelukt", omschrijving="Niet gelukt"),
]


@router.get(
    "/codelijsten",
    summary="Codelijsten",
    description="Alle codes die in registraties voorkomen, met hun Nederlandse omschrijving.",
)
def lees_codelijsten(context: ContextDep, _gebruiker: Ingelogd, _geen: GeenQuery) -> CodelijstenUit:
    lijsten = context.codelijsten.lijsten

    def codes(lijst: str) -> list[CodeUit]:
        return [CodeUit(code=c.code, omschrijving=c.omschrijving) for c in lijsten[lijst]]

    return CodelijstenUit(
        vraagtypen=codes("vraagtypen"),
        leeftijdsgroepen=codes("leeftijdsgroepen"),
        locaties=codes("locaties"),
        instroomroutes=codes("instroomroutes"),
        afhandelingen=codes("afhandelingen"),
        overdrachtdoelen=[
            OverdrachtdoelUit(code=c.code, omschrijving=c.omschrijving, niveau=c.niveau)  # type: ignore[arg-type]
            for c in lijsten["overdrachtdoelen"]
        ],
        uursoorten=codes("uursoorten"),
        budgetposten=codes("budgetposten"),
        activiteitsoorten=codes("activiteitsoorten"),
        voorzieningen=codes("voorzieningen"),
        trajectstatussen=TRAJECTSTATUSSEN,
        overdrachtstatussen=OVERDRACHTSTATUSSEN,
    )
