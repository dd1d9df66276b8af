"""Hours and euros per wijk and year, as the kwartiermaker records them.

Amounts are stored as whole hundredths (hours) and cents (euros): exact on SQLite and
PostgreSQL alike, so sums in SQL never drift as floating point would, and no Decimal type that
SQLite does not have.
"""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
)
from sqlmodel import Field, SQLModel

from app.kern.db import utcnow

MAX_UREN_PER_WEEK = 400
MAX_EURO = 1_000_000_000


class Inzet(SQLModel, table=True):
    """That a wijk's inzet for a year was recorded: a wijk with no hours differs from one not
    yet filled in, and this row is what a replacement locks so two at once cannot interleave."""

    __tablename__ = "inzet"

    jaar: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    wijk: str = Field(sa_column=Column(String(16), primary_key=True))
    bijgewerkt_op: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    account_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("account.id"))
    )


def _bij_inzet() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["jaar", "wijk"], ["inzet.jaar", "inzet.wijk"], ondelete="CASCADE")


class InzetUren(SQLModel, table=True):
    __tablename__ = "inzet_uren"
    __table_args__ = (
        _bij_inzet(),
        CheckConstraint(
            f"honderdste_uren BETWEEN 0 AND {MAX_UREN_PER_WEEK * 100}",
            name="ck_inzet_uren_honderdste_uren",
        ),
    )

    jaar: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    wijk: str = Field(sa_column=Column(String(16), primary_key=True))
    soort: str = Field(sa_column=Column(String(40), primary_key=True))
    honderdste_uren: int = Field(sa_column=Column(Integer, nullable=False))


class InzetBedrag(SQLModel, table=True):
    __tablename__ = "inzet_bedrag"
    __table_args__ = (
        _bij_inzet(),
        CheckConstraint(f"centen BETWEEN 0 AND {MAX_EURO * 100}", name="ck_inzet_bedrag_centen"),
    )

    jaar: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    wijk: str = Field(sa_column=Column(String(16), primary_key=True))
    post: str = Field(sa_column=Column(String(40), primary_key=True))
    centen: int = Field(sa_column=Column(BigInteger, nullable=False))
