"""One row per filled-in questionnaire and one per answer: numbers only, nothing about the person.

`account_id` is the preventiewerker who entered it (for the check on own wijken and to tell a
retry from a clash on the same id); it is never shown in results.
"""

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlmodel import Field, SQLModel

from app.kern.db import Uuid16, utcnow
from app.kern.idempotentie import verzoek_hash_kolom


class ErvaringRespons(SQLModel, table=True):
    __tablename__ = "ervaring_respons"
    __table_args__ = (Index("ix_ervaring_respons_vragenlijst_datum", "vragenlijst", "datum"),)

    id: uuid.UUID = Field(sa_column=Column(Uuid16, primary_key=True))
    vragenlijst: str = Field(sa_column=Column(String(40), nullable=False))
    wijk: str = Field(sa_column=Column(String(16), nullable=False))
    datum: date = Field(sa_column=Column(Date, nullable=False))
    account_id: int = Field(sa_column=Column(Integer, ForeignKey("account.id"), nullable=False))
    verzoek_hash: bytes = Field(sa_column=verzoek_hash_kolom())
    aangemaakt_op: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class ErvaringAntwoord(SQLModel, table=True):
    __tablename__ = "ervaring_antwoord"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="ck_ervaring_antwoord_score"),)

    respons_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid16, ForeignKey("ervaring_respons.id", ondelete="CASCADE"), primary_key=True
        )
    )
    vraag: str = Field(sa_column=Column(String(40), primary_key=True))
    # NULL is the answer "weet niet": given, but without a score.
    score: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
