import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from app.kern.db import Uuid16, utcnow
from app.kern.idempotentie import verzoek_hash_kolom

MAX_GESPREKKEN = 5
STATUSSEN = ("open", "afgerond", "overgedragen")
OVERDRACHTSTATUSSEN = ("aangemeld", "geaccepteerd", "niet_gelukt")


def _tijdstip(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(DateTime(timezone=True), nullable=nullable)


class Traject(SQLModel, table=True):
    __tablename__ = "traject"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSSEN!r}", name="ck_traject_status"),
        Index("ix_traject_account_status", "account_id", "status"),
    )

    id: uuid.UUID = Field(sa_column=Column(Uuid16, primary_key=True))
    code: str = Field(sa_column=Column(String(6), nullable=False, unique=True))
    wijk: str = Field(sa_column=Column(String(16), nullable=False, index=True))
    leeftijdsgroep: str = Field(sa_column=Column(String(40), nullable=False))
    instroomroute: str = Field(sa_column=Column(String(40), nullable=False))
    status: str = Field(default="open", sa_column=Column(String(12), nullable=False))
    account_id: int = Field(sa_column=Column(Integer, ForeignKey("account.id"), nullable=False))
    # Fingerprint of the create request, so a retried create can be told from a clash.
    verzoek_hash: bytes = Field(sa_column=verzoek_hash_kolom())
    aangemaakt_op: datetime = Field(default_factory=utcnow, sa_column=_tijdstip())
    afgesloten_op: datetime | None = Field(default=None, sa_column=_tijdstip(nullable=True))


class Gesprek(SQLModel, table=True):
    __tablename__ = "gesprek"
    __table_args__ = (
        # The five-conversation rule lives in the database: no race can make a sixth.
        UniqueConstraint("traject_id", "volgnummer", name="uq_gesprek_traject_volgnummer"),
        CheckConstraint(f"volgnummer BETWEEN 1 AND {MAX_GESPREKKEN}", name="ck_gesprek_volgnummer"),
        Index("ix_gesprek_datum", "datum"),
    )

    id: uuid.UUID = Field(sa_column=Column(Uuid16, primary_key=True))
    traject_id: uuid.UUID = Field(
        sa_column=Column(Uuid16, ForeignKey("traject.id", ondelete="CASCADE"), nullable=False)
    )
    volgnummer: int = Field(sa_column=Column(Integer, nullable=False))
    datum: date = Field(sa_column=Column(Date, nullable=False))
    locatie: str = Field(sa_column=Column(String(40), nullable=False))
    afhandeling: str = Field(sa_column=Column(String(40), nullable=False))
    account_id: int = Field(sa_column=Column(Integer, ForeignKey("account.id"), nullable=False))
    verzoek_hash: bytes = Field(sa_column=verzoek_hash_kolom())
    aangemaakt_op: datetime = Field(default_factory=utcnow, sa_column=_tijdstip())


class GesprekVraagtype(SQLModel, table=True):
    __tablename__ = "gesprek_vraagtype"
    # The primary key is the whole row: without a rowid SQLite keeps it once, in the key's own
    # B-tree, instead of in the table and again in an index (PostgreSQL ignores the option).
    __table_args__ = {"sqlite_with_rowid": False}

    gesprek_id: uuid.UUID = Field(
        sa_column=Column(Uuid16, ForeignKey("gesprek.id", ondelete="CASCADE"), primary_key=True)
    )
    vraagtype: str = Field(sa_column=Column(String(40), primary_key=True))


class Overdracht(SQLModel, table=True):
    __tablename__ = "overdracht"
    __table_args__ = (
        CheckConstraint(f"status IN {OVERDRACHTSTATUSSEN!r}", name="ck_overdracht_status"),
    )

    traject_id: uuid.UUID = Field(
        sa_column=Column(Uuid16, ForeignKey("traject.id", ondelete="CASCADE"), primary_key=True)
    )
    # The gesprek in which the handover was recorded; empty when recorded on its own.
    gesprek_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(Uuid16, ForeignKey("gesprek.id", ondelete="SET NULL"))
    )
    doel: str = Field(sa_column=Column(String(40), nullable=False))
    warm: bool = Field(sa_column=Column(Boolean, nullable=False))
    status: str = Field(sa_column=Column(String(12), nullable=False))
    vastgelegd_op: datetime = Field(default_factory=utcnow, sa_column=_tijdstip())
    bijgewerkt_op: datetime = Field(default_factory=utcnow, sa_column=_tijdstip())
