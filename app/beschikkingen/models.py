"""Beschikkingen per wijk, voorziening and year, as the gemeente reports them: counts only."""

from sqlalchemy import CheckConstraint, Column, Integer, String
from sqlmodel import Field, SQLModel


class BeschikkingAantal(SQLModel, table=True):
    __tablename__ = "beschikking_aantal"
    __table_args__ = (CheckConstraint("aantal >= 0", name="ck_beschikking_aantal_aantal"),)

    jaar: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    wijk: str = Field(sa_column=Column(String(16), primary_key=True))
    voorziening: str = Field(sa_column=Column(String(40), primary_key=True))
    aantal: int = Field(sa_column=Column(Integer, nullable=False))
