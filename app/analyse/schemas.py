from typing import Literal

from pydantic import Field

from app.activiteiten.schemas import ActiviteitenSectie
from app.beschikkingen.schemas import GespecialiseerdeInzet
from app.ervaring.schemas import ErvaringCijfers
from app.indicatoren.schemas import Effect
from app.inzet.schemas import InzetSectie
from app.kern.api_model import ApiModel, Datum

Aantal = int | None
Meting = Literal["gesprekken", "trajecten"]
DIMENSIES = (
    "wijk",
    "maand",
    "vraagtype",
    "leeftijdsgroep",
    "locatie",
    "instroomroute",
    "afhandeling",
    "overdrachtdoel",
)


class MaandCijfers(ApiModel):
    trajecten: Aantal
    gesprekken: Aantal


class VorigJaar(ApiModel):
    aantal_trajecten: Aantal
    aantal_gesprekken: Aantal
    aandeel_sociale_basis: float | None


class Cijfers(ApiModel):
    aantal_trajecten: Aantal = Field(description="Trajecten met hun eerste gesprek in dit jaar.")
    aantal_gesprekken: Aantal = Field(description="Gesprekken met een datum in dit jaar.")
    gesprekken_per_traject: dict[str, Aantal] = Field(
        description="Trajecten naar hun aantal gesprekken, 1 tot en met 5."
    )
    leeftijdsgroepen: dict[str, Aantal] = Field(description="Trajecten per leeftijdsgroep.")
    instroomroutes: dict[str, Aantal] = Field(description="Trajecten per instroomroute.")
    vraagtypen: dict[str, Aantal] = Field(
        description="Gesprekken per vraagtype; een gesprek met twee vraagtypen telt bij elk."
    )
    locaties: dict[str, Aantal] = Field(description="Gesprekken per locatie.")
    afhandelingen: dict[str, Aantal] = Field(description="Gesprekken per afhandeling.")
    overdrachtdoelen: dict[str, Aantal] = Field(description="Overdrachten per doel.")
    overdrachten_warm: Aantal
    overdrachten_niet_warm: Aantal
    trajecten_limiet_bereikt: Aantal = Field(description="Trajecten met 5 gesprekken.")
    trajecten_wacht_op_overdracht: Aantal = Field(
        description="Open trajecten met 5 gesprekken: een overdracht of afsluiting is nodig."
    )
    aandeel_sociale_basis: float | None = Field(
        description="Percentage van de afgesloten trajecten (afgerond of overgedragen) dat niet "
        "is overgedragen naar een gespecialiseerd doel, op één decimaal; leeg als er geen "
        "afgesloten trajecten zijn."
    )
    per_maand: dict[str, MaandCijfers] = Field(description="Alle 12 maanden, als JJJJ-MM.")
    vorig_jaar: VorigJaar
    # The other four parts of the yearly analysis, each from its own package, with the year
    # before inside each.
    inzet: InzetSectie = Field(description="Deel 1, investeringen: uren en euro naast de norm.")
    activiteiten: ActiviteitenSectie = Field(
        description="Deel 2, activiteiten en output: collectieve activiteiten."
    )
    effect: Effect = Field(description="Deel 3, effect: indicatoren van buiten (GGD, CBS, ...).")
    ervaring: ErvaringCijfers = Field(
        description="Deel 4, ervaring: de monitor onder partners, inwoners en preventiewerkers."
    )
    gespecialiseerde_inzet: GespecialiseerdeInzet = Field(
        description="Deel 5, gespecialiseerde inzet: beschikkingen naast de warme overdrachten "
        "naar gespecialiseerde zorg."
    )


class WijkCijfers(Cijfers):
    wijk: str
    naam: str


class Jaaranalyse(ApiModel):
    jaar: int
    doel_aandeel_sociale_basis: int = Field(
        description="Het doel voor 2030: dit percentage opgelost in de sociale basis."
    )
    totaal: Cijfers = Field(description="Alle wijken samen.")
    wijken: list[WijkCijfers] = Field(description="Elke wijk, ook zonder registraties.")


class Tellingen(ApiModel):
    van: Datum
    tot: Datum
    meting: Meting
    dimensies: list[str]
    rijen: list[dict[str, str | int | bool | None]] = Field(
        description="Eén rij per combinatie die voorkomt (voor de rol rapportage: elke "
        "combinatie): de waarde van elke dimensie, `aantal` (null als het onderdrukt is) en "
        "`onderdrukt`; met `labels=true` ook de omschrijving per dimensie."
    )
