from datetime import datetime

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from app.kern.db import utcnow

ROLLEN = ("preventiewerker", "kwartiermaker", "rapportage", "beheerder")
TOKENSOORTEN = ("sessie", "sleutel")


class Account(SQLModel, table=True):
    __tablename__ = "account"
    __table_args__ = (CheckConstraint(f"rol IN {ROLLEN!r}", name="ck_account_rol"),)

    id: int | None = Field(default=None, primary_key=True)
    naam: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    rol: str = Field(sa_column=Column(String(20), nullable=False))
    # Filled by password sign-in (a later step); key-only accounts keep it empty.
    wachtwoord_hash: str | None = Field(default=None, sa_column=Column(String(255)))
    actief: bool = True
    aangemaakt_op: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class AccountWijk(SQLModel, table=True):
    __tablename__ = "account_wijk"

    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), primary_key=True)
    )
    wijk: str = Field(sa_column=Column(String(16), primary_key=True))


class Token(SQLModel, table=True):
    __tablename__ = "token"
    __table_args__ = (CheckConstraint(f"soort IN {TOKENSOORTEN!r}", name="ck_token_soort"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # SHA-256 of the bearer token: the token itself is never stored.
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    soort: str = Field(sa_column=Column(String(10), nullable=False))
    aangemaakt_op: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    verloopt_op: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    ingetrokken_op: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class Inlogpoging(SQLModel, table=True):
    """Failed sign-ins per account name or client address, shared by every replica."""

    __tablename__ = "inlogpoging"

    # SHA-256 of "naam:<name>" or "adres:<ip>": people type passwords into name fields.
    sleutel: str = Field(sa_column=Column(String(64), primary_key=True))
    mislukt: int = Field(sa_column=Column(Integer, nullable=False))
    eerste_op: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    geblokkeerd_tot: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True))
    )


class RapportageTeller(SQLModel, table=True):
    """Questions a rapportage account asked in the current clock hour, shared by every replica."""

    __tablename__ = "rapportage_teller"

    # Per account, not per token: a rapportage account that also signs in with a password
    # would otherwise get a fresh allowance with every new session token.
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), primary_key=True)
    )
    # The start of the UTC hour the count belongs to; an older hour means the count is stale.
    venster: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    aantal: int = Field(sa_column=Column(Integer, nullable=False))
