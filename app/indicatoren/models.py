"""One value of one outside indicator, per wijk and year: published figures, no registrations."""

from sqlalchemy import Column, Float, Integer, String
from sqlmodel import Field, SQLModel

# The whole gemeente, for figures its source publishes for the gemeente itself (a GGD survey
# figure is measured there, while per wijk it is a model estimate that does not add up).
GEMEENTE = "gemeente"


class IndicatorWaarde(SQLModel, table=True):
    __tablename__ = "indicator_waarde"

    jaar: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    # A wijk code of the gebiedsindeling, or GEMEENTE.
    wijk: str = Field(sa_column=Column(String(16), primary_key=True))
    indicator: str = Field(sa_column=Column(String(40), primary_key=True))
    waarde: float = Field(sa_column=Column(Float, nullable=False))
