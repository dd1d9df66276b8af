"""Beschikkingen per wijk, voorziening and year, as the gemeente reports them: counts only."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from app.kern.db import utcnow


class BeschikkingAantal(SQLModel, table=True):
    __tablename__ = "beschikking_aantal"
    __table_args__ = (CheckConstraint("aantal >= 0", name="ck_beschikking_aantal_aantal"),)

    jaar: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    wijk: str = Field(sa_column=Column(String(16), primary_key=True))
    voorziening: str = Field(sa_column=Column(String(40), primary_key=True))
    aantal: int = Field(sa_column=Column(Integer, nullable=False))


class BeschikkingJaar(SQLModel, table=True):
    """When and by whom a year's counts were last loaded; the row that one upload of the year
    locks, so that two at once cannot interleave (on both databases, without a lock function
    of one of them)."""

    __tablename__ = "beschikking_jaar"

    jaar: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    geladen_op: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    account_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("account.id"))
    )
