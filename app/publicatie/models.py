from datetime import datetime

from sqlalchemy import Column, DateTime, Integer, String
from sqlmodel import Field, SQLModel


class PublicatieGeheim(SQLModel, table=True):
    """The secret under which cell keys are made: one row, made at the first rapportage question.

    Whoever holds it can take the noise off every published value; it never leaves the database
    and is not in any backup of configuration or environment.
    """

    __tablename__ = "publicatie_geheim"

    id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    waarde: str = Field(sa_column=Column(String(64), nullable=False))


class PublicatieCel(SQLModel, table=True):
    """A published value, kept from the first time the cell was shown: later registrations or
    corrections in a closed period change the kwartiermaker's figures, never this one, so that
    watching the release over time shows nothing of them.
    """

    __tablename__ = "publicatie_cel"

    # The first 128 bits of SHA-256 of the cell's canonical name (ruis.celnaam): what is
    # counted, never who.
    sleutel: str = Field(sa_column=Column(String(32), primary_key=True))
    waarde: int | None = Field(sa_column=Column(Integer, nullable=True))
    vastgesteld_op: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
