"""Summary tables that make the annual analysis fast; the raw registrations stay the truth.

`analyse_telling` holds additive counters per (jaar, wijk, kenmerk, code), split over `deel`
rows so that simultaneous registrations in one wijk and month update different rows instead of
queueing for one. A change to a traject (a correction, a withdrawal) takes back what the traject
counted before and adds what it counts now, both computed from its state (app.analyse.onderhoud):
the counters never need to know what changed. `analyse_traject` keeps the day each traject
counts on in tellingen per traject. Neither table has a foreign key to `traject`: a withdrawn
traject's increments are undone in the withdrawing transaction itself.
"""

import uuid
from datetime import date

from sqlalchemy import Column, Date, Integer, SmallInteger, String, Text
from sqlmodel import Field, SQLModel

from app.kern.db import Uuid16

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

    traject_id: uuid.UUID = Field(sa_column=Column(Uuid16, primary_key=True))
    # Date of the first gesprek: the day the traject counts on in tellingen per traject.
    begindatum: date = Field(sa_column=Column(Date, nullable=False, index=True))


class TellingKubus(SQLModel, table=True):
    """Counts per month for three dimensions of one meting (app.analyse.kubus).

    The values of the three dimensions are numbers from `telling_code`: a few bytes instead of
    a code's text, in a table with a row for nearly every combination that occurs in a month.
    """

    __tablename__ = "telling_kubus"
    # Clustered on the key on SQLite: a table is one range of one kubus, read in key order.
    __table_args__ = {"sqlite_with_rowid": False}

    kubus: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    maand: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    a: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    b: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    c: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    aantal: int = Field(sa_column=Column(Integer, nullable=False))


class TellingCode(SQLModel, table=True):
    """The number that stands for a code (of any list, or a wijk) in telling_kubus.

    Numbered when first summed, never renumbered: a code that leaves its list keeps its number
    and its counts.
    """

    __tablename__ = "telling_code"

    nummer: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    code: str = Field(sa_column=Column(String(40), nullable=False, unique=True))


class TellingWachtrij(SQLModel, table=True):
    """Changes to telling_kubus not yet added to it, one row per change (app.analyse.wachtrij)."""

    __tablename__ = "telling_wachtrij"

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    # JSON: [[kubus, maand, a, b, c, aantal], ...]
    rijen: str = Field(sa_column=Column(Text, nullable=False))
