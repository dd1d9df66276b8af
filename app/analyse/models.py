"""Summary tables that make the annual analysis fast; the raw registrations stay the truth.

`analyse_telling` holds additive counters per (jaar, wijk, kenmerk, code), split over `deel`
rows so that simultaneous registrations in one wijk and month update different rows instead of
queueing for one. `analyse_traject` remembers, per traject, exactly which increments it holds,
so that any change (a correction, a withdrawal) is applied by taking those back and adding the
new ones: the counters never need to know what changed. Neither table has a foreign key to
`traject`: after a withdrawal the traject is gone but its increments still have to be undone.
"""

import uuid
from datetime import date

from sqlalchemy import Column, Date, Integer, String, Text, Uuid
from sqlmodel import Field, SQLModel

# Enough rows per counter that 100 workers in one wijk and month rarely meet on one; a read
# sums 16 rows per figure, which is still a few thousand rows for a whole year.
DELEN = 16


class AnalyseTelling(SQLModel, table=True):
    __tablename__ = "analyse_telling"

    jaar: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    wijk: str = Field(sa_column=Column(String(16), primary_key=True))
    kenmerk: str = Field(sa_column=Column(String(40), primary_key=True))
    code: str = Field(sa_column=Column(String(40), primary_key=True))
    deel: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    aantal: int = Field(sa_column=Column(Integer, nullable=False))


class AnalyseTraject(SQLModel, table=True):
    __tablename__ = "analyse_traject"

    traject_id: uuid.UUID = Field(sa_column=Column(Uuid, primary_key=True))
    # Date of the first gesprek: the day the traject counts on in tellingen per traject.
    begindatum: date = Field(sa_column=Column(Date, nullable=False, index=True))
    # The increments this traject holds, as JSON [[jaar, wijk, kenmerk, code, aantal], ...].
    bijdrage: str = Field(sa_column=Column(Text, nullable=False))
