from fastapi import APIRouter
from pydantic import Field

from app.deps import ContextDep, GeenQuery
from app.kern.api_model import ApiModel
from app.toegang.deps import Ingelogd

router = APIRouter(tags=["Gebieden"])


class WijkUit(ApiModel):
    code: str = Field(description="Code van het werkgebied, uniek binnen deze dienst.")
    naam: str = Field(description="Naam van het werkgebied (wijk of kern).")
    gemeente: str = Field(description="Naam van de gemeente.")
    gemeentecode: str = Field(description="CBS-gemeentecode (4 cijfers).")
    buurtcodes: list[str] = Field(description="CBS-buurtcodes (8 cijfers) in dit werkgebied.")


@router.get(
    "/wijken",
    summary="Werkgebieden",
    description="Alle werkgebieden (wijken en kernen) van de gebiedsindeling, met hun buurten.",
)
def lijst_wijken(context: ContextDep, _gebruiker: Ingelogd, _geen: GeenQuery) -> list[WijkUit]:
    return [
        WijkUit(
            code=w.code,
            naam=w.naam,
            gemeente=w.gemeente,
            gemeentecode=w.gemeentecode,
            buurtcodes=list(w.buurtcodes),
        )
        for w in context.indeling.wijken
    ]
